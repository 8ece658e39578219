/**
 * Every file and directory Stalkeer uses by default, derived in one place from the configuration and the
 * environment (`HOME`, the XDG variables), which the app passes in: nothing here reads `process.env`.
 */
import * as Option from "effect/Option"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import type { AppConfig } from "./AppConfig.js"

export type Env = Readonly<Record<string, string | undefined>>

export interface Paths {
  /** Home of the embedded database, the downloaded playlist and its archives. */
  readonly dataDir: string
  /** Where `playlist download` writes the provider's playlist. */
  readonly playlist: string
  /** Timestamped copies of downloaded playlists. */
  readonly archives: string
  /** The embedded database's files. */
  readonly embeddedDatabase: string
  /** The folder of the config file (read or default): where `serve` keeps a generated API key. */
  readonly configDir: string
}

const home = (env: Env): string => env.HOME !== undefined && env.HOME !== "" ? env.HOME : NodeOs.homedir()

/** `~/x` → `$HOME/x`, as a shell would: config files are written by hand. */
export const expandHome = (env: Env, path: string): string =>
  path === "~" || path.startsWith("~/") ? `${home(env)}${path.slice(1)}` : path

/** `$XDG_DATA_HOME/stalkeer`, else `~/.local/share/stalkeer`. */
export const defaultDataDir = (env: Env): string =>
  env.XDG_DATA_HOME !== undefined && env.XDG_DATA_HOME !== ""
    ? `${env.XDG_DATA_HOME}/stalkeer`
    : `${home(env)}/.local/share/stalkeer`

/** `$XDG_CONFIG_HOME/stalkeer/stalkeer.yml`, else `~/.config/stalkeer/stalkeer.yml`. */
export const defaultConfigFile = (env: Env): string =>
  `${env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : `${home(env)}/.config`}/stalkeer/stalkeer.yml`

/**
 * The paths of a configuration: each configured one (with `~` expanded), else its default under `data_dir`;
 * `file` is the config file that was read, if any.
 */
export const resolve = (config: AppConfig, env: Env, file: string | null = null): Paths => {
  const dataDir = expandHome(env, Option.getOrElse(config.dataDir, () => defaultDataDir(env)))
  return {
    dataDir,
    playlist: expandHome(env, Option.getOrElse(config.playlist.path, () => `${dataDir}/playlist.m3u`)),
    archives: `${dataDir}/archives`,
    embeddedDatabase: expandHome(env, Option.getOrElse(config.database.dataDir, () => `${dataDir}/pglite`)),
    configDir: NodePath.dirname(file ?? defaultConfigFile(env))
  }
}
