import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Schedules } from "@stalkeer/store"
import * as Testing from "@stalkeer/store/testing"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as HashMap from "effect/HashMap"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Scheduler from "../src/Scheduler.js"

/** `Testing.reset` leaves the jobs alone: they are emptied here. */
const reset = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM schedule_jobs`)

interface Line {
  readonly level: string
  readonly message: string
  readonly annotations: Record<string, unknown>
}

/** What the schedulers of a test said: their events and their log lines. */
const probe = () => {
  const events: Array<Scheduler.Event> = []
  const logs: Array<Line> = []
  const logger = Logger.make(({ annotations, logLevel, message }) => {
    logs.push({
      level: logLevel.label,
      message: (Array.isArray(message) ? message : [message]).map(String).join(" "),
      annotations: Object.fromEntries(HashMap.toEntries(annotations))
    })
  })
  return {
    events,
    logs,
    /** Runs a scheduler with this probe's logger. */
    run: <R>(options: Omit<Scheduler.Options<R>, "onEvent">) =>
      Scheduler.run({ ...options, onEvent: (event) => Effect.sync(() => void events.push(event)) }).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      ),
    started: (name: string) => events.filter((e) => e._tag === "JobStarted" && e.name === name).length,
    finished: (name: string) =>
      events.flatMap((e) => e._tag === "JobFinished" && e.name === name ? [e] : [])
  }
}

/** Waits until `check` holds (the test's timeout is the limit). */
const eventually = (check: () => boolean) =>
  Effect.suspend(() => check() ? Effect.void : Effect.fail("not yet")).pipe(
    Effect.retry(Schedule.spaced("5 millis"))
  )

const state = (name: string) => Effect.map(Schedules.get(name), Option.getOrThrow)

/** A job that runs at every tick: how a test knows that ticks went by. */
const ticker: Scheduler.Job<never> = { name: "ticker", interval: Duration.zero, run: Effect.void }

class Refused extends Data.TaggedError("Refused") {}

layer(Testing.layerConfig(), { timeout: "60 seconds", excludeTestServices: true })("Scheduler", (it) => {
  it.scoped("a job runs at the first tick and not again before its interval; one without runs only on request", () =>
    Effect.gen(function*() {
      yield* reset
      const p = probe()
      yield* Effect.forkScoped(p.run({
        owner: "a",
        tick: "20 millis",
        jobs: [
          { name: "hourly", interval: Duration.hours(1), run: Effect.void },
          { name: "manual", interval: null, run: Effect.void },
          ticker
        ]
      }))
      yield* eventually(() => p.finished("ticker").length >= 5)
      assert.strictEqual(p.started("hourly"), 1)
      assert.strictEqual(p.started("manual"), 0)
      // Started by the first tick: before the ticker's second run.
      const secondTick = p.events.findIndex((e, i) =>
        e._tag === "JobStarted" && e.name === "ticker" &&
        p.events.slice(0, i).some((f) => f._tag === "JobStarted" && f.name === "ticker")
      )
      const hourly = p.events.findIndex((e) => e._tag === "JobStarted" && e.name === "hourly")
      assert.isTrue(hourly >= 0 && hourly < secondTick)
      const done = yield* state("hourly")
      assert.deepStrictEqual([done.runs, done.lastStatus, done.running], [1, "succeeded", false])
      assert.strictEqual((yield* state("manual")).runs, 0)
      const started = p.logs.find((l) => l.message === "job started" && l.annotations["job"] === "hourly")
      assert.strictEqual(started?.level, "INFO")
    }))

  it.scoped("a failing job is logged on one line, recorded failed, and run again when next due", () =>
    Effect.gen(function*() {
      yield* reset
      const p = probe()
      const fiber = yield* Effect.forkScoped(p.run({
        owner: "a",
        tick: "20 millis",
        jobs: [
          { name: "flaky", interval: Duration.zero, run: Effect.fail(new Error("boom")) },
          { name: "broken", interval: Duration.zero, run: Effect.die(new Error("kaput")) },
          { name: "refused", interval: Duration.zero, run: Effect.fail(new Refused()) }
        ]
      }))
      yield* eventually(() => ["flaky", "broken", "refused"].every((name) => p.finished(name).length >= 3))
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)), "the scheduler still runs")
      for (const [name, error] of [["flaky", "boom"], ["broken", "kaput"], ["refused", "Refused"]] as const) {
        assert.deepStrictEqual(
          p.finished(name).slice(0, 3).map((e) => [e.status, e.error]),
          [["failed", error], ["failed", error], ["failed", error]]
        )
        const recorded = yield* state(name)
        assert.deepStrictEqual([recorded.lastStatus, recorded.lastError], ["failed", error])
        assert.isTrue(recorded.runs >= 3)
        const warnings = p.logs.filter((l) => l.level === "WARN" && l.annotations["job"] === name)
        assert.isTrue(warnings.length >= 3)
        assert.strictEqual(warnings[0]!.message, `job ${name} failed: ${error}`)
      }
      assert.isFalse(p.logs.some((l) => l.message.includes("\n")), "no stack traces")
    }))

  it.scoped("a job never overlaps itself: a slow job is not started again while it runs", () =>
    Effect.gen(function*() {
      yield* reset
      const p = probe()
      const gate = yield* Deferred.make<void>()
      const active = yield* Ref.make(0)
      const most = yield* Ref.make(0)
      const slow: Scheduler.Job<never> = {
        name: "slow",
        interval: Duration.zero,
        run: Effect.gen(function*() {
          const now = yield* Ref.updateAndGet(active, (n) => n + 1)
          yield* Ref.update(most, (m) => Math.max(m, now))
          yield* Deferred.await(gate)
          yield* Ref.update(active, (n) => n - 1)
        })
      }
      yield* Effect.forkScoped(p.run({ owner: "a", tick: "20 millis", jobs: [slow, ticker] }))
      yield* eventually(() => p.started("slow") === 1)
      const ticks = p.finished("ticker").length
      // Five more ticks while it runs: it is due at every one of them.
      yield* eventually(() => p.finished("ticker").length >= ticks + 5)
      assert.strictEqual(p.started("slow"), 1)
      yield* Deferred.succeed(gate, undefined)
      yield* eventually(() => p.finished("slow").length >= 3)
      assert.strictEqual(yield* Ref.get(most), 1)
    }))

  it.scoped("two schedulers on one database never run the same job at once", () =>
    Effect.gen(function*() {
      yield* reset
      const p = probe()
      const active = yield* Ref.make(0)
      const most = yield* Ref.make(0)
      const shared: Scheduler.Job<never> = {
        name: "shared",
        interval: Duration.zero,
        run: Effect.gen(function*() {
          const now = yield* Ref.updateAndGet(active, (n) => n + 1)
          yield* Ref.update(most, (m) => Math.max(m, now))
          // Long enough for the other scheduler to tick meanwhile.
          yield* Effect.sleep("30 millis")
          yield* Ref.update(active, (n) => n - 1)
        })
      }
      yield* Effect.forkScoped(p.run({ owner: "a", tick: "10 millis", jobs: [shared] }))
      yield* Effect.forkScoped(p.run({ owner: "b", tick: "10 millis", jobs: [shared] }))
      yield* eventually(() => p.finished("shared").length >= 10)
      assert.strictEqual(yield* Ref.get(most), 1)
      assert.isTrue(p.finished("shared").every((e) => e.status === "succeeded"))
    }))

  it.scoped("trigger runs a job at once, without waiting for the next tick", () =>
    Effect.gen(function*() {
      yield* reset
      const p = probe()
      const ran = yield* Deferred.make<void>()
      yield* Effect.forkScoped(p.run({
        owner: "a",
        tick: "1 hour",
        jobs: [{ name: "manual", interval: null, run: Deferred.succeed(ran, undefined) }, ticker]
      }))
      // The first tick has looked at both jobs.
      yield* eventually(() => p.finished("ticker").length === 1)
      assert.strictEqual((yield* state("manual")).runs, 0)
      const requested = yield* Scheduler.trigger("manual")
      assert.instanceOf(requested.requestedAt, Date)
      yield* Deferred.await(ran)
      yield* eventually(() => p.finished("manual").length === 1)
      const done = yield* state("manual")
      assert.deepStrictEqual([done.runs, done.lastStatus, done.requestedAt], [1, "succeeded", null])
    }))

  it.scoped("stopping the scheduler interrupts its jobs, records them interrupted and frees their leases", () =>
    Effect.gen(function*() {
      yield* reset
      const p = probe()
      const started = yield* Deferred.make<void>()
      const interrupted = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(p.run({
        owner: "a",
        tick: "20 millis",
        jobs: [{
          name: "long",
          interval: Duration.hours(1),
          run: Effect.zipRight(Deferred.succeed(started, undefined), Effect.never).pipe(
            Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))
          )
        }]
      }))
      yield* Deferred.await(started)
      assert.isTrue((yield* state("long")).running)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(yield* Deferred.isDone(interrupted))
      const stopped = yield* state("long")
      assert.deepStrictEqual([stopped.running, stopped.holder, stopped.lastStatus], [false, null, "interrupted"])
      assert.deepStrictEqual(p.finished("long").map((e) => e.status), ["interrupted"])
      // Another process takes it at once (when due: asked for here), without waiting for the lease to expire.
      yield* Schedules.request("long")
      const next = yield* Schedules.acquire("long", { holder: "b", leaseFor: "1 minute", interval: Duration.hours(1) })
      assert.isTrue(Option.isSome(next))
    }))

  it.scoped("a lost lease stops the job with a warning; the scheduler goes on", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = probe()
      const started = yield* Deferred.make<void>()
      const interrupted = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkScoped(p.run({
        owner: "a",
        tick: "20 millis",
        leaseFor: "150 millis",
        jobs: [{
          name: "stolen",
          interval: Duration.hours(1),
          run: Effect.zipRight(Deferred.succeed(started, undefined), Effect.never).pipe(
            Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))
          )
        }, ticker]
      }))
      yield* Deferred.await(started)
      // Another process took the job over.
      yield* sql`UPDATE schedule_jobs SET token = token + 1, holder = 'b' WHERE name = 'stolen'`
      yield* Deferred.await(interrupted)
      yield* eventually(() => p.finished("stolen").length === 1)
      const [finished] = p.finished("stolen")
      assert.strictEqual(finished!.status, "interrupted")
      assert.include(finished!.error ?? "", "lease")
      assert.isTrue(p.logs.some((l) => l.level === "WARN" && l.message.startsWith("job stolen stopped: the lease")))
      // Nothing was written over the other process's run.
      const row = yield* state("stolen")
      assert.deepStrictEqual([row.holder, row.running, row.lastStatus], ["b", true, null])
      const ticks = p.finished("ticker").length
      yield* eventually(() => p.finished("ticker").length > ticks)
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
    }))

  it.scoped("a database failure while looking for due jobs is logged and retried at the next tick", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = probe()
      yield* sql`ALTER TABLE schedule_jobs RENAME TO schedule_jobs_away`
      const restore = sql`ALTER TABLE schedule_jobs_away RENAME TO schedule_jobs`
      yield* Effect.gen(function*() {
        yield* Effect.forkScoped(p.run({ owner: "a", tick: "20 millis", jobs: [ticker] }))
        yield* eventually(() => p.logs.filter((l) => l.message.startsWith("cannot check job ticker")).length >= 2)
        assert.strictEqual(p.events.length, 0)
        yield* restore
      }).pipe(Effect.onError(() => Effect.ignore(restore)))
      yield* eventually(() => p.finished("ticker").length >= 1)
      assert.strictEqual(p.logs.find((l) => l.message.startsWith("cannot check"))?.level, "WARN")
    }))
})
