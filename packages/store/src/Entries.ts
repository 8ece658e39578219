/**
 * Read side of the catalogue: `stalkeer items` and `stalkeer stats`.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Errors from "./internal/errors.js"
import * as Runs from "./Runs.js"
import { StoreError } from "./StoreError.js"

export interface Item {
  readonly id: number
  readonly providerId: number
  readonly key: string
  /** Credential-free stream URL; rebuild the real one with the provider's credentials (`StreamUrl.fromTemplate`). */
  readonly urlTemplate: string
  readonly name: string
  readonly groupTitle: string | null
  readonly tvgId: string | null
  readonly tvgLogo: string | null
  readonly kind: string
  readonly title: string | null
  readonly year: number | null
  readonly season: number | null
  readonly episode: number | null
  readonly episodeEnd: number | null
  readonly resolution: string | null
  readonly language: string | null
  readonly subtitles: string | null
  readonly platform: string | null
  readonly extension: string | null
  readonly confidence: number
  readonly mediaId: number | null
  readonly firstSeenAt: Date
  readonly updatedAt: Date
  readonly vanishedAt: Date | null
  /** The identification of its work (movies and series; null until `enrich` identifies it). */
  readonly tmdbId: number | null
  readonly imdbId: string | null
  readonly tvdbId: number | null
  readonly matchConfidence: number | null
  readonly matchMethod: string | null
  readonly matchStatus: string | null
  readonly canonicalTitle: string | null
}

export interface Query {
  readonly kind?: string | undefined
  /** Case-insensitive substring of the title or the display name. */
  readonly search?: string | undefined
  readonly year?: number | undefined
  /** Case-insensitive substring of the group title. */
  readonly group?: string | undefined
  readonly language?: string | undefined
  readonly resolution?: string | undefined
  readonly providerId?: number | undefined
  /** Include entries marked vanished (default: only live ones). */
  readonly includeVanished?: boolean | undefined
  /** Only movies and series not identified (no TMDB id). */
  readonly unidentified?: boolean | undefined
  /** Only entries of the work with this TMDB id. */
  readonly tmdbId?: number | undefined
  /** Default 50. */
  readonly limit?: number | undefined
  readonly offset?: number | undefined
  /** Default: kind, title, year, season, episode. Ties are broken by id, so pages never overlap. */
  readonly sort?: Sort | undefined
}

/** The fields a listing may be sorted by: a whitelist, each mapped to its column below. */
export const sortFields = ["id", "title", "year", "kind", "resolution", "language", "group", "added", "updated"] as const
export type SortField = typeof sortFields[number]

export interface Sort {
  readonly field: SortField
  readonly direction: "asc" | "desc"
}

const sortColumns: Record<SortField, string> = {
  id: "e.id",
  title: "e.title_key",
  year: "e.year",
  kind: "e.kind",
  // By the number of lines: as text, "720p" would sort above "2160p".
  resolution: "NULLIF(regexp_replace(e.resolution, '\\D', '', 'g'), '')::integer",
  language: "e.language",
  group: "e.group_title",
  added: "e.first_seen_at",
  updated: "e.updated_at"
}

const defaultOrder = "e.kind, e.title_key NULLS LAST, e.year NULLS LAST, e.season NULLS LAST, e.episode NULLS LAST, e.id"

/** Columns that are never null: no `NULLS LAST`, so one index serves both directions (scanned backwards). */
const notNull: ReadonlySet<SortField> = new Set(["id", "kind", "added", "updated"])

const orderBy = (sort: Sort | undefined): string => {
  if (sort === undefined) return defaultOrder
  const direction = sort.direction === "desc" ? "DESC" : "ASC"
  if (sort.field === "id") return `e.id ${direction}`
  // Empty values last in both directions: a user sorting by year wants years, then the rest.
  const nulls = notNull.has(sort.field) ? "" : " NULLS LAST"
  return `${sortColumns[sort.field]} ${direction}${nulls}, e.id ${direction}`
}

const columns = `e.id, e.provider_id AS "providerId", e.entry_key AS "key", e.url_template AS "urlTemplate", e.name,
  e.group_title AS "groupTitle", e.tvg_id AS "tvgId", e.tvg_logo AS "tvgLogo", e.kind, e.title, e.year, e.season,
  e.episode, e.episode_end AS "episodeEnd", e.resolution, e.language, e.subtitles, e.platform, e.extension,
  e.confidence, e.media_id AS "mediaId", e.first_seen_at AS "firstSeenAt", e.updated_at AS "updatedAt",
  e.vanished_at AS "vanishedAt", m.tmdb_id AS "tmdbId", m.imdb_id AS "imdbId", m.tvdb_id AS "tvdbId",
  m.match_confidence AS "matchConfidence", m.match_method AS "matchMethod", m.match_status AS "matchStatus",
  m.canonical_title AS "canonicalTitle"`

/**
 * Entries with the identification of their own work (movies and series only): the row of their kind, title key and
 * year — not the canonical row it may be joined to, whose method and confidence are another name's.
 */
const mediaJoin = `LEFT JOIN media m ON e.kind IN ('movie', 'series') AND m.kind <> 'episode' AND m.kind = e.kind
  AND m.title_key = e.title_key AND COALESCE(m.year, 0) = COALESCE(e.year, 0)`

const from = `playlist_entries e ${mediaJoin}`

/**
 * Whether `query` filters on the identification (the joined work). When it does not, the entries alone decide which
 * rows and how many: the page is picked (by an index, when one fits the order) before the join, and counts never
 * join — on a 200k catalogue, a page and its count went from 100-250 ms each to a few milliseconds.
 */
const filtersOnWork = (query: Query) => query.unidentified === true || query.tmdbId !== undefined

/** `%`, `_` and `\` are LIKE wildcards; a user's search text is literal. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const where = (sql: SqlClient.SqlClient, query: Query) =>
  sql.and([
    ...(query.includeVanished === true ? [] : [sql`e.vanished_at IS NULL`]),
    ...(query.kind === undefined ? [] : [sql`e.kind = ${query.kind}`]),
    ...(query.search === undefined
      ? []
      : [sql`(e.title ILIKE ${likePattern(query.search)} OR e.name ILIKE ${likePattern(query.search)})`]),
    ...(query.year === undefined ? [] : [sql`e.year = ${query.year}`]),
    ...(query.group === undefined ? [] : [sql`e.group_title ILIKE ${likePattern(query.group)}`]),
    ...(query.language === undefined ? [] : [sql`e.language = ${query.language.toLowerCase()}`]),
    ...(query.resolution === undefined ? [] : [sql`e.resolution = ${query.resolution}`]),
    ...(query.providerId === undefined ? [] : [sql`e.provider_id = ${query.providerId}`]),
    ...(query.unidentified === true ? [sql`e.kind IN ('movie', 'series') AND m.tmdb_id IS NULL`] : []),
    ...(query.tmdbId === undefined ? [] : [sql`m.tmdb_id = ${query.tmdbId}`])
  ])

/** The statement of `list` and `stream`; `limit: null` is no limit. */
const select = (sql: SqlClient.SqlClient, query: Query, limit: number | null) => {
  const order = sql.literal(orderBy(query.sort))
  return filtersOnWork(query)
    ? sql<Item>`SELECT ${sql.literal(columns)} FROM ${sql.literal(from)} WHERE ${where(sql, query)}
    ORDER BY ${order} LIMIT ${limit} OFFSET ${query.offset ?? 0}`
    : sql<Item>`SELECT ${sql.literal(columns)} FROM (
      SELECT * FROM playlist_entries e WHERE ${where(sql, query)} ORDER BY ${order} LIMIT ${limit} OFFSET ${query.offset ?? 0}
    ) e ${sql.literal(mediaJoin)} ORDER BY ${order}`
}

/** Entries matching `query`, in its order (default: kind, title, season, episode); at most `limit` (default 50). */
export const list = Effect.fn("Entries.list")(function*(query: Query = {}) {
  const sql = yield* SqlClient.SqlClient
  return yield* select(sql, query, query.limit ?? 50).pipe(Errors.query("Entries.list"))
})

/**
 * Entries matching `query` in `list`'s order, read through a server-side cursor a few rows at a time: memory stays
 * flat whatever the catalogue's size. No limit unless `query.limit` sets one. The cursor holds a connection until
 * the stream ends (the embedded database has only one: run no other query while consuming it).
 */
export const stream = (query: Query = {}): Stream.Stream<Item, StoreError, SqlClient.SqlClient> =>
  Stream.unwrap(Effect.map(SqlClient.SqlClient, (sql) => select(sql, query, query.limit ?? null).stream)).pipe(
    Stream.mapError((error) =>
      error instanceof SqlError
        ? new StoreError({ reason: "Query", operation: "Entries.stream", detail: Errors.describe(error), cause: error })
        : error
    )
  )

/** How many entries match `query` (ignores limit/offset). */
export const count = Effect.fn("Entries.count")(function*(query: Query = {}) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ readonly n: number }>`
    SELECT count(*)::integer AS n FROM ${sql.literal(filtersOnWork(query) ? from : "playlist_entries e")}
    WHERE ${where(sql, query)}`.pipe(Errors.query("Entries.count"))
  return row!.n
})

export const get = Effect.fn("Entries.get")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Item>`SELECT ${sql.literal(columns)} FROM ${sql.literal(from)} WHERE e.id = ${id}`.pipe(
    Errors.query("Entries.get")
  )
  if (row === undefined) {
    return yield* new StoreError({ reason: "NotFound", operation: "Entries.get", detail: `no entry with id ${id}` })
  }
  return row
})

export interface Stats {
  /** Live entries. */
  readonly entries: number
  /** Entries marked vanished, waiting for the grace period. */
  readonly vanished: number
  readonly kinds: Readonly<Record<string, number>>
  /** Counts by resolution; `"none"` when unknown. */
  readonly resolutions: Readonly<Record<string, number>>
  /** Counts by audio language; `"none"` when unknown. */
  readonly languages: Readonly<Record<string, number>>
  /** The most frequent group titles, most frequent first. */
  readonly topGroups: ReadonlyArray<readonly [group: string, count: number]>
  /**
   * Works with at least one live entry: movies, series, and the distinct episodes (series, season, episode) those
   * entries hold — many entries may carry one work or episode (several qualities, languages, providers).
   */
  readonly media: { readonly movies: number; readonly series: number; readonly episodes: number }
  readonly lastRun: Option.Option<Runs.Run>
}

const toRecord = (rows: ReadonlyArray<{ readonly value: string | null; readonly n: number }>) => {
  const out: Record<string, number> = {}
  for (const row of rows) out[row.value ?? "none"] = row.n
  return out
}

/** Catalogue summary over live entries. */
export const stats = Effect.fn("Entries.stats")(function*(options: { readonly topGroups?: number | undefined } = {}) {
  const sql = yield* SqlClient.SqlClient
  // One scan for every count of live entries (each grouping set is one breakdown, `()` the total): on the embedded
  // database a scan of 150k rows costs ~150 ms, and this replaced five of them.
  type Counted = {
    readonly set: "total" | "kind" | "resolution" | "language" | "group"
    readonly value: string | null
    readonly n: number
  }
  const [counted, vanished, media, lastRun] = yield* Effect.all([
    sql<Counted>`SELECT CASE
          WHEN GROUPING(kind) = 0 THEN 'kind' WHEN GROUPING(resolution) = 0 THEN 'resolution'
          WHEN GROUPING(language) = 0 THEN 'language' WHEN GROUPING(group_title) = 0 THEN 'group' ELSE 'total'
        END AS set,
        COALESCE(kind, resolution, language, group_title) AS value, count(*)::integer AS n
      FROM playlist_entries WHERE vanished_at IS NULL
      GROUP BY GROUPING SETS ((kind), (resolution), (language), (group_title), ())
      ORDER BY 3 DESC, 2`,
    // Vanished entries are few and indexed.
    sql<{ readonly n: number }>`SELECT count(*)::integer AS n FROM playlist_entries WHERE vanished_at IS NOT NULL`,
    sql<{ readonly movies: number; readonly series: number; readonly episodes: number }>`
      SELECT count(DISTINCT media_id) FILTER (WHERE kind = 'movie')::integer AS movies,
        count(DISTINCT media_id) FILTER (WHERE kind = 'series')::integer AS series,
        count(DISTINCT (media_id, season, episode))
          FILTER (WHERE kind = 'series' AND episode IS NOT NULL)::integer AS episodes
      FROM playlist_entries WHERE vanished_at IS NULL AND media_id IS NOT NULL`,
    Runs.list({ limit: 1 })
    // Side by side on a real server (one connection each); the embedded database runs them in turn anyway.
  ], { concurrency: "unbounded" }).pipe(Errors.query("Entries.stats"))
  const of = (set: Counted["set"]) => counted.filter((row) => row.set === set)
  return {
    entries: of("total")[0]?.n ?? 0,
    vanished: vanished[0]!.n,
    kinds: toRecord(of("kind")),
    resolutions: toRecord(of("resolution")),
    languages: toRecord(of("language")),
    topGroups: of("group").filter((g) => g.value !== null).slice(0, options.topGroups ?? 10).map((g) =>
      [g.value!, g.n] as const
    ),
    media: media[0]!,
    lastRun: Option.fromNullable(lastRun[0])
  } satisfies Stats
})

/** What fetching an entry needs: its credential-free URL template, its container, the request headers it carries. */
export interface Source {
  readonly providerId: number
  readonly key: string
  readonly urlTemplate: string
  readonly extension: string | null
  /** The playlist's request headers for it (`header:*` attributes), lower-case names, credential-free templates. */
  readonly headers: Readonly<Record<string, string>>
  /** Marked vanished: the provider no longer lists it. */
  readonly vanished: boolean
}

/** The entry `key` of provider `providerId`, for a download; `None` when it is not in the catalogue. */
export const source = Effect.fn("Entries.source")(function*(providerId: number, key: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{
    readonly urlTemplate: string
    readonly extension: string | null
    readonly attributes: Readonly<Record<string, string>> | string
    readonly vanished: boolean
  }>`SELECT url_template AS "urlTemplate", extension, attributes, vanished_at IS NOT NULL AS vanished
    FROM playlist_entries WHERE provider_id = ${providerId} AND entry_key = ${key}`.pipe(Errors.query("Entries.source"))
  const row = rows[0]
  if (row === undefined) return Option.none<Source>()
  const attributes = typeof row.attributes === "string" ? JSON.parse(row.attributes) as Record<string, string> : row.attributes
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("header:")) headers[name.slice(7).toLowerCase()] = value
  }
  return Option.some<Source>({ providerId, key, urlTemplate: row.urlTemplate, extension: row.extension, headers, vanished: row.vanished })
})
