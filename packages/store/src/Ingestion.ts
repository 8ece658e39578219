/**
 * The write half of an ingest: merge a playlist's rows into the catalogue batch by batch, set-based, all inside
 * ONE transaction on one connection.
 *
 * - Atomic: an interruption or failure at any point rolls back to the previous catalogue; nothing is half-written.
 * - Memory: rows leave the process in batches (one `jsonb` parameter per batch, expanded server-side, which beat
 *   wide `VALUES` lists, `unnest` arrays and TSV here, and stays far below the 65535-parameter limit). Besides the
 *   batch in flight the client keeps the set of keys seen (dedupe) and a map of known works (title key → media
 *   id): a few MB per 100k entries. The server keeps the keys seen in a temporary table to find what vanished.
 * - Cheap re-ingest: unchanged rows are not rewritten (change detection is a row comparison in SQL), so a
 *   re-run of the same playlist only reads.
 * - Pipelined: the next batch is parsed and classified while the server merges the previous one.
 * - Concurrent runs for one provider are serialised by a transaction-scoped advisory lock.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Errors from "./internal/errors.js"
import type { StoreError } from "./StoreError.js"

/** One playlist entry as stored: credential-free (URL template, redacted attribute values). */
export interface Row {
  /** Identity within the provider: `xtream:<type>:<id>`, or the credential-free URL. */
  readonly key: string
  /** The stream URL with `{username}`/`{password}` placeholders. */
  readonly urlTemplate: string
  readonly streamType: string | null
  readonly streamId: number | null
  readonly extension: string | null
  readonly tvgId: string | null
  readonly tvgName: string | null
  readonly tvgLogo: string | null
  readonly groupTitle: string | null
  readonly name: string
  /** Attributes not already in a column. */
  readonly attributes: Readonly<Record<string, string>>
  readonly kind: string
  readonly title: string | null
  /** Normalised title: what media rows are matched on. */
  readonly titleKey: string | null
  readonly year: number | null
  readonly season: number | null
  readonly episode: number | null
  readonly episodeEnd: number | null
  readonly resolution: string | null
  readonly language: string | null
  readonly subtitles: string | null
  readonly platform: string | null
  readonly confidence: number
}

/** What is known once every row is written, before vanishing and commit (for the caller's drop guard). */
export interface Staged {
  /** Rows received. */
  readonly rows: number
  /** Distinct entry keys among them. */
  readonly distinct: number
  /** Live (not vanished) entries of the provider before this run. */
  readonly live: number
}

export interface Result {
  readonly added: number
  readonly changed: number
  readonly revived: number
  readonly unchanged: number
  readonly vanished: number
  readonly removed: number
  readonly duplicates: number
}

export interface WriteOptions<E, R, E2> {
  readonly providerId: number
  /** The run being written (`Runs.start`); older runs of the provider left `running` are marked interrupted. */
  readonly runId: number
  readonly rows: Stream.Stream<Row, E, R>
  /** How long a vanished entry is kept before it is deleted (0: delete as soon as it vanishes). */
  readonly gracePeriod: Duration.DurationInput
  /** Rows per statement (default 2000). */
  readonly batchSize?: number | undefined
  /**
   * Runs inside the transaction once every row is written, before entries are marked vanished and the transaction
   * commits; failing it rolls everything back and leaves the catalogue as it was (the drop guard).
   */
  readonly beforeCommit?: ((staged: Staged) => Effect.Effect<void, E2, SqlClient.SqlClient>) | undefined
  /** Runs last inside the transaction (e.g. `Runs.finish`), so it commits or rolls back with the catalogue. */
  readonly afterWrite?: ((result: Result) => Effect.Effect<void, E2 | StoreError, SqlClient.SqlClient>) | undefined
}

/** Keys seen in this run, to find the entries that vanished. */
const SEEN = "stalkeer_seen"

// Arbitrary namespace for pg_advisory_xact_lock(int, int), paired with the provider id.
const LOCK_NAMESPACE = 0x57a1

/** Works (movies and series) are identified by kind, title key and year (no year ≡ 0). */
const workKey = (kind: string, titleKey: string, year: number | null) => `${kind}\u0000${titleKey}\u0000${year ?? 0}`

const isWork = (row: Row) =>
  (row.kind === "movie" || row.kind === "series") && row.title !== null && row.titleKey !== null && row.titleKey !== ""

/** A JSON array of positional arrays: the cheapest shape to build here and to expand server-side. */
const encode = (rows: ReadonlyArray<Row>, media: ReadonlyArray<number | null>): string => {
  const out = new Array<unknown>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    out[i] = [
      r.key, r.urlTemplate, r.streamType, r.streamId, r.extension, r.tvgId, r.tvgName, r.tvgLogo, r.groupTitle,
      r.name, r.attributes, r.kind, r.title, r.titleKey, r.year, r.season, r.episode, r.episodeEnd, r.resolution,
      r.language, r.subtitles, r.platform, r.confidence, media[i]
    ]
  }
  return withoutNul(JSON.stringify(out))
}

/** PostgreSQL text cannot hold NUL; drop escaped NULs (but not an escaped backslash followed by "u0000"). */
const withoutNul = (json: string) =>
  json.includes("\\u0000") ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1") : json

/** Columns written from a row; an entry whose stored values all equal these is unchanged. */
const content = [
  "url_template", "stream_type", "stream_id", "extension", "tvg_id", "tvg_name", "tvg_logo", "group_title", "name",
  "attributes", "kind", "title", "title_key", "year", "season", "episode", "episode_end", "resolution", "language",
  "subtitles", "platform", "confidence", "media_id"
] as const

/**
 * Create the works a batch needs that are not known yet ($1: jsonb array of [kind, title, title_key, year]);
 * returns their ids, including rows another transaction created meanwhile (the no-op update returns them).
 */
const createWorks = `INSERT INTO media (kind, title, title_key, year)
  SELECT r->>0, r->>1, r->>2, (r->>3)::integer FROM jsonb_array_elements($1::jsonb) AS r
  ON CONFLICT (kind, title_key, (COALESCE(year, 0))) WHERE kind <> 'episode' DO UPDATE SET kind = EXCLUDED.kind
  RETURNING id, kind, title_key, year`

/**
 * One statement per batch ($1: the batch as jsonb, $2: provider id). Each row is matched to the stored entry of
 * its key with a LATERAL … LIMIT 1 probe of the unique index: always an index lookup, whatever the planner's
 * statistics say about a table growing under it. New entries are inserted; changed or revived ones rewritten;
 * unchanged ones only read. The keys are recorded for vanish detection.
 */
const mergeBatch = `WITH x AS (
    SELECT (r->>0) COLLATE "C" AS entry_key, r->>1 AS url_template, r->>2 AS stream_type, (r->>3)::bigint AS stream_id,
      r->>4 AS extension, r->>5 AS tvg_id, r->>6 AS tvg_name, r->>7 AS tvg_logo, r->>8 AS group_title, r->>9 AS name,
      r->10 AS attributes, r->>11 AS kind, r->>12 AS title, (r->>13) COLLATE "C" AS title_key,
      (r->>14)::integer AS year, (r->>15)::integer AS season, (r->>16)::integer AS episode,
      (r->>17)::integer AS episode_end, r->>18 AS resolution, r->>19 AS language, r->>20 AS subtitles,
      r->>21 AS platform, (r->>22)::real AS confidence, (r->>23)::integer AS media_id
    FROM jsonb_array_elements($1::jsonb) AS r
  ),
  cur AS MATERIALIZED (
    SELECT x.*, pe.id AS entry_id, COALESCE(pe.vanished_at IS NOT NULL, false) AS was_vanished,
      COALESCE((${content.map((c) => `pe.${c}`).join(", ")}) IS NOT DISTINCT FROM (${
  content.map((c) => `x.${c}`).join(", ")
}), false) AS same
    FROM x
    LEFT JOIN LATERAL (SELECT * FROM playlist_entries p WHERE p.provider_id = $2 AND p.entry_key = x.entry_key LIMIT 1)
      pe ON true
  ),
  ins AS (
    INSERT INTO playlist_entries (provider_id, entry_key, ${content.join(", ")})
    SELECT $2, entry_key, ${content.join(", ")} FROM cur WHERE entry_id IS NULL
    RETURNING 1
  ),
  upd AS (
    UPDATE playlist_entries pe SET ${content.map((c) => `${c} = cur.${c}`).join(", ")},
      updated_at = CASE WHEN cur.same THEN pe.updated_at ELSE now() END,
      vanished_at = NULL
    FROM cur
    -- The array makes the target an index probe by id, never a scan of the provider's entries.
    WHERE pe.id = ANY (ARRAY(SELECT entry_id FROM cur WHERE NOT same OR was_vanished)) AND pe.id = cur.entry_id
    RETURNING cur.was_vanished AS revived
  ),
  seen AS (INSERT INTO ${SEEN} (entry_key) SELECT entry_key FROM cur)
  SELECT (SELECT count(*) FROM ins)::integer AS added,
    (SELECT count(*) FROM upd WHERE NOT revived)::integer AS changed,
    (SELECT count(*) FROM upd WHERE revived)::integer AS revived`

const markVanished = `WITH v AS (
    UPDATE playlist_entries e SET vanished_at = now()
    WHERE e.provider_id = $1 AND e.vanished_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM ${SEEN} s WHERE s.entry_key = e.entry_key)
    RETURNING 1
  ) SELECT count(*)::integer AS n FROM v`

const removeExpired = `WITH d AS (
    DELETE FROM playlist_entries
    WHERE provider_id = $1 AND vanished_at IS NOT NULL
      AND vanished_at <= now() - $2::double precision * interval '1 millisecond'
    RETURNING 1
  ) SELECT count(*)::integer AS n FROM d`

interface BatchCounts {
  readonly added: number
  readonly changed: number
  readonly revived: number
}

/**
 * Write `rows` into the provider's catalogue in one transaction, merging batch by batch while the caller's stream
 * produces the next one (parsing overlaps with the server's work).
 *
 * A key repeated in the playlist keeps its first occurrence. Entries of the provider missing from `rows` are marked
 * vanished; vanished entries that reappear are revived; entries vanished for longer than `gracePeriod` are deleted.
 * Movies and series are found or created in `media` (by kind, title key and year) and linked from their entries;
 * an episode entry links to its series and carries its own season/episode numbers. Episode rows in `media` are
 * left to the enrichment stage, which has episode ids to give them (creating 100k+ id-less rows per ingest cost
 * more than everything else in the merge).
 */
export const write = <E, R, E2 = never>(
  options: WriteOptions<E, R, E2>
): Effect.Effect<Result, StoreError | E | E2, SqlClient.SqlClient | R> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const provider = options.providerId
    const batchSize = options.batchSize ?? 2000
    const graceMillis = Duration.toMillis(Duration.decode(options.gracePeriod))

    return yield* sql.withTransaction(Effect.gen(function*() {
      yield* sql`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${provider})`
      // Hash joins of a whole catalogue (vanish detection) fit in memory instead of spilling to disk.
      yield* sql.unsafe(`SET LOCAL work_mem = '32MB'`)
      // A run still `running` that started before this one, now that we hold the lock, died with its process.
      yield* sql`UPDATE ingest_runs SET status = 'interrupted', finished_at = clock_timestamp(),
          error = 'the process ended before the run finished'
        WHERE provider_id = ${provider} AND status = 'running' AND id < ${options.runId}`
      yield* sql.unsafe(`CREATE TEMP TABLE ${SEEN} (entry_key text COLLATE "C" NOT NULL) ON COMMIT DROP`)
      const [before] = yield* sql<{ readonly live: number }>`
        SELECT count(*)::integer AS live FROM playlist_entries WHERE provider_id = ${provider} AND vanished_at IS NULL`

      // Works are resolved here, from one read of the table at start plus what each batch creates: the server
      // then only stores ids, and a batch whose works all exist costs a single statement.
      const works = new Map<string, number>()
      type WorkRow = { readonly id: number; readonly kind: string; readonly title_key: string; readonly year: number | null }
      const remember = (rows: ReadonlyArray<WorkRow>) => {
        for (const w of rows) works.set(workKey(w.kind, w.title_key, w.year), w.id)
      }
      remember(yield* sql<WorkRow>`SELECT id, kind, title_key, year FROM media WHERE kind <> 'episode'`)

      // Deduplicated here rather than in SQL: a set of keys is a few MB per 100k entries, and keeps every
      // statement free of DISTINCT passes. The first occurrence of a key wins.
      const keys = new Set<string>()
      const totals = { rows: 0, kept: 0, added: 0, changed: 0, revived: 0 }
      yield* options.rows.pipe(
        Stream.rechunk(batchSize),
        // The next batch is parsed and classified while the server merges this one.
        Stream.bufferChunks({ capacity: 2 }),
        Stream.runForEachChunk((chunk) =>
          Effect.gen(function*() {
            const batch: Array<Row> = []
            const media: Array<number | null> = []
            const pending: Array<number> = [] // indexes in `batch` of rows whose work is not known yet
            const missing = new Map<string, Row>()
            const rows = Chunk.toReadonlyArray(chunk)
            for (let i = 0; i < rows.length; i++) {
              const row = rows[i]!
              if (keys.has(row.key)) continue
              keys.add(row.key)
              let id: number | null = null
              if (isWork(row)) {
                const key = workKey(row.kind, row.titleKey!, row.year)
                const known = works.get(key)
                if (known !== undefined) {
                  id = known
                } else {
                  pending.push(batch.length)
                  if (!missing.has(key)) missing.set(key, row)
                }
              }
              batch.push(row)
              media.push(id)
            }
            totals.rows += rows.length
            if (batch.length === 0) return
            if (missing.size > 0) {
              const payload = withoutNul(
                JSON.stringify(Array.from(missing.values(), (r) => [r.kind, r.title, r.titleKey, r.year]))
              )
              remember(yield* sql.unsafe<WorkRow>(createWorks, [payload]))
              for (const i of pending) {
                const r = batch[i]!
                media[i] = works.get(workKey(r.kind, r.titleKey!, r.year)) ?? null
              }
            }
            const [counts] = yield* sql.unsafe<BatchCounts>(mergeBatch, [encode(batch, media), provider])
            totals.kept += batch.length
            totals.added += counts!.added
            totals.changed += counts!.changed
            totals.revived += counts!.revived
          })
        )
      )

      const staged: Staged = { rows: totals.rows, distinct: totals.kept, live: before!.live }
      if (options.beforeCommit !== undefined) yield* options.beforeCommit(staged)

      // Real statistics, so the anti-join below hashes the keys instead of scanning them once per entry.
      yield* sql.unsafe(`ANALYZE ${SEEN}`)
      const [vanished] = yield* sql.unsafe<{ readonly n: number }>(markVanished, [provider])
      const [removed] = yield* sql.unsafe<{ readonly n: number }>(removeExpired, [provider, graceMillis])
      const result: Result = {
        added: totals.added,
        changed: totals.changed,
        revived: totals.revived,
        unchanged: totals.kept - totals.added - totals.changed - totals.revived,
        vanished: vanished!.n,
        removed: removed!.n,
        duplicates: totals.rows - totals.kept
      }
      if (options.afterWrite !== undefined) yield* options.afterWrite(result)
      return result
    }))
  }).pipe(Errors.query("Ingestion.write"), Effect.withSpan("Ingestion.write"))
