/**
 * The edge where the CLI meets its environment: the config file and variables, and the paths derived from them.
 * The only module of the CLI that reads `process.env` (through `Env`, which tests replace).
 */
import { Database } from "@stalkeer/store"
import { AppConfig, ConfigSource } from "@stalkeer/workflows"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Root from "./Root.js"

/** The process environment; a test provides its own map instead. */
export class Env extends Context.Reference<Env>()("cli/Env", {
  defaultValue: (): ConfigSource.Env => process.env
}) {}

/** `~/x` → `$HOME/x`, as a shell would; config files are written by hand. */
const expandHome = (env: ConfigSource.Env, path: string): string =>
  path === "~" || path.startsWith("~/") ? `${env.HOME ?? ""}${path.slice(1)}` : path

/** The configuration plus the environment it was read from (for deriving default paths) and the file, if any. */
export interface Settings extends AppConfig.AppConfig {
  readonly env: ConfigSource.Env
  readonly file: string | null
}

/** The effective configuration: environment, then `--config`/default file, then defaults. */
const load = Effect.gen(function*() {
  const { config: file } = yield* Root.command
  const env = yield* Env
  return { env, loaded: yield* ConfigSource.load({ file: Option.getOrUndefined(file), env }) }
})

/** A configuration value of the wrong type or shape; the message names each key as written and as a variable. */
export class InvalidConfig extends Data.TaggedError("InvalidConfig")<{ readonly detail: string }> {
  override get message() {
    return `invalid configuration: ${this.detail}`
  }
}

export const config = Effect.gen(function*() {
  const { env, loaded } = yield* load
  const app = yield* Effect.withConfigProvider(AppConfig.appConfig, loaded.provider).pipe(
    Effect.mapError((error) => new InvalidConfig({ detail: ConfigSource.describeError(error) }))
  )
  // `log.level` applies for the rest of the command, unless `--log-level` already moved it from the default.
  if ((yield* FiberRef.get(FiberRef.currentMinimumLogLevel)) === LogLevel.Info) {
    yield* FiberRef.set(FiberRef.currentMinimumLogLevel, LOG_LEVELS[app.log.level])
  }
  return { ...app, env, file: loaded.file } satisfies Settings
}).pipe(Effect.withSpan("AppEnv.config"))

const LOG_LEVELS: Record<AppConfig.Log["level"], LogLevel.LogLevel> = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  none: LogLevel.None
}

export const dataDir = (app: Settings): string =>
  expandHome(app.env, Option.getOrElse(app.dataDir, () => Database.defaultDataDir(app.env)))

export const playlistPath = (app: Settings): string =>
  expandHome(app.env, Option.getOrElse(app.playlist.path, () => `${dataDir(app)}/playlist.m3u`))

export const archiveDir = (app: Settings): string => `${dataDir(app)}/archives`

export const embeddedDataDir = (app: Settings): string =>
  expandHome(app.env, Option.getOrElse(app.database.dataDir, () => `${dataDir(app)}/pglite`))
