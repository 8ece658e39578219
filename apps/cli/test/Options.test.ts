import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import * as ExitCode from "../src/ExitCode.js"
import { cli, TestLive } from "./CliHome.js"

const sample = fileURLToPath(new URL("../../../examples/sample.m3u", import.meta.url))

layer(TestLive, { timeout: "60 seconds" })("integer options", (it) => {
  it.effect("out of range: a usage error (exit 2) on one line naming the option and the range, before any work", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["items", "--limit", "-1"], "--limit must be an integer from 1 to 1,000,000,000 (got -1)"],
        [["items", "--limit", "0"], "--limit must be an integer from 1 to 1,000,000,000 (got 0)"],
        [["items", "--year", "20000"], "--year must be an integer from 1800 to 2200 (got 20000)"],
        [["runs", "--limit", "0"], "--limit must be an integer from 1 to 1,000,000,000 (got 0)"],
        [["dryrun", sample, "--limit", "-3"], "--limit must be an integer from 1 to 1,000,000,000 (got -3)"],
        [["playlist", "prune", "--keep", "-1"], "--keep must be an integer from 0 to 1,000,000,000 (got -1)"],
        [["filters", "remove", "0"], "<id> must be an integer from 1 to 2,147,483,647 (got 0)"]
      ]
      for (const [args, line] of cases) {
        const r = yield* cli(...args)
        assert.strictEqual(ExitCode.fromExit(r.exit), ExitCode.Usage, args.join(" "))
        assert.strictEqual(r.err.trim(), line, args.join(" "))
        assert.strictEqual(r.out, "", args.join(" "))
      }
    }))

  it.effect("in range: accepted, and the help states the range", () =>
    Effect.gen(function*() {
      const r = yield* cli("dryrun", sample, "--limit", "1", "--json")
      assert.strictEqual(ExitCode.fromExit(r.exit), ExitCode.Success, r.err)
      assert.strictEqual(r.out.split("\n").length, 1)
      const help = yield* cli("items", "--help")
      assert.include(help.out, "At most this many rows (1 to 1,000,000,000)")
    }))
})
