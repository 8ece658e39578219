import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Settings } from "@stalkeer/config"
import { Entries, Works } from "@stalkeer/store"
import * as Testing from "@stalkeer/store/testing"
import { Tmdb } from "@stalkeer/tmdb"
import { FakeTmdb } from "@stalkeer/tmdb/testing"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Enrich from "../src/Enrich.js"
import * as Process from "../src/Process.js"

const tr = (iso_639_1: string, iso_3166_1: string, title: string) => ({ iso_639_1, iso_3166_1, title })

const world: FakeTmdb.World = {
  movies: [
    { id: 238, title: "The Godfather", releaseDate: "1972-03-14", popularity: 90, imdbId: "tt0068646",
      translations: [tr("de", "DE", "Der Pate"), tr("fr", "FR", "Le Parrain"), tr("it", "IT", "Il padrino")] },
    { id: 240, title: "The Godfather Part II", releaseDate: "1974-12-20", popularity: 60, imdbId: "tt0071562",
      translations: [tr("de", "DE", "Der Pate 2"), tr("fr", "FR", "Le Parrain, 2e partie")] },
    { id: 8587, title: "The Lion King", releaseDate: "1994-06-24", popularity: 80, imdbId: "tt0110357" },
    { id: 420818, title: "The Lion King", releaseDate: "2019-07-12", popularity: 70, imdbId: "tt6105098" },
    { id: 77338, title: "The Intouchables", originalTitle: "Intouchables", originalLanguage: "fr", releaseDate: "2011-11-02",
      popularity: 40, imdbId: "tt1675434", translations: [tr("de", "DE", "Ziemlich beste Freunde")] },
    { id: 275, title: "Fargo", releaseDate: "1996-03-08", popularity: 30, imdbId: "tt0116282" }
  ],
  tv: [
    { id: 2316, name: "The Office", firstAirDate: "2005-03-24", originCountry: ["US"], popularity: 200, imdbId: "tt0386676", tvdbId: 73244 },
    { id: 2996, name: "The Office", firstAirDate: "2001-07-09", originCountry: ["GB"], popularity: 40, imdbId: "tt0290978", tvdbId: 78107 },
    { id: 60622, name: "Fargo", firstAirDate: "2014-04-15", originCountry: ["US"], popularity: 50, imdbId: "tt2802850", tvdbId: 269613 }
  ]
}

let n = 0
const movie = (group: string, name: string) => `#EXTINF:-1 group-title="${group}",${name}\nhttp://panel.test/movie/u/p/${++n}.mkv\n`
const episode = (group: string, name: string) => `#EXTINF:-1 group-title="${group}",${name}\nhttp://panel.test/series/u/p/${++n}.mkv\n`

const PLAYLIST = "#EXTM3U\n" + [
  movie("EN| MOVIES", "The Godfather (1972)"),
  movie("DE| FILME", "DE - Der Pate (1972)"),
  movie("FR| FILMS", "FR - Le Parrain (1972)"),
  movie("DE| FILME", "DE - Der Pate 2 (1974)"),
  movie("EN| MOVIES", "The Lion King (1994)"),
  movie("EN| MOVIES", "The Lion King"),
  movie("DE| FILME", "DE - Ziemlich beste Freunde (2011)"),
  movie("EN| MOVIES", "Fargo (1996)"),
  movie("EN| MOVIES", "Nowhere Film That Does Not Exist (2020)"),
  episode("EN| SERIES", "The Office (US) S01E01"),
  episode("EN| SERIES", "The Office (US) S01E02"),
  episode("EN| SERIES", "The Office S02E01"),
  episode("EN| SERIES", "Fargo (2014) S01E01")
].join("")

const StoreLive = Testing.layerConfig()
const settings = Settings.load({ env: { HOME: "/nonexistent-home" } })

/** The playlist, ingested. */
const ingested = Effect.gen(function*() {
  yield* Testing.reset
  const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))
  yield* Process.run({
    settings: yield* settings,
    source: { label: "test", size: undefined, stream: Stream.make(new TextEncoder().encode(PLAYLIST)) },
    database
  })
})

const options: Enrich.Options = { language: "en-US", cacheTtlDays: 30, concurrency: 2 }

/** The TMDB client of the fake, unthrottled. */
const tmdbOf = (server: FakeTmdb.Server, extra: Omit<Tmdb.Options, "baseUrl" | "auth"> = {}) =>
  Tmdb.layer(FakeTmdb.clientOptions(server, { requestsPerSecond: Infinity, retry: { times: 1, base: "10 millis" }, ...extra }))

const byTitle = Effect.gen(function*() {
  const items = yield* Entries.list({ limit: 100 })
  const out: Record<string, number | null> = {}
  for (const i of items) out[i.name] = i.tmdbId
  return out
})

layer(Layer.mergeAll(StoreLive, NodeContext.layer, NodeHttpClient.layerUndici), { timeout: "120 seconds", excludeTestServices: true })("Enrich", (it) => {
  it.scoped("identifies each work once, joins languages, refuses doubts; a re-run asks TMDB nothing", () =>
    Effect.gen(function*() {
      yield* ingested
      const server = yield* FakeTmdb.make(world)
      const first = yield* Enrich.run(options).pipe(Effect.provide(tmdbOf(server)))
      const tmdb = yield* byTitle
      assert.strictEqual(tmdb["The Godfather (1972)"], 238)
      assert.strictEqual(tmdb["DE - Der Pate (1972)"], 238)
      assert.strictEqual(tmdb["FR - Le Parrain (1972)"], 238)
      assert.strictEqual(tmdb["DE - Der Pate 2 (1974)"], 240)
      assert.strictEqual(tmdb["The Lion King (1994)"], 8587)
      assert.strictEqual(tmdb["The Lion King"], null)
      assert.strictEqual(tmdb["DE - Ziemlich beste Freunde (2011)"], 77338)
      assert.strictEqual(tmdb["Fargo (1996)"], 275)
      assert.strictEqual(tmdb["Fargo (2014) S01E01"], 60622)
      assert.strictEqual(tmdb["The Office (US) S01E01"], 2316)
      assert.strictEqual(tmdb["The Office S02E01"], null)
      // One media row for the three names of The Godfather.
      const godfather = yield* Entries.list({ tmdbId: 238 })
      assert.strictEqual(new Set(godfather.map((e) => e.mediaId)).size, 1)
      assert.strictEqual(godfather[0]!.imdbId, "tt0068646")
      assert.strictEqual((yield* Entries.list({ tmdbId: 2316 }))[0]!.tvdbId, 73244)
      assert.strictEqual(first.works, 12)
      assert.strictEqual(first.identified, 9)
      assert.strictEqual(first.ambiguous, 2)
      assert.strictEqual(first.notFound + first.lowConfidence, 1)
      assert.strictEqual(first.errors, 0)
      assert.isAtMost(first.requests / first.works, 3.5)
      const requests = yield* server.requestCount
      const again = yield* Enrich.run({ ...options, retryUnidentified: true }).pipe(Effect.provide(tmdbOf(server)))
      assert.strictEqual(again.works, 3)
      assert.strictEqual(again.requests, 0)
      assert.strictEqual(yield* server.requestCount, requests)
      assert.isAbove(again.cacheHits, 0)
      assert.strictEqual((yield* Enrich.run(options).pipe(Effect.provide(tmdbOf(server)))).works, 0)
    }))

  it.scoped("an interrupted run resumes where it stopped: nothing is looked up twice", () =>
    Effect.gen(function*() {
      yield* ingested
      const server = yield* FakeTmdb.make(world)
      // Slow enough to interrupt midway.
      const slow = tmdbOf(server, { requestsPerSecond: 20 })
      const fiber = yield* Effect.fork(Enrich.run({ ...options, concurrency: 1 }).pipe(Effect.provide(slow)))
      yield* Effect.sleep("400 millis")
      yield* Fiber.interrupt(fiber)
      const done = (yield* Works.counts).filter((c) => c.status !== "pending").reduce((a, c) => a + c.n, 0)
      assert.isAbove(done, 0)
      assert.isBelow(done, 12)
      const rest = yield* Enrich.run(options).pipe(Effect.provide(tmdbOf(server)))
      assert.strictEqual(rest.works, 12 - done)
      const asked = (yield* server.requests).map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`)
      // An interrupted lookup may have been asked once before its answer was cached; no answer is asked for twice
      // once it was recorded.
      assert.isAtMost(asked.length - new Set(asked).size, 1)
    }))

  it.scoped("refused credentials stop the run with one line; a failing TMDB leaves works for the next run", () =>
    Effect.gen(function*() {
      yield* ingested
      const server = yield* FakeTmdb.make(world)
      const bad = yield* Enrich.run(options).pipe(
        Effect.provide(Tmdb.layer({ baseUrl: server.baseUrl, auth: { apiKey: Redacted.make("wrong-key") } })),
        Effect.flip
      )
      assert.strictEqual(bad._tag, "TmdbError")
      assert.isTrue(bad._tag === "TmdbError" && bad.reason === "Unauthorized")
      assert.notInclude(bad.message, "wrong-key")
      assert.strictEqual((yield* Works.counts).filter((c) => c.status !== "pending").length, 0)
      yield* server.failNext(FakeTmdb.status(503), { times: 1000, path: "/3/search/tv" })
      // Every series lookup fails even after its retries: after three works in a row the run stops with the error.
      const down = yield* Enrich.run(options).pipe(Effect.provide(tmdbOf(server)), Effect.flip)
      assert.isTrue(down._tag === "TmdbError" && down.reason === "Server")
      assert.strictEqual((yield* Works.counts).filter((c) => c.kind === "movie" && c.status === "pending").length, 0)
      yield* server.reset
      const rest = yield* Enrich.run(options).pipe(Effect.provide(tmdbOf(server)))
      assert.strictEqual(rest.works, 3)
      assert.strictEqual(rest.errors, 0)
    }))

  it.scoped("a work whose lookups fail after their retries is counted and left for the next run", () =>
    Effect.gen(function*() {
      yield* ingested
      const server = yield* FakeTmdb.make(world)
      // Two attempts of one search: the first series work fails, the others go on.
      yield* server.failNext(FakeTmdb.status(503), { times: 2, path: "/3/search/tv" })
      const first = yield* Enrich.run({ ...options, concurrency: 1 }).pipe(Effect.provide(tmdbOf(server)))
      assert.strictEqual(first.errors, 1)
      assert.include(first.errorSamples[0], "HTTP 503")
      const rest = yield* Enrich.run(options).pipe(Effect.provide(tmdbOf(server)))
      assert.strictEqual(rest.works, 1)
      assert.strictEqual(rest.errors, 0)
    }))

  it.scoped("a manual match wins over search and survives re-ingest and re-enrich", () =>
    Effect.gen(function*() {
      yield* ingested
      const server = yield* FakeTmdb.make(world)
      const plainLionKing = (yield* Entries.list({ search: "Lion King", limit: 10 })).find((e) => e.year === null)!
      yield* Works.setOverride({ entryKey: plainLionKing.key }, 420818)
      yield* Enrich.run(options).pipe(Effect.provide(tmdbOf(server)))
      const lion = (yield* Entries.list({ tmdbId: 420818 }))
      assert.strictEqual(lion.length, 1)
      assert.strictEqual(lion[0]!.matchMethod, "override")
      yield* Process.run({
        settings: yield* settings,
        source: { label: "again", size: undefined, stream: Stream.make(new TextEncoder().encode(PLAYLIST)) },
        database: Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))
      })
      yield* Enrich.run({ ...options, retryUnidentified: true }).pipe(Effect.provide(tmdbOf(server)))
      assert.strictEqual((yield* Entries.list({ tmdbId: 420818 }))[0]!.matchMethod, "override")
    }))
})
