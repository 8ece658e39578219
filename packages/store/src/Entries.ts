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
  /** Default 50. */
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

const columns = `id, provider_id AS "providerId", entry_key AS "key", url_template AS "urlTemplate", name,
  group_title AS "groupTitle", tvg_id AS "tvgId", tvg_logo AS "tvgLogo", kind, title, year, season, episode,
  episode_end AS "episodeEnd", resolution, language, subtitles, platform, extension, confidence,
  media_id AS "mediaId", first_seen_at AS "firstSeenAt", updated_at AS "updatedAt", vanished_at AS "vanishedAt"`

/** `%`, `_` and `\` are LIKE wildcards; a user's search text is literal. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const where = (sql: SqlClient.SqlClient, query: Query) =>
  sql.and([
    ...(query.includeVanished === true ? [] : [sql`vanished_at IS NULL`]),
    ...(query.kind === undefined ? [] : [sql`kind = ${query.kind}`]),
    ...(query.search === undefined
      ? []
      : [sql`(title ILIKE ${likePattern(query.search)} OR name ILIKE ${likePattern(query.search)})`]),
    ...(query.year === undefined ? [] : [sql`year = ${query.year}`]),
    ...(query.group === undefined ? [] : [sql`group_title ILIKE ${likePattern(query.group)}`]),
    ...(query.language === undefined ? [] : [sql`language = ${query.language.toLowerCase()}`]),
    ...(query.resolution === undefined ? [] : [sql`resolution = ${query.resolution}`]),
    ...(query.providerId === undefined ? [] : [sql`provider_id = ${query.providerId}`])
  ])

/** The statement of `list` and `stream`; `limit: null` is no limit. */
const select = (sql: SqlClient.SqlClient, query: Query, limit: number | null) =>
  sql<Item>`SELECT ${sql.literal(columns)} FROM playlist_entries WHERE ${where(sql, query)}
    ORDER BY kind, title_key NULLS LAST, year NULLS LAST, season NULLS LAST, episode NULLS LAST, id
    LIMIT ${limit} OFFSET ${query.offset ?? 0}`

/** Entries matching `query`, ordered by kind, title, season, episode; at most `limit` (default 50), in memory. */
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
    SELECT count(*)::integer AS n FROM playlist_entries WHERE ${where(sql, query)}`.pipe(Errors.query("Entries.count"))
  return row!.n
})

export const get = Effect.fn("Entries.get")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Item>`SELECT ${sql.literal(columns)} FROM playlist_entries WHERE id = ${id}`.pipe(
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
