/**
 * Which database a command talks to, as the configuration says (`Database.layer`): the configured PostgreSQL, else
 * the embedded PGlite in the data directory. Migrations run before any command touches the catalogue.
 */
import type { Settings } from "@stalkeer/config"
import { Database, Migrations } from "@stalkeer/store"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as NodeV8 from "node:v8"
import * as AppEnv from "./AppEnv.js"
import * as Invocation from "./Invocation.js"

/** The database without running migrations (for `stalkeer migrate`, which reports what it applies). */
export const connection = (app: Settings.Settings) =>
  Layer.unwrapEffect(Effect.map(Invocation.Argv, (argv) =>
    Database.layer({
      url: Option.getOrUndefined(app.database.url),
      dataDir: app.paths.embeddedDatabase,
      owner: Invocation.commandName(argv)
    })))

/** The database, migrated to this build's schema. */
export const layer = (app: Settings.Settings) => Migrations.layer.pipe(Layer.provideMerge(connection(app)))

/**
 * The embedded database's WebAssembly compiled by the baseline compiler only. For a command that runs a few queries
 * this starts faster and needs ~60 MB less memory (`stats` on 150k entries: CPU 3.7 → 2.6 s, peak RSS 250 → 170 MB;
 * `items --json` of 300k: 268 → 208 MB); the optimising tier pays off only in long ingests. A V8 flag, read when the
 * module is compiled, i.e. when the embedded database is opened.
 */
const quickStart = (app: Settings.Settings) =>
  Effect.sync(() => {
    if (Option.isNone(app.database.url)) NodeV8.setFlagsFromString("--liftoff-only")
  })

/** Runs `f` — a few queries — with the configuration and a migrated database that lives exactly as long as it. */
export const use = <A, E, R>(f: (app: Settings.Settings) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(AppEnv.config, (app) => Effect.zipRight(quickStart(app), Effect.provide(f(app), layer(app))))
