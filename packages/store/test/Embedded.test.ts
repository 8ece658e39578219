import * as SqlClient from "@effect/sql/SqlClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as Database from "../src/Database.js"

const tempDir = Effect.acquireRelease(
  Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "stalkeer-embedded-test-"))),
  (dir) => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))
)

const withDb = <A, E>(dataDir: string, use: Effect.Effect<A, E, SqlClient.SqlClient>) =>
  Effect.scoped(Effect.flatMap(Layer.build(Database.layerEmbedded({ dataDir })), (ctx) =>
    Effect.provide(use, ctx)))

describe("Database.layerEmbedded on disk", () => {
  it.live("creates the cluster in a child process, keeps data across re-opens and cleans up", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const dataDir = NodePath.join(root, "pglite")
      const settings = yield* withDb(
        dataDir,
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TABLE kept (id int)`
          yield* sql`INSERT INTO kept VALUES (7)`
          return yield* sql<{ sb: string; wb: string }>`SELECT current_setting('shared_buffers') AS sb,
            current_setting('wal_buffers') AS wb`
        })
      )
      assert.deepStrictEqual(settings, [{ sb: "16MB", wb: "1MB" }])
      // Only the data directory is left: no staging directory, and the lock is released.
      assert.deepStrictEqual(yield* Effect.promise(() => NodeFs.readdir(root)), ["pglite"])
      const files = yield* Effect.promise(() => NodeFs.readdir(dataDir))
      assert.isTrue(files.includes("PG_VERSION"))
      assert.isFalse(files.includes("stalkeer.lock"))

      const rows = yield* withDb(
        dataDir,
        Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ id: number }>`SELECT id FROM kept`)
      )
      assert.deepStrictEqual(rows, [{ id: 7 }])
    }).pipe(Effect.scoped), 60_000)

  it.live("refuses a data directory held by another live process", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const dataDir = NodePath.join(root, "pglite")
      yield* Effect.promise(() => NodeFs.mkdir(dataDir))
      // PID 1 is always alive and never this test.
      yield* Effect.promise(() => NodeFs.writeFile(NodePath.join(dataDir, "stalkeer.lock"), "1"))
      const exit = yield* Effect.exit(withDb(dataDir, Effect.void))
      assert.isTrue(Exit.isFailure(exit))
      assert.isFalse(
        (yield* Effect.promise(() => NodeFs.readdir(dataDir))).includes("PG_VERSION"),
        "no cluster is created without the lock"
      )
    }).pipe(Effect.scoped), 60_000)
})
