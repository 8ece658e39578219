/**
 * Databases for tests — this package's and every package that stores through it (`@stalkeer/store/testing`, not
 * the main entry). A test file gets one migrated database: the in-memory PGlite by default (started from the
 * build's cluster template, `dist/pglite-template.tar.gz`, in well under a second; PGlite's initdb, 2-4 s and
 * ~550 MB more, only when the package has not been built), or, when `DATABASE_URL` names a PostgreSQL server, a
 * scratch database created on it for the file and dropped afterwards. Tests share it through
 * `layer(Testing.layerConfig)` and start from `Testing.reset`.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Database from "./Database.js"
import * as Migrations from "./Migrations.js"

export interface Options {
  /** A PostgreSQL server to create the scratch database on; without it, the in-memory PGlite. */
  readonly url?: Redacted.Redacted | undefined
  /** Name prefix of the scratch database (default `stalkeer_test`). */
  readonly prefix?: string | undefined
}

/** A migrated test database, as `options` say. */
export const layer = (options: Options = {}) =>
  Migrations.layer.pipe(Layer.provideMerge(
    options.url === undefined
      ? Database.layerEmbedded()
      : Database.layerScratch({ url: options.url, prefix: options.prefix ?? "stalkeer_test" })
  ))

/** `layer` on the server `DATABASE_URL` names, if set and not empty; else the in-memory PGlite. */
export const layerConfig = (options: { readonly prefix?: string | undefined } = {}) =>
  Layer.unwrapEffect(
    Effect.map(
      Config.option(Config.redacted("DATABASE_URL")).pipe(Config.withDefault(Option.none())),
      (url) =>
        layer({
          url: Option.getOrUndefined(Option.filter(url, (u) => Redacted.value(u) !== "")),
          prefix: options.prefix
        })
    )
  )

/** Empties every table of the catalogue (identities restart), for a test that needs a clean database. */
export const reset: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`TRUNCATE playlist_entries, media, ingest_runs, filters, providers, tmdb_cache, downloads, provider_slots,
    provider_health, provider_denials, schedule_jobs RESTART IDENTITY CASCADE`
})
