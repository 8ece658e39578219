/**
 * The service's scheduled jobs (`stalkeer serve`), shared by every process on the database: one row per job, and
 * a job runs only where its lease is held, so two processes never run the same job at once.
 *
 * `acquire` takes the lease of a job that is due — never run, its interval elapsed since its last start, or asked
 * for (`request`) — and not leased; the holder keeps pushing the expiry back with `heartbeat` and ends with
 * `finish`. Each acquire increments the job's token, which every later write presents: a holder that was too slow
 * or cut off, whose lease expired and was taken over, changes nothing. A lease that expired without a `finish`
 * (its process died) is recorded as `interrupted` by the acquire that takes it over. All times come from the
 * database's clock.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Errors from "./internal/errors.js"
import { StoreError } from "./StoreError.js"

export type Status = "succeeded" | "failed" | "interrupted"

/** A job as every process sees it. */
export interface State {
  readonly name: string
  /** Its lease holds now: some process runs it. */
  readonly running: boolean
  /** Who holds its lease (host and process); after a lease expired unfinished, who held it. */
  readonly holder: string | null
  readonly lastStartedAt: Date | null
  readonly lastFinishedAt: Date | null
  readonly lastStatus: Status | null
  /** As the job's error said it. */
  readonly lastError: string | null
  /** A run asked for now and not started yet. */
  readonly requestedAt: Date | null
  /** Runs started, including a running one. */
  readonly runs: number
}

/** A job's lease, and the token every later write must present. */
export interface Lease {
  readonly name: string
  readonly holder: string
  readonly token: number
}

export interface AcquireOptions {
  /** Who takes it (host and process), shown while it runs. */
  readonly holder: string
  /** How long the lease holds without a heartbeat. */
  readonly leaseFor: Duration.DurationInput
  /** The time from one start to the next; `null`: it runs only when asked for (`request`). */
  readonly interval: Duration.DurationInput | null
}

const columns = `j.name, j.lease_expires_at IS NOT NULL AND j.lease_expires_at > now() AS running, j.holder,
  j.last_started_at AS "lastStartedAt", j.last_finished_at AS "lastFinishedAt", j.last_status AS "lastStatus",
  j.last_error AS "lastError", j.requested_at AS "requestedAt", j.runs`

const millis = (duration: Duration.DurationInput): number => Duration.toMillis(Duration.decode(duration))

/** `now() ± ms`, on the database's clock. */
const later = (sql: SqlClient.SqlClient, ms: number) => sql`now() + ${ms}::float8 * interval '1 millisecond'`
const ago = (sql: SqlClient.SqlClient, ms: number) => sql`now() - ${ms}::float8 * interval '1 millisecond'`

const invalidName = (operation: string, name: string) =>
  name.trim() === ""
    ? Effect.fail(new StoreError({ reason: "InvalidInput", operation, detail: "empty job name" }))
    : Effect.void

/**
 * Takes the job's lease when it is due and not leased; `None` otherwise. One statement that creates the job's row
 * when it is missing, so two processes asking at once — on any number of machines — get one lease between them.
 */
export const acquire = Effect.fn("Schedules.acquire")(function*(name: string, options: AcquireOptions) {
  yield* invalidName("Schedules.acquire", name)
  const sql = yield* SqlClient.SqlClient
  const expires = later(sql, millis(options.leaseFor))
  const due = options.interval === null
    ? sql`j.requested_at IS NOT NULL`
    : sql`(j.last_started_at IS NULL OR j.requested_at IS NOT NULL
        OR j.last_started_at <= ${ago(sql, millis(options.interval))})`
  // A new job is due at once, unless it runs only when asked for: then its row is made but not taken.
  const fresh = options.interval === null
    ? sql`(${name}, NULL, 0, NULL, NULL, 0)`
    : sql`(${name}, ${options.holder}, 1, ${expires}, now(), 1)`
  // A lease still set here expired without a `finish`: its process died, and that run is recorded as such.
  const [row] = yield* sql<{ readonly token: number; readonly taken: boolean }>`
    INSERT INTO schedule_jobs AS j (name, holder, token, lease_expires_at, last_started_at, runs)
    VALUES ${fresh}
    ON CONFLICT (name) DO UPDATE SET
      holder = ${options.holder}, token = j.token + 1, lease_expires_at = ${expires}, last_started_at = now(),
      requested_at = NULL, runs = j.runs + 1,
      last_status = CASE WHEN j.lease_expires_at IS NULL THEN j.last_status ELSE 'interrupted' END,
      last_error = CASE WHEN j.lease_expires_at IS NULL THEN j.last_error
        ELSE 'the lease of ' || COALESCE(j.holder, 'its process') || ' expired' END,
      last_finished_at = COALESCE(j.lease_expires_at, j.last_finished_at)
    WHERE (j.lease_expires_at IS NULL OR j.lease_expires_at <= now()) AND ${due}
    RETURNING j.token::float8 AS token, j.lease_expires_at IS NOT NULL AS taken`
  return row === undefined || !row.taken
    ? Option.none<Lease>()
    : Option.some<Lease>({ name, holder: options.holder, token: row.token })
}, Errors.query("Schedules.acquire"))

/** The rows a lease may still write: its job, under its token, not finished. */
const leased = (sql: SqlClient.SqlClient, lease: Lease) =>
  sql`j.name = ${lease.name} AND j.token = ${lease.token} AND j.lease_expires_at IS NOT NULL`

/** Pushes the lease's expiry to `now + leaseFor`; `false` when the lease is lost (the job must stop). */
export const heartbeat = Effect.fn("Schedules.heartbeat")(function*(lease: Lease, leaseFor: Duration.DurationInput) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE schedule_jobs j SET lease_expires_at = ${later(sql, millis(leaseFor))}
    WHERE ${leased(sql, lease)} RETURNING j.name`
  return rows.length > 0
}, Errors.query("Schedules.heartbeat"))

/**
 * Records how the run ended and frees the job at once (another process need not wait for the lease to expire).
 * `false` when the lease was lost: nothing is recorded then, the run after it owns the row.
 */
export const finish = Effect.fn("Schedules.finish")(function*(
  lease: Lease,
  outcome: { readonly status: Status; readonly error?: string | null | undefined }
) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE schedule_jobs j SET last_finished_at = now(), last_status = ${outcome.status},
      last_error = ${outcome.error ?? null}, holder = NULL, lease_expires_at = NULL
    WHERE ${leased(sql, lease)} RETURNING j.name`
  return rows.length > 0
}, Errors.query("Schedules.finish"))

/**
 * Asks for a run now, whatever the job's interval: the next `acquire` takes it as soon as it is not leased (after
 * the current run, if one is running). Asking again before it starts keeps the first request's time.
 */
export const request = Effect.fn("Schedules.request")(function*(name: string) {
  yield* invalidName("Schedules.request", name)
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<State>`
    INSERT INTO schedule_jobs AS j (name, requested_at) VALUES (${name}, now())
    ON CONFLICT (name) DO UPDATE SET requested_at = COALESCE(j.requested_at, now())
    RETURNING ${sql.literal(columns)}`
  return row!
}, Errors.query("Schedules.request"))

/** Every job that was ever run or asked for, by name. */
export const list: Effect.Effect<ReadonlyArray<State>, StoreError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<State>`SELECT ${sql.literal(columns)} FROM schedule_jobs j ORDER BY j.name`
}).pipe(Errors.query("Schedules.list"), Effect.withSpan("Schedules.list"))

export const get = Effect.fn("Schedules.get")(function*(name: string) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<State>`SELECT ${sql.literal(columns)} FROM schedule_jobs j WHERE j.name = ${name}`
  return Option.fromNullable(row)
}, Errors.query("Schedules.get"))
