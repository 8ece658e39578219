import * as NodeContext from "@effect/platform-node/NodeContext"
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import * as AppConfig from "../src/AppConfig.js"
import * as ConfigSource from "../src/ConfigSource.js"

/** The configuration as the app reads it from these variables and, optionally, this config file text. */
const read = (env: ConfigSource.Env, yaml?: string) =>
  ConfigSource.make({ env, yaml: yaml === undefined ? undefined : { path: "stalkeer.yml", text: yaml } }).pipe(
    Effect.orDie,
    Effect.flatMap((loaded) => Effect.withConfigProvider(AppConfig.appConfig, loaded.provider))
  )

describe("AppConfig", () => {
  it.effect("has sensible defaults with nothing configured", () =>
    Effect.gen(function*() {
      const config = yield* read({})
      assert.isTrue(Option.isNone(config.database.url))
      assert.strictEqual(config.provider.maxConnections, 1)
      assert.strictEqual(config.ingest.maxDrop, 0.5)
      assert.deepStrictEqual(config.filters.excludeGroups, [])
    }))

  it.effect("reads STALKEER_<SECTION>_<KEY> variables and DATABASE_URL", () =>
    Effect.gen(function*() {
      const config = yield* read({
        STALKEER_PROVIDER_MAX_CONNECTIONS: "3",
        STALKEER_PROVIDER_PASSWORD: "s3cret",
        STALKEER_FILTERS_EXCLUDE_GROUPS: "ADULT, XXX",
        DATABASE_URL: "postgres://127.0.0.1/x"
      })
      assert.strictEqual(config.provider.maxConnections, 3)
      assert.deepStrictEqual(config.filters.excludeGroups, ["ADULT", "XXX"])
      assert.strictEqual(Option.map(config.provider.password, Redacted.value).pipe(Option.getOrNull), "s3cret")
      assert.strictEqual(String(config.provider.password.pipe(Option.getOrThrow)), "<redacted>")
      assert.strictEqual(Option.map(config.database.url, Redacted.value).pipe(Option.getOrNull), "postgres://127.0.0.1/x")
    }))

  it.effect("lets the environment win over the file", () =>
    Effect.gen(function*() {
      const yaml = "provider:\n  max_connections: 2\n  name: mine\nfilters:\n  exclude_groups: [\"A{1,2}\"]\n"
      const config = yield* read({ STALKEER_PROVIDER_MAX_CONNECTIONS: "4" }, yaml)
      assert.strictEqual(config.provider.maxConnections, 4)
      assert.strictEqual(config.provider.name, "mine")
      // A YAML list keeps a comma inside a pattern.
      assert.deepStrictEqual(config.filters.excludeGroups, ["A{1,2}"])
      // A wrong variable is an error even when the file holds a good value: never a silent fall-back to the file.
      const wrong = yield* Effect.flip(read({ STALKEER_PROVIDER_MAX_CONNECTIONS: "many" }, yaml))
      assert.include(ConfigSource.describeError(wrong), "provider.max_connections (STALKEER_PROVIDER_MAX_CONNECTIONS)")
    }))

  it.effect("names the key of a wrong value in one line", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(read({ STALKEER_INGEST_MAX_DROP: "2" }))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        const line = ConfigSource.describeError(result.left)
        assert.include(line, "ingest.max_drop (STALKEER_INGEST_MAX_DROP)")
        assert.notInclude(line, "\n")
      }
    }))

  it.effect("rejects a file that is not YAML or not a mapping", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(ConfigSource.make({ env: {}, yaml: { path: "bad.yml", text: "provider: [unclosed" } }))
      assert.strictEqual(bad.reason, "InvalidYaml")
      const list = yield* Effect.flip(ConfigSource.make({ env: {}, yaml: { path: "list.yml", text: "- a\n- b\n" } }))
      assert.strictEqual(list.reason, "NotAMapping")
    }))

  it.effect("parses the example written by config init", () =>
    Effect.gen(function*() {
      const config = yield* read({}, ConfigSource.exampleYaml)
      assert.strictEqual(config.ingest.graceDays, 7)
      const loaded = yield* ConfigSource.make({ env: {}, yaml: { path: "example.yml", text: ConfigSource.exampleYaml } })
      assert.deepStrictEqual(loaded.warnings, [])
      assert.strictEqual(config.playlist.keep, 10)
    }))

  it.effect("reads the empty lists of the example as no filter, in YAML and in the environment", () =>
    Effect.gen(function*() {
      const example = yield* read({}, ConfigSource.exampleYaml)
      assert.deepStrictEqual(example.filters, { includeGroups: [], excludeGroups: [], includeNames: [], excludeNames: [] })
      const file = "filters:\n  include_groups: []\n  exclude_names: [\"XXX\"]\n"
      const fromFile = yield* read({}, file)
      assert.deepStrictEqual(fromFile.filters.includeGroups, [])
      assert.deepStrictEqual(fromFile.filters.excludeNames, ["XXX"])
      // An empty variable is unset: never one empty pattern; the file's list (or no filter) applies.
      const emptyEnv = yield* read({ STALKEER_FILTERS_EXCLUDE_NAMES: "", STALKEER_PROVIDER_NAME: "" })
      assert.deepStrictEqual(emptyEnv.filters.excludeNames, [])
      assert.strictEqual(emptyEnv.provider.name, "default")
      const withEnv = yield* read({ STALKEER_FILTERS_EXCLUDE_NAMES: "" }, file)
      assert.deepStrictEqual(withEnv.filters.excludeNames, ["XXX"])
    }))

  it.effect("names a key once in each form whichever source holds the wrong value", () =>
    Effect.gen(function*() {
      const fromEnv = yield* Effect.flip(read({ STALKEER_PROVIDER_MAX_CONNECTIONS: "many" }))
      const envLine = ConfigSource.describeError(fromEnv)
      assert.match(envLine, /^provider\.max_connections \(STALKEER_PROVIDER_MAX_CONNECTIONS\): /)
      assert.notInclude(envLine, "STALKEER.")
      assert.notInclude(envLine, "STALKEER_STALKEER")
      const fileLine = ConfigSource.describeError(yield* Effect.flip(read({}, "provider:\n  max_connections: many\n")))
      assert.match(fileLine, /^provider\.max_connections \(STALKEER_PROVIDER_MAX_CONNECTIONS\): /)
    }))

  it.effect("knows every key the configuration reads", () =>
    Effect.gen(function*() {
      const keys = yield* ConfigSource.keysOf(AppConfig.appConfig)
      for (const key of ["data_dir", "provider.max_connections", "filters.include_groups", "log.level"]) {
        assert.isTrue(keys.has(key), key)
      }
    }))

  it.effect("warns about unknown keys in the file and the environment, naming the closest known one", () =>
    Effect.gen(function*() {
      const dir = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "stalkeer-config-"))
      const file = NodePath.join(dir, "stalkeer.yml")
      Fs.writeFileSync(file, "provider:\n  max_conections: 2\n  name: x\nprovder:\n  name: y\nfilters:\n  include_groups: []\n")
      const loaded = yield* ConfigSource.load({
        file,
        env: { STALKEER_PROVIDER_USERNAM: "u", STALKEER_PROVIDER_NAME: "ok", STALKEER_CONFIG: file, STALKEER_BENCH_DIR: "/x" }
      }).pipe(Effect.ensuring(Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))))
      assert.deepStrictEqual(loaded.warnings, [
        `unknown key provider.max_conections in ${file} (did you mean provider.max_connections?); it is ignored`,
        `unknown key provder in ${file} (did you mean provider?); it is ignored`,
        "unknown environment variable STALKEER_PROVIDER_USERNAM (did you mean STALKEER_PROVIDER_USERNAME?); it is ignored"
      ])
    }).pipe(Effect.provide(NodeContext.layer)))

  it("builds an Xtream playlist URL from base URL and credentials", () => {
    const url = AppConfig.playlistUrl({
      name: "p",
      playlistUrl: Option.none(),
      baseUrl: Option.some("http://panel.example:8080"),
      username: Option.some(Redacted.make("u")),
      password: Option.some(Redacted.make("p w")),
      maxConnections: 1,
      userAgent: Option.none(),
      denialsBeforeCooldown: 3,
      cooldown: Duration.minutes(10),
      maxCooldown: Duration.hours(6)
    })
    assert.strictEqual(
      url.pipe(Option.map(Redacted.value), Option.getOrNull),
      "http://panel.example:8080/get.php?username=u&password=p+w&type=m3u_plus&output=ts"
    )
  })

  it.effect("reads the sections of identification, downloads and the service, from variables and the file", () =>
    Effect.gen(function*() {
      const config = yield* read({
        STALKEER_TMDB_API_KEY: "tmdb-secret",
        STALKEER_RADARR_PATH_MAPPINGS: "/movies=/srv/movies, /films = /mnt/films",
        STALKEER_DOWNLOADS_STALL_TIMEOUT: "5 seconds",
        STALKEER_DOWNLOADS_KEEP_FREE_MEGABYTES: "2048",
        STALKEER_MATCHING_LANGUAGES: "fr,en"
      }, "tmdb:\n  base_url: http://127.0.0.1:9999/3/\nsonarr:\n  url: http://nas:8989/sonarr\n  timeout: 2 minutes\napi:\n  port: 9090\n")
      assert.strictEqual(config.tmdb.baseUrl, "http://127.0.0.1:9999/3")
      assert.strictEqual(config.tmdb.apiKey.pipe(Option.map(Redacted.value), Option.getOrNull), "tmdb-secret")
      assert.strictEqual(config.tmdb.language, "en-US")
      assert.deepStrictEqual(config.radarr.pathMappings, [{ remote: "/movies", local: "/srv/movies" }, { remote: "/films", local: "/mnt/films" }])
      assert.strictEqual(Duration.toSeconds(config.downloads.stallTimeout), 5)
      assert.strictEqual(config.downloads.keepFreeMegabytes, 2048)
      assert.strictEqual(Duration.toSeconds(config.sonarr.timeout), 120)
      assert.strictEqual(Option.getOrNull(config.sonarr.url), "http://nas:8989/sonarr")
      assert.deepStrictEqual(config.matching.languages, ["fr", "en"])
      assert.deepStrictEqual(config.matching.resolutions, ["1080p", "2160p", "720p", "480p"])
      assert.strictEqual(config.api.port, 9090)
      assert.strictEqual(config.api.address, "127.0.0.1")
      assert.strictEqual(Duration.toHours(config.schedule.radarr), 1)
    }))

  it.effect("names the key of a bad value in the new sections", () =>
    Effect.gen(function*() {
      const bad = (env: ConfigSource.Env) =>
        read(env).pipe(Effect.flip, Effect.map(ConfigSource.describeError))
      assert.include(yield* bad({ STALKEER_RADARR_PATH_MAPPINGS: "/movies" }), "radarr.path_mappings (STALKEER_RADARR_PATH_MAPPINGS)")
      assert.include(yield* bad({ STALKEER_TMDB_BASE_URL: "api.themoviedb.org" }), "tmdb.base_url (STALKEER_TMDB_BASE_URL): Expected an http:// or https:// URL")
      assert.include(yield* bad({ STALKEER_SCHEDULE_ENRICH: "often" }), "schedule.enrich (STALKEER_SCHEDULE_ENRICH)")
      assert.include(yield* bad({ STALKEER_API_PORT: "70000" }), "api.port (STALKEER_API_PORT)")
      assert.include(yield* bad({ STALKEER_DOWNLOADS_KEEP_FREE_MEGABYTES: "-1" }), "downloads.keep_free_megabytes (STALKEER_DOWNLOADS_KEEP_FREE_MEGABYTES): must be 0 or more")
      assert.include(yield* bad({ STALKEER_MATCHING_LANGUAGES: "fr,french" }), "matching.languages (STALKEER_MATCHING_LANGUAGES): Expected ISO 639-1 codes (fr, en, …), got \"french\"")
      assert.include(yield* bad({ STALKEER_MATCHING_RESOLUTIONS: "1080p,4k" }), "matching.resolutions (STALKEER_MATCHING_RESOLUTIONS): Expected resolutions among 2160p, 1080p, 720p, 480p, got \"4k\"")
      assert.include(yield* bad({ STALKEER_MATCHING_EXCLUDE: "\\bCAM\\b,(unclosed" }), "matching.exclude (STALKEER_MATCHING_EXCLUDE): Expected regular expressions, got \"(unclosed\"")
    }))

  it.effect("matching: languages and resolutions are read case-insensitively, exclude patterns are kept as written", () =>
    Effect.gen(function*() {
      const config = yield* read({ STALKEER_MATCHING_LANGUAGES: "FR, en", STALKEER_MATCHING_RESOLUTIONS: "2160P,1080p" },
        "matching:\n  exclude:\n    - '\\bCAM\\b'\n    - 'HDTS|TELESYNC'\n")
      assert.deepStrictEqual(config.matching.languages, ["fr", "en"])
      assert.deepStrictEqual(config.matching.resolutions, ["2160p", "1080p"])
      assert.deepStrictEqual(config.matching.exclude, ["\\bCAM\\b", "HDTS|TELESYNC"])
    }))

})
