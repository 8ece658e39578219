/**
 * Where configuration comes from, in order of precedence: `STALKEER_*` environment variables (and `DATABASE_URL`),
 * then the config file (`--config`, `STALKEER_CONFIG`, else `<XDG config dir>/stalkeer/stalkeer.yml`), then defaults.
 * Both sources are merged key by key into one provider (`fromSources`), over the keys the configuration reads
 * (`keysOf`): a variable wins, and a wrong one is an error, never a silent fall-back to the file.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as PathPatch from "effect/ConfigProviderPathPatch"
import * as Effect from "effect/Effect"
import * as HashSet from "effect/HashSet"
import * as Schema from "effect/Schema"
import * as Yaml from "yaml"
import { appConfig } from "./AppConfig.js"
import * as Paths from "./Paths.js"

export class ConfigFileError extends Schema.TaggedError<ConfigFileError>()("ConfigFileError", {
  path: Schema.String,
  reason: Schema.Literal("NotFound", "Unreadable", "InvalidYaml", "NotAMapping", "Exists", "Unwritable"),
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
      case "Exists":
        return `${this.path} already exists (use --force to overwrite it)`
      case "Unwritable":
        return `Cannot write config file ${this.path}${this.detail ? `: ${this.detail}` : ""}`
    }
  }
}

export type Env = Paths.Env

/** What is known of a configuration key: lists are read from a variable as comma-separated values. */
export interface Key {
  readonly list: boolean
}

/** `provider.max_connections` → `STALKEER_PROVIDER_MAX_CONNECTIONS`. */
export const envName = (key: string) => `STALKEER_${key.replace(/\./g, "_").toUpperCase()}`

/**
 * One provider over both sources: each key the configuration reads takes its variable when set, else the file's
 * value, else the default. Precedence is decided per key before anything is parsed, so a variable with a wrong
 * value is an error naming it rather than a silent fall-back to the file (`ConfigProvider.orElse` falls back on
 * any error, a wrong value included). `DATABASE_URL` stands in for `STALKEER_DATABASE_URL`.
 */
export const fromSources = (options: {
  readonly env: Env
  readonly doc?: Readonly<Record<string, unknown>> | undefined
  readonly keys: ReadonlyMap<string, Key>
}): ConfigProvider.ConfigProvider => {
  const merged: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(options.doc ?? {})) {
    merged[name] = typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : value
  }
  const env = { ...options.env }
  if (env.DATABASE_URL && !env.STALKEER_DATABASE_URL) env.STALKEER_DATABASE_URL = env.DATABASE_URL
  for (const [key, info] of options.keys) {
    const value = env[envName(key)]
    // An empty variable counts as unset, as shells and the XDG variables treat it: the file or default applies.
    if (value === undefined || value === "") continue
    const parsed = info.list ? value.split(",").map((item) => item.trim()) : value
    const [section, inner] = key.split(".") as [string, string | undefined]
    if (inner === undefined) {
      merged[section] = parsed
    } else {
      const current = merged[section]
      const target = typeof current === "object" && current !== null && !Array.isArray(current)
        ? current as Record<string, unknown>
        : (merged[section] = {}) as Record<string, unknown>
      target[inner] = parsed
    }
  }
  return ConfigProvider.fromJson(withEmptyLists(merged))
}

const parseYaml = (path: string, text: string): Effect.Effect<Record<string, unknown>, ConfigFileError> =>
  Effect.try({
    try: () => Yaml.parse(text) as unknown,
    catch: (cause) => new ConfigFileError({ path, reason: "InvalidYaml", detail: firstLine(cause) })
  }).pipe(
    Effect.flatMap((doc) => {
      if (doc === null || doc === undefined) return Effect.succeed({})
      if (typeof doc !== "object" || Array.isArray(doc)) {
        return Effect.fail(new ConfigFileError({ path, reason: "NotAMapping" }))
      }
      return Effect.succeed(doc as Record<string, unknown>)
    })
  )

/**
 * `ConfigProvider.fromJson` reads an empty array as the one-element list `["<nil>"]`. An empty list becomes `""`
 * instead, which a list key reads as empty — the same as an empty environment variable.
 */
const withEmptyLists = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.length === 0 ? "" : value.map(withEmptyLists)
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) out[key] = withEmptyLists(inner)
    return out
  }
  return value
}

export interface LoadOptions {
  /** An explicit `--config` path: it must exist. */
  readonly file?: string | undefined
  readonly env: Env
  /** The configuration that will be read (default `AppConfig.appConfig`): keys it does not read are warned about. */
  readonly schema?: Config.Config<unknown> | undefined
}

export interface Loaded {
  readonly provider: ConfigProvider.ConfigProvider
  /** The file that was read, if any. */
  readonly file: string | null
  /** Keys in the file or `STALKEER_*` variables that `schema` does not read, one line each, with the closest key. */
  readonly warnings: ReadonlyArray<string>
}

/**
 * Builds the effective provider: environment first, then the file, then the defaults written in `AppConfig`.
 * Unknown keys are logged as warnings (and returned): a misspelt key would otherwise be ignored silently.
 */
export const load = Effect.fn("ConfigSource.load")(function*(options: LoadOptions) {
  const loaded = yield* read(options)
  for (const warning of loaded.warnings) yield* Effect.logWarning(warning)
  return loaded
})

const read = Effect.fnUntraced(function*(options: LoadOptions) {
  const fs = yield* FileSystem.FileSystem
  const explicit = options.file ?? options.env.STALKEER_CONFIG
  const path = explicit ?? Paths.defaultConfigFile(options.env)
  const exists = yield* fs.exists(path).pipe(Effect.orElseSucceed(() => false))
  if (!exists) {
    if (explicit !== undefined) return yield* new ConfigFileError({ path, reason: "NotFound" })
    return yield* make({ env: options.env, schema: options.schema })
  }
  const text = yield* fs.readFileString(path).pipe(
    Effect.mapError((cause) => new ConfigFileError({ path, reason: "Unreadable", detail: cause.message }))
  )
  return yield* make({ env: options.env, yaml: { path, text }, schema: options.schema })
})

/**
 * The effective configuration from variables and, when given, a config file's text (no file system: `load` reads
 * the file), with the unknown keys of each as warnings.
 */
export const make = (options: {
  readonly env: Env
  readonly yaml?: { readonly path: string; readonly text: string } | undefined
  readonly schema?: Config.Config<unknown> | undefined
}): Effect.Effect<Loaded, ConfigFileError> =>
  Effect.gen(function*() {
    const keys = yield* keysOf(options.schema ?? appConfig)
    const envWarnings = unknownVariables(options.env, keys)
    if (options.yaml === undefined) {
      return { provider: fromSources({ env: options.env, keys }), file: null, warnings: envWarnings } satisfies Loaded
    }
    const { path, text } = options.yaml
    const doc = yield* parseYaml(path, text)
    return {
      provider: fromSources({ env: options.env, doc, keys }),
      file: path,
      warnings: [...unknownFileKeys(path, doc, keys), ...envWarnings]
    } satisfies Loaded
  })

/**
 * Every key `config` reads, dotted (`provider.max_connections`), found by reading it from a provider that has no
 * values and records what is asked. Every key of the app's configuration is optional, so nothing is skipped.
 */
export const keysOf = (config: Config.Config<unknown>): Effect.Effect<ReadonlyMap<string, Key>> => {
  const seen = new Map<string, Key>()
  const recorder = ConfigProvider.fromFlat(ConfigProvider.makeFlat({
    load: (path, _primitive, split) => {
      seen.set(path.join("."), { list: split === true })
      return Effect.fail(ConfigError.MissingData([...path], "recording"))
    },
    enumerateChildren: () => Effect.succeed(HashSet.empty()),
    patch: PathPatch.empty
  }))
  return Effect.as(Effect.ignore(Effect.withConfigProvider(config, recorder)), seen)
}

/** Variables read for something else than a configuration key. */
const OTHER_VARIABLES: ReadonlySet<string> = new Set(["STALKEER_CONFIG", "STALKEER_DEBUG"])

const unknownVariables = (env: Env, known: ReadonlyMap<string, Key>): Array<string> => {
  const names = new Map<string, string>()
  for (const key of known.keys()) names.set(envName(key), key)
  const sections = new Set([...known.keys()].filter((key) => key.includes(".")).map((key) => envName(key.split(".")[0]!)))
  const warnings: Array<string> = []
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("STALKEER_") || names.has(name) || OTHER_VARIABLES.has(name)) continue
    const closest = closestOf(name, names.keys())
    // Variables of other tools that merely share the prefix stay quiet unless they look like a misspelt key.
    const looksLikeOurs = closest !== null || [...sections].some((section) => name.startsWith(`${section}_`))
    if (looksLikeOurs) warnings.push(`unknown environment variable ${name}${hint(closest)}; it is ignored`)
  }
  return warnings
}

const unknownFileKeys = (path: string, doc: Record<string, unknown>, known: ReadonlyMap<string, Key>): Array<string> => {
  const sections = new Set([...known.keys()].filter((key) => key.includes(".")).map((key) => key.split(".")[0]!))
  const warnings: Array<string> = []
  // A top-level name is compared with the sections and top-level keys, a nested one with every dotted key.
  const topLevel = [...sections, ...[...known.keys()].filter((key) => !key.includes("."))]
  const report = (key: string) =>
    warnings.push(
      `unknown key ${key} in ${path}${hint(closestOf(key, key.includes(".") ? known.keys() : topLevel))}; it is ignored`
    )
  for (const [name, value] of Object.entries(doc)) {
    if (known.has(name)) continue
    if (!sections.has(name)) {
      report(name)
      continue
    }
    // A section with every key commented out (`database:` in the example) is empty, not unknown.
    if (value === null) continue
    if (typeof value !== "object" || Array.isArray(value)) {
      report(name)
      continue
    }
    for (const inner of Object.keys(value)) if (!known.has(`${name}.${inner}`)) report(`${name}.${inner}`)
  }
  return warnings
}

const hint = (closest: string | null) => closest === null ? "" : ` (did you mean ${closest}?)`

/** The known name nearest to `name` by edit distance, when it is near enough to be a likely typo. */
const closestOf = (name: string, known: Iterable<string>): string | null => {
  let best: string | null = null
  let bestDistance = Infinity
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : null
}

const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

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
        // A path from the environment provider arrives constant-cased (`STALKEER`, `PROVIDER`, …).
        const path = e.path.map((segment) => segment.toLowerCase())
        const key = (path[0] === "stalkeer" ? path.slice(1) : path).join(".")
        lines.push(`${key || "(root)"} (${key === "" ? "STALKEER_*" : envName(key)}): ${e.message}`)
        return
      }
    }
  }
  visit(error)
  // An `Or` repeats the same complaint once per source; show each once.
  return [...new Set(lines)].join("; ")
}

const firstLine = (cause: unknown): string => String(cause instanceof Error ? cause.message : cause).split("\n")[0] ?? ""

/**
 * Writes the commented example to `path` (default: the XDG location), owner-only since it will hold the provider's
 * credentials. An existing file is kept unless `force`.
 */
export const writeExample = Effect.fn("ConfigSource.writeExample")(function*(options: {
  readonly path?: string | undefined
  readonly env: Env
  readonly force?: boolean | undefined
}) {
  const fs = yield* FileSystem.FileSystem
  const target = options.path ?? Paths.defaultConfigFile(options.env)
  const unwritable = (cause: { readonly message: string }) =>
    new ConfigFileError({ path: target, reason: "Unwritable", detail: cause.message })
  if (options.force !== true && (yield* fs.exists(target).pipe(Effect.mapError(unwritable)))) {
    return yield* new ConfigFileError({ path: target, reason: "Exists" })
  }
  const dir = target.slice(0, Math.max(target.lastIndexOf("/"), 0))
  if (dir !== "") yield* fs.makeDirectory(dir, { recursive: true }).pipe(Effect.mapError(unwritable))
  yield* fs.writeFileString(target, exampleYaml, { mode: 0o600 }).pipe(Effect.mapError(unwritable))
  return target
})

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
  denials_before_cooldown: 3   # refused streams within 10 minutes before every download pauses
  cooldown: 10 minutes      # the pause after the provider refuses the account; doubles each time in a row
  max_cooldown: 6 hours

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
  timeout_seconds: 30       # longest wait for the provider's answer, and longest stall while downloading
  retries: 3                # network errors and 5xx are retried this often, a timeout once at most

classifier:                 # for a provider whose names the built-in rules get wrong
  group_kinds: []           # e.g. ["^KIDS=series", "^RADIO=live!"]: group-title pattern=kind (! beats the URL too)
  language_codes: []        # e.g. ["VL=nl"]: a name prefix the provider uses for a language

# The sections below are for identification (TMDB), Radarr/Sonarr, downloads and the service.

tmdb:
  # api_key: YOUR_V3_KEY                 # or access_token: YOUR_V4_READ_ACCESS_TOKEN
  language: en-US
  requests_per_second: 20
  cache_ttl_days: 30

radarr:
  # url: http://127.0.0.1:7878          # with its URL base, if any
  # api_key: YOUR_RADARR_KEY            # Radarr: Settings → General → API Key
  # path_mappings: ["/movies=/srv/media/movies"]   # remote=local, when Radarr sees other paths

sonarr:
  # url: http://127.0.0.1:8989
  # api_key: YOUR_SONARR_KEY

matching:
  languages: []             # ordered ISO 639-1 codes, e.g. [fr, en]; empty = any
  resolutions: [1080p, 2160p, 720p, 480p]
  exclude: []               # regular expressions on entry names or groups

downloads:
  stall_timeout: 60 seconds # no bytes for this long: reconnect and resume
  keep_free_megabytes: 512  # a download starts only if the rest of its file fits with this much to spare

api:
  address: 127.0.0.1        # 0.0.0.0 to listen on every interface
  port: 8080
  # key: …                  # generated on first start when absent

schedule:                   # how often \`stalkeer serve\` runs each job; 0 seconds: only when asked (the API)
  playlist: 12 hours        # refresh and ingest the playlist (then identify, then ask Radarr/Sonarr)
  enrich: 12 hours
  radarr: 1 hour
  sonarr: 1 hour

log:
  # level: warning          # trace | debug | info | warning | error | none (unset: warning; info for serve)
`
