import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as HttpFailure from "../src/HttpFailure.js"
import * as Retry from "../src/Retry.js"

interface Failure {
  readonly kind: "transient" | "final" | "timeout"
  readonly retryAfter?: number
  readonly attempts?: number
}

/** Fails with `failures[i]` on attempt i (then succeeds); records when each attempt ran, in virtual seconds. */
const flaky = (failures: ReadonlyArray<Failure>) => {
  const at: Array<number> = []
  const effect = Effect.gen(function*() {
    at.push(Duration.toSeconds(Duration.millis(yield* TestClock.currentTimeMillis)))
    const failure = failures[at.length - 1]
    return failure === undefined ? "ok" : yield* Effect.fail(failure)
  })
  return { at, effect }
}

const rules: Retry.Rules<Failure> & { attempts: (e: Failure, n: number) => Failure } = {
  retryable: (e, retry) => e.kind === "transient" || (e.kind === "timeout" && retry < 2),
  retryAfter: (e) => e.retryAfter === undefined ? undefined : Duration.seconds(e.retryAfter),
  attempts: (e, attempts) => ({ ...e, attempts })
}

/** Runs `effect` while moving the clock far enough for any backoff. */
const run = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < 20; i++) yield* TestClock.adjust("10 seconds")
    return yield* Fiber.await(fiber)
  })

describe("Retry", () => {
  it.effect("backs off exponentially with jitter, within the number of retries", () =>
    Effect.gen(function*() {
      const { at, effect } = flaky([{ kind: "transient" }, { kind: "transient" }, { kind: "transient" }])
      const exit = yield* run(Retry.retry(effect, { times: 3, base: "1 second" }, rules))
      assert.strictEqual(exit._tag, "Success")
      const gaps = at.slice(1).map((t, i) => t - at[i]!)
      // 1, 2, 4 seconds, each ±20 %, seen through a clock moved in 10 s steps: at most one step each.
      assert.strictEqual(gaps.length, 3)
      for (const gap of gaps) assert.isTrue(gap > 0 && gap <= 10, `gap ${gap}`)
    }))

  it.effect("gives up after `times` retries and says how many attempts were made", () =>
    Effect.gen(function*() {
      const { at, effect } = flaky(Array.from({ length: 10 }, () => ({ kind: "transient" as const })))
      const exit = yield* run(Retry.retry(effect, { times: 2 }, rules))
      assert.strictEqual(at.length, 3)
      assert.strictEqual(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error.attempts : null, 3)
      const error = yield* Effect.flip(Retry.retry(Effect.fail<Failure>({ kind: "final" }), { times: 5 }, rules))
      assert.strictEqual(error.attempts, 1)
    }))

  it.effect("never retries what the caller says is final; a timeout only once", () =>
    Effect.gen(function*() {
      const final = flaky([{ kind: "final" }])
      yield* run(Retry.retry(final.effect, { times: 5 }, rules))
      assert.strictEqual(final.at.length, 1)
      const timeouts = flaky(Array.from({ length: 5 }, () => ({ kind: "timeout" as const })))
      const exit = yield* run(Retry.retry(timeouts.effect, { times: 5 }, rules))
      assert.strictEqual(timeouts.at.length, 2)
      assert.strictEqual(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error.attempts : null, 2)
    }))

  it.effect("waits at least the server's Retry-After; one beyond the cap ends the retries at once", () =>
    Effect.gen(function*() {
      const polite = flaky([{ kind: "transient", retryAfter: 30 }])
      const waited: Array<number> = []
      yield* run(Retry.retry(polite.effect, { times: 3, maxDelay: "60 seconds" }, {
        ...rules,
        onRetry: (_, __, delay) => Effect.sync(() => waited.push(Duration.toSeconds(delay)))
      }))
      assert.deepStrictEqual(waited, [30])
      assert.isTrue(polite.at[1]! - polite.at[0]! >= 30)
      const rude = flaky([{ kind: "transient", retryAfter: 3600 }])
      yield* run(Retry.retry(rude.effect, { times: 3, maxDelay: "60 seconds" }, rules))
      assert.strictEqual(rude.at.length, 1)
    }))

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z")
    assert.strictEqual(Duration.toSeconds(Retry.parseRetryAfter(" 120 ", now)!), 120)
    assert.strictEqual(Duration.toSeconds(Retry.parseRetryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now)!), 90)
    assert.strictEqual(Duration.toSeconds(Retry.parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)!), 0)
    assert.isUndefined(Retry.parseRetryAfter("soon", now))
    assert.isUndefined(Retry.parseRetryAfter(undefined, now))
  })
})

describe("HttpFailure", () => {
  it("formats waits as a person reads them", () => {
    assert.strictEqual(HttpFailure.formatDuration(Duration.millis(250)), "250 ms")
    assert.strictEqual(HttpFailure.formatDuration(Duration.millis(1188.5)), "1.2 s")
    assert.strictEqual(HttpFailure.formatDuration("2 seconds"), "2 s")
    assert.strictEqual(HttpFailure.formatDuration(Duration.seconds(30.4)), "30 s")
  })
})
