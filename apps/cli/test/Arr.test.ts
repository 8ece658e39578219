import { assert, layer } from "@effect/vitest"
import { FakeRadarr, FakeSonarr } from "@stalkeer/arr-client/testing"
import { FakeProvider } from "@stalkeer/downloader/testing"
import { FakeTmdb } from "@stalkeer/tmdb/testing"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as ExitCode from "../src/ExitCode.js"
import { cliWith, Home, TestLive } from "./CliHome.js"

const world: FakeTmdb.World = {
  movies: [
    { id: 603, title: "The Matrix", releaseDate: "1999-03-31", popularity: 80, imdbId: "tt0133093",
      translations: [{ iso_639_1: "fr", iso_3166_1: "FR", title: "Matrix" }] }
  ],
  tv: [{ id: 1396, name: "Breaking Bad", firstAirDate: "2008-01-20", originCountry: ["US"], popularity: 300, imdbId: "tt0903747", tvdbId: 81189 }]
}

const PLAYLIST = `#EXTM3U
#EXTINF:-1 group-title="EN| MOVIES",The Matrix (1999) 1080p
http://panel.test/movie/u/CanaryPw/1.mkv
#EXTINF:-1 group-title="FR| FILMS",FR - Matrix (1999)
http://panel.test/movie/u/CanaryPw/2.mkv
#EXTINF:-1 group-title="EN| SERIES",Breaking Bad S01E01
http://panel.test/series/u/CanaryPw/4.mkv
`

const radarr: FakeRadarr.Library = {
  movies: [
    { id: 1, title: "The Matrix", year: 1999, tmdbId: 603, imdbId: "tt0133093", monitored: true, hasFile: false, isAvailable: true },
    { id: 2, title: "Heat", year: 1995, tmdbId: 949, monitored: true, hasFile: false, isAvailable: true }
  ]
}

const sonarr: FakeSonarr.Library = {
  series: [{ id: 7, title: "Breaking Bad", year: 2008, tvdbId: 81189, tmdbId: 1396, monitored: true }],
  episodes: [
    { id: 501, seriesId: 7, seasonNumber: 1, episodeNumber: 1, airDateUtc: "2008-01-21T03:00:00Z", monitored: true, hasFile: false },
    { id: 502, seriesId: 7, seasonNumber: 1, episodeNumber: 2, airDateUtc: "2008-01-28T03:00:00Z", monitored: true, hasFile: false }
  ]
}

/** The playlist ingested and identified in the test's home. */
const catalogue = Effect.gen(function*() {
  const home = yield* Home
  const file = `${home.dir}/list.m3u`
  yield* Effect.promise(() => import("node:fs/promises").then((fs) => fs.writeFile(file, PLAYLIST)))
  const tmdb = yield* FakeTmdb.make(world)
  const done = yield* cliWith({ STALKEER_TMDB_BASE_URL: tmdb.baseUrl, STALKEER_TMDB_API_KEY: tmdb.apiKey }, "process", "--enrich", file)
  assert.isTrue(Exit.isSuccess(done.exit), done.err)
})

layer(TestLive, { timeout: "90 seconds", excludeTestServices: true })("stalkeer radarr and sonarr", (it) => {
  it.scoped("--dry-run plans each missing movie and episode: a table and a summary, or JSON lines", () =>
    Effect.gen(function*() {
      yield* catalogue
      const r = yield* FakeRadarr.make(radarr, { apiKey: "RadarrCanaryKey" })
      const s = yield* FakeSonarr.make(sonarr, { apiKey: "SonarrCanaryKey", urlBase: "/sonarr" })
      const env = {
        STALKEER_RADARR_URL: r.url,
        STALKEER_RADARR_API_KEY: r.apiKey,
        STALKEER_SONARR_URL: s.url,
        STALKEER_SONARR_API_KEY: s.apiKey,
        STALKEER_MATCHING_LANGUAGES: "en"
      }
      const table = yield* cliWith(env, "radarr", "--dry-run")
      assert.isTrue(Exit.isSuccess(table.exit), table.err)
      assert.include(table.out, "The Matrix (1999)")
      assert.include(table.out, "The Matrix (1999) 1080p")
      assert.include(table.out, "2 wanted movies: 1 to download, 1 skipped (1 not in the catalogue)")

      const json = yield* cliWith(env, "radarr", "--dry-run", "--json")
      assert.isTrue(Exit.isSuccess(json.exit), json.err)
      const lines = json.out.split("\n").map((l) => JSON.parse(l))
      const matrix = lines.find((l) => l.radarrId === 1)
      const heat = lines.find((l) => l.radarrId === 2)
      assert.deepStrictEqual(
        [matrix.kind, matrix.radarrId, matrix.tmdbId, matrix.decision, matrix.entry.key, matrix.entry.language],
        ["movie", 1, 603, "download", "xtream:movie:1", "en"]
      )
      assert.deepStrictEqual(matrix.rejected.map((x: { reasons: Array<string> }) => x.reasons), [["language fr not allowed"]])
      assert.deepStrictEqual([heat.decision, heat.entry, heat.skip], ["skip", null, "not-in-catalogue"])
      assert.include(json.err, "2 wanted movies")

      const episodes = yield* cliWith(env, "sonarr", "--dry-run", "--json", "--series", "breaking bad")
      assert.isTrue(Exit.isSuccess(episodes.exit), episodes.err)
      const [e1, e2] = episodes.out.split("\n").map((l) => JSON.parse(l))
      assert.deepStrictEqual([e1.kind, e1.sonarrEpisodeId, e1.tvdbId, e1.season, e1.episode, e1.decision], ["episode", 501, 81189, 1, 1, "download"])
      assert.strictEqual(e2.decision, "skip")
      const limited = yield* cliWith(env, "sonarr", "--dry-run", "--limit", "1")
      assert.include(limited.out, "1 wanted episodes: 1 to download, 0 skipped")

      // Neither the keys nor the provider's password are ever printed.
      for (const text of [table.out, table.err, json.out, json.err, episodes.out, episodes.err]) {
        assert.notInclude(text, "CanaryKey")
        assert.notInclude(text, "CanaryPw")
      }
      assert.isTrue((yield* r.requests).every((q) => !JSON.stringify(q).includes("CanaryKey")))
    }))

  it.scoped("a wrong key, a server down, a Sonarr given for Radarr, or no configuration: one line, exit 1", () =>
    Effect.gen(function*() {
      const r = yield* FakeRadarr.make(radarr)
      const s = yield* FakeSonarr.make(sonarr)
      const one = (text: string) => text.trim().split("\n").filter((l) => l.trim() !== "")
      const wrong = yield* cliWith({ STALKEER_RADARR_URL: r.url, STALKEER_RADARR_API_KEY: "WrongCanaryKey" }, "radarr", "--dry-run")
      assert.strictEqual(ExitCode.fromExit(wrong.exit), ExitCode.UserError)
      assert.include(wrong.err, "Radarr refused the API key")
      assert.include(wrong.err, "STALKEER_RADARR_API_KEY")
      assert.notInclude(wrong.err, "WrongCanaryKey")
      assert.notInclude(wrong.err, "    at ")
      assert.strictEqual(one(wrong.err).length, 1)

      const down = yield* cliWith({ STALKEER_SONARR_URL: "http://127.0.0.1:9", STALKEER_SONARR_API_KEY: "k", STALKEER_SONARR_TIMEOUT: "2 seconds" }, "sonarr", "--dry-run")
      assert.strictEqual(ExitCode.fromExit(down.exit), ExitCode.UserError)
      assert.include(down.err, "Cannot reach Sonarr")

      const swapped = yield* cliWith({ STALKEER_RADARR_URL: s.url, STALKEER_RADARR_API_KEY: s.apiKey }, "radarr", "--dry-run")
      assert.strictEqual(ExitCode.fromExit(swapped.exit), ExitCode.UserError)
      assert.include(swapped.err, "Sonarr")

      const unset = yield* cliWith({}, "radarr", "--dry-run")
      assert.strictEqual(ExitCode.fromExit(unset.exit), ExitCode.UserError)
      assert.include(unset.err, "radarr.url")
    }))

  it.scoped("without --dry-run: downloads into the Radarr folder, rescans; downloads lists it; a re-run fetches nothing", () =>
    Effect.gen(function*() {
      const home = yield* Home
      const provider = yield* FakeProvider.make({ streams: [{ id: 5, kind: "movie", ext: "mkv", size: 1_500_000 }], username: "u", password: "CanaryPw" })
      const file = `${home.dir}/vod.m3u`
      yield* Effect.promise(() => import("node:fs/promises").then((fs) =>
        fs.writeFile(file, `#EXTM3U\n#EXTINF:-1 group-title="EN| MOVIES",The Matrix (1999) 1080p\n${provider.url(5)}\n`)))
      const r = yield* FakeRadarr.make(
        { movies: [{ ...radarr.movies[0]!, path: "/movies/The Matrix (1999)", rootFolderPath: "/movies" }] },
        { disk: { remote: "/movies", local: `${home.dir}/movies` } }
      )
      const env = {
        STALKEER_RADARR_URL: r.url,
        STALKEER_RADARR_API_KEY: r.apiKey,
        STALKEER_RADARR_PATH_MAPPINGS: `/movies=${home.dir}/movies`,
        STALKEER_PROVIDER_USERNAME: "u",
        STALKEER_PROVIDER_PASSWORD: "CanaryPw"
      }
      const processed = yield* cliWith(env, "process", "--force", file)
      assert.isTrue(Exit.isSuccess(processed.exit), processed.err)
      const run = yield* cliWith(env, "radarr")
      assert.isTrue(Exit.isSuccess(run.exit), run.err)
      assert.include(run.out, "1 wanted movies: 1 to download, 0 skipped; 1 queued, 0 already in the queue")
      assert.include(run.out, "Downloads: 1 completed, 0 failed, 0 to retry later")
      const target = `${home.dir}/movies/The Matrix (1999)/The Matrix (1999).mkv`
      const { readFileSync, readdirSync } = yield* Effect.promise(() => import("node:fs"))
      assert.strictEqual(readFileSync(target).length, 1_500_000)
      assert.deepStrictEqual(readdirSync(`${home.dir}/movies/The Matrix (1999)`), ["The Matrix (1999).mkv"])
      assert.deepStrictEqual((yield* r.commands).map((c) => c.name), ["RescanMovie"])
      const listed = yield* cliWith(env, "downloads", "--json")
      const row = JSON.parse(listed.out)
      assert.deepStrictEqual([row.state, row.importStatus, row.importDetail, row.durableBytes], ["completed", "completed", "Radarr imported the file", 1_500_000])
      // Radarr has the file now: nothing is wanted, nothing queued or fetched again.
      const again = yield* cliWith(env, "radarr")
      assert.include(again.out, "0 queued, 0 already in the queue")
      assert.include(again.out, "Downloads: 0 completed")
      for (const text of [run.out, run.err, listed.out, again.out]) assert.notInclude(text, "CanaryPw")
    }))
})
