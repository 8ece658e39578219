import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as AppConfig from "../src/AppConfig.js"
import * as ConfigSource from "../src/ConfigSource.js"

const read = (provider: ConfigProvider.ConfigProvider) => Effect.withConfigProvider(AppConfig.appConfig, provider)

describe("AppConfig", () => {
  it.effect("has sensible defaults with nothing configured", () =>
    Effect.gen(function*() {
      const config = yield* read(ConfigSource.fromEnv({}))
      assert.isTrue(Option.isNone(config.database.url))
      assert.strictEqual(config.provider.maxConnections, 1)
      assert.strictEqual(config.ingest.maxDrop, 0.5)
      assert.deepStrictEqual(config.filters.excludeGroups, [])
    }))

  it.effect("reads STALKEER_<SECTION>_<KEY> variables and DATABASE_URL", () =>
    Effect.gen(function*() {
      const config = yield* read(ConfigSource.fromEnv({
        STALKEER_PROVIDER_MAX_CONNECTIONS: "3",
        STALKEER_PROVIDER_PASSWORD: "s3cret",
        STALKEER_FILTERS_EXCLUDE_GROUPS: "ADULT,XXX",
        DATABASE_URL: "postgres://127.0.0.1/x"
      }))
      assert.strictEqual(config.provider.maxConnections, 3)
      assert.deepStrictEqual(config.filters.excludeGroups, ["ADULT", "XXX"])
      assert.strictEqual(Option.map(config.provider.password, Redacted.value).pipe(Option.getOrNull), "s3cret")
      assert.strictEqual(String(config.provider.password.pipe(Option.getOrThrow)), "<redacted>")
      assert.strictEqual(Option.map(config.database.url, Redacted.value).pipe(Option.getOrNull), "postgres://127.0.0.1/x")
    }))

  it.effect("lets the environment win over the file", () =>
    Effect.gen(function*() {
      const file = yield* ConfigSource.fromYaml("x.yml", "provider:\n  max_connections: 2\n  name: mine\n")
      const config = yield* read(ConfigProvider.orElse(ConfigSource.fromEnv({ STALKEER_PROVIDER_MAX_CONNECTIONS: "4" }), () => file))
      assert.strictEqual(config.provider.maxConnections, 4)
      assert.strictEqual(config.provider.name, "mine")
    }))

  it.effect("names the key of a wrong value in one line", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(read(ConfigSource.fromEnv({ STALKEER_INGEST_MAX_DROP: "2" })))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        const line = ConfigSource.describeError(result.left)
        assert.include(line, "ingest.max_drop (STALKEER_INGEST_MAX_DROP)")
        assert.notInclude(line, "\n")
      }
    }))

  it.effect("rejects a file that is not YAML or not a mapping", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(ConfigSource.fromYaml("bad.yml", "provider: [unclosed"))
      assert.strictEqual(bad.reason, "InvalidYaml")
      const list = yield* Effect.flip(ConfigSource.fromYaml("list.yml", "- a\n- b\n"))
      assert.strictEqual(list.reason, "NotAMapping")
    }))

  it.effect("parses the example written by config init", () =>
    Effect.gen(function*() {
      const file = yield* ConfigSource.fromYaml("example.yml", ConfigSource.exampleYaml)
      const config = yield* read(file)
      assert.strictEqual(config.ingest.graceDays, 7)
      assert.strictEqual(config.playlist.keep, 10)
    }))

  it("builds an Xtream playlist URL from base URL and credentials", () => {
    const url = AppConfig.playlistUrl({
      name: "p",
      playlistUrl: Option.none(),
      baseUrl: Option.some("http://panel.example:8080"),
      username: Option.some("u"),
      password: Option.some(Redacted.make("p w")),
      maxConnections: 1,
      userAgent: Option.none()
    })
    assert.strictEqual(
      url.pipe(Option.map(Redacted.value), Option.getOrNull),
      "http://panel.example:8080/get.php?username=u&password=p+w&type=m3u_plus&output=ts"
    )
  })
})
