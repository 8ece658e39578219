import * as SqlClient from "@effect/sql/SqlClient"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as BulkCopy from "../src/BulkCopy.js"
import { StoreLive } from "./utils.js"

const bytes = (text: string) => new TextEncoder().encode(text)

// On both backends (DATABASE_URL or the embedded database): the transport the layer provides.
layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("BulkCopy", (it) => {
  describe("copyFrom", () => {
    it.effect("copies rows inside the transaction; a rollback takes them back", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const copy = yield* BulkCopy.BulkCopy
        yield* sql`CREATE TABLE IF NOT EXISTS bulk_copy_test (n integer, t text)`
        yield* sql`TRUNCATE bulk_copy_test`
        yield* sql.withTransaction(copy.copyFrom("COPY bulk_copy_test (n, t) FROM STDIN", bytes("1\ta\n2\t\\N\n3\tc\\td\n")))
        const rows = yield* sql<{ n: number; t: string | null }>`SELECT n, t FROM bulk_copy_test ORDER BY n`
        assert.deepStrictEqual(rows.map((r) => [r.n, r.t]), [[1, "a"], [2, null], [3, "c\td"]])
        const rolledBack = yield* Effect.exit(sql.withTransaction(Effect.zipRight(
          copy.copyFrom("COPY bulk_copy_test (n, t) FROM STDIN", bytes("4\te\n")),
          Effect.fail("stop")
        )))
        assert.isTrue(Exit.isFailure(rolledBack))
        const [count] = yield* sql<{ n: number }>`SELECT count(*)::integer AS n FROM bulk_copy_test`
        assert.strictEqual(count!.n, 3)
      }))

    it.effect("bad input fails the copy with the server's message, and the connection stays usable", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const copy = yield* BulkCopy.BulkCopy
        yield* sql`CREATE TABLE IF NOT EXISTS bulk_copy_test (n integer, t text)`
        const error = yield* sql.withTransaction(
          copy.copyFrom("COPY bulk_copy_test (n, t) FROM STDIN", bytes("1\ta\nnot a number\tb\n"))
        ).pipe(Effect.flip)
        assert.strictEqual(error._tag, "SqlError")
        assert.match(String((error.cause as { message?: string }).message), /invalid input syntax for type integer/)
        // A statement the server refuses before any row (no such table): the rows sent with it are dropped.
        const missing = yield* sql.withTransaction(
          copy.copyFrom("COPY no_such_table (n) FROM STDIN", bytes("1\n2\n"))
        ).pipe(Effect.flip)
        assert.match(String((missing.cause as { message?: string }).message), /no_such_table/)
        const [one] = yield* sql<{ one: number }>`SELECT 1 AS one`
        assert.strictEqual(one!.one, 1)
      }))
  })
})
