import * as NodeContext from "@effect/platform-node/NodeContext"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as ApiKey from "../src/ApiKey.js"
import * as Support from "./Support.js"

const home = () => Fs.mkdtempSync(Path.join(Os.tmpdir(), "stalkeer-key-"))

describe("ApiKey.resolve", () => {
  it.effect("generates a key on the first start, owner-only, and reuses it after", () =>
    Effect.gen(function*() {
      const dir = home()
      const settings = yield* Support.settings({ HOME: dir, XDG_CONFIG_HOME: Path.join(dir, "config") })
      const first = yield* ApiKey.resolve(settings)
      assert.strictEqual(first.source, "generated")
      assert.strictEqual(first.file, Path.join(dir, "config", "stalkeer", "api-key"))
      assert.match(Redacted.value(first.key), /^[0-9a-f]{32}$/)
      assert.strictEqual(Fs.statSync(first.file).mode & 0o777, 0o600)
      assert.strictEqual(Fs.statSync(Path.dirname(first.file)).mode & 0o077, 0)
      const second = yield* ApiKey.resolve(settings)
      assert.strictEqual(second.source, "file")
      assert.strictEqual(Redacted.value(second.key), Redacted.value(first.key))
      // A key in the configuration wins, and the file is left as it is.
      const configured = yield* ApiKey.resolve(yield* Support.settings({ HOME: dir, XDG_CONFIG_HOME: Path.join(dir, "config"), STALKEER_API_KEY: "from-the-environment-0123" }))
      assert.strictEqual(configured.source, "config")
      assert.strictEqual(Redacted.value(configured.key), "from-the-environment-0123")
      assert.strictEqual(Fs.readFileSync(first.file, "utf8").trim(), Redacted.value(first.key))
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("a damaged key file is an error naming the file and the way out, not a new key", () =>
    Effect.gen(function*() {
      const dir = home()
      Fs.mkdirSync(Path.join(dir, "config", "stalkeer"), { recursive: true })
      Fs.writeFileSync(Path.join(dir, "config", "stalkeer", "api-key"), "short\n")
      const error = yield* Effect.flip(ApiKey.resolve(yield* Support.settings({ HOME: dir, XDG_CONFIG_HOME: Path.join(dir, "config") })))
      assert.strictEqual(error.reason, "Invalid")
      assert.include(error.message, Path.join(dir, "config", "stalkeer", "api-key"))
      assert.include(error.message, "delete the file")
    }).pipe(Effect.provide(NodeContext.layer)))
})
