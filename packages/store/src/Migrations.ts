/**
 * Versioned schema migrations, run by `stalkeer migrate` and at every start-up (re-running is a no-op).
 *
 * Uses `@effect/sql`'s Migrator directly with a record loader, so the only requirement is `SqlClient`: no
 * `schemaDirectory` (PgMigrator would shell out to `pg_dump`, which cannot dump the embedded PGlite), hence no
 * FileSystem, Path or CommandExecutor.
 *
 * A binary that finds migrations newer than the ones it ships refuses to touch the database
 * (`StoreError { reason: "SchemaTooNew" }`): an old stalkeer must not write into a schema it does not know.
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Errors from "./internal/errors.js"
import initial from "./internal/migrations/0001_initial.js"
import warningsListing from "./internal/migrations/0002_warnings_listing.js"
import identification from "./internal/migrations/0003_identification.js"
import wantedLookup from "./internal/migrations/0004_wanted_lookup.js"
import downloads from "./internal/migrations/0005_downloads.js"
import schedules from "./internal/migrations/0006_schedules.js"
import listingSorts from "./internal/migrations/0007_listing_sorts.js"
import { StoreError } from "./StoreError.js"

/** Every migration this build ships, by `<id>_<name>`. Never edit or renumber a shipped one. */
const migrations = {
  "0001_initial": initial,
  "0002_warnings_listing": warningsListing,
  "0003_identification": identification,
  "0004_wanted_lookup": wantedLookup,
  "0005_downloads": downloads,
  "0006_schedules": schedules,
  "0007_listing_sorts": listingSorts
} as const

/** The highest migration id this build knows. */
export const latest: number = Math.max(...Object.keys(migrations).map((name) => Number(name.slice(0, 4))))

/** Name of the Migrator's bookkeeping table. */
export const table = "effect_sql_migrations"

export interface Result {
  /** Migrations applied by this call, oldest first (empty when the schema was already current). */
  readonly applied: ReadonlyArray<{ readonly id: number; readonly name: string }>
  /** Schema version after the call. */
  readonly version: number
}

const migrate = Migrator.make({})

/** The highest applied migration id; 0 for an empty database. */
export const current: Effect.Effect<number, StoreError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [exists] = yield* sql<{ readonly present: boolean }>`SELECT to_regclass(${table}) IS NOT NULL AS present`
  if (!exists?.present) return 0
  const [row] = yield* sql<{ readonly version: number | null }>`
    SELECT max(migration_id)::int AS version FROM ${sql(table)}`
  return row?.version ?? 0
}).pipe(Errors.query("Migrations.current"))

const ensureSupported = (found: number) =>
  found > latest
    ? Effect.fail(
      new StoreError({
        reason: "SchemaTooNew",
        operation: "Migrations.run",
        detail: ` (database is at version ${found}, this build supports up to ${latest})`
      })
    )
    : Effect.void

/** Bring the schema up to `latest`; fails with `SchemaTooNew` when the database is ahead of this build. */
export const run: Effect.Effect<Result, StoreError, SqlClient.SqlClient> = Effect.gen(function*() {
  yield* Effect.flatMap(current, ensureSupported)
  const applied = yield* migrate({ loader: Migrator.fromRecord(migrations), table }).pipe(
    Effect.catchSomeDefect((defect) =>
      defect instanceof Migrator.MigrationError ? Option.some(Effect.fail(defect)) : Option.none()
    ),
    Effect.mapError((error) =>
      new StoreError({
        reason: error._tag === "MigrationError" ? "Migration" : "Query",
        operation: "Migrations.run",
        detail: error._tag === "MigrationError" && error.cause !== undefined
          ? `${error.message}: ${Errors.describe(error.cause)}`
          : Errors.describe(error),
        cause: error
      })
    )
  )
  // Another, newer binary may have migrated between the check and the lock.
  const version = yield* current
  yield* ensureSupported(version)
  return { applied: applied.map(([id, name]) => ({ id, name })), version }
}).pipe(Effect.withSpan("Migrations.run"))

/** Runs the migrations when built; put it under every layer that uses the store. */
export const layer: Layer.Layer<never, StoreError, SqlClient.SqlClient> = Layer.effectDiscard(run)
