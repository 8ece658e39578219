import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import { Radarr, Sonarr } from "../src/index.js"
import { FakeRadarr, FakeSonarr } from "../src/Testing.js"
import * as World from "./world.js"

type Auth = "query" | "header" | "bearer" | "none" | { readonly query: string; readonly header: string }

interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  // Loosely typed: these tests read whatever the fake answered.
  readonly body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A raw request to a fake at `url` (its URL base included) with `key`, presented as `auth`. */
const call = (
  server: { readonly url: string; readonly apiKey: string },
  path: string,
  options: { readonly params?: Record<string, string>; readonly auth?: Auth; readonly body?: unknown } = {}
) =>
  Effect.gen(function*() {
    const auth = options.auth ?? "header"
    const query = new URLSearchParams(options.params ?? {})
    if (auth === "query") query.set("apikey", server.apiKey)
    if (typeof auth === "object") query.set("apikey", auth.query)
    const headers: Record<string, string> = auth === "header"
      ? { "x-api-key": server.apiKey }
      : auth === "bearer"
      ? { authorization: `Bearer ${server.apiKey}` }
      : typeof auth === "object"
      ? { "x-api-key": auth.header }
      : {}
    const url = `${server.url}${path}${query.size > 0 ? `?${query}` : ""}`
    const request = options.body === undefined
      ? HttpClientRequest.get(url, { headers })
      : HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post(url, { headers }), options.body)
    const response = yield* HttpClient.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, text, body: text === "" ? undefined : JSON.parse(text) } as Answer
  }).pipe(Effect.scoped)

/** Every key of every object in `value`, recursively, with its value. */
const walk = (value: unknown, visit: (key: string, value: unknown) => void): void => {
  if (Array.isArray(value)) for (const item of value) walk(item, visit)
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      visit(key, item)
      walk(item, visit)
    }
  }
}

const Env = Layer.mergeAll(
  FakeRadarr.layer(World.radarr),
  FakeSonarr.layer(World.sonarr),
  NodeHttpClient.layerUndici
)

layer(Env, { excludeTestServices: true })("the fakes", (it) => {
  it.effect("auth: ?apikey= first, then X-Api-Key, then Bearer; 401 has an empty body; /ping is open", () =>
    Effect.gen(function*() {
      const fake = yield* FakeRadarr.Fake
      yield* fake.reset
      for (const auth of ["query", "header", "bearer"] as const) {
        assert.strictEqual((yield* call(fake, "/api/v3/system/status", { auth })).status, 200)
      }
      const none = yield* call(fake, "/api/v3/system/status", { auth: "none" })
      assert.deepStrictEqual([none.status, none.text, none.headers["content-type"]], [401, "", undefined])
      // The query wins: a wrong ?apikey= is refused even with the right header.
      const wrongQuery = yield* call(fake, "/api/v3/movie", { auth: { query: "nope", header: fake.apiKey } })
      assert.deepStrictEqual([wrongQuery.status, wrongQuery.text], [401, ""])
      const ping = yield* call(fake, "/ping", { auth: "none" })
      assert.deepStrictEqual([ping.status, ping.body], [200, { status: "OK" }])
      assert.deepStrictEqual((yield* call(fake, "/api")).body, { current: "v3", deprecated: [] })
      const log = yield* fake.requests
      assert.deepStrictEqual(log.map((r) => [r.credential, r.status]), [
        ["query", 200],
        ["header", 200],
        ["bearer", 200],
        ["none", 401],
        ["query", 401],
        ["none", 200],
        ["header", 200]
      ])
      for (const request of log) assert.notProperty(request.query, "apikey")
    }))

  it.effect("404: a missing id is a problem document; an unknown route and an old Radarr's wanted/missing, no body", () =>
    Effect.gen(function*() {
      const fake = yield* FakeRadarr.Fake
      yield* fake.reset
      const movie = yield* call(fake, "/api/v3/movie/999")
      assert.deepStrictEqual([movie.status, movie.headers["content-type"], movie.body.title, movie.body.status], [
        404,
        "application/problem+json; charset=utf-8",
        "Not Found",
        404
      ])
      assert.match(movie.body.type, /rfc9110/)
      assert.match(movie.body.traceId, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/)
      const unknown = yield* call(fake, "/api/v3/nothing")
      assert.deepStrictEqual([unknown.status, unknown.text], [404, ""])
      yield* fake.setLegacy(true)
      const legacy = yield* call(fake, "/api/v3/wanted/missing")
      assert.deepStrictEqual([legacy.status, legacy.text], [404, ""])
      assert.strictEqual((yield* call(fake, "/api/v3/system/status")).body.version, "4.7.5.7809")
      yield* fake.reset
      assert.strictEqual((yield* call(fake, "/api/v3/wanted/missing")).status, 200)
      const sonarr = yield* FakeSonarr.Fake
      assert.match((yield* call(sonarr, "/api/v3/episode/1")).body.type, /rfc7231/)
    }))

  it.effect("paging: page 1 of 10 by default, descending unless asked, unknown sort keys fall back", () =>
    Effect.gen(function*() {
      const fake = yield* FakeRadarr.Fake
      const plain = (yield* call(fake, "/api/v3/wanted/missing")).body
      assert.deepStrictEqual(
        [plain.page, plain.pageSize, plain.sortKey, plain.sortDirection, plain.totalRecords, plain.totalPages],
        [1, 10, "movieMetadata.sortTitle", "descending", 7, undefined]
      )
      assert.deepStrictEqual(plain.records.map((m: { title: string }) => m.title), [...World.radarrMissing].reverse())
      const asked = (yield* call(fake, "/api/v3/wanted/missing", {
        params: { sortKey: "movieMetadata.year", sortDirection: "ascending", page: "2", pageSize: "3" }
      })).body
      assert.deepStrictEqual(asked.records.map((m: { year: number }) => m.year), [1981, 1982, 1995])
      const unknown = (yield* call(fake, "/api/v3/wanted/missing", {
        params: { sortKey: "title", sortDirection: "default" }
      })).body
      assert.deepStrictEqual([unknown.sortKey, unknown.sortDirection], ["movieMetadata.sortTitle", "ascending"])
      assert.deepStrictEqual(unknown.records.map((m: { title: string }) => m.title), World.radarrMissing)
      const unmonitored = (yield* call(fake, "/api/v3/wanted/missing", { params: { monitored: "false" } })).body
      assert.deepStrictEqual(unmonitored.records.map((m: { title: string }) => m.title), ["Brazil"])
      const beyond = (yield* call(fake, "/api/v3/wanted/missing", { params: { page: "9" } })).body
      assert.deepStrictEqual([beyond.records, beyond.totalRecords], [[], 7])
    }))

  it.effect("JSON: null fields omitted, dates in UTC without fractional seconds", () =>
    Effect.gen(function*() {
      const radarr = yield* FakeRadarr.Fake
      const sonarr = yield* FakeSonarr.Fake
      const answers = [
        (yield* call(radarr, "/api/v3/movie")).body,
        (yield* call(radarr, "/api/v3/system/status")).body,
        (yield* call(sonarr, "/api/v3/wanted/missing", { params: { includeSeries: "true" } })).body,
        (yield* call(sonarr, "/api/v3/series")).body
      ]
      const dates: Array<string> = []
      for (const answer of answers) {
        walk(answer, (key, value) => {
          assert.notStrictEqual(value, null, key)
          if (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)) dates.push(value)
        })
      }
      assert.isAbove(dates.length, 10)
      for (const date of dates) assert.match(date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      const heat = (answers[0] as ReadonlyArray<{ title: string; inCinemas?: string; imdbId?: string }>)
        .find((m) => m.title === "Heat")!
      assert.deepStrictEqual([heat.inCinemas, "imdbId" in heat], ["1995-12-15T00:00:00Z", false])
    }))

  it.effect("lookups by external id: Radarr /movie?tmdbId=, Sonarr /series?tvdbId=", () =>
    Effect.gen(function*() {
      const radarr = yield* FakeRadarr.Fake
      const sonarr = yield* FakeSonarr.Fake
      const alien = (yield* call(radarr, "/api/v3/movie", { params: { tmdbId: "348" } })).body
      assert.deepStrictEqual(alien.map((m: { id: number }) => m.id), [12])
      assert.deepStrictEqual((yield* call(radarr, "/api/v3/movie", { params: { tmdbId: "1" } })).body, [])
      const dark = (yield* call(sonarr, "/api/v3/series", { params: { tvdbId: "334824" } })).body
      assert.deepStrictEqual(dark.map((s: { title: string }) => s.title), ["Dark"])
    }))

  it.effect("commands: 201 with Location, then queued → started → completed; an unknown name is a 500", () =>
    Effect.gen(function*() {
      const fake = yield* FakeRadarr.Fake
      yield* fake.reset
      const posted = yield* call(fake, "/api/v3/command", { body: { name: "rescanmovie", movieId: 12 } })
      assert.deepStrictEqual([posted.status, posted.body.status, posted.body.name], [201, "queued", "RescanMovie"])
      assert.strictEqual(posted.headers["location"], `/api/v3/command/${posted.body.id}`)
      assert.deepStrictEqual([posted.body.body.movieId, posted.body.commandName], [12, "Rescan Movie"])
      const seen: Array<string> = []
      for (let i = 0; i < 4; i++) seen.push((yield* call(fake, `/api/v3/command/${posted.body.id}`)).body.status)
      assert.deepStrictEqual(seen, ["started", "started", "completed", "completed"])
      // The same command, still running, is handed back rather than queued twice.
      const first = yield* call(fake, "/api/v3/command", { body: { name: "DownloadedMoviesScan", path: "/d/x" } })
      const again = yield* call(fake, "/api/v3/command", { body: { path: "/d/x", name: "downloadedMoviesScan" } })
      const other = yield* call(fake, "/api/v3/command", { body: { name: "DownloadedMoviesScan", path: "/d/y" } })
      assert.strictEqual(again.body.id, first.body.id)
      assert.notStrictEqual(other.body.id, first.body.id)
      const unknown = yield* call(fake, "/api/v3/command", { body: { name: "MakeCoffee" } })
      assert.deepStrictEqual([unknown.status, unknown.body.message], [500, "Sequence contains no matching element"])
      assert.strictEqual((yield* call(fake, "/api/v3/command/999")).status, 404)
      assert.strictEqual((yield* call(fake, "/api/v3/command")).body.length, 3)
    }))

  it.effect("a URL base: served under it, 404 outside it", () =>
    Effect.gen(function*() {
      const fake = yield* FakeRadarr.make(World.radarr, { urlBase: "/radarr" })
      assert.strictEqual((yield* call(fake, "/api/v3/system/status")).body.urlBase, "/radarr")
      assert.strictEqual((yield* call(fake, "/ping", { auth: "none" })).status, 200)
      const root = { ...fake, url: fake.url.replace(/\/radarr$/, "") }
      const outside = yield* call(root, "/api/v3/system/status")
      assert.deepStrictEqual([outside.status, outside.text], [404, ""])
      const posted = yield* call(fake, "/api/v3/command", { body: { name: "RescanMovie" } })
      assert.strictEqual(posted.headers["location"], `/radarr/api/v3/command/${posted.body.id}`)
    }).pipe(Effect.scoped))

  it.effect("Sonarr: /episode needs a filter (400 ErrorModel); the series is embedded only when asked", () =>
    Effect.gen(function*() {
      const fake = yield* FakeSonarr.Fake
      const bad = yield* call(fake, "/api/v3/episode")
      assert.deepStrictEqual([bad.status, bad.body], [400, {
        message: "BadRequest: seriesId or episodeIds must be provided",
        content: "seriesId or episodeIds must be provided"
      }])
      const plain = (yield* call(fake, "/api/v3/wanted/missing")).body
      assert.isFalse(plain.records.some((e: object) => "series" in e))
      assert.deepStrictEqual([plain.sortKey, plain.sortDirection], ["episodes.airDateUtc", "descending"])
      const withSeries = (yield* call(fake, "/api/v3/wanted/missing", { params: { includeSeries: "true" } })).body
      assert.isTrue(withSeries.records.every((e: { series?: { id: number } }) => e.series !== undefined))
      const byIds = (yield* call(fake, "/api/v3/episode", { params: { episodeIds: "700" } })).body
      assert.deepStrictEqual(byIds.map((e: { id: number }) => e.id), [700])
      const byFile = (yield* call(fake, "/api/v3/episode", { params: { episodeFileId: "900" } })).body
      assert.deepStrictEqual(byFile.map((e: { id: number }) => e.id), [500])
      const series = (yield* call(fake, "/api/v3/series/7")).body
      assert.deepStrictEqual(series.seasons.map((s: { seasonNumber: number }) => s.seasonNumber), [0, 1, 6])
      assert.deepStrictEqual(
        [series.statistics.seasonCount, series.statistics.episodeFileCount, series.statistics.totalEpisodeCount],
        [2, 1, 5]
      )
    }))

  it.effect("faults: a status N times on a path, then the real answer", () =>
    Effect.gen(function*() {
      const fake = yield* FakeSonarr.Fake
      yield* fake.reset
      yield* fake.failNext(FakeSonarr.status(503), { times: 2, path: "/api/v3/series" })
      assert.strictEqual((yield* call(fake, "/api/v3/rootfolder")).status, 200)
      assert.strictEqual((yield* call(fake, "/api/v3/series")).status, 503)
      assert.strictEqual((yield* call(fake, "/api/v3/series/7")).status, 503)
      assert.strictEqual((yield* call(fake, "/api/v3/series")).status, 200)
      yield* fake.failNext(FakeSonarr.status(401))
      assert.deepStrictEqual([(yield* call(fake, "/api/v3/series")).text], [""])
    }))
})

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("the fakes at scale", (it) => {
  it.scoped("5,000 movies and 20,000 episodes: every missing item paged through in seconds", () =>
    Effect.gen(function*() {
      const started = Date.now()
      const { radarr: movies, sonarr: episodes } = World.large({ movies: 5000, series: 1000, episodes: 20000 })
      const radarrFake = yield* FakeRadarr.make(movies)
      const sonarrFake = yield* FakeSonarr.make(episodes)
      const radarr = yield* Radarr.make(FakeRadarr.clientOptions(radarrFake))
      const sonarr = yield* Sonarr.make(FakeSonarr.clientOptions(sonarrFake))
      const missingMovies = yield* Stream.runCount(radarr.missing)
      const missingEpisodes = yield* Stream.runCount(sonarr.missing)
      assert.deepStrictEqual([missingMovies, missingEpisodes], [1667, 5000])
      // Sonarr: 20 pages and one read of the library.
      assert.deepStrictEqual([yield* radarr.requests, yield* sonarr.requests], [7, 21])
      assert.strictEqual((yield* radarr.movies).length, 5000)
      assert.strictEqual((yield* sonarr.episodes(500)).length, 20)
      const millis = Date.now() - started
      assert.isBelow(millis, 15_000, `${millis} ms`)
    }))
})

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("the fakes' rescans", (it) => {
  const scratch = Effect.acquireRelease(
    Effect.sync(() => Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "stalkeer-fake-disk-"))),
    (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
  )
  const put = (file: string) => {
    Fs.mkdirSync(NodePath.dirname(file), { recursive: true })
    Fs.writeFileSync(file, "video")
  }

  it.scoped("RescanMovie reads the movie's folder on the disk: a video file is its file; a hidden partial is not", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const fake = yield* FakeRadarr.make(
        { movies: [{ id: 1, title: "Alien", year: 1979, path: "/data/movies/Alien (1979)", hasFile: false }] },
        { disk: { remote: "/data/movies", local: dir }, commandSteps: 0 }
      )
      const radarr = yield* Radarr.make(FakeRadarr.clientOptions(fake, { pollInterval: "10 millis" }))
      put(NodePath.join(dir, "Alien (1979)", ".stalkeer-1.part"))
      yield* radarr.command({ name: "RescanMovie", movieId: 1 })
      assert.isFalse((yield* radarr.movie(1)).hasFile)
      put(NodePath.join(dir, "Alien (1979)", "Alien (1979).mkv"))
      yield* radarr.command({ name: "RescanMovie", movieId: 1 })
      assert.isTrue((yield* radarr.movie(1)).hasFile)
      assert.deepStrictEqual(yield* Stream.runCollect(radarr.missing).pipe(Effect.map((c) => c.length)), 0)
      // The file gone, a rescan of every movie (no id) forgets it.
      Fs.rmSync(NodePath.join(dir, "Alien (1979)", "Alien (1979).mkv"))
      yield* radarr.command({ name: "RescanMovie" })
      assert.isFalse((yield* radarr.movie(1)).hasFile)
    }))

  it.scoped("RescanSeries reads the series' folders: files named S01E02 or S01E03-E04 are those episodes' files", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const fake = yield* FakeSonarr.make({
        series: [{ id: 7, title: "Breaking Bad", year: 2008, tvdbId: 81189, path: "/tv/Breaking Bad", seasonFolder: true }],
        episodes: [2, 3, 4, 5].map((n) => ({ id: 500 + n, seriesId: 7, seasonNumber: 1, episodeNumber: n, airDateUtc: "2008-01-21T03:00:00Z", hasFile: false }))
      }, { disk: { remote: "/tv", local: dir }, commandSteps: 0 })
      const sonarr = yield* Sonarr.make(FakeSonarr.clientOptions(fake, { pollInterval: "10 millis" }))
      put(NodePath.join(dir, "Breaking Bad", "Season 1", "Breaking Bad - S01E02.mkv"))
      put(NodePath.join(dir, "Breaking Bad", "Season 1", "Breaking Bad - S01E03-E04.mp4"))
      yield* sonarr.command({ name: "RescanSeries", seriesId: 7 })
      const episodes = yield* sonarr.episodes(7)
      assert.deepStrictEqual(episodes.map((e) => [e.episodeNumber, e.hasFile]), [[2, true], [3, true], [4, true], [5, false]])
      // Sonarr's statistics follow the files.
      const series = yield* call(fake, "/api/v3/series/7")
      assert.strictEqual(series.body.statistics.episodeFileCount, 3)
    }))
})
