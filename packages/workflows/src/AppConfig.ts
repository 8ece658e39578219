/**
 * The one configuration schema of Stalkeer, shared by the CLI and the API.
 *
 * Keys are snake_case as written in `stalkeer.yml`; every key can also be set with an environment variable
 * `STALKEER_<SECTION>_<KEY>` (see `ConfigSource`). Secrets are `Redacted` from the moment they are read.
 */
import { StreamUrl } from "@stalkeer/m3u-parser"
import * as Config from "effect/Config"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

export interface Database {
  /** `postgres://…` of a real server; when absent the embedded PGlite is used. */
  readonly url: Option.Option<Redacted.Redacted>
  /** Where the embedded database keeps its files (default: `<data_dir>/pglite`). */
  readonly dataDir: Option.Option<string>
}

export interface Provider {
  readonly name: string
  /** The full playlist URL (Xtream `get.php?username=…&password=…&type=m3u_plus`); it holds credentials. */
  readonly playlistUrl: Option.Option<Redacted.Redacted>
  /** Alternative to `playlist_url`: the panel's base URL plus credentials. */
  readonly baseUrl: Option.Option<string>
  /** Half of the credential: as secret as the password in output and logs. */
  readonly username: Option.Option<Redacted.Redacted>
  readonly password: Option.Option<Redacted.Redacted>
  /** Connections the account allows at once; never exceeded. */
  readonly maxConnections: number
  readonly userAgent: Option.Option<string>
}

export interface Filters {
  readonly includeGroups: ReadonlyArray<string>
  readonly excludeGroups: ReadonlyArray<string>
  readonly includeNames: ReadonlyArray<string>
  readonly excludeNames: ReadonlyArray<string>
}

export interface Ingest {
  /** Days a vanished entry is kept before it is removed. */
  readonly graceDays: number
  /** Largest share (0..1) of live entries a run may lose before it is refused without `--force`. */
  readonly maxDrop: number
}

export interface Playlist {
  /** Where `playlist download` writes the provider's playlist (default: `<data_dir>/playlist.m3u`). */
  readonly path: Option.Option<string>
  /** Keep a timestamped copy of every download. */
  readonly archive: boolean
  /** Archives kept by `playlist prune` when `--keep` is not given. */
  readonly keep: number
  readonly maxMegabytes: number
  /** Longest wait for the response, and longest stall between bytes of the body. */
  readonly timeoutSeconds: number
  readonly retries: number
}

export interface Log {
  readonly level: "trace" | "debug" | "info" | "warning" | "error" | "none"
}

export interface AppConfig {
  readonly dataDir: Option.Option<string>
  readonly database: Database
  readonly provider: Provider
  readonly filters: Filters
  readonly ingest: Ingest
  readonly playlist: Playlist
  readonly log: Log
}

const list = (name: string) =>
  // YAML gives an array; an environment variable gives a comma-separated list. An empty variable (or an empty YAML
  // list, see `ConfigSource.fromSources`) reads as `[""]`: it means no entries.
  Config.array(Config.string(), name).pipe(
    Config.map((items): ReadonlyArray<string> => items.length === 1 && items[0]!.trim() === "" ? [] : items),
    Config.withDefault<ReadonlyArray<string>>([])
  )

const share = (name: string, fallback: number) =>
  Config.number(name).pipe(
    Config.validate({ message: "Expected a number between 0 and 1", validation: (n) => n >= 0 && n <= 1 }),
    Config.withDefault(fallback)
  )

const positiveInt = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: "Expected a positive integer", validation: (n) => n > 0 }),
    Config.withDefault(fallback)
  )

export const database: Config.Config<Database> = Config.nested(
  Config.all({
    url: Config.option(Config.redacted("url")),
    dataDir: Config.option(Config.string("data_dir"))
  }),
  "database"
)

export const provider: Config.Config<Provider> = Config.nested(
  Config.all({
    name: Config.string("name").pipe(Config.withDefault("default")),
    playlistUrl: Config.option(Config.redacted("playlist_url")),
    baseUrl: Config.option(Config.string("base_url")),
    username: Config.option(Config.redacted("username")),
    password: Config.option(Config.redacted("password")),
    maxConnections: positiveInt("max_connections", 1),
    userAgent: Config.option(Config.string("user_agent"))
  }),
  "provider"
)

export const filters: Config.Config<Filters> = Config.nested(
  Config.all({
    includeGroups: list("include_groups"),
    excludeGroups: list("exclude_groups"),
    includeNames: list("include_names"),
    excludeNames: list("exclude_names")
  }),
  "filters"
)

export const ingest: Config.Config<Ingest> = Config.nested(
  Config.all({
    graceDays: Config.integer("grace_days").pipe(
      Config.validate({ message: "Expected a whole number of days ≥ 0", validation: (n) => n >= 0 }),
      Config.withDefault(7)
    ),
    maxDrop: share("max_drop", 0.5)
  }),
  "ingest"
)

export const playlist: Config.Config<Playlist> = Config.nested(
  Config.all({
    path: Config.option(Config.string("path")),
    archive: Config.boolean("archive").pipe(Config.withDefault(false)),
    keep: positiveInt("keep", 10),
    maxMegabytes: positiveInt("max_megabytes", 1024),
    timeoutSeconds: positiveInt("timeout_seconds", 30),
    retries: Config.integer("retries").pipe(
      Config.validate({ message: "Expected an integer between 0 and 10", validation: (n) => n >= 0 && n <= 10 }),
      Config.withDefault(3)
    )
  }),
  "playlist"
)

export const log: Config.Config<Log> = Config.nested(
  Config.all({
    level: Config.literal("trace", "debug", "info", "warning", "error", "none")("level").pipe(
      Config.withDefault("warning" as const)
    )
  }),
  "log"
)

export const appConfig: Config.Config<AppConfig> = Config.all({
  dataDir: Config.option(Config.string("data_dir")),
  database,
  provider,
  filters,
  ingest,
  playlist,
  log
})

/**
 * The provider's playlist URL: `playlist_url` as given, or built from `base_url` + credentials in the Xtream
 * `get.php` form. `None` when neither is configured.
 */
export const playlistUrl = (p: Provider): Option.Option<Redacted.Redacted> => {
  if (Option.isSome(p.playlistUrl)) return p.playlistUrl
  if (Option.isNone(p.baseUrl) || Option.isNone(p.username) || Option.isNone(p.password)) return Option.none()
  return Option.some(xtreamPlaylistUrl(p.baseUrl.value, p.username.value, p.password.value))
}

const xtreamPlaylistUrl = (base: string, username: Redacted.Redacted, password: Redacted.Redacted): Redacted.Redacted => {
  const url = new URL("get.php", base.endsWith("/") ? base : `${base}/`)
  url.searchParams.set("username", Redacted.value(username) as string)
  url.searchParams.set("password", Redacted.value(password) as string)
  url.searchParams.set("type", "m3u_plus")
  url.searchParams.set("output", "ts")
  return Redacted.make(url.toString())
}

/**
 * The provider account(s) the configuration knows: `username` + `password`, and the account inside `playlist_url`.
 * Ingest cuts them out wherever they appear, beyond the URL shapes `StreamUrl` recognises on its own.
 */
export const credentials = (p: Provider): ReadonlyArray<StreamUrl.StreamCredentials> => {
  const out: Array<StreamUrl.StreamCredentials> = []
  if (Option.isSome(p.username) && Option.isSome(p.password)) {
    out.push({ username: Redacted.value(p.username.value) as string, password: p.password.value as Redacted.Redacted<string> })
  }
  if (Option.isSome(p.playlistUrl)) {
    const found = StreamUrl.toTemplate(Redacted.value(p.playlistUrl.value) as string).credentials
    if (found !== null) out.push(found)
  }
  return out
}
