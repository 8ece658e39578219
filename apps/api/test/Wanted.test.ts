import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import { FakeRadarr, FakeSonarr } from "@stalkeer/arr-client/testing"
import { Choice, Plans } from "@stalkeer/workflows"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as ApiError from "../src/ApiError.js"
import * as Support from "./Support.js"

let n = 0
const line = (kind: "movie" | "series" | "live", group: string, name: string) =>
  `#EXTINF:-1 group-title="${group}",${name}\nhttp://127.0.0.1:9/${kind}/canary-user/${Support.CANARY}/${++n}.mkv\n`

const PLAYLIST = "#EXTM3U\n" + [
  line("movie", "EN| Movies", "EN - The Godfather (1972) 1080p"),
  line("movie", "DE| Filme", "DE - Der Pate (1972) 2160p"),
  line("movie", "EN| Movies", "EN - Heat (1995) 720p"),
  line("movie", "EN| Movies", "EN - Heat (1995) CAM"),
  line("movie", "EN| Movies", "EN - Alien (1979)"),
  line("series", "EN| Series", "EN - The Office S01E01"),
  line("series", "FR| Series", "FR - The Office S01E02"),
  line("live", "UK| News", "BBC One HD")
].join("")

/**
 * Preferences that change the choice: German first (the CLI's default, any language with 1080p first, would take
 * the English Godfather), French not allowed, cams excluded.
 */
const MATCHING = {
  STALKEER_MATCHING_LANGUAGES: "de,en",
  STALKEER_MATCHING_RESOLUTIONS: "2160p,1080p,720p",
  STALKEER_MATCHING_EXCLUDE: "\\bCAM\\b"
}

const aired = "2020-01-01T00:00:00Z"

const radarrLibrary: FakeRadarr.Library = {
  movies: [
    { id: 1, title: "The Godfather", year: 1972, tmdbId: 238, alternateTitles: ["Der Pate"], monitored: true, hasFile: false, isAvailable: true },
    { id: 2, title: "Heat", year: 1995, tmdbId: 949, monitored: true, hasFile: false, isAvailable: true },
    { id: 3, title: "Alien", year: 1979, tmdbId: 348, monitored: true, hasFile: false, isAvailable: true },
    { id: 4, title: "Dune", year: 1984, tmdbId: 841, monitored: true, hasFile: false, isAvailable: true },
    { id: 5, title: "The Godfather Part IV", year: 2031, tmdbId: 9999999, monitored: true, hasFile: false, isAvailable: false, status: "announced" },
    { id: 6, title: "Blade Runner", year: 1982, tmdbId: 78, monitored: true, hasFile: true, isAvailable: true }
  ]
}

const sonarrLibrary: FakeSonarr.Library = {
  series: [{ id: 1, title: "The Office", year: 2005, tvdbId: 73244, tmdbId: 2316, monitored: true }],
  episodes: [
    { id: 11, seriesId: 1, seasonNumber: 1, episodeNumber: 1, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 12, seriesId: 1, seasonNumber: 1, episodeNumber: 2, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 13, seriesId: 1, seasonNumber: 1, episodeNumber: 3, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 14, seriesId: 1, seasonNumber: 1, episodeNumber: 4, airDateUtc: aired, monitored: true, hasFile: true }
  ]
}

const fakes = Layer.mergeAll(FakeRadarr.layer(radarrLibrary), FakeSonarr.layer(sonarrLibrary))

/** What `stalkeer radarr|sonarr --dry-run --json` prints for the same world: the plans of the same preferences. */
const cliPlans = (limit?: number) =>
  Effect.gen(function*() {
    const settings = yield* Support.settings(MATCHING)
    const preferences = Choice.preferences(settings.matching)
    const radarr = Radarr.layer(FakeRadarr.clientOptions(yield* FakeRadarr.Fake)).pipe(Layer.provide(NodeHttpClient.layerUndici))
    const sonarr = Sonarr.layer(FakeSonarr.clientOptions(yield* FakeSonarr.Fake)).pipe(Layer.provide(NodeHttpClient.layerUndici))
    const movies = yield* Stream.runCollect(Plans.movies({ preferences, limit })).pipe(Effect.provide(radarr))
    const episodes = yield* Stream.runCollect(Plans.episodes({ preferences, limit })).pipe(Effect.provide(sonarr))
    return { movies: Chunk.toReadonlyArray(movies), episodes: Chunk.toReadonlyArray(episodes) }
  })

const get = (url: string, key: string | null = Support.KEY) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const request = key === null ? HttpClientRequest.get(url) : HttpClientRequest.setHeader(HttpClientRequest.get(url), "X-Api-Key", key)
    const response = yield* http.execute(request)
    const text = yield* response.text
    return {
      status: response.status,
      body: JSON.parse(text) as { readonly error: string; readonly message: string; readonly details?: unknown },
      text
    }
  })

const env = Effect.map(Support.arrEnv, (arr) => ({ ...arr, ...MATCHING }))

layer(Support.layer(env).pipe(Layer.provideMerge(fakes)), { timeout: "120 seconds", excludeTestServices: true })("wanted", (it) => {
  it.effect("radarr: the CLI's dry-run plans for the same world and settings, with its summary", () =>
    Effect.gen(function*() {
      yield* Support.ingest(PLAYLIST)
      const client = yield* Support.client
      const answer = yield* client.wanted.radarr({ urlParams: {} })
      const cli = yield* cliPlans()
      assert.deepStrictEqual(answer.plans, cli.movies.map(Plans.movieJson))
      assert.deepStrictEqual(answer.summary, cli.movies.reduce(Plans.tally, Plans.emptySummary))
      assert.deepStrictEqual(answer.summary, {
        wanted: 5,
        planned: 3,
        skipped: { "not-available": 1, "not-in-catalogue": 1, language: 0, excluded: 0, unsure: 0 }
      })
      const byId = new Map(answer.plans.map((plan) => [plan.radarrId, plan]))
      // The settings' preferences decided: German first.
      assert.strictEqual(byId.get(1)!.entry?.name, "DE - Der Pate (1972) 2160p")
      assert.deepStrictEqual(byId.get(1)!.rejected.map((r) => [r.name, r.reasons]), [
        ["EN - The Godfather (1972) 1080p", ["language en ranks after de"]]
      ])
      assert.strictEqual(byId.get(2)!.entry?.name, "EN - Heat (1995) 720p")
      assert.deepStrictEqual(byId.get(2)!.rejected.map((r) => r.reasons), [["excluded by /\\bCAM\\b/"]])
      assert.deepStrictEqual([byId.get(4)!.decision, byId.get(4)!.skip], ["skip", "not-in-catalogue"])
      assert.deepStrictEqual(byId.get(5)!.reasons, ["not available yet in Radarr (announced)"])
      assert.isFalse(byId.has(6), "a movie with its file is not wanted")

      const raw = yield* get("/api/v1/wanted/radarr")
      assert.strictEqual(raw.status, 200)
      assert.notInclude(raw.text, Support.CANARY)
      assert.notInclude(raw.text, "canary-user")
      assert.notInclude(raw.text, "127.0.0.1")

      const two = yield* client.wanted.radarr({ urlParams: { limit: 2 } })
      assert.deepStrictEqual(two.plans, (yield* cliPlans(2)).movies.map(Plans.movieJson))
      assert.deepStrictEqual([two.plans.length, two.summary.wanted], [2, 2])
    }))

  it.effect("sonarr: the CLI's dry-run plans for the same world and settings, with its summary", () =>
    Effect.gen(function*() {
      yield* Support.ingest(PLAYLIST)
      const client = yield* Support.client
      const answer = yield* client.wanted.sonarr({ urlParams: {} })
      const cli = yield* cliPlans()
      assert.deepStrictEqual(answer.plans, cli.episodes.map(Plans.episodeJson))
      assert.deepStrictEqual(answer.summary, {
        wanted: 3,
        planned: 1,
        skipped: { "not-available": 0, "not-in-catalogue": 1, language: 1, excluded: 0, unsure: 0 }
      })
      const [e01, e02, e03] = answer.plans
      assert.deepStrictEqual([e01!.sonarrEpisodeId, e01!.decision, e01!.entry?.name, e01!.entry?.season, e01!.entry?.episode], [
        11,
        "download",
        "EN - The Office S01E01",
        1,
        1
      ])
      assert.deepStrictEqual([e02!.sonarrEpisodeId, e02!.skip], [12, "language"])
      assert.deepStrictEqual([e03!.sonarrEpisodeId, e03!.skip], [13, "not-in-catalogue"])
      const one = yield* client.wanted.sonarr({ urlParams: { limit: 1 } })
      assert.deepStrictEqual(one.plans, (yield* cliPlans(1)).episodes.map(Plans.episodeJson))
      assert.strictEqual(one.summary.wanted, 1)
    }))

  it.effect("bad input: 400 naming the field; 401 without the key or with a wrong one", () =>
    Effect.gen(function*() {
      for (const arr of ["radarr", "sonarr"]) {
        for (const limit of ["0", "-2", "abc", "1.5", "1000000001"]) {
          const { body, status } = yield* get(`/api/v1/wanted/${arr}?limit=${limit}`)
          assert.strictEqual(status, 400, `${arr} ${limit}`)
          assert.strictEqual(body.error, "BadRequest")
          assert.isTrue(body.message.startsWith("limit: "), body.message)
        }
        const missing = yield* get(`/api/v1/wanted/${arr}`, null)
        assert.strictEqual(missing.status, 401)
        assert.deepStrictEqual(missing.body, {
          error: "Unauthorized",
          message: "missing API key: send it in the X-Api-Key header or the apikey query parameter"
        })
        const wrong = yield* get(`/api/v1/wanted/${arr}?apikey=nope`, null)
        assert.strictEqual(wrong.status, 401)
        assert.deepStrictEqual(wrong.body, { error: "Unauthorized", message: "wrong API key" })
      }
      // No request reached Radarr or Sonarr.
      const radarr = yield* FakeRadarr.Fake
      const before = yield* radarr.requestCount
      yield* get("/api/v1/wanted/radarr", "nope")
      assert.strictEqual(yield* radarr.requestCount, before)
    }))
})

layer(Support.layer(), { timeout: "120 seconds", excludeTestServices: true })("wanted without Radarr or Sonarr", (it) => {
  it.effect("503 naming the service and what to set", () =>
    Effect.gen(function*() {
      const client = yield* Support.client
      const radarr = yield* Effect.flip(client.wanted.radarr({ urlParams: {} }))
      assert.instanceOf(radarr, ApiError.Unavailable)
      assert.deepStrictEqual(radarr.details, { service: "radarr" })
      assert.strictEqual(
        radarr.message,
        "Radarr is not configured: set radarr.url and radarr.api_key (STALKEER_RADARR_URL, STALKEER_RADARR_API_KEY)"
      )
      const sonarr = yield* get("/api/v1/wanted/sonarr")
      assert.strictEqual(sonarr.status, 503)
      assert.deepStrictEqual(sonarr.body, {
        error: "Unavailable",
        message: "Sonarr is not configured: set sonarr.url and sonarr.api_key (STALKEER_SONARR_URL, STALKEER_SONARR_API_KEY)",
        details: { service: "sonarr" }
      })
    }))
})

/** A key that must never be echoed. */
const WRONG_KEY = "Wrong-Sonarr-Key-3c1d"

const unreachable = Support.layer(Effect.map(FakeSonarr.Fake, (sonarr) => ({
  // Nothing listens on the discard port.
  STALKEER_RADARR_URL: "http://127.0.0.1:9",
  STALKEER_RADARR_API_KEY: "Radarr-Key-Canary-99f0",
  // A key it refuses.
  STALKEER_SONARR_URL: sonarr.url,
  STALKEER_SONARR_API_KEY: WRONG_KEY
}))).pipe(Layer.provideMerge(FakeSonarr.layer(sonarrLibrary)))

layer(unreachable, { timeout: "120 seconds", excludeTestServices: true })("wanted with Radarr down and Sonarr refusing", (it) => {
  it.effect("503 naming the service, with the client's one-line message and no key", () =>
    Effect.gen(function*() {
      const radarr = yield* get("/api/v1/wanted/radarr")
      assert.strictEqual(radarr.status, 503)
      assert.strictEqual(radarr.body.error, "Unavailable")
      assert.deepStrictEqual(radarr.body.details, { service: "radarr" })
      assert.isTrue(radarr.body.message.startsWith("Cannot reach Radarr at 127.0.0.1:9: "), radarr.body.message)
      assert.notInclude(radarr.body.message, "\n")
      assert.notInclude(radarr.text, "Radarr-Key-Canary-99f0")
      const sonarr = yield* get("/api/v1/wanted/sonarr")
      assert.strictEqual(sonarr.status, 503)
      assert.deepStrictEqual(sonarr.body, {
        error: "Unavailable",
        message: "Sonarr refused the API key (HTTP 401 on /api/v3/system/status): check sonarr.api_key (STALKEER_SONARR_API_KEY)",
        details: { service: "sonarr" }
      })
      assert.notInclude(sonarr.text, WRONG_KEY)
    }))
})
