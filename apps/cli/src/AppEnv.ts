/**
 * The edge where the CLI meets its environment: the config file and variables, and the paths derived from them.
 * The only module of the CLI that reads `process.env`.
 */
import { AppConfig, ConfigSource } from "@stalkeer/workflows"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Root from "./Root.js"

const env: ConfigSource.Env = process.env

/** `~/x` → `$HOME/x`, as a shell would; config files are written by hand. */
export const expandHome = (path: string): string =>
  path === "~" || path.startsWith("~/") ? `${env.HOME ?? ""}${path.slice(1)}` : path

/** The effective configuration: environment, then `--config`/default file, then defaults. */
export const config = Effect.gen(function*() {
  const { config: file } = yield* Root.command
  const loaded = yield* ConfigSource.load({ file: Option.getOrUndefined(file), env })
  return yield* Effect.withConfigProvider(AppConfig.appConfig, loaded.provider)
}).pipe(Effect.withSpan("AppEnv.config"))

export const loadedFrom = Effect.gen(function*() {
  const { config: file } = yield* Root.command
  const loaded = yield* ConfigSource.load({ file: Option.getOrUndefined(file), env })
  return loaded.file
})

export const dataDir = (app: AppConfig.AppConfig): string =>
  expandHome(Option.getOrElse(app.dataDir, () => ConfigSource.defaultDataDir(env)))

export const playlistPath = (app: AppConfig.AppConfig): string =>
  expandHome(Option.getOrElse(app.playlist.path, () => `${dataDir(app)}/playlist.m3u`))

export const archiveDir = (app: AppConfig.AppConfig): string => `${dataDir(app)}/archives`

export const embeddedDataDir = (app: AppConfig.AppConfig): string =>
  expandHome(Option.getOrElse(app.database.dataDir, () => `${dataDir(app)}/pglite`))
