/**
 * The processing log: one row per ingest run (`stalkeer runs`), written at start and updated once at the end.
 * `source` must already be credential-free (the workflow redacts it).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Errors from "./internal/errors.js"
import { StoreError } from "./StoreError.js"

export type Status = "running" | "succeeded" | "failed" | "interrupted" | "refused"

export interface Counts {
  /** Playlist entries read (after parsing, before filters). */
  readonly total: number
  readonly added: number
  /** Live entries whose content changed. */
  readonly changed: number
  /** Vanished entries that came back. */
  readonly revived: number
  readonly unchanged: number
  /** Entries missing from this run, newly marked vanished. */
  readonly vanished: number
  /** Entries deleted because they stayed vanished past the grace period. */
  readonly removed: number
  readonly filtered: number
  /**
   * Lines the parser had to repair or skip (an `#EXTINF` without URL, a URL without `#EXTINF`, an unterminated
   * quote, an over-long line, bad UTF-8, stray text): the number `dryrun` and `playlist download` report.
   */
  readonly warnings: number
  /** Entries whose identity repeats an earlier one in the same playlist (the first one wins). */
  readonly duplicates: number
  /** Stored entries of this run by classifier kind. */
  readonly byKind: Readonly<Record<string, number>>
}

export const emptyCounts: Counts = {
  total: 0,
  added: 0,
  changed: 0,
  revived: 0,
  unchanged: 0,
  vanished: 0,
  removed: 0,
  filtered: 0,
  warnings: 0,
  duplicates: 0,
  byKind: {}
}

export interface Run {
  readonly id: number
  readonly providerId: number
  readonly providerName: string
  readonly source: string
  readonly status: Status
  readonly startedAt: Date
  readonly finishedAt: Date | null
  readonly counts: Counts
  readonly error: string | null
}

interface RunRow extends Omit<Run, "counts">, Omit<Counts, "byKind"> {
  readonly byKind: Record<string, number>
}

const select = `SELECT r.id, r.provider_id AS "providerId", p.name AS "providerName", r.source, r.status,
  r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.total, r.added, r.changed, r.revived, r.unchanged,
  r.vanished, r.removed, r.filtered, r.warnings, r.duplicates, r.by_kind AS "byKind", r.error
  FROM ingest_runs r JOIN providers p ON p.id = r.provider_id`

const toRun = (row: RunRow): Run => ({
  id: row.id,
  providerId: row.providerId,
  providerName: row.providerName,
  source: row.source,
  status: row.status,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
  error: row.error,
  counts: {
    total: row.total,
    added: row.added,
    changed: row.changed,
    revived: row.revived,
    unchanged: row.unchanged,
    vanished: row.vanished,
    removed: row.removed,
    filtered: row.filtered,
    warnings: row.warnings,
    duplicates: row.duplicates,
    byKind: row.byKind
  }
})

/** Record the start of a run; returns its id. */
export const start = Effect.fn("Runs.start")(function*(input: { readonly providerId: number; readonly source: string }) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ readonly id: number }>`
    INSERT INTO ingest_runs (provider_id, source, status) VALUES (${input.providerId}, ${input.source}, 'running')
    RETURNING id`.pipe(Errors.query("Runs.start"))
  return row!.id
})

export interface FinishInput {
  readonly status: Exclude<Status, "running">
  readonly counts: Counts
  readonly error?: string | null | undefined
}

/** Record the end of a run. */
export const finish = Effect.fn("Runs.finish")(function*(id: number, input: FinishInput) {
  const sql = yield* SqlClient.SqlClient
  const c = input.counts
  yield* sql`
    UPDATE ingest_runs SET status = ${input.status}, finished_at = clock_timestamp(),
      total = ${c.total}, added = ${c.added}, changed = ${c.changed}, revived = ${c.revived},
      unchanged = ${c.unchanged}, vanished = ${c.vanished}, removed = ${c.removed}, filtered = ${c.filtered},
      warnings = ${c.warnings}, duplicates = ${c.duplicates}, by_kind = ${JSON.stringify(c.byKind)}::jsonb,
      error = ${input.error ?? null}
    WHERE id = ${id}`.pipe(Errors.query("Runs.finish"))
})

export interface ListOptions {
  /** Most recent first; default 20. */
  readonly limit?: number | undefined
  readonly providerId?: number | undefined
  readonly status?: Status | undefined
}

export const list = Effect.fn("Runs.list")(function*(options: ListOptions = {}) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<RunRow>`${sql.literal(select)}
    WHERE ${
    sql.and([
      ...(options.providerId === undefined ? [] : [sql`r.provider_id = ${options.providerId}`]),
      ...(options.status === undefined ? [] : [sql`r.status = ${options.status}`])
    ])
  }
    ORDER BY r.started_at DESC, r.id DESC LIMIT ${options.limit ?? 20}`.pipe(Errors.query("Runs.list"))
  return rows.map(toRun)
})

export const get = Effect.fn("Runs.get")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<RunRow>`${sql.literal(select)} WHERE r.id = ${id}`.pipe(Errors.query("Runs.get"))
  if (row === undefined) {
    return yield* new StoreError({ reason: "NotFound", operation: "Runs.get", detail: `no run with id ${id}` })
  }
  return toRun(row)
})

/** The latest run that succeeded, if any: the reference for the drop guard. */
export const lastSucceeded = Effect.fn("Runs.lastSucceeded")(function*(providerId: number) {
  const runs = yield* list({ providerId, status: "succeeded", limit: 1 })
  return Option.fromNullable(runs[0])
})
