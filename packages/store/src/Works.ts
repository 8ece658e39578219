/**
 * The works of the catalogue as identification sees them: one `media` row per movie or series as the playlist
 * names it (kind, normalised title, year), what TMDB says it is, and the manual matches that override that.
 *
 * Rows identified as the same TMDB work are joined: the lowest id among them is canonical, the others point to it
 * (`merged_into`), and every entry of any of them links to the canonical row — so `Le Parrain`, `Der Pate` and
 * `The Godfather` (1972) are one media row with one TMDB id, while each keeps the identification of its own name.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Errors from "./internal/errors.js"
import { StoreError } from "./StoreError.js"

export type Kind = "movie" | "series"
export type Status = "identified" | "ambiguous" | "low-confidence" | "not-found"
export type Method = "search" | "override" | "external-id"

/** A work to identify. */
export interface Work {
  readonly id: number
  readonly kind: Kind
  /** The title as the playlist gives it (its first entry's). */
  readonly title: string
  readonly titleKey: string
  readonly year: number | null
  /** The most common language of its live entries (ISO 639-1), if any is known. */
  readonly language: string | null
  /** A manual match, which wins over any search. */
  readonly overrideTmdbId: number | null
  readonly status: Status | null
}

/** What identification concluded about a work. */
export interface Identification {
  readonly status: Status
  readonly method: Method
  /** 0..1; for a refusal, the best candidate's. */
  readonly confidence: number | null
  /** Why it was refused (`ambiguous: 2 candidates within margin`, `no candidates`, …), or null. */
  readonly reason: string | null
  /** The best candidates, kept for review (small JSON). */
  readonly candidates: ReadonlyArray<unknown>
  readonly tmdbId: number | null
  readonly imdbId: string | null
  readonly tvdbId: number | null
  readonly canonicalTitle: string | null
  readonly originalTitle: string | null
  readonly originalLanguage: string | null
  readonly releaseYear: number | null
}

export interface PendingOptions {
  readonly kind?: Kind | undefined
  readonly limit?: number | undefined
  /** Also works identified before as ambiguous, low-confidence or not found. */
  readonly retryUnidentified?: boolean | undefined
  /** Identifications older than this are made again (their TMDB answers are cached for as long). */
  readonly ttlDays: number
  /** Only these works (by id), e.g. the one a manual match was just set on. */
  readonly only?: ReadonlyArray<number> | undefined
}

const workColumns = `m.id, m.kind, m.title, m.title_key AS "titleKey", m.year, m.override_tmdb_id AS "overrideTmdbId",
  m.match_status AS status`

/** Live works: with at least one entry in the catalogue. */
const liveEntryOf = `EXISTS (SELECT 1 FROM playlist_entries e WHERE e.vanished_at IS NULL AND e.kind = m.kind
  AND e.title_key = m.title_key AND e.year IS NOT DISTINCT FROM m.year)`

/**
 * Works that need identifying, in id order (so an interrupted run resumes where it was): never identified, with a
 * manual match not applied yet, identified longer ago than `ttlDays`, or (with `retryUnidentified`) refused before.
 */
export const pending = Effect.fn("Works.pending")(function*(options: PendingOptions) {
  const sql = yield* SqlClient.SqlClient
  const kinds = options.kind === undefined ? ["movie", "series"] : [options.kind]
  return yield* sql<Work>`
    SELECT ${sql.literal(workColumns)},
      (SELECT e.language FROM playlist_entries e
        WHERE e.vanished_at IS NULL AND e.kind = m.kind AND e.title_key = m.title_key
          AND e.year IS NOT DISTINCT FROM m.year AND e.language IS NOT NULL
        GROUP BY e.language ORDER BY count(*) DESC, e.language LIMIT 1) AS language
    FROM media m
    WHERE m.kind IN ${sql.in(kinds)} AND ${sql.literal(liveEntryOf)}
      AND ${options.only === undefined ? sql`true` : sql`m.id IN ${sql.in(options.only.length === 0 ? [-1] : options.only)}`}
      AND (m.match_status IS NULL
        OR (m.override_tmdb_id IS NOT NULL AND (m.match_method IS DISTINCT FROM 'override' OR m.tmdb_id IS DISTINCT FROM m.override_tmdb_id))
        OR m.identified_at < now() - make_interval(days => ${options.ttlDays})
        OR (${options.retryUnidentified === true} AND m.match_status <> 'identified' AND m.override_tmdb_id IS NULL))
    ORDER BY m.id
    ${options.limit === undefined ? sql`` : sql`LIMIT ${options.limit}`}`.pipe(Errors.query("Works.pending"))
})

/** How many live works there are, and how many of them are in each state (`pending`: never identified). */
export const counts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly kind: Kind; readonly status: string; readonly n: number }>`
    SELECT m.kind, COALESCE(m.match_status, 'pending') AS status, count(*)::integer AS n
    FROM media m WHERE m.kind IN ('movie', 'series') AND ${sql.literal(liveEntryOf)}
    GROUP BY 1, 2`.pipe(Errors.query("Works.counts"))
  return rows
}).pipe(Effect.withSpan("Works.counts"))

/**
 * `record` of many works in one transaction: what an identification run does every few hundred works. The rows of
 * each touched TMDB work are joined once, under the same locks as `record`.
 */
export const recordMany = Effect.fn("Works.recordMany")(function*(
  results: ReadonlyArray<{ readonly id: number; readonly identification: Identification }>
) {
  if (results.length === 0) return
  const sql = yield* SqlClient.SqlClient
  const ids = results.map((r) => r.id)
  yield* sql.withTransaction(Effect.gen(function*() {
    const before = yield* sql<{ readonly id: number; readonly kind: Kind; readonly tmdbId: number | null; readonly mergedInto: number | null }>`
      SELECT id, kind, tmdb_id AS "tmdbId", merged_into AS "mergedInto" FROM media WHERE id IN ${sql.in(ids)}
      ORDER BY id FOR UPDATE`
    if (before.length < ids.length) {
      const missing = ids.filter((id) => !before.some((b) => b.id === id))
      return yield* new StoreError({ reason: "NotFound", operation: "Works.recordMany", detail: `no work #${missing.join(", #")}` })
    }
    const kindOf = new Map(before.map((b) => [b.id, b.kind]))
    const groups = new Map<Kind, Set<number>>([["movie", new Set()], ["series", new Set()]])
    for (const b of before) if (b.tmdbId !== null) groups.get(b.kind)!.add(b.tmdbId)
    for (const r of results) {
      const kind = kindOf.get(r.id)
      if (kind !== undefined && r.identification.tmdbId !== null) groups.get(kind)!.add(r.identification.tmdbId)
    }
    for (const [kind, set] of groups) {
      for (const tmdbId of [...set].sort((a, b) => a - b)) {
        yield* sql`SELECT pg_advisory_xact_lock(${GROUP_LOCK + (kind === "movie" ? 0 : 1)}, ${tmdbId})`
      }
    }
    const rows = results.map(({ id, identification: r }) => ({
      id,
      status: r.status,
      method: r.method,
      confidence: r.confidence,
      reason: r.reason,
      candidates: r.candidates,
      tmdb_id: r.tmdbId,
      imdb_id: r.imdbId,
      tvdb_id: r.tvdbId,
      canonical_title: r.canonicalTitle,
      original_title: r.originalTitle,
      original_language: r.originalLanguage,
      release_year: r.releaseYear
    }))
    yield* sql`
      UPDATE media m SET
        match_status = r.status, match_method = r.method, match_confidence = r.confidence, match_reason = r.reason,
        match_candidates = r.candidates, tmdb_id = r.tmdb_id, imdb_id = r.imdb_id, tvdb_id = r.tvdb_id,
        canonical_title = r.canonical_title, original_title = r.original_title,
        original_language = r.original_language, release_year = r.release_year,
        identified_at = now(), updated_at = now(), merged_into = NULL
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id integer, status text, method text,
        confidence real, reason text, candidates jsonb, tmdb_id integer, imdb_id text, tvdb_id integer,
        canonical_title text, original_title text, original_language text, release_year integer)
      WHERE m.id = r.id`
    for (const [kind, set] of groups) {
      const extra = before.filter((b) => b.kind === kind && b.mergedInto !== null).map((b) => b.id)
      yield* rejoin(kind, [...set], extra)
    }
  })).pipe(Errors.query("Works.recordMany"))
})

/** First key of the advisory locks that serialise the joining of one TMDB work's rows (+0 movies, +1 series). */
const GROUP_LOCK = 0x5354_4d00

/**
 * Records what identification concluded about work `id`, then re-joins the works of its old and new TMDB ids
 * and re-links their entries — in one transaction (`recordMany` of one).
 */
export const record = (id: number, result: Identification) => recordMany([{ id, identification: result }])

/**
 * Makes the lowest id of each (kind, TMDB id) group canonical and points the others to it, then links the entries
 * of every affected work to its canonical row.
 */
const rejoin = (kind: Kind, tmdbIds: ReadonlyArray<number>, extra: ReadonlyArray<number>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    // Only rows whose canonical row changes: a work identified alone, or as a group that stays, relinks nothing.
    const moved = tmdbIds.length === 0 ? [] : yield* sql<{ readonly id: number }>`
      WITH g AS (
        SELECT id, min(id) OVER (PARTITION BY tmdb_id) AS canonical FROM media
        WHERE kind = ${kind} AND tmdb_id IN ${sql.in(tmdbIds)}
      )
      UPDATE media m SET merged_into = NULLIF(g.canonical, m.id)
      FROM g WHERE m.id = g.id AND m.merged_into IS DISTINCT FROM NULLIF(g.canonical, m.id)
      RETURNING m.id`
    const ids = [...new Set([...moved.map((r) => r.id), ...extra])]
    if (ids.length === 0) return
    // Live entries, through the listing index (kind, title key, year); a vanished one is relinked if it comes back.
    yield* sql`
      UPDATE playlist_entries e SET media_id = COALESCE(m.merged_into, m.id)
      FROM media m
      WHERE m.id IN ${sql.in(ids)} AND e.vanished_at IS NULL AND e.kind = m.kind AND e.title_key = m.title_key
        AND e.year IS NOT DISTINCT FROM m.year AND e.media_id IS DISTINCT FROM COALESCE(m.merged_into, m.id)`
  })

export type Target = { readonly entryKey: string } | { readonly mediaId: number }

export interface Override {
  readonly id: number
  readonly kind: Kind
  readonly title: string
  readonly year: number | null
  readonly tmdbId: number
  /** Whether the match has been applied (by `enrich`, or at once when TMDB was reachable). */
  readonly applied: boolean
}

/** The work a target names: an entry's own work (by its key), or a media row. */
const resolve = (target: Target, operation: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = "entryKey" in target
      ? yield* sql<{ readonly id: number; readonly kind: string }>`
          SELECT m.id, m.kind FROM playlist_entries e
          JOIN media m ON m.kind = e.kind AND m.title_key = e.title_key AND m.year IS NOT DISTINCT FROM e.year
          WHERE e.entry_key = ${target.entryKey} ORDER BY e.vanished_at IS NULL DESC LIMIT 1`
      : yield* sql<{ readonly id: number; readonly kind: string }>`SELECT id, kind FROM media WHERE id = ${target.mediaId}`
    const row = rows[0]
    if (row === undefined || (row.kind !== "movie" && row.kind !== "series")) {
      return yield* new StoreError({
        reason: "NotFound",
        operation,
        detail: "entryKey" in target
          ? `no movie or series entry with key ${target.entryKey} (see \`stalkeer items --json\`: "key")`
          : `no movie or series with media id ${target.mediaId}`
      })
    }
    return { id: row.id, kind: row.kind as Kind }
  }).pipe(Errors.query(operation))

/**
 * Sets a manual match on the target's work; it is applied by the next identification of that work. `kind`, when
 * given, must be the work's (a TMDB id names a movie or a series, and the kind comes from the classifier).
 */
export const setOverride = Effect.fn("Works.setOverride")(function*(target: Target, tmdbId: number, kind?: Kind) {
  const sql = yield* SqlClient.SqlClient
  const work = yield* resolve(target, "Works.setOverride")
  if (kind !== undefined && kind !== work.kind) {
    return yield* new StoreError({
      reason: "InvalidInput",
      operation: "Works.setOverride",
      detail: `that is a ${work.kind}, not a ${kind}: a manual match keeps the kind the classifier gave (see the classifier section of the config to change it)`
    })
  }
  yield* sql`UPDATE media SET override_tmdb_id = ${tmdbId}, updated_at = now() WHERE id = ${work.id}`.pipe(
    Errors.query("Works.setOverride")
  )
  return work
})

/**
 * Removes the target's manual match; its work is identified by search again at the next `enrich`. Returns whether
 * there was one.
 */
export const clearOverride = Effect.fn("Works.clearOverride")(function*(target: Target) {
  const sql = yield* SqlClient.SqlClient
  const work = yield* resolve(target, "Works.clearOverride")
  const rows = yield* sql<{ readonly id: number }>`
    UPDATE media SET override_tmdb_id = NULL, match_status = NULL, updated_at = now()
    WHERE id = ${work.id} AND override_tmdb_id IS NOT NULL RETURNING id`.pipe(Errors.query("Works.clearOverride"))
  return rows.length > 0
})

export const overrides = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<Override>`
    SELECT id, kind, title, year, override_tmdb_id AS "tmdbId",
      (match_method = 'override' AND tmdb_id = override_tmdb_id) AS applied
    FROM media WHERE override_tmdb_id IS NOT NULL ORDER BY id`.pipe(Errors.query("Works.overrides"))
}).pipe(Effect.withSpan("Works.overrides"))

/** A work as a person reviewing identification sees it: what it is called, what TMDB says, and why. */
export interface Review {
  readonly id: number
  readonly kind: Kind
  readonly title: string
  readonly year: number | null
  /** `pending`: never identified, or identified again at the next `enrich` (a manual match cleared). */
  readonly status: Status | "pending"
  readonly method: Method | null
  readonly confidence: number | null
  readonly reason: string | null
  /** The best candidates as identification scored them (`[]` before any identification). */
  readonly candidates: ReadonlyArray<unknown>
  readonly tmdbId: number | null
  readonly imdbId: string | null
  readonly tvdbId: number | null
  readonly canonicalTitle: string | null
  readonly originalTitle: string | null
  readonly originalLanguage: string | null
  readonly releaseYear: number | null
  /** The manual match, if one is set, and whether it has been applied. */
  readonly overrideTmdbId: number | null
  readonly overrideApplied: boolean
  /** The canonical row of its TMDB work, when another row is. */
  readonly mergedInto: number | null
  readonly identifiedAt: Date | null
}

export interface ReviewQuery {
  readonly kind?: Kind | undefined
  readonly status?: Status | "pending" | undefined
  /** Default 50. */
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

const reviewColumns = `m.id, m.kind, m.title, m.year, COALESCE(m.match_status, 'pending') AS status,
  m.match_method AS method, m.match_confidence AS confidence, m.match_reason AS reason,
  COALESCE(m.match_candidates, '[]'::jsonb) AS candidates, m.tmdb_id AS "tmdbId", m.imdb_id AS "imdbId",
  m.tvdb_id AS "tvdbId", m.canonical_title AS "canonicalTitle", m.original_title AS "originalTitle",
  m.original_language AS "originalLanguage", m.release_year AS "releaseYear", m.override_tmdb_id AS "overrideTmdbId",
  COALESCE(m.match_method = 'override' AND m.tmdb_id = m.override_tmdb_id, false) AS "overrideApplied",
  m.merged_into AS "mergedInto", m.identified_at AS "identifiedAt"`

/** Live works of `query`'s kind and status (the works `counts` counts). */
const reviewWhere = (sql: SqlClient.SqlClient, query: ReviewQuery) =>
  sql.and([
    query.kind === undefined ? sql`m.kind IN ('movie', 'series')` : sql`m.kind = ${query.kind}`,
    sql.literal(liveEntryOf),
    ...(query.status === undefined
      ? []
      : [query.status === "pending" ? sql`m.match_status IS NULL` : sql`m.match_status = ${query.status}`])
  ])

/** Live works matching `query`, with their identification, in id order; at most `limit` (default 50). */
export const list = Effect.fn("Works.list")(function*(query: ReviewQuery = {}) {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<Review>`
    SELECT ${sql.literal(reviewColumns)} FROM media m WHERE ${reviewWhere(sql, query)}
    ORDER BY m.id LIMIT ${query.limit ?? 50} OFFSET ${query.offset ?? 0}`.pipe(Errors.query("Works.list"))
})

/** How many live works match `query` (ignores limit/offset). */
export const count = Effect.fn("Works.count")(function*(query: ReviewQuery = {}) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ readonly n: number }>`
    SELECT count(*)::integer AS n FROM media m WHERE ${reviewWhere(sql, query)}`.pipe(Errors.query("Works.count"))
  return row!.n
})

/** One movie or series by media id, live or not, with its identification; `NotFound` when there is none. */
export const review = Effect.fn("Works.review")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Review>`
    SELECT ${sql.literal(reviewColumns)} FROM media m WHERE m.id = ${id} AND m.kind IN ('movie', 'series')`.pipe(
    Errors.query("Works.review")
  )
  if (row === undefined) {
    return yield* new StoreError({ reason: "NotFound", operation: "Works.review", detail: `no movie or series with media id ${id}` })
  }
  return row
})

/** One work, with its identification. */
export const get = Effect.fn("Works.get")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Work & { readonly tmdbId: number | null }>`
    SELECT ${sql.literal(workColumns)}, NULL AS language, m.tmdb_id AS "tmdbId" FROM media m WHERE m.id = ${id}`.pipe(
    Errors.query("Works.get")
  )
  return Option.fromNullable(row)
})
