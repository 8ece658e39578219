import * as NodeContext from "@effect/platform-node/NodeContext"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import * as Paths from "../src/Paths.js"
import * as ConfigSource from "../src/ConfigSource.js"
import * as Settings from "../src/Settings.js"

describe("Paths", () => {
  it("follows XDG, else ~/.local/share and ~/.config", () => {
    assert.strictEqual(Paths.defaultDataDir({ XDG_DATA_HOME: "/x/data", HOME: "/home/u" }), "/x/data/stalkeer")
    assert.strictEqual(Paths.defaultDataDir({ HOME: "/home/u" }), "/home/u/.local/share/stalkeer")
    assert.strictEqual(Paths.defaultDataDir({ XDG_DATA_HOME: "", HOME: "/home/u" }), "/home/u/.local/share/stalkeer")
    assert.strictEqual(Paths.defaultConfigFile({ HOME: "/home/u" }), "/home/u/.config/stalkeer/stalkeer.yml")
    assert.strictEqual(Paths.defaultConfigFile({ XDG_CONFIG_HOME: "/c", HOME: "/home/u" }), "/c/stalkeer/stalkeer.yml")
  })
})

describe("Settings", () => {
  const withFile = (text: string) => {
    const dir = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "stalkeer-settings-"))
    const file = NodePath.join(dir, "stalkeer.yml")
    Fs.writeFileSync(file, text)
    return file
  }

  it.effect("resolves every path from data_dir, with ~ expanded, unless a key names its own", () =>
    Effect.gen(function*() {
      const file = withFile("data_dir: ~/media/stalkeer\nplaylist:\n  path: /srv/playlist.m3u\n")
      const settings = yield* Settings.load({ file, env: { HOME: "/home/u" } })
      assert.strictEqual(settings.file, file)
      assert.deepStrictEqual(settings.paths, {
        dataDir: "/home/u/media/stalkeer",
        playlist: "/srv/playlist.m3u",
        archives: "/home/u/media/stalkeer/archives",
        embeddedDatabase: "/home/u/media/stalkeer/pglite",
        configDir: NodePath.dirname(file)
      })
      const defaults = yield* Settings.load({ env: { HOME: "/nowhere-home" } })
      assert.strictEqual(defaults.file, null)
      assert.strictEqual(defaults.paths.embeddedDatabase, "/nowhere-home/.local/share/stalkeer/pglite")
      assert.strictEqual(defaults.paths.configDir, "/nowhere-home/.config/stalkeer")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("fails with InvalidConfig naming the key, as written and as a variable", () =>
    Effect.gen(function*() {
      const error = yield* Settings.load({ env: { HOME: "/h", STALKEER_INGEST_MAX_DROP: "2" } }).pipe(Effect.flip)
      assert.strictEqual(error._tag, "InvalidConfig")
      assert.include(error.message, "invalid configuration: ingest.max_drop (STALKEER_INGEST_MAX_DROP)")
    }).pipe(Effect.provide(NodeContext.layer)))
})

describe("ConfigSource.writeExample", () => {
  it.effect("writes the example owner-only where the config is read from, keeps an existing file unless forced", () =>
    Effect.gen(function*() {
      const home = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "stalkeer-init-"))
      const path = yield* ConfigSource.writeExample({ env: { HOME: home } })
      assert.strictEqual(path, NodePath.join(home, ".config/stalkeer/stalkeer.yml"))
      assert.strictEqual(Fs.statSync(path).mode & 0o777, 0o600)
      const loaded = yield* Settings.load({ env: { HOME: home } })
      assert.strictEqual(loaded.file, path)
      Fs.writeFileSync(path, "mine")
      const exists = yield* ConfigSource.writeExample({ env: { HOME: home } }).pipe(Effect.flip)
      assert.strictEqual(exists.reason, "Exists")
      assert.include(exists.message, "already exists (use --force to overwrite it)")
      assert.strictEqual(Fs.readFileSync(path, "utf8"), "mine")
      yield* ConfigSource.writeExample({ env: { HOME: home }, force: true })
      assert.strictEqual(Fs.readFileSync(path, "utf8"), ConfigSource.exampleYaml)
    }).pipe(Effect.provide(NodeContext.layer)))
})
