import * as NodeContext from "@effect/platform-node/NodeContext"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Cli from "../src/Cli.js"
import * as ExitCode from "../src/ExitCode.js"
import { version } from "../src/Version.js"
import * as TestConsole from "./TestConsole.js"

const sample = fileURLToPath(new URL("../../../examples/sample.m3u", import.meta.url))
const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url))

const cli = (...args: Array<string>) =>
  Effect.gen(function*() {
    const { captured, console } = TestConsole.make()
    const exit = yield* Cli.run(["node", "stalkeer", ...args]).pipe(Effect.withConsole(console), Effect.exit)
    return { exit, out: captured.out.join("\n"), err: captured.err.join("\n") }
  }).pipe(Effect.provide(NodeContext.layer))

describe("stalkeer (in process)", () => {
  it.effect("dryrun summarises the sample playlist", () =>
    Effect.gen(function*() {
      const { exit, out } = yield* cli("dryrun", sample)
      assert.isTrue(Exit.isSuccess(exit))
      assert.match(out, /examples\/sample\.m3u: \d+ entries/)
      assert.match(out, /Kinds:\n(.|\n)*movie/)
      assert.match(out, /series/)
      assert.match(out, /Warnings: \d+/)
    }))

  it.effect("dryrun --json prints one JSON object per entry, URLs redacted", () =>
    Effect.gen(function*() {
      const { exit, out } = yield* cli("dryrun", sample, "--json", "--limit", "40")
      assert.isTrue(Exit.isSuccess(exit))
      const lines = out.split("\n").map((line) => JSON.parse(line))
      assert.strictEqual(lines.length, 40)
      assert.deepStrictEqual(Object.keys(lines[0]), [
        "line", "kind", "title", "year", "season", "episode", "resolution", "language", "streamId", "groupTitle", "url"
      ])
      assert.notInclude(out, "demo_pass")
      assert.notInclude(out, "demo_user")
      assert.include(out, "***")
      const movie = lines.find((l) => l.kind === "movie")
      assert.isDefined(movie)
    }))

  it.effect("a missing file is a one-line user error (exit code 1)", () =>
    Effect.gen(function*() {
      const { exit } = yield* cli("dryrun", "/nonexistent/playlist.m3u")
      assert.strictEqual(ExitCode.fromExit(exit), 1)
      if (Exit.isFailure(exit)) {
        const line = ExitCode.describe(exit.cause)
        assert.strictEqual(line._tag, "Some")
        if (line._tag === "Some") assert.strictEqual(line.value, "cannot read /nonexistent/playlist.m3u: no such file")
      }
    }))

  it.effect("an unknown option is a usage error (exit code 2)", () =>
    Effect.gen(function*() {
      const { exit } = yield* cli("dryrun", sample, "--frobnicate")
      assert.strictEqual(ExitCode.fromExit(exit), 2)
    }))

  it.effect("version prints the package version", () =>
    Effect.gen(function*() {
      const { out } = yield* cli("version")
      assert.strictEqual(out, `stalkeer ${version}`)
    }))

  it("Version.ts matches package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    assert.strictEqual(version, pkg.version)
  })
})

// The built binary, as a user runs it: exit codes and no stack traces. `nx test` builds it first.
describe.runIf(existsSync(bin))("stalkeer (built binary)", () => {
  const run = (...args: Array<string>) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } })

  it("exits 0 on success", () => {
    const r = run("dryrun", sample, "--limit", "5")
    assert.strictEqual(r.status, 0, r.stderr)
  })

  it("exits 1 with one line and no stack trace on a user error", () => {
    const r = run("dryrun", "/nonexistent.m3u")
    assert.strictEqual(r.status, 1)
    assert.strictEqual(r.stderr.trim(), "stalkeer: cannot read /nonexistent.m3u: no such file")
  })

  it("exits 1 naming the problem when the input is not a playlist", () => {
    const r = run("dryrun", bin)
    assert.strictEqual(r.status, 1)
    assert.match(r.stderr.trim(), /^stalkeer: [^\n]+$/)
    assert.notMatch(r.stderr, /\n\s+at /)
  })

  it("exits 2 on a usage error", () => {
    const r = run("dryrun")
    assert.strictEqual(r.status, 2)
  })

  it("prints help for every command", () => {
    for (const args of [["--help"], ["dryrun", "--help"], ["version", "--help"]]) {
      const r = run(...args)
      assert.strictEqual(r.status, 0, args.join(" "))
      assert.include(r.stdout, "USAGE")
    }
  })
})
