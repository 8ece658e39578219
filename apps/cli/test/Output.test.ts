import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logging from "../src/Logging.js"
import * as Render from "../src/Render.js"
import * as TestConsole from "./TestConsole.js"
import { cli, TestLive } from "./CliHome.js"

describe("durations", () => {
  it("read as a person would write them", () => {
    assert.strictEqual(Render.duration(Duration.nanos(1_188_549_909n)), "1.2 s")
    assert.strictEqual(Render.duration(250), "250 ms")
    assert.strictEqual(Render.duration(0), "0 ms")
    assert.strictEqual(Render.duration("15150 millis"), "15.2 s")
    assert.strictEqual(Render.duration(Duration.seconds(59.96)), "1 min")
    assert.strictEqual(Render.duration(Duration.seconds(125)), "2 min 5 s")
    assert.strictEqual(Render.duration(Duration.minutes(62)), "1 h 2 min")
    assert.strictEqual(Render.duration(Duration.infinity), "forever")
  })
})

describe("logs", () => {
  it.effect("go to standard error, with durations and spans formatted", () =>
    Effect.gen(function*() {
      const { captured, console } = TestConsole.make()
      yield* Effect.logWarning("retry in", Duration.nanos(1_188_549_909n)).pipe(
        Effect.annotateLogs("attempt", 2),
        Effect.withLogSpan("download"),
        Logging.withLogger(Logging.make()),
        Effect.withConsole(console)
      )
      assert.deepStrictEqual(captured.out, [])
      assert.strictEqual(captured.err.length, 1)
      assert.match(captured.err[0]!, /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN retry in 1\.2 s attempt=2 download=\d+ ms$/)
    }))

  it.effect("never reach stdout: --log-level debug items --json prints only JSON lines", () =>
    Effect.gen(function*() {
      // A fresh home, so the migrations run and log at debug level.
      const r = yield* cli("--log-level", "debug", "items", "--json")
      assert.isTrue(Exit.isSuccess(r.exit), r.err)
      for (const line of r.out.split("\n").filter((l) => l !== "")) assert.doesNotThrow(() => JSON.parse(line), line)
      assert.match(r.err, /DEBUG .*migration/i)
    }).pipe(Effect.provide(TestLive)), { timeout: 120_000 })
})
