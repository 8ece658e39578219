import * as SqlClient from "@effect/sql/SqlClient"
import { assert, describe, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Entries from "../src/Entries.js"
import * as Ingestion from "../src/Ingestion.js"
import * as Providers from "../src/Providers.js"
import * as Runs from "../src/Runs.js"
import { reset, row, StoreLive } from "./utils.js"

const ingest = (rows: ReadonlyArray<Ingestion.Row>) =>
  Effect.gen(function*() {
    const provider = yield* Providers.ensure({ name: "p", baseUrl: "http://panel.test" })
    const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
    return yield* Ingestion.write({ providerId: provider.id, runId, rows: Stream.fromIterable(rows), gracePeriod: 86_400_000 })
  })

const N = 1000

layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("Entries.stream", (it) => {
  describe("reads through a cursor", () => {
    it.effect("the same rows in the same order as list, a few at a time, without a limit by default", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(Array.from({ length: N }, (_, i) =>
          row(i + 1, {
            kind: i % 3 === 0 ? "series" : "movie",
            title: `Title ${(i * 7919) % N}`,
            titleKey: `title ${(i * 7919) % N}`,
            season: i % 3 === 0 ? 1 + (i % 4) : null,
            episode: i % 3 === 0 ? i : null
          })))
        const listed = yield* Entries.list({ limit: N })
        const chunks = yield* Stream.runCollect(Stream.chunks(Entries.stream()))
        const streamed = Chunk.toReadonlyArray(chunks).flatMap(Chunk.toReadonlyArray)
        assert.strictEqual(streamed.length, N)
        assert.deepStrictEqual(streamed, listed)
        // A cursor hands rows over in small batches; a query read whole would arrive as one.
        assert.isAbove(chunks.length, 3)
        assert.isTrue(Chunk.every(chunks, (c) => c.length <= 256))
      }))

    it.effect("filters, limit and offset as list; the connection is free again after an early stop", () =>
      Effect.gen(function*() {
        const query: Entries.Query = { kind: "series", limit: 200, offset: 10 }
        const streamed = Chunk.toReadonlyArray(yield* Stream.runCollect(Entries.stream(query)))
        assert.deepStrictEqual(streamed, yield* Entries.list(query))
        assert.strictEqual(streamed.length, 200)
        const firstFive = yield* Stream.runCollect(Stream.take(Entries.stream(), 5))
        assert.strictEqual(firstFive.length, 5)
        // The embedded database has one connection: this works only if the abandoned cursor released it.
        assert.strictEqual(yield* Entries.count({}), N)
      }))
  })

  describe("stats", () => {
    it.effect("every breakdown of live entries agrees with counting each column on its own", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        // Some vanished entries, unknown values and entries without a group, so every branch counts.
        yield* sql`UPDATE playlist_entries SET vanished_at = now() WHERE id % 10 = 0`
        yield* sql`UPDATE playlist_entries SET group_title = NULL, resolution = NULL WHERE id % 7 = 0`
        yield* sql`UPDATE playlist_entries SET group_title = 'G' || (id % 13), language = CASE WHEN id % 3 = 0 THEN 'fr' END
          WHERE id % 7 <> 0`
        const by = (column: string) =>
          sql<{ readonly value: string | null; readonly n: number }>`SELECT ${sql(column)} AS value, count(*)::integer AS n
            FROM playlist_entries WHERE vanished_at IS NULL GROUP BY 1 ORDER BY 2 DESC, 1`
        const record = (rows: ReadonlyArray<{ readonly value: string | null; readonly n: number }>) =>
          Object.fromEntries(rows.map((r) => [r.value ?? "none", r.n]))
        const stats = yield* Entries.stats({ topGroups: 5 })
        assert.strictEqual(stats.entries, N - N / 10)
        assert.strictEqual(stats.vanished, N / 10)
        assert.deepStrictEqual(stats.kinds, record(yield* by("kind")))
        assert.deepStrictEqual(stats.resolutions, record(yield* by("resolution")))
        assert.deepStrictEqual(stats.languages, record(yield* by("language")))
        const groups = (yield* by("group_title")).filter((g) => g.value !== null).slice(0, 5)
        assert.deepStrictEqual(stats.topGroups, groups.map((g) => [g.value!, g.n] as const))
      }))
  })
})
