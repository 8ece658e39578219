/**
 * TMDB answers kept until they expire, so that a re-run of `enrich` asks TMDB nothing it already knows. The key is
 * the request as text (endpoint and parameters, never a credential); a "not found" is kept too, for less long.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Errors from "./internal/errors.js"

export interface Cached {
  /** 200, or 404 for "no such thing". */
  readonly status: number
  readonly body: unknown
}

/** The unexpired answer to `request`, if any. */
export const get = Effect.fn("TmdbCache.get")(function*(request: string) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ readonly status: number; readonly body: unknown }>`
    SELECT status, body FROM tmdb_cache WHERE request = ${request} AND expires_at > now()`.pipe(
    Errors.query("TmdbCache.get")
  )
  return row === undefined ? Option.none<Cached>() : Option.some<Cached>({ status: row.status, body: row.body })
})

/** Keeps `body` as the answer to `request` for `ttlDays`. */
export const put = Effect.fn("TmdbCache.put")(function*(request: string, answer: Cached, ttlDays: number) {
  const sql = yield* SqlClient.SqlClient
  const body = answer.body === undefined || answer.body === null ? null : JSON.stringify(answer.body)
  yield* sql`
    INSERT INTO tmdb_cache (request, status, body, fetched_at, expires_at)
    VALUES (${request}, ${answer.status}, ${body}::jsonb, now(), now() + make_interval(days => ${ttlDays}))
    ON CONFLICT (request) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body,
      fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at`.pipe(Errors.query("TmdbCache.put"))
})

export interface Entry extends Cached {
  readonly request: string
  readonly ttlDays: number
}

/** `put` of many answers in one statement (an identification run writes its answers in batches). */
export const putMany = Effect.fn("TmdbCache.putMany")(function*(entries: ReadonlyArray<Entry>) {
  if (entries.length === 0) return
  const sql = yield* SqlClient.SqlClient
  // One row per request (the last answer wins): a statement cannot update the same row twice.
  const rows = [...new Map(entries.map((e) => [e.request, e])).values()].map((e) => ({
    request: e.request,
    status: e.status,
    body: e.body === undefined ? null : e.body,
    ttl: e.ttlDays
  }))
  yield* sql`
    INSERT INTO tmdb_cache (request, status, body, fetched_at, expires_at)
    SELECT r.request, r.status, r.body, now(), now() + make_interval(days => r.ttl)
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(request text, status integer, body jsonb, ttl integer)
    ON CONFLICT (request) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body,
      fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at`.pipe(Errors.query("TmdbCache.putMany"))
})

/**
 * The requests with an unexpired answer: a run reads this once and asks the database only for answers it has
 * (a first run then costs no lookup at all).
 */
export const keys = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly request: string }>`SELECT request FROM tmdb_cache WHERE expires_at > now()`.pipe(
    Errors.query("TmdbCache.keys")
  )
  return new Set(rows.map((r) => r.request))
}).pipe(Effect.withSpan("TmdbCache.keys"))
