import { assert, layer } from "@effect/vitest"
import { FakeTmdb } from "@stalkeer/tmdb/testing"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as ExitCode from "../src/ExitCode.js"
import { cli, cliWith, TestLive } from "./CliHome.js"

const world: FakeTmdb.World = {
  movies: [
    { id: 603, title: "The Matrix", releaseDate: "1999-03-31", popularity: 80, imdbId: "tt0133093",
      translations: [{ iso_639_1: "fr", iso_3166_1: "FR", title: "Matrix" }] },
    { id: 949, title: "Heat", releaseDate: "1995-12-15", popularity: 40, imdbId: "tt0113277" }
  ],
  tv: [{ id: 1396, name: "Breaking Bad", firstAirDate: "2008-01-20", originCountry: ["US"], popularity: 300, imdbId: "tt0903747", tvdbId: 81189 }]
}

const PLAYLIST = `#EXTM3U
#EXTINF:-1 group-title="EN| MOVIES",The Matrix (1999) 1080p
http://panel.test/movie/u/CanaryPw/1.mkv
#EXTINF:-1 group-title="FR| FILMS",FR - Matrix (1999)
http://panel.test/movie/u/CanaryPw/2.mkv
#EXTINF:-1 group-title="EN| MOVIES",Heat (1995)
http://panel.test/movie/u/CanaryPw/3.mkv
#EXTINF:-1 group-title="EN| SERIES",Breaking Bad S01E01
http://panel.test/series/u/CanaryPw/4.mkv
#EXTINF:-1 group-title="EN| MOVIES",Unknown Thing Nobody Made (2031)
http://panel.test/movie/u/CanaryPw/5.mkv
`

/** The playlist (and `extra` lines) in a file of the home. */
const withPlaylist = (extra = "") => Effect.gen(function*() {
  const { Home } = yield* Effect.promise(() => import("./CliHome.js"))
  const home = yield* Home
  const file = `${home.dir}/list.m3u`
  yield* Effect.promise(() => import("node:fs/promises").then((fs) => fs.writeFile(file, PLAYLIST + extra)))
  return file
})

layer(TestLive, { timeout: "90 seconds", excludeTestServices: true })("stalkeer enrich and match", (it) => {
  it.scoped("process --enrich identifies; items shows it; a re-run asks nothing; match set/list/clear", () =>
    Effect.gen(function*() {
      const server = yield* FakeTmdb.make(world)
      const env = { STALKEER_TMDB_BASE_URL: server.baseUrl, STALKEER_TMDB_API_KEY: server.apiKey }
      const file = yield* withPlaylist()
      const processed = yield* cliWith(env, "process", "--enrich", file)
      assert.isTrue(Exit.isSuccess(processed.exit), processed.err)
      // The Matrix's English and French names are two works, identified as one TMDB work.
      assert.include(processed.out, "Identified 5 works")
      assert.include(processed.out, "4 identified")
      assert.include(processed.out, "1 not found")
      const items = yield* cliWith(env, "items", "--json", "--kind", "movie")
      const rows = items.out.split("\n").map((l) => JSON.parse(l))
      const matrix = rows.filter((r) => r.tmdbId === 603)
      assert.strictEqual(matrix.length, 2)
      assert.strictEqual(new Set(matrix.map((r) => r.mediaId)).size, 1)
      assert.strictEqual(matrix[0].imdbId, "tt0133093")
      assert.strictEqual(matrix[0].matchMethod, "search")
      const table = yield* cliWith(env, "items", "--unidentified")
      assert.include(table.out, "Unknown Thing Nobody Made")
      assert.include(table.out, "not found")
      assert.notInclude(table.out, "Heat")
      const byTmdb = yield* cliWith(env, "items", "--tmdb", "949")
      assert.include(byTmdb.out, "tmdb:949")
      const before = yield* server.requestCount
      const again = yield* cliWith(env, "enrich", "--retry-unidentified", "--json")
      const summary = JSON.parse(again.out)
      assert.strictEqual(summary.works, 1)
      assert.strictEqual(summary.requests, 0)
      assert.strictEqual(yield* server.requestCount, before)
      // A manual match, applied at once, shown, kept, cleared.
      const heat = rows.find((r) => r.tmdbId === 949)
      const set = yield* cliWith(env, "match", "set", String(heat.mediaId), "--tmdb", "603", "--kind", "movie")
      assert.isTrue(Exit.isSuccess(set.exit), set.err)
      assert.include(set.out, "matched to TMDB 603.")
      const heatNow = (yield* cliWith(env, "items", "--search", "Heat")).out
      assert.include(heatNow, "tmdb:603 (manual)", heatNow)
      assert.include((yield* cliWith(env, "match", "list")).out, "yes")
      const wrongKind = yield* cliWith(env, "match", "set", String(heat.mediaId), "--tmdb", "603", "--kind", "series")
      assert.strictEqual(ExitCode.fromExit(wrongKind.exit), 1)
      assert.include(wrongKind.err, "that is a movie, not a series")
      assert.include((yield* cliWith(env, "match", "clear", String(heat.mediaId))).out, "Manual match removed")
      assert.include((yield* cliWith(env, "match", "list")).out, "No manual matches.")
      for (const text of [processed.out, processed.err, items.out, again.out]) assert.notInclude(text, server.apiKey)
    }))

  it.scoped("without credentials, or with a refused key, one line says what to fix", () =>
    Effect.gen(function*() {
      const server = yield* FakeTmdb.make(world)
      // A work nothing has asked TMDB about yet (the first test's answers are cached).
      const file = yield* withPlaylist("#EXTINF:-1,Brand New Film (2030)\nhttp://panel.test/movie/u/CanaryPw/9.mkv\n")
      yield* cli("process", file)
      const none = yield* cliWith({ STALKEER_TMDB_BASE_URL: server.baseUrl }, "enrich")
      assert.strictEqual(ExitCode.fromExit(none.exit), 1)
      assert.include(none.err, "no TMDB credentials: set tmdb.api_key (or tmdb.access_token) in the config file, or STALKEER_TMDB_API_KEY")
      const wrong = yield* cliWith({ STALKEER_TMDB_BASE_URL: server.baseUrl, STALKEER_TMDB_API_KEY: "0123456789abcdef0123456789abcdef" }, "enrich", "--retry-unidentified")
      assert.strictEqual(ExitCode.fromExit(wrong.exit), 1)
      assert.include(wrong.err, "TMDB")
      assert.notInclude(wrong.err, "0123456789abcdef0123456789abcdef")
      // TMDB unreachable: a few works fail after their retries, then the run stops with one line.
      const down = yield* cliWith({ STALKEER_TMDB_BASE_URL: "http://127.0.0.1:9/3", STALKEER_TMDB_API_KEY: "k" }, "enrich", "--retry-unidentified")
      assert.strictEqual(ExitCode.fromExit(down.exit), 1)
      assert.include(down.out, "ECONNREFUSED")
      assert.include(down.err, "1 work could not be looked up")
    }))
})
