/**
 * Which database a command talks to: the configured PostgreSQL (`database.url` / `DATABASE_URL`), else the
 * embedded PGlite in the data directory. Migrations run before any command touches the catalogue.
 */
import { Database, Migrations } from "@stalkeer/store"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as AppEnv from "./AppEnv.js"

/** The database without running migrations (for `stalkeer migrate`, which reports what it applies). */
export const connection = (app: AppEnv.Settings) =>
  Option.match(app.database.url, {
    onSome: (url) => Database.layerPostgres({ url }),
    onNone: () => Database.layerEmbedded({ dataDir: AppEnv.embeddedDataDir(app) })
  })

/** The database, migrated to this build's schema. */
export const layer = (app: AppEnv.Settings) => Migrations.layer.pipe(Layer.provideMerge(connection(app)))

/** Runs `f` with the configuration and a migrated database that lives exactly as long as the command. */
export const use = <A, E, R>(f: (app: AppEnv.Settings) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(AppEnv.config, (app) => Effect.provide(f(app), layer(app)))
