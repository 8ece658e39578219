import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Entries from "../src/Entries.js"
import * as Ingestion from "../src/Ingestion.js"
import * as Providers from "../src/Providers.js"
import * as Runs from "../src/Runs.js"
import * as TmdbCache from "../src/TmdbCache.js"
import * as Works from "../src/Works.js"
import { reset, row, StoreLive } from "./utils.js"

const ingest = (rows: ReadonlyArray<Ingestion.Row>) =>
  Effect.gen(function*() {
    const provider = yield* Providers.ensure({ name: "p", baseUrl: "http://panel.test" })
    const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
    return yield* Ingestion.write({ providerId: provider.id, runId, rows: Stream.fromIterable(rows), gracePeriod: 86_400_000 })
  })

const film = (id: number, title: string, year: number | null, language = "en") =>
  row(id, { title, titleKey: title.toLowerCase(), year, name: `${title} (${year})`, language })

const identified = (tmdbId: number, title: string): Works.Identification => ({
  status: "identified",
  method: "search",
  confidence: 0.95,
  reason: null,
  candidates: [{ tmdbId, title }],
  tmdbId,
  imdbId: `tt${tmdbId}`,
  tvdbId: null,
  canonicalTitle: title,
  originalTitle: title,
  originalLanguage: "en",
  releaseYear: 1972
})

const godfather = [film(1, "The Godfather", 1972), film(2, "Der Pate", 1972, "de"), film(3, "Le Parrain", 1972, "fr"), film(4, "Heat", 1995)]

layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("Works", (it) => {
  it.effect("pending lists each live work once, with its entries' language, until it is identified", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest([...godfather, film(5, "Der Pate", 1972, "de")])
      const pending = yield* Works.pending({ ttlDays: 30 })
      assert.deepStrictEqual(pending.map((w) => [w.title, w.year, w.language]), [
        ["The Godfather", 1972, "en"], ["Der Pate", 1972, "de"], ["Le Parrain", 1972, "fr"], ["Heat", 1995, "en"]
      ])
      yield* Works.record(pending[3]!.id, { ...identified(949, "Heat"), releaseYear: 1995 })
      assert.strictEqual((yield* Works.pending({ ttlDays: 30 })).length, 3)
      assert.strictEqual((yield* Works.pending({ ttlDays: 30, limit: 1 })).length, 1)
      assert.strictEqual((yield* Works.pending({ ttlDays: 30, kind: "series" })).length, 0)
    }))

  it.effect("works identified as one TMDB work share one canonical row; their entries link to it, new ones too", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest(godfather)
      const [en, de, fr] = yield* Works.pending({ ttlDays: 30 })
      yield* Works.record(de!.id, identified(238, "The Godfather"))
      yield* Works.record(en!.id, identified(238, "The Godfather"))
      yield* Works.record(fr!.id, identified(238, "The Godfather"))
      const items = yield* Entries.list({ tmdbId: 238 })
      assert.strictEqual(items.length, 3)
      assert.deepStrictEqual([...new Set(items.map((i) => i.mediaId))], [en!.id])
      assert.strictEqual(items[0]!.imdbId, "tt238")
      // A new entry of a merged work (another German name of it) links to the canonical row at once.
      yield* ingest([...godfather, film(6, "Der Pate", 1972, "de")])
      assert.strictEqual((yield* Entries.list({ tmdbId: 238 })).length, 4)
      // Re-identified as something else, a work leaves the group with its entries.
      yield* Works.record(fr!.id, identified(999, "Another"))
      assert.strictEqual((yield* Entries.list({ tmdbId: 238 })).length, 3)
      assert.strictEqual((yield* Entries.list({ tmdbId: 999 })).length, 1)
      assert.strictEqual((yield* Entries.list({ unidentified: true })).length, 1)
    }))

  it.effect("works recorded concurrently as one TMDB work still end on one canonical row", () =>
    Effect.gen(function*() {
      yield* reset
      // Many names of one work, recorded at once: on PostgreSQL each recorder runs in its own connection.
      yield* ingest(Array.from({ length: 24 }, (_, i) => film(i + 1, `The Godfather ${"x".repeat(i)}`, 1972)))
      const works = yield* Works.pending({ ttlDays: 30 })
      yield* Effect.all(works.map((w) => Works.record(w.id, identified(238, "The Godfather"))), { concurrency: 8 })
      const items = yield* Entries.list({ tmdbId: 238 })
      assert.strictEqual(items.length, 24)
      assert.strictEqual(new Set(items.map((i) => i.mediaId)).size, 1)
    }))

  it.effect("recordMany records a batch in one transaction and joins its TMDB works, like record", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest(godfather)
      const [en, de, fr, heat] = yield* Works.pending({ ttlDays: 30 })
      yield* Works.record(fr!.id, identified(238, "The Godfather"))
      yield* Works.recordMany([
        { id: de!.id, identification: identified(238, "The Godfather") },
        { id: en!.id, identification: identified(238, "The Godfather") },
        { id: heat!.id, identification: { ...identified(949, "Heat"), status: "ambiguous", tmdbId: null } }
      ])
      const items = yield* Entries.list({ tmdbId: 238 })
      assert.strictEqual(items.length, 3)
      assert.deepStrictEqual([...new Set(items.map((i) => i.mediaId))], [en!.id])
      assert.strictEqual((yield* Works.pending({ ttlDays: 30 })).length, 0)
      yield* TmdbCache.putMany([
        { request: "a", status: 200, body: { x: 1 }, ttlDays: 1 },
        { request: "a", status: 404, body: null, ttlDays: 1 },
        { request: "b", status: 200, body: [1, 2], ttlDays: 1 }
      ])
      assert.deepStrictEqual(yield* TmdbCache.get("a"), Option.some({ status: 404, body: null }))
      assert.deepStrictEqual(yield* TmdbCache.get("b"), Option.some({ status: 200, body: [1, 2] }))
    }))

  it.effect("a manual match wins: pending until applied, listed, cleared back to search", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest(godfather)
      const [en] = yield* Works.pending({ ttlDays: 30 })
      yield* Works.record(en!.id, identified(1, "Wrong"))
      const work = yield* Works.setOverride({ entryKey: "xtream:movie:1" }, 238)
      assert.strictEqual(work.id, en!.id)
      assert.deepStrictEqual((yield* Works.pending({ ttlDays: 30 })).filter((w) => w.id === en!.id).map((w) => w.overrideTmdbId), [238])
      assert.deepStrictEqual((yield* Works.overrides).map((o) => [o.tmdbId, o.applied]), [[238, false]])
      yield* Works.record(en!.id, { ...identified(238, "The Godfather"), method: "override", confidence: 1 })
      assert.isFalse((yield* Works.pending({ ttlDays: 30 })).some((w) => w.id === en!.id))
      assert.deepStrictEqual((yield* Works.overrides).map((o) => [o.tmdbId, o.applied]), [[238, true]])
      // Re-ingest keeps it.
      yield* ingest(godfather)
      assert.strictEqual((yield* Works.overrides).length, 1)
      assert.isTrue(yield* Works.clearOverride({ mediaId: en!.id }))
      assert.isFalse(yield* Works.clearOverride({ mediaId: en!.id }))
      assert.isTrue((yield* Works.pending({ ttlDays: 30 })).some((w) => w.id === en!.id))
      const missing = yield* Works.setOverride({ entryKey: "nope" }, 1).pipe(Effect.flip)
      assert.strictEqual(missing.reason, "NotFound")
    }))

  it.effect("list and count live works by kind and status, paged in id order; review reads one", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest([
        ...godfather,
        row(5, {
          key: "xtream:series:5",
          streamType: "series",
          kind: "series",
          title: "Dark",
          titleKey: "dark",
          year: null,
          name: "Dark S01E01",
          season: 1,
          episode: 1
        })
      ])
      const [en, de, fr, heat] = yield* Works.pending({ ttlDays: 30 })
      yield* Works.recordMany([
        { id: en!.id, identification: identified(238, "The Godfather") },
        { id: de!.id, identification: identified(238, "The Godfather") },
        { id: heat!.id, identification: { ...identified(949, "Heat"), status: "ambiguous", tmdbId: null, reason: "ambiguous: 2 candidates within margin" } }
      ])
      const all = yield* Works.list()
      assert.deepStrictEqual(all.map((w) => [w.title, w.kind, w.status]), [
        ["The Godfather", "movie", "identified"], ["Der Pate", "movie", "identified"], ["Le Parrain", "movie", "pending"],
        ["Heat", "movie", "ambiguous"], ["Dark", "series", "pending"]
      ])
      assert.strictEqual(yield* Works.count(), 5)
      const page = yield* Works.list({ kind: "movie", limit: 2, offset: 2 })
      assert.deepStrictEqual(page.map((w) => w.id), [fr!.id, heat!.id])
      assert.strictEqual(yield* Works.count({ kind: "movie", limit: 2, offset: 2 }), 4)
      assert.deepStrictEqual((yield* Works.list({ status: "pending" })).map((w) => w.title), ["Le Parrain", "Dark"])
      assert.strictEqual(yield* Works.count({ status: "pending", kind: "series" }), 1)
      assert.strictEqual(yield* Works.count({ status: "not-found" }), 0)

      const merged = yield* Works.review(de!.id)
      assert.strictEqual(merged.tmdbId, 238)
      assert.strictEqual(merged.imdbId, "tt238")
      assert.strictEqual(merged.method, "search")
      assert.closeTo(merged.confidence!, 0.95, 1e-6)
      assert.deepStrictEqual(merged.candidates, [{ tmdbId: 238, title: "The Godfather" }])
      assert.strictEqual(merged.mergedInto, en!.id)
      assert.isNull((yield* Works.review(en!.id)).mergedInto)
      assert.instanceOf(merged.identifiedAt, Date)
      assert.isNull(merged.overrideTmdbId)
      assert.isFalse(merged.overrideApplied)
      const pending = yield* Works.review(fr!.id)
      assert.deepStrictEqual([pending.status, pending.method, pending.candidates, pending.identifiedAt], ["pending", null, [], null])
      assert.strictEqual((yield* Works.review(heat!.id)).reason, "ambiguous: 2 candidates within margin")

      // A manual match shows before and after it is applied.
      yield* Works.setOverride({ mediaId: fr!.id }, 238)
      assert.deepStrictEqual(yield* Effect.map(Works.review(fr!.id), (w) => [w.overrideTmdbId, w.overrideApplied]), [238, false])
      yield* Works.record(fr!.id, { ...identified(238, "The Godfather"), method: "override", confidence: 1 })
      assert.deepStrictEqual(yield* Effect.map(Works.review(fr!.id), (w) => [w.overrideTmdbId, w.overrideApplied]), [238, true])

      // Works without a live entry are not listed, but can still be read.
      yield* ingest([film(1, "The Godfather", 1972)])
      assert.deepStrictEqual((yield* Works.list()).map((w) => w.title), ["The Godfather"])
      assert.strictEqual((yield* Works.review(heat!.id)).title, "Heat")
      const missing = yield* Effect.flip(Works.review(999999))
      assert.strictEqual(missing.reason, "NotFound")
    }))

  it.effect("TmdbCache keeps an answer until it expires", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      yield* TmdbCache.put("movie/1?language=en-US", { status: 200, body: { id: 1, title: "x" } }, 30)
      yield* TmdbCache.put("movie/2?language=en-US", { status: 404, body: null }, 7)
      assert.deepStrictEqual(yield* TmdbCache.get("movie/1?language=en-US"), Option.some({ status: 200, body: { id: 1, title: "x" } }))
      assert.deepStrictEqual(yield* TmdbCache.get("movie/2?language=en-US"), Option.some({ status: 404, body: null }))
      yield* sql`UPDATE tmdb_cache SET expires_at = now() - interval '1 second'`
      assert.isTrue(Option.isNone(yield* TmdbCache.get("movie/1?language=en-US")))
    }))
})
