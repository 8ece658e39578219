import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedules from "../src/Schedules.js"
import { StoreLive } from "./utils.js"

const onPostgres = (process.env["DATABASE_URL"] ?? "") !== ""

/** `Testing.reset` leaves the jobs alone: they are emptied here. */
const reset = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM schedule_jobs`)

const acquire = (name: string, holder = "a", interval: Schedules.AcquireOptions["interval"] = "1 hour") =>
  Schedules.acquire(name, { holder, leaseFor: "1 minute", interval })

const take = (name: string, holder = "a", interval: Schedules.AcquireOptions["interval"] = "1 hour") =>
  Effect.map(acquire(name, holder, interval), Option.getOrThrow)

const state = (name: string) => Effect.map(Schedules.get(name), Option.getOrThrow)

const update = (statement: string) => Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(statement))

layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("Schedules", (it) => {
  it.effect("a new job is due at once, then again when its interval has passed since its last start", () =>
    Effect.gen(function*() {
      yield* reset
      const first = yield* take("playlist")
      assert.deepStrictEqual(first, { name: "playlist", holder: "a", token: 1 })
      assert.isTrue(yield* Schedules.finish(first, { status: "succeeded" }))
      assert.isTrue(Option.isNone(yield* acquire("playlist")))
      yield* update(`UPDATE schedule_jobs SET last_started_at = now() - interval '59 minutes'`)
      assert.isTrue(Option.isNone(yield* acquire("playlist")))
      yield* update(`UPDATE schedule_jobs SET last_started_at = now() - interval '61 minutes'`)
      const second = yield* take("playlist", "b")
      assert.deepStrictEqual(second, { name: "playlist", holder: "b", token: 2 })
      const running = yield* state("playlist")
      assert.isTrue(running.running)
      assert.strictEqual(running.holder, "b")
      assert.strictEqual(running.runs, 2)
      // The last outcome stays the previous run's until this one finishes.
      assert.strictEqual(running.lastStatus, "succeeded")
      // Another job has its own schedule.
      assert.isTrue(Option.isSome(yield* acquire("enrich")))
    }))

  it.effect("a request makes a job due at once; the run that takes it clears it", () =>
    Effect.gen(function*() {
      yield* reset
      assert.isTrue(yield* Schedules.finish(yield* take("radarr"), { status: "succeeded" }))
      assert.isTrue(Option.isNone(yield* acquire("radarr")))
      const requested = yield* Schedules.request("radarr")
      assert.instanceOf(requested.requestedAt, Date)
      assert.isFalse(requested.running)
      // Asked again before it starts: the first request's time is kept.
      assert.deepStrictEqual((yield* Schedules.request("radarr")).requestedAt, requested.requestedAt)
      const lease = yield* take("radarr")
      assert.isNull((yield* state("radarr")).requestedAt)
      // Asked for while it runs: it runs again after this run, not alongside it.
      yield* Schedules.request("radarr")
      assert.isTrue(Option.isNone(yield* acquire("radarr", "b")))
      assert.isTrue(yield* Schedules.finish(lease, { status: "succeeded" }))
      assert.isTrue(Option.isSome(yield* acquire("radarr", "b")))
      assert.isTrue(Option.isNone(yield* acquire("radarr", "c")))
    }))

  it.effect("a job without an interval runs only when asked for", () =>
    Effect.gen(function*() {
      yield* reset
      assert.isTrue(Option.isNone(yield* acquire("sonarr", "a", null)))
      // Its row exists (it is listed), never run.
      const idle = yield* state("sonarr")
      assert.deepStrictEqual([idle.running, idle.runs, idle.lastStartedAt, idle.holder], [false, 0, null, null])
      assert.isTrue(Option.isNone(yield* acquire("sonarr", "a", null)))
      yield* Schedules.request("sonarr")
      const lease = yield* take("sonarr", "a", null)
      assert.strictEqual(lease.token, 1)
      assert.isTrue(yield* Schedules.finish(lease, { status: "succeeded" }))
      assert.isTrue(Option.isNone(yield* acquire("sonarr", "a", null)))
      // A request made before the row existed counts too.
      yield* Schedules.request("new")
      assert.isTrue(Option.isSome(yield* acquire("new", "a", null)))
    }))

  it.effect("a lease holds for leaseFor; once expired another holder takes it, and the old one is fenced", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const old = yield* take("enrich", "a", "0 seconds")
      const [left] = yield* sql<{ readonly s: number }>`
        SELECT extract(epoch FROM lease_expires_at - now())::float8 AS s FROM schedule_jobs`
      assert.isTrue(left!.s > 55 && left!.s <= 60, `lease ${left!.s}`)
      // Due (interval 0), but leased.
      assert.isTrue(Option.isNone(yield* acquire("enrich", "b", "0 seconds")))
      yield* update(`UPDATE schedule_jobs SET lease_expires_at = now() - interval '1 second'`)
      const lost = yield* state("enrich")
      assert.isFalse(lost.running)
      assert.strictEqual(lost.holder, "a")
      const next = yield* take("enrich", "b", "0 seconds")
      assert.isTrue(next.token > old.token)
      // The run that died is recorded as interrupted.
      const taken = yield* state("enrich")
      assert.strictEqual(taken.lastStatus, "interrupted")
      assert.include(taken.lastError ?? "", "a")
      assert.instanceOf(taken.lastFinishedAt, Date)
      assert.deepStrictEqual([taken.running, taken.holder, taken.runs], [true, "b", 2])
      // The old holder changes nothing.
      assert.isFalse(yield* Schedules.heartbeat(old, "1 hour"))
      assert.isFalse(yield* Schedules.finish(old, { status: "failed", error: "late" }))
      assert.deepStrictEqual(yield* state("enrich"), taken)
      // The current one does; once finished, not even it.
      assert.isTrue(yield* Schedules.heartbeat(next, "1 minute"))
      assert.isTrue(yield* Schedules.finish(next, { status: "failed", error: "boom" }))
      const done = yield* state("enrich")
      assert.deepStrictEqual(
        [done.running, done.holder, done.lastStatus, done.lastError],
        [false, null, "failed", "boom"]
      )
      assert.isFalse(yield* Schedules.heartbeat(next, "1 minute"))
      assert.isFalse(yield* Schedules.finish(next, { status: "succeeded" }))
      assert.strictEqual((yield* state("enrich")).lastStatus, "failed")
    }))

  it.effect("concurrent acquires of a job get one lease between them, whether its row exists or not", () =>
    Effect.gen(function*() {
      yield* reset
      const race = (interval: Schedules.AcquireOptions["interval"]) =>
        Effect.map(
          Effect.all(Array.from({ length: 10 }, (_, i) => acquire("playlist", `w${i}`, interval)), {
            concurrency: "unbounded"
          }),
          (leases) => leases.flatMap((lease) => Option.isSome(lease) ? [lease.value] : [])
        )
      const first = yield* race("0 seconds")
      assert.strictEqual(first.length, 1)
      assert.isTrue(yield* Schedules.finish(first[0]!, { status: "succeeded" }))
      const second = yield* race("0 seconds")
      assert.strictEqual(second.length, 1)
      assert.isTrue(yield* Schedules.finish(second[0]!, { status: "succeeded" }))
      yield* Schedules.request("playlist")
      assert.strictEqual((yield* race(null)).length, 1)
      assert.strictEqual((yield* state("playlist")).runs, 3)
    }))

  it.effect.skipIf(!onPostgres)("on PostgreSQL, an acquire waits for one in an open transaction and loses", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const contend = Effect.all([
        sql.withTransaction(Effect.zipLeft(acquire("radarr", "a", "0 seconds"), Effect.sleep("300 millis"))),
        Effect.zipRight(Effect.sleep("100 millis"), acquire("radarr", "b", "0 seconds"))
      ], { concurrency: "unbounded" })
      // The row does not exist yet: the second insert waits for the first one's outcome.
      const [a, b] = yield* contend
      assert.isTrue(Option.isSome(a))
      assert.isTrue(Option.isNone(b))
      assert.isTrue(yield* Schedules.finish(Option.getOrThrow(a), { status: "succeeded" }))
      // It exists: the second update waits for the first one's lock, then finds the job leased.
      const [c, d] = yield* contend
      assert.isTrue(Option.isSome(c))
      assert.isTrue(Option.isNone(d))
    }))

  it.effect("list and get give every job's state", () =>
    Effect.gen(function*() {
      yield* reset
      assert.deepStrictEqual(yield* Schedules.list, [])
      assert.isTrue(Option.isNone(yield* Schedules.get("playlist")))
      const lease = yield* take("playlist", "host:1")
      assert.isTrue(yield* Schedules.finish(lease, { status: "succeeded" }))
      yield* take("enrich", "host:2")
      yield* Schedules.request("sonarr")
      const jobs = yield* Schedules.list
      assert.deepStrictEqual(jobs.map((job) => job.name), ["enrich", "playlist", "sonarr"])
      const [enrich, playlist, sonarr] = jobs
      const { lastFinishedAt, lastStartedAt, ...rest } = playlist!
      assert.instanceOf(lastStartedAt, Date)
      assert.instanceOf(lastFinishedAt, Date)
      assert.isTrue(lastFinishedAt!.getTime() >= lastStartedAt!.getTime())
      assert.deepStrictEqual(rest, {
        name: "playlist",
        running: false,
        holder: null,
        lastStatus: "succeeded",
        lastError: null,
        requestedAt: null,
        runs: 1
      })
      assert.deepStrictEqual(
        [enrich!.running, enrich!.holder, enrich!.runs, enrich!.lastStatus, enrich!.lastFinishedAt],
        [true, "host:2", 1, null, null]
      )
      assert.instanceOf(sonarr!.requestedAt, Date)
      assert.deepStrictEqual([sonarr!.running, sonarr!.runs, sonarr!.lastStartedAt], [false, 0, null])
      assert.deepStrictEqual(yield* Schedules.get("playlist"), Option.some(playlist!))
    }))

  it.effect("an empty job name is refused", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(acquire(" "))
      assert.strictEqual(error.reason, "InvalidInput")
      assert.strictEqual((yield* Effect.flip(Schedules.request(""))).reason, "InvalidInput")
    }))
})
