import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Home, ok, TestLive } from "./CliHome.js"

layer(TestLive, { timeout: "60 seconds" })("configuration", (it) => {
  it.effect("log.level from the file applies; --log-level wins over it", () =>
    Effect.gen(function*() {
      const home = yield* Home
      const file = join(home.dir, "debug.yml")
      writeFileSync(file, "log:\n  level: debug\n")
      const debug = yield* ok("--config", file, "stats")
      assert.match(debug.err, /DEBUG Migrations complete/)
      const quiet = yield* ok("stats")
      assert.notMatch(quiet.err, /DEBUG/)
      const flag = yield* ok("--log-level", "error", "--config", file, "stats")
      assert.notMatch(flag.err, /DEBUG/)
    }))

  it.effect("an unknown key is warned about once, naming the closest known one; the example has none", () =>
    Effect.gen(function*() {
      const home = yield* Home
      const file = join(home.dir, "typo.yml")
      writeFileSync(file, "provider:\n  max_conections: 2\n")
      const r = yield* ok("--config", file, "stats")
      const warnings = r.err.split("\n").filter((line) => line.includes("unknown key"))
      assert.strictEqual(warnings.length, 1)
      assert.include(warnings[0], "did you mean provider.max_connections?")
      const init = join(home.dir, "init.yml")
      yield* ok("config", "init", init)
      const clean = yield* ok("--config", init, "stats")
      assert.notInclude(clean.err, "unknown")
    }))
})
