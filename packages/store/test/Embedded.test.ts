import * as SqlClient from "@effect/sql/SqlClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as NodeFs from "node:fs/promises"
import * as NodeModule from "node:module"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as NodeUrl from "node:url"
import * as Database from "../src/Database.js"
import * as Template from "../src/internal/template.js"
import * as Migrations from "../src/Migrations.js"
import * as Testing from "../src/Testing.js"

const tempDir = Effect.acquireRelease(
  Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "stalkeer-embedded-test-"))),
  (dir) => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))
)

const withDb = <A, E>(
  dataDir: string | undefined,
  use: Effect.Effect<A, E, SqlClient.SqlClient>,
  template: string | false = false
) =>
  Effect.scoped(Effect.flatMap(
    Layer.build(Migrations.layer.pipe(Layer.provideMerge(Database.layerEmbedded({ dataDir, template })))),
    (ctx) => Effect.provide(use, ctx)
  ))

const pgliteVersion = Template.pgliteVersion(
  NodeModule.createRequire(import.meta.url).resolve("@electric-sql/pglite")
)

/** Whether the database has the marker table that only the test template holds. */
const hasMarker = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ found: boolean }>`SELECT to_regclass('template_marker') IS NOT NULL AS found`).pipe(
    Effect.map((rows) => rows[0]!.found)
  )

/**
 * A template made the way the build makes one, from a cluster created by initdb (plus a marker table, so that a
 * test can tell a cluster unpacked from it from one made by initdb).
 */
const makeTemplate = (root: string, meta: Template.TemplateMeta) =>
  Effect.gen(function*() {
    const source = NodePath.join(root, "source")
    if (!(yield* Effect.promise(() => NodeFs.access(source).then(() => true, () => false)))) {
      const layer = Database.layerEmbedded({ dataDir: source, template: false })
      const mark = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE TABLE template_marker (id int)`)
      yield* Effect.scoped(Effect.flatMap(Layer.build(layer), (ctx) => Effect.provide(mark, ctx)))
    }
    const template = NodePath.join(root, `template-${meta.pglite}.tar.gz`)
    yield* Effect.promise(() => Template.pack(source, template, meta))
    return { template }
  })

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

  it.live("creates a data directory from a template, migrates it and keeps data across re-opens", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const { template } = yield* makeTemplate(root, Template.expectedMeta(pgliteVersion))
      const dataDir = NodePath.join(root, "from-template")
      const first = yield* withDb(
        dataDir,
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const [migrated] = yield* sql<{ ok: boolean }>`SELECT to_regclass('ingest_runs') IS NOT NULL AS ok`
          assert.isTrue(migrated!.ok, "the migrations ran")
          yield* sql`CREATE TABLE kept2 (id int)`
          yield* sql`INSERT INTO kept2 VALUES (42)`
          return yield* hasMarker
        }),
        template
      )
      assert.isTrue(first, "the cluster came from the template")
      const files = yield* Effect.promise(() => NodeFs.readdir(dataDir))
      assert.isTrue(files.includes("PG_VERSION"))
      assert.isFalse(files.includes(Template.TEMPLATE_META), "the description is not unpacked")
      assert.isFalse(files.includes("stalkeer.lock"))
      assert.deepStrictEqual(
        (yield* Effect.promise(() => NodeFs.readdir(root))).filter((name) => name.startsWith(".")),
        [],
        "no staging directory is left"
      )
      // Re-opened without a template: an existing directory is never re-created.
      const rows = yield* withDb(
        dataDir,
        Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ id: number }>`SELECT id FROM kept2`)
      )
      assert.deepStrictEqual(rows, [{ id: 42 }])
    }).pipe(Effect.scoped), 120_000)

  it.live("opens a data directory whose postmaster.pid a process killed while starting left empty", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const { template } = yield* makeTemplate(root, Template.expectedMeta(pgliteVersion))
      const dataDir = NodePath.join(root, "killed-at-start")
      yield* withDb(dataDir, Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE TABLE kept3 (id int)`), template)
      // What a SIGKILL between PostgreSQL creating its lock file and writing it leaves behind.
      yield* Effect.promise(() => NodeFs.writeFile(NodePath.join(dataDir, "postmaster.pid"), ""))
      const rows = yield* withDb(dataDir, Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ n: number }>`SELECT count(*)::int AS n FROM kept3`))
      assert.deepStrictEqual(rows, [{ n: 0 }])
    }).pipe(Effect.scoped), 120_000)

  it.live("falls back to initdb when the template is for another PGlite version or is damaged", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const { template: mismatched } = yield* makeTemplate(root, {
        ...Template.expectedMeta(pgliteVersion),
        pglite: "0.0.1"
      })
      const damaged = NodePath.join(root, "damaged.tar.gz")
      yield* Effect.promise(() =>
        Template.pack(NodePath.join(root, "source"), damaged, Template.expectedMeta(pgliteVersion))
      )
      const good = yield* Effect.promise(() => NodeFs.readFile(damaged))
      // Cut in the middle: the metadata passes, then gunzip or the tar reader fails part-way through the files.
      yield* Effect.promise(() => NodeFs.writeFile(damaged, good.subarray(0, Math.floor(good.length / 2))))
      for (const [name, template] of [["mismatched", mismatched], ["damaged", damaged]] as const) {
        const dataDir = NodePath.join(root, name)
        const marker = yield* withDb(dataDir, hasMarker, template)
        assert.isFalse(marker, `${name}: initdb made the cluster, not the template`)
        assert.isTrue((yield* Effect.promise(() => NodeFs.readdir(dataDir))).includes("PG_VERSION"))
      }
      assert.deepStrictEqual(
        (yield* Effect.promise(() => NodeFs.readdir(root))).filter((name) => name.startsWith(".")),
        [],
        "no staging directory is left"
      )
    }).pipe(Effect.scoped), 120_000)

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

/** The cluster's identity: initdb draws a new one for every cluster, a copy of a template keeps the template's. */
const systemIdentifier = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ id: string }>`SELECT system_identifier::text AS id FROM pg_control_system()`).pipe(
    Effect.map((rows) => rows[0]!.id)
  )

const migrated = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ ok: boolean }>`SELECT to_regclass('ingest_runs') IS NOT NULL AS ok`).pipe(Effect.map((rows) => rows[0]!.ok))

/**
 * The template the build ships, which the in-memory database of `Testing.layer` starts from. Without a build (or while
 * one runs: tsup empties `dist`) there is none, and the test databases come from initdb.
 */
const shippedTemplate = NodeUrl.fileURLToPath(new URL(`../dist/${Template.TEMPLATE_FILE}`, import.meta.url))
const built = await NodeFs.access(shippedTemplate).then(() => true, () => false)

describe("Database.layerEmbedded in memory", () => {
  it.live("starts from a template (no initdb), migrates it, and falls back to initdb for another build's", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const { template } = yield* makeTemplate(root, Template.expectedMeta(pgliteVersion))
      const fromTemplate = yield* withDb(
        undefined,
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TABLE written (id int)`
          yield* sql`INSERT INTO written SELECT generate_series(1, 10000)`
          const [count] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM written`
          const [settings] = yield* sql<{ sb: string }>`SELECT current_setting('shared_buffers') AS sb`
          return { marker: yield* hasMarker, migrated: yield* migrated, n: count!.n, sb: settings!.sb }
        }),
        template
      )
      assert.deepStrictEqual(fromTemplate, { marker: true, migrated: true, n: 10000, sb: "16MB" })

      const { template: mismatched } = yield* makeTemplate(root, {
        ...Template.expectedMeta(pgliteVersion),
        pglite: "0.0.1"
      })
      const fallback = yield* withDb(
        undefined,
        Effect.all({ marker: hasMarker, migrated }),
        mismatched
      )
      assert.deepStrictEqual(fallback, { marker: false, migrated: true }, "initdb made the cluster")
    }).pipe(Effect.scoped), 120_000)

  it.live.skipIf(!built)("Testing.layer starts from the template the build ships, not from initdb", () =>
    Effect.gen(function*() {
      const tree = yield* Effect.promise(() => Template.read(shippedTemplate, Template.expectedMeta(pgliteVersion)))
      // ControlFileData starts with the 64-bit system identifier (little-endian, as on wasm32).
      const control = tree.files.find((file) => file.path === "global/pg_control")!.data
      const templateId = new DataView(control.buffer, control.byteOffset).getBigUint64(0, true).toString()
      const testDb = Effect.scoped(
        Effect.flatMap(Layer.build(Testing.layer()), (ctx) => Effect.provide(systemIdentifier, ctx))
      )
      const [first, second] = yield* Effect.all([testDb, testDb])
      assert.strictEqual(first, templateId, "the cluster is the template's, not a new initdb's")
      assert.strictEqual(second, templateId)
    }), 60_000)
})
