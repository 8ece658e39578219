/**
 * The durable download queue: one row per wanted movie or episode, shared by every process on the database.
 *
 * A worker `claim`s the oldest due job and gets a lease: a token from an ever-increasing sequence and an expiry it
 * keeps pushing back with `heartbeat`. Every later write (`progress`, `complete`, `fail`, `release`) presents the
 * token and changes nothing when it is no longer the job's — the job was cancelled, or its lease expired and the
 * next claim rescued it — so a worker that was slow or cut off can never overwrite the one after it (it must stop
 * writing its file as soon as a write returns `false`). Execution is at least once; the file effects are made
 * idempotent by the downloader (resume from the durable checkpoint, atomic publish).
 *
 * An attempt is counted when a job is claimed, so a job whose worker keeps dying still runs out of attempts;
 * `release` (shutdown, no free connection, cooldown) gives it back. All times come from the database's clock.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Errors from "./internal/errors.js"
import { StoreError } from "./StoreError.js"

export type State = "queued" | "running" | "retry-wait" | "completed" | "failed" | "cancelled"
export type Arr = "radarr" | "sonarr"
export type ImportStatus = "pending" | "requested" | "completed" | "failed"

export const states: ReadonlyArray<State> = ["queued", "running", "retry-wait", "completed", "failed", "cancelled"]

export interface Download {
  readonly id: number
  readonly providerId: number
  /** The catalogue entry downloaded, e.g. `xtream:movie:123`. */
  readonly entryKey: string
  /** What Radarr/Sonarr wants: `radarr:movie:<id>` or `sonarr:episode:<id>` (one job each). */
  readonly wantedKey: string
  readonly arr: Arr
  readonly arrItemId: number
  readonly title: string
  readonly extension: string | null
  /** The final file, as Stalkeer sees it. */
  readonly targetPath: string
  /** The folder or file as Radarr/Sonarr see it (another mount, another machine), for the import. */
  readonly importPath: string | null
  readonly state: State
  /** Attempts started (claims), including a running one. */
  readonly attempts: number
  readonly maxAttempts: number
  readonly nextAttemptAt: Date
  /** Bytes safely on disk (fsynced), where a new attempt resumes. */
  readonly durableBytes: number
  readonly totalBytes: number | null
  readonly etag: string | null
  /** Who runs it and until when its lease holds (while running). */
  readonly leaseOwner: string | null
  readonly leaseExpiresAt: Date | null
  /** As the worker gave it (already free of credentials). */
  readonly lastError: string | null
  readonly lastErrorClass: string | null
  readonly importStatus: ImportStatus | null
  readonly importDetail: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
  /** When its latest attempt started. */
  readonly startedAt: Date | null
  readonly completedAt: Date | null
}

/** What a new job is made of: its download's fields as described there. */
export interface Enqueue extends
  Pick<
    Download,
    "providerId" | "entryKey" | "wantedKey" | "arr" | "arrItemId" | "title" | "extension" | "targetPath" | "importPath"
  >
{
  /** Default 8. */
  readonly maxAttempts?: number | undefined
}

/** A claimed job: the row as claimed, and the lease token every later write must present. */
export interface Lease {
  readonly download: Download
  readonly token: number
  readonly owner: string
}

// Byte counts and tokens are bigint columns, which the driver returns as strings; float8 is exact below 2^53.
const columns = `d.id, d.provider_id AS "providerId", d.entry_key AS "entryKey", d.wanted_key AS "wantedKey", d.arr,
  d.arr_item_id AS "arrItemId", d.title, d.extension, d.target_path AS "targetPath", d.import_path AS "importPath",
  d.state, d.attempts, d.max_attempts AS "maxAttempts", d.next_attempt_at AS "nextAttemptAt",
  d.durable_bytes::float8 AS "durableBytes", d.total_bytes::float8 AS "totalBytes", d.etag,
  d.lease_owner AS "leaseOwner", d.lease_expires_at AS "leaseExpiresAt", d.last_error AS "lastError",
  d.last_error_class AS "lastErrorClass", d.import_status AS "importStatus", d.import_detail AS "importDetail",
  d.created_at AS "createdAt", d.updated_at AS "updatedAt", d.started_at AS "startedAt",
  d.completed_at AS "completedAt"`

const millis = (duration: Duration.DurationInput): number => Duration.toMillis(Duration.decode(duration))

/** `now() + ms`, on the database's clock. */
const later = (sql: SqlClient.SqlClient, ms: number) => sql`now() + ${ms}::float8 * interval '1 millisecond'`

const notFound = (operation: string, id: number) =>
  new StoreError({ reason: "NotFound", operation, detail: `no download #${id}` })

/**
 * Queues a download, idempotently on `wantedKey`: an existing job is returned untouched (`created: false`), unless
 * it has ended (failed, cancelled, completed) and `force` is set — then it is queued again (`requeued`) from this item, with
 * its attempts reset. Its durable progress is kept for a resume when it still downloads the same entry to the same
 * file and had not completed.
 */
export const enqueue = Effect.fn("Downloads.enqueue")(function*(
  item: Enqueue,
  options: { readonly force?: boolean | undefined } = {}
) {
  const invalid = item.wantedKey.trim() === ""
    ? "empty wanted key"
    : item.targetPath.trim() === ""
    ? "empty target path"
    : item.maxAttempts !== undefined && !(Number.isInteger(item.maxAttempts) && item.maxAttempts > 0)
    ? "maxAttempts must be a positive integer"
    : undefined
  if (invalid !== undefined) {
    return yield* new StoreError({ reason: "InvalidInput", operation: "Downloads.enqueue", detail: invalid })
  }
  const sql = yield* SqlClient.SqlClient
  const maxAttempts = item.maxAttempts ?? 8
  const [created] = yield* sql<Download>`
    INSERT INTO downloads AS d (provider_id, entry_key, wanted_key, arr, arr_item_id, title, extension, target_path,
      import_path, max_attempts)
    VALUES (${item.providerId}, ${item.entryKey}, ${item.wantedKey}, ${item.arr}, ${item.arrItemId}, ${item.title},
      ${item.extension}, ${item.targetPath}, ${item.importPath}, ${maxAttempts})
    ON CONFLICT (wanted_key) DO NOTHING
    RETURNING ${sql.literal(columns)}`
  if (created !== undefined) return { download: created, created: true, requeued: false }
  if (options.force === true) {
    const [requeued] = yield* sql<Download>`
      UPDATE downloads d SET
        state = 'queued', attempts = 0, max_attempts = ${maxAttempts}, next_attempt_at = now(),
        durable_bytes = CASE WHEN ${sameFile(sql, item)} THEN d.durable_bytes ELSE 0 END,
        total_bytes = CASE WHEN ${sameFile(sql, item)} THEN d.total_bytes END,
        etag = CASE WHEN ${sameFile(sql, item)} THEN d.etag END,
        provider_id = ${item.providerId}, entry_key = ${item.entryKey}, arr = ${item.arr},
        arr_item_id = ${item.arrItemId}, title = ${item.title}, extension = ${item.extension},
        target_path = ${item.targetPath}, import_path = ${item.importPath},
        lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, import_status = NULL, import_detail = NULL,
        started_at = NULL, completed_at = NULL, updated_at = now()
      WHERE d.wanted_key = ${item.wantedKey} AND d.state IN ('failed', 'cancelled', 'completed')
      RETURNING ${sql.literal(columns)}`
    if (requeued !== undefined) return { download: requeued, created: false, requeued: true }
  }
  const [existing] = yield* sql<Download>`
    SELECT ${sql.literal(columns)} FROM downloads d WHERE d.wanted_key = ${item.wantedKey}`
  if (existing === undefined) {
    // Deleted between the insert and the read (its provider was removed): report it rather than retry.
    return yield* new StoreError({
      reason: "NotFound",
      operation: "Downloads.enqueue",
      detail: `download ${item.wantedKey} vanished while being queued`
    })
  }
  return { download: existing, created: false, requeued: false }
}, Errors.query("Downloads.enqueue"))

/** A re-queued job resumes only if it was not complete and still writes the same entry to the same file. */
const sameFile = (sql: SqlClient.SqlClient, item: Enqueue) =>
  sql`(d.state <> 'completed' AND d.entry_key = ${item.entryKey} AND d.target_path = ${item.targetPath})`

export interface ClaimOptions {
  /** Who claims (host and process), shown while it runs. */
  readonly owner: string
  /** How long the lease holds without a heartbeat. */
  readonly leaseFor: Duration.DurationInput
  /** Only this provider's jobs. */
  readonly providerId?: number | undefined
}

/**
 * Claims the oldest due job (queued, or waiting for a retry whose time has come) of a provider not in cooldown:
 * it becomes `running` under a new lease, and counts an attempt. Running jobs whose lease expired are rescued
 * first (back to `retry-wait`, due at once — or `failed` when out of attempts). `None` when nothing is due.
 */
export const claim = Effect.fn("Downloads.claim")(function*(options: ClaimOptions) {
  const sql = yield* SqlClient.SqlClient
  const leaseMs = millis(options.leaseFor)
  // One statement, so one round trip when there is work: the rescue and the claim are atomic together without a
  // transaction. Rows it rescues are `running` in its snapshot, so an empty answer asks once more.
  const once = sql<Download & { readonly token: number }>`
    WITH rescued AS (${rescue(sql)}),
    next AS (
      SELECT j.id FROM downloads j
      WHERE j.state IN ('queued', 'retry-wait') AND j.next_attempt_at <= now()
        AND ${options.providerId === undefined ? sql`true` : sql`j.provider_id = ${options.providerId}`}
        AND NOT EXISTS (SELECT 1 FROM provider_health h
          WHERE h.provider_id = j.provider_id AND h.cooldown_until > now())
      ORDER BY j.next_attempt_at, j.id
      LIMIT 1
      FOR NO KEY UPDATE SKIP LOCKED
    )
    UPDATE downloads d SET
      state = 'running', attempts = d.attempts + 1, lease_token = nextval('download_lease_tokens'),
      lease_owner = ${options.owner}, lease_expires_at = ${later(sql, leaseMs)}, started_at = now(),
      updated_at = now()
    FROM next
    WHERE d.id = next.id AND d.state IN ('queued', 'retry-wait')
    RETURNING ${sql.literal(columns)}, d.lease_token::float8 AS token`
  const row = (yield* once)[0] ?? (yield* once)[0]
  if (row === undefined) return Option.none<Lease>()
  const { token, ...download } = row
  return Option.some<Lease>({ download, token, owner: options.owner })
}, Errors.query("Downloads.claim"))

/**
 * Running jobs whose lease expired: their worker stopped renewing (crashed, cut off, or too slow). Rows another
 * claim is rescuing are skipped rather than waited for. A statement to embed (`WITH rescued AS (…)`).
 */
const rescue = (sql: SqlClient.SqlClient) =>
  sql`
    UPDATE downloads d SET
      state = CASE WHEN d.attempts >= d.max_attempts THEN 'failed' ELSE 'retry-wait' END,
      next_attempt_at = now(), lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
      last_error = 'the lease of ' || COALESCE(d.lease_owner, 'its worker') || ' expired',
      last_error_class = 'lease', updated_at = now()
    FROM (
      SELECT id FROM downloads
      WHERE state = 'running' AND lease_expires_at < now()
      FOR NO KEY UPDATE SKIP LOCKED
    ) stale
    WHERE d.id = stale.id AND d.state = 'running'
    RETURNING d.id`

/** The rows a lease may still write: its job, running, under its token. */
const leased = (sql: SqlClient.SqlClient, lease: Lease) =>
  sql`d.id = ${lease.download.id} AND d.lease_token = ${lease.token} AND d.state = 'running'`

/** Pushes the lease's expiry to `now + leaseFor`; `false` when the lease is lost (the worker must stop). */
export const heartbeat = Effect.fn("Downloads.heartbeat")(function*(lease: Lease, leaseFor: Duration.DurationInput) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE downloads d SET lease_expires_at = ${later(sql, millis(leaseFor))}
    WHERE ${leased(sql, lease)} RETURNING d.id`
  return rows.length > 0
}, Errors.query("Downloads.heartbeat"))

/**
 * Durable progress (what a resume starts from); `false` when the lease is lost. Progress gives the attempts back:
 * only attempts that add nothing count towards `max_attempts`, so a worker that keeps being killed (or a provider
 * that keeps cutting connections) never fails a download that is still advancing.
 */
export const progress = Effect.fn("Downloads.progress")(function*(
  lease: Lease,
  state: { readonly durable: number; readonly total: number | null; readonly etag: string | null }
) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE downloads d SET durable_bytes = ${state.durable}, total_bytes = ${state.total}, etag = ${state.etag},
      attempts = CASE WHEN ${state.durable} > d.durable_bytes THEN LEAST(d.attempts, 1) ELSE d.attempts END,
      updated_at = now()
    WHERE ${leased(sql, lease)} RETURNING d.id`
  return rows.length > 0
}, Errors.query("Downloads.progress"))

/** The file is in place: `completed`, waiting for its import (`import_status` pending). `false` when fenced. */
export const complete = Effect.fn("Downloads.complete")(function*(lease: Lease) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE downloads d SET state = 'completed', import_status = 'pending', import_detail = NULL,
      lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, completed_at = now(), updated_at = now()
    WHERE ${leased(sql, lease)} RETURNING d.id`
  return rows.length > 0
}, Errors.query("Downloads.complete"))

export interface Backoff {
  /** The wait after the first failed attempt (default 30 s); it doubles after each. */
  readonly base?: Duration.DurationInput | undefined
  /** The longest wait (default 6 h). */
  readonly max?: Duration.DurationInput | undefined
}

/**
 * The attempt failed: `failed` when the error is not retryable or no attempts are left, else `retry-wait` until
 * `now + min(max, base × 2^(attempts − 1))` ±20 % (jitter, so jobs that failed together do not return together).
 * `error.message` is stored as given: the caller has removed any credentials. `false` when fenced.
 */
export const fail = Effect.fn("Downloads.fail")(function*(
  lease: Lease,
  error: { readonly message: string; readonly class: string; readonly retryable: boolean },
  options: Backoff = {}
) {
  const sql = yield* SqlClient.SqlClient
  const base = millis(options.base ?? Duration.seconds(30))
  const max = millis(options.max ?? Duration.hours(6))
  const jitter = 0.8 + 0.4 * (yield* Random.next)
  const final = sql`(NOT ${error.retryable} OR d.attempts >= d.max_attempts)`
  const rows = yield* sql`
    UPDATE downloads d SET
      state = CASE WHEN ${final} THEN 'failed' ELSE 'retry-wait' END,
      next_attempt_at = CASE WHEN ${final} THEN d.next_attempt_at
        ELSE now() + LEAST(${max}::float8, ${base}::float8 * power(2::float8, LEAST(GREATEST(d.attempts - 1, 0), 40)))
          * ${jitter}::float8 * interval '1 millisecond' END,
      last_error = ${error.message}, last_error_class = ${error.class},
      lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE ${leased(sql, lease)} RETURNING d.id`
  return rows.length > 0
}, Errors.query("Downloads.fail"))

/**
 * Gives a running job back without counting its attempt (shutdown, no free connection, provider in cooldown):
 * queued again, due after `delay` (default at once). `false` when fenced.
 */
export const release = Effect.fn("Downloads.release")(function*(
  lease: Lease,
  options: { readonly delay?: Duration.DurationInput | undefined } = {}
) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE downloads d SET state = 'queued', attempts = GREATEST(d.attempts - 1, 0),
      next_attempt_at = ${later(sql, millis(options.delay ?? 0))},
      lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE ${leased(sql, lease)} RETURNING d.id`
  return rows.length > 0
}, Errors.query("Downloads.release"))

/** Records how the import into Radarr/Sonarr went (`detail`: their message, or why it failed). */
export const setImport = Effect.fn("Downloads.setImport")(function*(
  id: number,
  status: Exclude<ImportStatus, "pending">,
  detail?: string
) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE downloads SET import_status = ${status}, import_detail = ${detail ?? null}, updated_at = now()
    WHERE id = ${id} RETURNING id`
  if (rows.length === 0) return yield* notFound("Downloads.setImport", id)
}, Errors.query("Downloads.setImport"))

export const get = Effect.fn("Downloads.get")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Download>`SELECT ${sql.literal(columns)} FROM downloads d WHERE d.id = ${id}`
  if (row === undefined) return yield* notFound("Downloads.get", id)
  return row
}, Errors.query("Downloads.get"))

/** The job of a wanted item, if one was ever queued. */
export const findByWantedKey = Effect.fn("Downloads.findByWantedKey")(function*(wantedKey: string) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Download>`
    SELECT ${sql.literal(columns)} FROM downloads d WHERE d.wanted_key = ${wantedKey}`
  return Option.fromNullable(row)
}, Errors.query("Downloads.findByWantedKey"))

export interface ListQuery {
  readonly state?: State | undefined
  readonly importStatus?: ImportStatus | undefined
  readonly limit?: number | undefined
  /** Rows of the order to skip first (paging: `(page - 1) × pageSize`). */
  readonly offset?: number | undefined
}

const matching = (sql: SqlClient.SqlClient, query: ListQuery) =>
  sql.and([
    ...(query.state === undefined ? [] : [sql`d.state = ${query.state}`]),
    ...(query.importStatus === undefined ? [] : [sql`d.import_status = ${query.importStatus}`])
  ])

/** Jobs, newest first (ties by id, so pages never overlap). */
export const list = Effect.fn("Downloads.list")(function*(query: ListQuery = {}) {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<Download>`
    SELECT ${sql.literal(columns)} FROM downloads d
    WHERE ${matching(sql, query)}
    ORDER BY d.created_at DESC, d.id DESC
    ${query.limit === undefined ? sql`` : sql`LIMIT ${query.limit}`}
    ${query.offset === undefined ? sql`` : sql`OFFSET ${query.offset}`}`
}, Errors.query("Downloads.list"))

/** How many jobs `list` would give for `query` without its limit and offset (a page's total). */
export const count = Effect.fn("Downloads.count")(function*(query: Omit<ListQuery, "limit" | "offset"> = {}) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ readonly n: number }>`
    SELECT count(*)::integer AS n FROM downloads d WHERE ${matching(sql, query)}`
  return row?.n ?? 0
}, Errors.query("Downloads.count"))

/**
 * Queues a failed, cancelled or waiting job again, due now and with all its attempts. Any other state is refused
 * (`InvalidInput`).
 */
export const retry = Effect.fn("Downloads.retry")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Download>`
    UPDATE downloads d SET state = 'queued', attempts = 0, next_attempt_at = now(), updated_at = now()
    WHERE d.id = ${id} AND d.state IN ('failed', 'cancelled', 'retry-wait')
    RETURNING ${sql.literal(columns)}`
  if (row !== undefined) return row
  const current = yield* get(id)
  return yield* new StoreError({
    reason: "InvalidInput",
    operation: "Downloads.retry",
    detail: `download #${id} is ${current.state}: only a failed, cancelled or waiting download can be retried`
  })
}, Errors.query("Downloads.retry"))

/**
 * Cancels a job that has not ended; a running one's worker finds its lease gone at its next write and stops.
 * Cancelling a cancelled job returns it as it is; a completed or failed one is refused (`InvalidInput`).
 */
export const cancel = Effect.fn("Downloads.cancel")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Download>`
    UPDATE downloads d SET state = 'cancelled', lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
      updated_at = now()
    WHERE d.id = ${id} AND d.state IN ('queued', 'retry-wait', 'running')
    RETURNING ${sql.literal(columns)}`
  if (row !== undefined) return row
  const current = yield* get(id)
  if (current.state === "cancelled") return current
  return yield* new StoreError({
    reason: "InvalidInput",
    operation: "Downloads.cancel",
    detail: `download #${id} is ${current.state}: only a queued, waiting or running download can be cancelled`
  })
}, Errors.query("Downloads.cancel"))

/** Jobs still to run (queued, or waiting for a retry), per provider. */
export const pendingByProvider = Effect.fn("Downloads.pendingByProvider")(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ readonly providerId: number; readonly pending: number }>`
    SELECT provider_id AS "providerId", count(*)::integer AS pending FROM downloads
    WHERE state IN ('queued', 'retry-wait')
    GROUP BY provider_id ORDER BY provider_id`
}, Errors.query("Downloads.pendingByProvider"))

/** How many jobs are in each state (every state present, 0 when none). */
export const counts: Effect.Effect<Record<State, number>, StoreError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly state: State; readonly n: number }>`
    SELECT state, count(*)::integer AS n FROM downloads GROUP BY state`
  const result = Object.fromEntries(states.map((state) => [state, 0])) as Record<State, number>
  for (const row of rows) result[row.state] = row.n
  return result
}).pipe(Errors.query("Downloads.counts"), Effect.withSpan("Downloads.counts"))
