/**
 * The one configuration schema of Stalkeer, shared by the CLI and the API.
 *
 * Keys are snake_case as written in `stalkeer.yml`; every key can also be set with an environment variable
 * `STALKEER_<SECTION>_<KEY>` (see `ConfigSource`). Secrets are `Redacted` from the moment they are read.
 *
 * `tmdb`, `radarr`, `sonarr`, `matching`, `downloads`, `api` and `schedule` belong to identification, downloads
 * and the service: they are validated (and shown by `config show`) already, so a file written for them is checked.
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
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
  /** Refused streams (404, error pages) within 10 minutes that put the provider into a cooldown. */
  readonly denialsBeforeCooldown: number
  /** The first cooldown after the provider refuses the account; each one in a row doubles it. */
  readonly cooldown: Duration.Duration
  readonly maxCooldown: Duration.Duration
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

/** Classifier rules for a provider whose naming the built-in rules get wrong. */
export interface ClassifierRules {
  /** `pattern=kind` (kind: movie, series, live, unknown; `kind!` also beats the URL path and `tvg-type`). */
  readonly groupKinds: ReadonlyArray<{ readonly pattern: string; readonly kind: string; readonly override: boolean }>
  /** `CODE=iso`: a name prefix the provider uses for a language, e.g. `VL=nl`. */
  readonly languageCodes: Readonly<Record<string, string>>
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

export type LogLevel = "trace" | "debug" | "info" | "warning" | "error" | "none"

export interface Log {
  /** Unset: each app's own default (the CLI's commands `warning`, `serve` — a service's log — `info`). */
  readonly level: Option.Option<LogLevel>
}

/** TMDB, which identifies works (`stalkeer enrich`). One of `api_key` (v3) or `access_token` (v4) is needed. */
export interface Tmdb {
  /** Overridable so that a test, a proxy or a mirror can stand in for `https://api.themoviedb.org/3`. */
  readonly baseUrl: string
  readonly apiKey: Option.Option<Redacted.Redacted>
  readonly accessToken: Option.Option<Redacted.Redacted>
  /** Language of titles asked for, e.g. `en-US`. */
  readonly language: string
  /** Shared by every request of the process. */
  readonly requestsPerSecond: number
  readonly cacheTtlDays: number
}

/** A folder as Radarr/Sonarr sees it (`remote`) and as Stalkeer reaches it (`local`), e.g. across a container. */
export interface PathMapping {
  readonly remote: string
  readonly local: string
}

/** A Radarr or Sonarr server. */
export interface Arr {
  /** With any URL base, e.g. `http://host:7878/radarr`. */
  readonly url: Option.Option<string>
  readonly apiKey: Option.Option<Redacted.Redacted>
  /** Items per page of `wanted/missing`. */
  readonly pageSize: number
  /** Longest wait for one request. */
  readonly timeout: Duration.Duration
  readonly pathMappings: ReadonlyArray<PathMapping>
}

/** How the best entry for a wanted item is chosen. */
export interface Matching {
  /** Ordered ISO 639-1 codes; an entry in a known language not listed is never chosen. Empty: any language. */
  readonly languages: ReadonlyArray<string>
  /** Ordered preference. */
  readonly resolutions: ReadonlyArray<string>
  /** Regular expressions on an entry's name or group that rule it out. */
  readonly exclude: ReadonlyArray<string>
}

export interface Downloads {
  /** No bytes for this long: the connection is dropped and the download resumed. */
  readonly stallTimeout: Duration.Duration
  /** Megabytes (MiB) every download leaves free on the library's filesystem. */
  readonly keepFreeMegabytes: number
}

/** The HTTP API of `stalkeer serve`. */
export interface Api {
  /** Loopback by default: all interfaces only when configured. */
  readonly address: string
  readonly port: number
  /** The `X-Api-Key`; generated on first start when absent. */
  readonly key: Option.Option<Redacted.Redacted>
}

/** How often `stalkeer serve` runs each step. */
export interface Schedule {
  readonly playlist: Duration.Duration
  readonly enrich: Duration.Duration
  readonly radarr: Duration.Duration
  readonly sonarr: Duration.Duration
}

export interface AppConfig {
  readonly dataDir: Option.Option<string>
  readonly database: Database
  readonly provider: Provider
  readonly filters: Filters
  readonly ingest: Ingest
  readonly playlist: Playlist
  readonly classifier: ClassifierRules
  readonly tmdb: Tmdb
  readonly radarr: Arr
  readonly sonarr: Arr
  readonly matching: Matching
  readonly downloads: Downloads
  readonly api: Api
  readonly schedule: Schedule
  readonly log: Log
}

const list = (name: string) =>
  // YAML gives an array; an environment variable gives a comma-separated list. An empty variable (or an empty YAML
  // list, see `ConfigSource.fromSources`) reads as `[""]`: it means no entries.
  Config.array(Config.string(), name).pipe(
    Config.map((items): ReadonlyArray<string> => items.length === 1 && items[0]!.trim() === "" ? [] : items),
    Config.withDefault<ReadonlyArray<string>>([])
  )

/** An absolute http(s) URL, kept as written (without a trailing slash, so paths can be appended). */
const httpUrl = (name: string) =>
  Config.string(name).pipe(
    Config.validate({
      message: "Expected an http:// or https:// URL",
      validation: (url) => /^https?:\/\/[^/\s]+/i.test(url) && URL.canParse(url)
    }),
    Config.map((url) => url.replace(/\/+$/, ""))
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
    userAgent: Config.option(Config.string("user_agent")),
    denialsBeforeCooldown: positiveInt("denials_before_cooldown", 3),
    cooldown: Config.duration("cooldown").pipe(Config.withDefault(Duration.minutes(10))),
    maxCooldown: Config.duration("max_cooldown").pipe(Config.withDefault(Duration.hours(6)))
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

export const tmdb: Config.Config<Tmdb> = Config.nested(
  Config.all({
    baseUrl: httpUrl("base_url").pipe(Config.withDefault("https://api.themoviedb.org/3")),
    apiKey: Config.option(Config.redacted("api_key")),
    accessToken: Config.option(Config.redacted("access_token")),
    language: Config.string("language").pipe(Config.withDefault("en-US")),
    requestsPerSecond: Config.number("requests_per_second").pipe(
      Config.validate({ message: "Expected a number of requests per second > 0", validation: (n) => n > 0 }),
      Config.withDefault(20)
    ),
    cacheTtlDays: positiveInt("cache_ttl_days", 30)
  }),
  "tmdb"
)

/** `key=value` pairs, split at the first or the last `=`; neither side may be empty. */
const pairs = (name: string, expected: string, split: "first" | "last") =>
  list(name).pipe(Config.mapOrFail((items) => {
    const out: Array<readonly [string, string]> = []
    for (const item of items) {
      const at = split === "first" ? item.indexOf("=") : item.lastIndexOf("=")
      const key = item.slice(0, at).trim()
      const value = item.slice(at + 1).trim()
      if (at < 0 || key === "" || value === "") {
        return Either.left(ConfigError.InvalidData([name], `Expected ${expected}, got ${JSON.stringify(item)}`))
      }
      out.push([key, value])
    }
    return Either.right(out as ReadonlyArray<readonly [string, string]>)
  }))

export const classifier: Config.Config<ClassifierRules> = Config.nested(
  Config.all({
    // The last `=`: a regular expression may hold one.
    groupKinds: pairs("group_kinds", "pattern=kind pairs", "last").pipe(Config.map((items) =>
      items.map(([pattern, kind]) => ({ pattern, kind: kind.replace(/!$/, ""), override: kind.endsWith("!") }))
    )),
    languageCodes: pairs("language_codes", "CODE=language pairs", "first").pipe(Config.map((items) => Object.fromEntries(items)))
  }),
  "classifier"
)

const arr = (section: "radarr" | "sonarr"): Config.Config<Arr> =>
  Config.nested(
    Config.all({
      url: Config.option(httpUrl("url")),
      apiKey: Config.option(Config.redacted("api_key")),
      pageSize: positiveInt("page_size", 250),
      timeout: Config.duration("timeout").pipe(Config.withDefault(Duration.seconds(30))),
      pathMappings: pairs("path_mappings", "remote=local folder pairs", "first").pipe(
        Config.map((items) => items.map(([remote, local]): PathMapping => ({ remote, local })))
      )
    }),
    section
  )

export const radarr: Config.Config<Arr> = arr("radarr")
export const sonarr: Config.Config<Arr> = arr("sonarr")

const RESOLUTIONS = ["2160p", "1080p", "720p", "480p"]

/** Each item checked by `check` (a message for a bad one, else `undefined`), lower-cased when `lower`. */
const checkedList = (name: string, check: (item: string) => string | undefined, lower = false) =>
  list(name).pipe(Config.mapOrFail((items) => {
    const out = items.map((item) => (lower ? item.trim().toLowerCase() : item.trim()))
    for (const item of out) {
      const problem = check(item)
      if (problem !== undefined) return Either.left(ConfigError.InvalidData([name], problem))
    }
    return Either.right(out as ReadonlyArray<string>)
  }))

const compiles = (pattern: string): string | undefined => {
  try {
    new RegExp(pattern, "iu")
    return undefined
  } catch (error) {
    return `Expected regular expressions, got ${JSON.stringify(pattern)}: ${(error as Error).message}`
  }
}

export const matching: Config.Config<Matching> = Config.nested(
  Config.all({
    languages: checkedList(
      "languages",
      (code) => /^[a-z]{2}$/.test(code) ? undefined : `Expected ISO 639-1 codes (fr, en, …), got ${JSON.stringify(code)}`,
      true
    ),
    resolutions: checkedList(
      "resolutions",
      (r) => RESOLUTIONS.includes(r) ? undefined : `Expected resolutions among ${RESOLUTIONS.join(", ")}, got ${JSON.stringify(r)}`,
      true
    ).pipe(Config.map((items) => items.length === 0 ? ["1080p", "2160p", "720p", "480p"] : items)),
    // Matched case-insensitively, like the filters.
    exclude: checkedList("exclude", compiles)
  }),
  "matching"
)

export const downloads: Config.Config<Downloads> = Config.nested(
  Config.all({
    stallTimeout: Config.duration("stall_timeout").pipe(Config.withDefault(Duration.seconds(60))),
    keepFreeMegabytes: Config.integer("keep_free_megabytes").pipe(
      Config.validate({ message: "must be 0 or more", validation: (n) => n >= 0 }),
      Config.withDefault(512)
    )
  }),
  "downloads"
)

export const api: Config.Config<Api> = Config.nested(
  Config.all({
    address: Config.string("address").pipe(Config.withDefault("127.0.0.1")),
    port: Config.port("port").pipe(Config.withDefault(8080)),
    key: Config.option(Config.redacted("key"))
  }),
  "api"
)

export const schedule: Config.Config<Schedule> = Config.nested(
  Config.all({
    playlist: Config.duration("playlist").pipe(Config.withDefault(Duration.hours(12))),
    enrich: Config.duration("enrich").pipe(Config.withDefault(Duration.hours(12))),
    radarr: Config.duration("radarr").pipe(Config.withDefault(Duration.hours(1))),
    sonarr: Config.duration("sonarr").pipe(Config.withDefault(Duration.hours(1)))
  }),
  "schedule"
)

export const log: Config.Config<Log> = Config.nested(
  Config.all({
    level: Config.option(Config.literal("trace", "debug", "info", "warning", "error", "none")("level"))
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
  classifier,
  tmdb,
  radarr,
  sonarr,
  matching,
  downloads,
  api,
  schedule,
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
