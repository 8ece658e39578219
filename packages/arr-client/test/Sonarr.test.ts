import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { Sonarr } from "../src/index.js"
import { FakeRadarr, FakeSonarr } from "../src/Testing.js"
import * as World from "./world.js"

const fast = {
  retry: { times: 3, base: "10 millis" },
  timeout: "2 seconds",
  pollInterval: "10 millis",
  commandTimeout: "2 seconds"
} as const

const setup = (options: Omit<Sonarr.Options, "url" | "apiKey"> = {}) =>
  Effect.gen(function*() {
    const fake = yield* FakeSonarr.Fake
    yield* fake.reset
    const sonarr = yield* Sonarr.make(FakeSonarr.clientOptions(fake, { ...fast, ...options }))
    return { fake, sonarr }
  })

const Env = Layer.mergeAll(FakeSonarr.layer(World.sonarr), NodeHttpClient.layerUndici)

layer(Env, { excludeTestServices: true })("Sonarr", (it) => {
  it.scoped("status: Sonarr 4", () =>
    Effect.gen(function*() {
      const { sonarr } = yield* setup()
      const status = yield* sonarr.status
      assert.deepStrictEqual([status.appName, status.version, status.branch], ["Sonarr", "4.0.19.2979", "main"])
    }))

  it.scoped("missing: aired, monitored episodes without a file, oldest first, each with its series", () =>
    Effect.gen(function*() {
      const { fake, sonarr } = yield* setup({ pageSize: 2 })
      const missing = yield* Stream.runCollect(sonarr.missing)
      assert.deepStrictEqual(Chunk.toReadonlyArray(missing).map((e) => e.id), World.sonarrMissing)
      const log = yield* fake.requests
      const pages = log.filter((r) => r.path === "/api/v3/wanted/missing")
      assert.deepStrictEqual(pages.map((r) => r.query.page), ["1", "2", "3"])
      // The series come from one read of the library, not embedded in every episode.
      assert.deepStrictEqual(log.filter((r) => r.path.startsWith("/api/v3/series")).map((r) => r.path), ["/api/v3/series"])
      assert.deepStrictEqual(pages[0]!.query, {
        sortKey: "episodes.airDateUtc",
        sortDirection: "ascending",
        includeSeries: "false",
        monitored: "true",
        page: "1",
        pageSize: "2"
      })
      const [first, second] = missing
      assert.deepStrictEqual(first, {
        id: 501,
        seriesId: 7,
        tvdbId: 349232,
        episodeFileId: 0,
        seasonNumber: 1,
        episodeNumber: 2,
        title: "Cat's in the Bag...",
        airDate: "2008-01-28",
        airDateUtc: "2008-01-28T03:00:00Z",
        hasFile: false,
        monitored: true,
        absoluteEpisodeNumber: null,
        series: {
          id: 7,
          title: "Breaking Bad",
          sortTitle: "breaking bad",
          year: 2008,
          tvdbId: 81189,
          tmdbId: 1396,
          imdbId: "tt0903747",
          path: "/tv/Breaking Bad",
          rootFolderPath: "/tv",
          seasonFolder: true,
          monitored: true,
          seriesType: "standard",
          status: "ended",
          alternateTitles: ["Breaking Bad (2008)"]
        }
      })
      assert.deepStrictEqual([second!.title, second!.tvdbId, second!.airDateUtc], [null, null, "2008-02-11T03:00:00Z"])
      const dark = Chunk.unsafeLast(missing)
      assert.deepStrictEqual([dark.series?.title, dark.series?.seasonFolder, dark.series?.tmdbId], ["Dark", false, 70523])
      assert.isTrue(Chunk.every(missing, (e) => e.series !== null))
    }))

  it.scoped("missing reads the library once, however many pages and series", () =>
    Effect.gen(function*() {
      const { fake, sonarr } = yield* setup({ pageSize: 1 })
      const missing = yield* Stream.runCollect(sonarr.missing)
      assert.deepStrictEqual(Chunk.toReadonlyArray(missing).map((e) => [e.id, e.series?.title]), [
        [501, "Breaking Bad"],
        [502, "Breaking Bad"],
        [700, "Dark"],
        [701, "Dark"],
        [702, "Dark"]
      ])
      const log = yield* fake.requests
      assert.deepStrictEqual(log.filter((r) => r.path.startsWith("/api/v3/series")).map((r) => r.path), ["/api/v3/series"])
      assert.strictEqual(log.length, 6)
    }))

  it.scoped("missing is lazy", () =>
    Effect.gen(function*() {
      const { fake, sonarr } = yield* setup({ pageSize: 2 })
      const two = yield* Stream.runCollect(Stream.take(sonarr.missing, 2))
      assert.strictEqual(two.length, 2)
      // One page, and the library for its series.
      assert.deepStrictEqual((yield* fake.requests).map((r) => r.path), ["/api/v3/wanted/missing", "/api/v3/series"])
    }))

  it.scoped("series, seriesById, seriesByTvdbId and episodes (of a season)", () =>
    Effect.gen(function*() {
      const { fake, sonarr } = yield* setup()
      const all = yield* sonarr.series
      assert.deepStrictEqual(all.map((s) => [s.id, s.title, s.tmdbId, s.monitored]), [
        [7, "Breaking Bad", 1396, true],
        [8, "The Office (UK)", null, false],
        [9, "Dark", 70523, true]
      ])
      assert.deepStrictEqual(yield* sonarr.seriesById(9), all[2])
      assert.deepStrictEqual(Option.map(yield* sonarr.seriesByTvdbId(78107), (s) => s.id), Option.some(8))
      assert.isTrue(Option.isNone(yield* sonarr.seriesByTvdbId(1)))
      const episodes = yield* sonarr.episodes(7)
      assert.deepStrictEqual(episodes.map((e) => e.id), [500, 501, 502, 503, 504, 505])
      assert.deepStrictEqual([episodes[0]!.hasFile, episodes[0]!.episodeFileId, episodes[0]!.series], [true, 900, null])
      const specials = yield* sonarr.episodes(7, { seasonNumber: 0 })
      assert.deepStrictEqual(specials.map((e) => [e.id, e.title]), [[504, "Special"]])
      const log = yield* fake.requests
      assert.deepStrictEqual(log.slice(-2).map((r) => r.query), [{ seriesId: "7" }, { seriesId: "7", seasonNumber: "0" }])
      const error = yield* Effect.flip(sonarr.seriesById(99))
      assert.strictEqual(error.message, "Sonarr has nothing at /api/v3/series/99 (HTTP 404)")
    }))

  it.scoped("root folders, quality profiles and naming (ints, Sonarr's defaults)", () =>
    Effect.gen(function*() {
      const { sonarr } = yield* setup()
      assert.deepStrictEqual(yield* sonarr.rootFolders, [{ id: 1, path: "/tv", accessible: true, freeSpace: 512000000000 }])
      assert.deepStrictEqual((yield* sonarr.qualityProfiles).map((p) => p.name), ["Any", "HD-1080p"])
      assert.deepStrictEqual(yield* sonarr.naming, {
        renameEpisodes: false,
        replaceIllegalCharacters: true,
        colonReplacementFormat: 4,
        multiEpisodeStyle: 5,
        standardEpisodeFormat: "{Series Title} - S{season:00}E{episode:00} - {Episode Title} {Quality Full}",
        dailyEpisodeFormat: "{Series Title} - {Air-Date} - {Episode Title} {Quality Full}",
        animeEpisodeFormat: "{Series Title} - S{season:00}E{episode:00} - {Episode Title} {Quality Full}",
        seriesFolderFormat: "{Series Title}",
        seasonFolderFormat: "Season {season}",
        specialsFolderFormat: "Specials"
      })
    }))

  it.scoped("commands: completed after the polls; a failure is CommandFailed", () =>
    Effect.gen(function*() {
      const { fake, sonarr } = yield* setup()
      const done = yield* sonarr.command({ name: "RescanSeries", seriesId: 7 })
      assert.deepStrictEqual([done.status, done.commandName], ["completed", "Rescan Series"])
      yield* fake.setCommandBehaviour({ outcome: "failed" })
      const error = yield* Effect.flip(
        sonarr.command({ name: "DownloadedEpisodesScan", path: "/downloads/Breaking.Bad.S01E02", importMode: "copy" })
      )
      assert.strictEqual(
        error.message,
        `Sonarr command DownloadedEpisodesScan (#${error.commandId}) failed: Import failed, path does not exist or is not accessible by Sonarr: /downloads/Breaking.Bad.S01E02`
      )
      assert.deepStrictEqual((yield* fake.commands).map((c) => c.body), [
        { name: "RescanSeries", seriesId: 7 },
        { name: "DownloadedEpisodesScan", path: "/downloads/Breaking.Bad.S01E02", importMode: "copy" }
      ])
    }))

  it.scoped("status of a Radarr server: UnsupportedVersion", () =>
    Effect.gen(function*() {
      const radarr = yield* FakeRadarr.make(World.radarr)
      const sonarr = yield* Sonarr.make({ ...fast, url: radarr.url, apiKey: Redacted.make(radarr.apiKey) })
      const error = yield* Effect.flip(sonarr.status)
      assert.strictEqual(
        error.message,
        `The server at ${new URL(radarr.url).host} is Radarr 6.0.3.10276, not Sonarr: check sonarr.url`
      )
    }))

  it.effect("fromSettings names Sonarr's settings", () =>
    Effect.sync(() => {
      const error = Sonarr.fromSettings({
        url: Option.some("http://h:8989"),
        apiKey: Option.none(),
        pageSize: 250,
        timeout: Duration.seconds(30)
      }).pipe(Either.getLeft, Option.getOrThrow)
      assert.strictEqual(error.message, "Sonarr is not configured: set sonarr.api_key (STALKEER_SONARR_API_KEY)")
    }))
})

// The README's pairing: the node:http client rather than undici.
layer(Layer.mergeAll(FakeSonarr.layer(World.sonarr, { urlBase: "sonarr" }), NodeHttpClient.layer), {
  excludeTestServices: true
})("Sonarr over NodeHttpClient.layer", (it) => {
  it.scoped("the layer, under a URL base", () =>
    Effect.gen(function*() {
      const fake = yield* FakeSonarr.Fake
      const missing = yield* Effect.flatMap(Sonarr.Sonarr, (sonarr) => Stream.runCollect(sonarr.missing)).pipe(
        Effect.provide(Sonarr.layer(FakeSonarr.clientOptions(fake, fast)))
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(missing).map((e) => e.id), World.sonarrMissing)
      assert.isTrue((yield* fake.requests).every((r) => r.path.startsWith("/sonarr/api/v3/")))
      assert.deepStrictEqual([...new Set((yield* fake.requests).map((r) => r.path))], ["/sonarr/api/v3/wanted/missing", "/sonarr/api/v3/series"])
    }))
})
