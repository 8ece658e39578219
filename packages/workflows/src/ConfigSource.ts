/**
 * Where configuration comes from, in order of precedence: `STALKEER_*` environment variables (and `DATABASE_URL`),
 * then the config file (`--config`, `STALKEER_CONFIG`, else `<XDG config dir>/stalkeer/stalkeer.yml`), then defaults.
 * Precedence is built from providers, not `if`s.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Yaml from "yaml"

export class ConfigFileError extends Schema.TaggedError<ConfigFileError>()("ConfigFileError", {
  path: Schema.String,
  reason: Schema.Literal("NotFound", "Unreadable", "InvalidYaml", "NotAMapping"),
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    switch (this.reason) {
      case "NotFound":
        return `Config file not found: ${this.path}`
      case "Unreadable":
        return `Cannot read config file ${this.path}${this.detail ? `: ${this.detail}` : ""}`
      case "InvalidYaml":
        return `Config file ${this.path} is not valid YAML${this.detail ? `: ${this.detail}` : ""}`
      case "NotAMapping":
        return `Config file ${this.path} must hold a mapping of sections (database:, provider:, …)`
    }
  }
}

export type Env = Readonly<Record<string, string | undefined>>

/**
 * `$XDG_CONFIG_HOME/stalkeer/stalkeer.yml`, else `~/.config/stalkeer/stalkeer.yml`, from the given environment (never
 * read here: the app passes it). The data directory's counterpart is `Database.defaultDataDir` in the store.
 */
export const defaultConfigPath = (env: Env): string =>
  `${env.XDG_CONFIG_HOME || `${env.HOME ?? "."}/.config`}/stalkeer/stalkeer.yml`

/** A provider over `STALKEER_<SECTION>_<KEY>` variables; `DATABASE_URL` stands in for `STALKEER_DATABASE_URL`. */
export const fromEnv = (env: Env): ConfigProvider.ConfigProvider => {
  const map = new Map<string, string>()
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && key.startsWith("STALKEER_")) map.set(key, value)
  }
  if (env.DATABASE_URL && !map.has("STALKEER_DATABASE_URL")) map.set("STALKEER_DATABASE_URL", env.DATABASE_URL)
  return ConfigProvider.fromMap(map, { pathDelim: "_", seqDelim: "," }).pipe(
    ConfigProvider.nested("stalkeer"),
    ConfigProvider.constantCase
  )
}

export const fromYaml = (path: string, text: string): Effect.Effect<ConfigProvider.ConfigProvider, ConfigFileError> =>
  Effect.try({
    try: () => Yaml.parse(text) as unknown,
    catch: (cause) => new ConfigFileError({ path, reason: "InvalidYaml", detail: firstLine(cause) })
  }).pipe(
    Effect.flatMap((doc) => {
      if (doc === null || doc === undefined) return Effect.succeed(ConfigProvider.fromJson({}))
      if (typeof doc !== "object" || Array.isArray(doc)) {
        return Effect.fail(new ConfigFileError({ path, reason: "NotAMapping" }))
      }
      return Effect.succeed(ConfigProvider.fromJson(doc))
    })
  )

export interface LoadOptions {
  /** An explicit `--config` path: it must exist. */
  readonly file?: string | undefined
  readonly env: Env
}

export interface Loaded {
  readonly provider: ConfigProvider.ConfigProvider
  /** The file that was read, if any. */
  readonly file: string | null
}

/** Builds the effective provider: environment first, then the file, then the defaults written in `AppConfig`. */
export const load = Effect.fn("ConfigSource.load")(function*(options: LoadOptions) {
  const fs = yield* FileSystem.FileSystem
  const explicit = options.file ?? options.env.STALKEER_CONFIG
  const path = explicit ?? defaultConfigPath(options.env)
  const env = fromEnv(options.env)
  const exists = yield* fs.exists(path).pipe(Effect.orElseSucceed(() => false))
  if (!exists) {
    if (explicit !== undefined) return yield* new ConfigFileError({ path, reason: "NotFound" })
    return { provider: env, file: null } satisfies Loaded
  }
  const text = yield* fs.readFileString(path).pipe(
    Effect.mapError((cause) => new ConfigFileError({ path, reason: "Unreadable", detail: cause.message }))
  )
  const file = yield* fromYaml(path, text)
  return { provider: ConfigProvider.orElse(env, () => file), file: path } satisfies Loaded
})

/**
 * One line per problem, naming the key both as written in the file and as an environment variable, e.g.
 * `provider.max_connections (STALKEER_PROVIDER_MAX_CONNECTIONS): Expected a positive integer`.
 */
export const describeError = (error: ConfigError.ConfigError): string => {
  const lines: Array<string> = []
  const visit = (e: ConfigError.ConfigError): void => {
    switch (e._op) {
      case "And":
      case "Or":
        visit(e.left)
        visit(e.right)
        return
      case "InvalidData":
      case "MissingData":
      case "SourceUnavailable":
      case "Unsupported": {
        const path = e.path.filter((segment) => segment !== "stalkeer")
        const key = path.join(".")
        const envName = `STALKEER_${path.join("_").toUpperCase()}`
        lines.push(`${key || "(root)"} (${envName}): ${e.message}`)
        return
      }
    }
  }
  visit(error)
  // An `Or` repeats the same complaint once per source; show each once.
  return [...new Set(lines)].join("; ")
}

const firstLine = (cause: unknown): string => String(cause instanceof Error ? cause.message : cause).split("\n")[0] ?? ""

/** The commented example written by `stalkeer config init`. */
export const exampleYaml = `# Stalkeer configuration. Every key can also be set as an environment variable
# STALKEER_<SECTION>_<KEY> (e.g. STALKEER_PROVIDER_MAX_CONNECTIONS=2); DATABASE_URL is honoured too.
# Environment variables win over this file.

# data_dir: ~/.local/share/stalkeer      # where the embedded database and playlists live

database:
  # url: postgres://user:password@127.0.0.1:5432/stalkeer   # a real PostgreSQL; omit for the embedded one
  # data_dir: ~/.local/share/stalkeer/pglite

provider:
  name: default
  # Either the full playlist URL your provider gave you (it contains your credentials) ...
  # playlist_url: http://provider.example:8080/get.php?username=USER&password=PASS&type=m3u_plus&output=ts
  # ... or the panel's base URL and your credentials:
  # base_url: http://provider.example:8080
  # username: USER
  # password: PASS
  max_connections: 1        # never open more streams at once than your subscription allows
  # user_agent: VLC/3.0.20

filters:                    # regular expressions (JavaScript syntax, case-insensitive)
  include_groups: []        # e.g. ["^EN", "^FR"]; empty = everything
  exclude_groups: []        # e.g. ["ADULT", "XXX"]
  include_names: []
  exclude_names: []

ingest:
  grace_days: 7             # vanished entries are removed after this many days
  max_drop: 0.5             # refuse a run that loses more than this share of entries (override with --force)

playlist:
  # path: ~/.local/share/stalkeer/playlist.m3u
  archive: false            # keep a timestamped copy of every download
  keep: 10                  # archives kept by \`stalkeer playlist prune\`
  max_megabytes: 1024
  timeout_seconds: 60
  retries: 3

log:
  level: warning            # trace | debug | info | warning | error | none
`
