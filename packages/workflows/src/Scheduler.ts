/**
 * The service's scheduled jobs (`stalkeer serve`: playlist, enrich, radarr, sonarr), run on their intervals.
 *
 * - Every tick, each job this process is not already running is offered to `Schedules.acquire`: it runs only where
 *   its lease is taken, so two processes on one database never run the same job at once, and a job never overlaps
 *   itself. Jobs run concurrently with each other.
 * - A running job's lease is renewed every third of it; a lost lease (another process took the job over) stops it.
 * - A job's failure or defect is logged on one line and recorded as `failed`; it is retried when next due, and
 *   never ends the scheduler. A database failure while acquiring is logged and retried at the next tick.
 * - Stopping the scheduler interrupts its running jobs, records them `interrupted` and frees their leases, so
 *   another process can take them at once.
 * - `trigger` asks for a run now (the API): any scheduler takes it at its next tick, one in this process at once.
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import { Schedules } from "@stalkeer/store"
import type { StoreError } from "@stalkeer/store"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"

export interface Job<R> {
  readonly name: string
  /** The time from one start to the next; `null`: only when asked for (`trigger`). */
  readonly interval: Duration.Duration | null
  readonly run: Effect.Effect<unknown, unknown, R>
}

export type Event =
  | { readonly _tag: "JobStarted"; readonly name: string; readonly at: Date }
  | {
    readonly _tag: "JobFinished"
    readonly name: string
    readonly status: Schedules.Status
    readonly error: string | null
    readonly durationMs: number
  }

export interface Options<R> {
  /** This process's name in leases (host and process). */
  readonly owner: string
  /** Names must differ. */
  readonly jobs: ReadonlyArray<Job<R>>
  /** How often due jobs are looked for (default 15 s). */
  readonly tick?: Duration.DurationInput | undefined
  /** A running job's lease, renewed every third of it (default 2 minutes). */
  readonly leaseFor?: Duration.DurationInput | undefined
  readonly onEvent?: ((event: Event) => Effect.Effect<void>) | undefined
}

/** The job's lease was lost: another process took it over, and this run must stop. */
class LeaseLost extends Data.TaggedError("LeaseLost") {
  override get message(): string {
    return "the lease on this job was lost: another process runs it now"
  }
}

/** The schedulers running in this process, woken by `wake` so that a request does not wait for their next tick. */
const schedulers = new Set<Queue.Queue<void>>()

/** Makes every scheduler of this process look for due jobs now. */
export const wake: Effect.Effect<void> = Effect.suspend(() =>
  Effect.forEach([...schedulers], (wakeup) => Queue.offer(wakeup, undefined), { discard: true })
)

/** Asks for a run of the job now, in whichever process takes it first; returns the job's state. */
export const trigger = (name: string): Effect.Effect<Schedules.State, StoreError.StoreError, SqlClient.SqlClient> =>
  Effect.tap(Schedules.request(name), () => wake)

/** Runs the jobs on their schedules until interrupted. */
export const run = <R>(options: Options<R>): Effect.Effect<never, never, R | SqlClient.SqlClient> =>
  Effect.scoped(Effect.gen(function*() {
    const tick = Duration.decode(options.tick ?? "15 seconds")
    const leaseFor = Duration.decode(options.leaseFor ?? "2 minutes")
    // One pending wake-up is enough: it makes the next wait end at once.
    const wakeup = yield* Queue.dropping<void>(1)
    yield* Effect.acquireRelease(
      Effect.sync(() => schedulers.add(wakeup)),
      () => Effect.sync(() => schedulers.delete(wakeup))
    )
    // Closed first when `run` stops: its running jobs are interrupted, and their outcomes recorded, before it ends.
    const running = yield* FiberSet.make()
    const busy = new Set<string>()
    // Taking a lease and starting its job are one step: stopped in between, the lease would stay taken until it
    // expired. The job itself starts interruptible only once its outcome is sure to be recorded.
    const offer = (job: Job<R>) =>
      Effect.uninterruptible(
        Schedules.acquire(job.name, { holder: options.owner, leaseFor, interval: job.interval }).pipe(
          Effect.catchAll((error) =>
            Effect.as(
              Effect.logWarning(`cannot check job ${job.name}: ${error.message}`),
              Option.none<Schedules.Lease>()
            )
          ),
          Effect.flatMap(Option.match({
            onNone: () => Effect.void,
            onSome: (lease) =>
              Effect.suspend(() => {
                busy.add(job.name)
                return FiberSet.run(
                  running,
                  runJob(job, lease, leaseFor, options.onEvent).pipe(
                    Effect.ensuring(Effect.sync(() => busy.delete(job.name)))
                  )
                )
              })
          }))
        )
      )
    const due = Effect.forEach(
      options.jobs,
      (job) => Effect.suspend(() => busy.has(job.name) ? Effect.void : offer(job)),
      { discard: true }
    )
    return yield* due.pipe(Effect.zipRight(Effect.timeoutOption(Queue.take(wakeup), tick)), Effect.forever)
  }))

/**
 * One run of a job under its lease: renewed while it runs, then its outcome recorded. Never fails. Started
 * uninterruptible (see `offer`): only the job is interruptible.
 */
const runJob = <R>(
  job: Job<R>,
  lease: Schedules.Lease,
  leaseFor: Duration.Duration,
  onEvent: Options<R>["onEvent"]
) =>
  Effect.gen(function*() {
    const emit = (event: Event) => onEvent === undefined ? Effect.void : onEvent(event)
    const started = yield* Clock.currentTimeMillis
    // A database failure does not stop the job: the next renewal may succeed, and if the lease expired meanwhile
    // and was taken over, it says so.
    const keepLease = Schedules.heartbeat(lease, leaseFor).pipe(
      Effect.catchAll((error) => Effect.as(Effect.logWarning(`cannot renew the lease: ${error.message}`), true)),
      Effect.flatMap((held) => held ? Effect.void : Effect.fail(new LeaseLost())),
      Effect.delay(Duration.times(leaseFor, 1 / 3)),
      Effect.forever
    )
    const conclude = (exit: Exit.Exit<unknown, unknown>) =>
      Effect.gen(function*() {
        const durationMs = (yield* Clock.currentTimeMillis) - started
        const finished = (status: Schedules.Status, error: string | null) =>
          emit({ _tag: "JobFinished", name: job.name, status, error, durationMs })
        if (Exit.isSuccess(exit)) {
          yield* Effect.logInfo("job finished").pipe(Effect.annotateLogs({ status: "succeeded", durationMs }))
          yield* record(lease, { status: "succeeded" })
          return yield* finished("succeeded", null)
        }
        const lost = Option.filter(Cause.failureOption(exit.cause), (error) => error instanceof LeaseLost)
        if (Option.isSome(lost)) {
          // Nothing to record: the process that took the job over owns its row now.
          yield* Effect.logWarning(`job ${job.name} stopped: ${describe(lost.value)}`)
          return yield* finished("interrupted", describe(lost.value))
        }
        if (Cause.isInterruptedOnly(exit.cause)) {
          yield* Effect.logInfo("job interrupted").pipe(Effect.annotateLogs({ durationMs }))
          yield* record(lease, { status: "interrupted" })
          return yield* finished("interrupted", null)
        }
        const message = describe(Cause.squash(exit.cause))
        yield* Effect.logWarning(`job ${job.name} failed: ${message}`)
        yield* record(lease, { status: "failed", error: message })
        return yield* finished("failed", message)
      })
    yield* Effect.gen(function*() {
      yield* Effect.logInfo("job started")
      yield* emit({ _tag: "JobStarted", name: job.name, at: new Date(started) })
      return yield* job.run
    }).pipe(
      Effect.raceFirst(keepLease),
      Effect.interruptible,
      // Also when interrupted (shutdown): the lease is freed then, not left to expire.
      Effect.onExit(conclude),
      Effect.exit
    )
  }).pipe(Effect.annotateLogs({ job: job.name }))

const record = (lease: Schedules.Lease, outcome: { readonly status: Schedules.Status; readonly error?: string }) =>
  Schedules.finish(lease, outcome).pipe(
    Effect.catchAll((error) => Effect.logWarning(`cannot record the outcome: ${error.message}`))
  )

/** An error's own message, never its stack. */
const describe = (error: unknown): string => {
  if (typeof error === "object" && error !== null) {
    if ("message" in error && typeof error.message === "string" && error.message !== "") return error.message
    if ("_tag" in error && typeof error._tag === "string") return error._tag
  }
  return String(error)
}
