/**
 * The write half of an ingest: merge a playlist's rows into the catalogue batch by batch, set-based, all inside
 * ONE transaction on one connection.
 *
 * - Atomic: an interruption or failure at any point rolls back to the previous catalogue; nothing is half-written.
 * - Memory: rows leave the process in batches, as `COPY` text (`BulkCopy`; the server spends ~20 % less on it than
 *   on the one `jsonb` parameter per batch that beat wide `VALUES` lists and `unnest` arrays before it). Besides the
 *   batch in flight the client keeps the set of keys seen (dedupe), a map of known works (title key → media id)
 *   and the provider's live entries as read at start (key → raw hash, kind): a few MB per 100k entries. What
 *   vanished is found from those two client-side, so the server keeps no per-run key table.
 * - Cheap re-ingest: the caller can pass an entry whose raw hash equals the stored one as its key alone (nothing
 *   is sent for it); rows that are sent but equal the stored ones are not rewritten (a row comparison in SQL).
 * - Fast first ingest: into a provider with no stored entries at all, batches are copied straight into the table
 *   (no probes); otherwise each batch is copied into a temporary table of the transaction and merged from there.
 * - Pipelined: the next batch is parsed and classified while the server merges the previous one.
 * - Concurrent runs for one provider are serialised by a transaction-scoped advisory lock.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as BulkCopy from "./BulkCopy.js"
import * as Errors from "./internal/errors.js"
import * as Statistics from "./Statistics.js"
import type * as Runs from "./Runs.js"
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
  /**
   * The caller's hash of the entry's source fields (an integer below 2^53), stored for the next run's skip test
   * (see `Stored`); absent or null: this entry is never skipped.
   */
  readonly rawHash?: number | null | undefined
}

/**
 * An item of a write: a row, or the key of a live entry the caller found unchanged by its raw hash (counted as
 * unchanged and kept as it is; a key that is not a live entry of the provider is a defect).
 */
export type Input = Row | string

/** A live entry as stored when the run started. */
export interface StoredEntry {
  readonly rawHash: number | null
  readonly kind: string
}

/** The provider's stored entries, read inside the write's transaction with the provider's lock held. */
export interface Stored {
  /** No entries at all, live or vanished: every row is new. */
  readonly empty: boolean
  /** Live (not vanished) entries by key. */
  readonly live: ReadonlyMap<string, StoredEntry>
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

/** What the write changed: the catalogue half of a run's counts. */
export type Result = Pick<
  Runs.Counts,
  "added" | "changed" | "revived" | "unchanged" | "vanished" | "removed" | "duplicates"
>

export interface WriteOptions<E, R, E2> {
  readonly providerId: number
  /** The run being written (`Runs.start`); older runs of the provider left `running` are marked interrupted. */
  readonly runId: number
  /** The rows, or a function of what is stored (to skip unchanged entries: see `Input`). */
  readonly rows: Stream.Stream<Input, E, R> | ((stored: Stored) => Stream.Stream<Input, E, R>)
  /** How long a vanished entry is kept before it is deleted (0: delete as soon as it vanishes). */
  readonly gracePeriod: Duration.DurationInput
  /** Rows per write (default 2000): a batch is written once at least this many rows wait, the last one with fewer. */
  readonly batchSize?: number | undefined
  /**
   * Runs inside the transaction once every row is written, before entries are marked vanished and the transaction
   * commits; failing it rolls everything back and leaves the catalogue as it was (the drop guard).
   */
  readonly beforeCommit?: ((staged: Staged) => Effect.Effect<void, E2, SqlClient.SqlClient>) | undefined
  /** Runs last inside the transaction (e.g. `Runs.finish`), so it commits or rolls back with the catalogue. */
  readonly afterWrite?: ((result: Result) => Effect.Effect<void, E2 | StoreError, SqlClient.SqlClient>) | undefined
}

// Arbitrary namespace for pg_advisory_xact_lock(int, int), paired with the provider id.
const LOCK_NAMESPACE = 0x57a1

/** Works (movies and series) are identified by kind, title key and year (no year ≡ 0). */
const workKey = (kind: string, titleKey: string, year: number | null) => `${kind}\u0000${titleKey}\u0000${year ?? 0}`

const isWork = (row: Row) =>
  (row.kind === "movie" || row.kind === "series") && row.title !== null && row.titleKey !== null && row.titleKey !== ""

// COPY's text format: a tab between fields, `\N` for null, and backslash escapes for the backslash, tab, newline and
// carriage return. PostgreSQL text cannot hold NUL: it is dropped, as it always was.
const SPECIAL = /[\\\t\n\r\0]/
const SPECIALS = /[\\\t\n\r\0]/g
const escapeOne = (c: string) => c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : ""
const TAB = 0x09
const NEWLINE = 0x0a

/**
 * Rows as COPY text, in `written` order after `entry_key` (with `provider_id` first when given), written field by
 * field into one byte buffer that is reused for every batch of a run: the bytes are handed to the driver and the
 * buffer is only refilled once the COPY has completed. No string is built per row: concatenating a row's fields
 * (or JSON-encoding them, as before) allocated ~2 KB per row, a fifth of everything an ingest allocated.
 */
const makeEncoder = (provider: number | null) => {
  let bytes = Buffer.allocUnsafe(4 * 1024 * 1024)
  let at = 0
  const reserve = (n: number) => {
    if (at + n <= bytes.length) return
    const grown = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + n))
    bytes.copy(grown, 0, 0, at)
    bytes = grown
  }
  const nul = () => {
    reserve(3)
    bytes[at++] = 0x5c // \
    bytes[at++] = 0x4e // N
    bytes[at++] = TAB
  }
  const text = (value: string | null) => {
    if (value === null) return nul()
    const v = SPECIAL.test(value) ? value.replace(SPECIALS, escapeOne) : value
    // At most 3 bytes per UTF-16 unit.
    reserve(v.length * 3 + 1)
    at += bytes.write(v, at)
    bytes[at++] = TAB
  }
  const num = (value: number | null | undefined) => {
    if (value === null || value === undefined) return nul()
    if (!Number.isSafeInteger(value) || value < 0) return text(String(value))
    reserve(17)
    const start = at
    do {
      bytes[at++] = 0x30 + (value % 10)
      value = Math.floor(value / 10)
    } while (value > 0)
    for (let l = start, h = at - 1; l < h; l++, h--) {
      const d = bytes[l]!
      bytes[l] = bytes[h]!
      bytes[h] = d
    }
    bytes[at++] = TAB
  }
  const json = (value: Readonly<Record<string, string>>) => {
    for (const _ in value) return text(withoutNul(JSON.stringify(value)))
    reserve(3)
    bytes[at++] = 0x7b // {
    bytes[at++] = 0x7d // }
    bytes[at++] = TAB
  }
  return (rows: ReadonlyArray<Row>, media: ReadonlyArray<number | null>): Uint8Array => {
    at = 0
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!
      if (provider !== null) num(provider)
      text(r.key)
      text(r.urlTemplate)
      text(r.streamType)
      num(r.streamId)
      text(r.extension)
      text(r.tvgId)
      text(r.tvgName)
      text(r.tvgLogo)
      text(r.groupTitle)
      text(r.name)
      json(r.attributes)
      text(r.kind)
      text(r.title)
      text(r.titleKey)
      num(r.year)
      num(r.season)
      num(r.episode)
      num(r.episodeEnd)
      text(r.resolution)
      text(r.language)
      text(r.subtitles)
      text(r.platform)
      num(r.confidence)
      num(media[i])
      num(r.rawHash)
      bytes[at - 1] = NEWLINE
    }
    return bytes.subarray(0, at)
  }
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

/** Every column a batch writes, in payload order after `entry_key`. */
const written = [...content, "raw_hash"] as const

/** A batch for a provider with no stored entries: every row is new, copied straight into the table. */
const copyEntries = `COPY playlist_entries (provider_id, entry_key, ${written.join(", ")}) FROM STDIN`

/**
 * Where a batch for a provider with entries is copied before it is merged: a temporary table of this transaction,
 * with the entries' own column types (and collations), emptied after each batch.
 */
const STAGING = "stalkeer_ingest_batch"
const createStaging = `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} ON COMMIT DROP AS
  SELECT entry_key, ${written.join(", ")} FROM playlist_entries WITH NO DATA`
const copyStaging = `COPY ${STAGING} (entry_key, ${written.join(", ")}) FROM STDIN`

/**
 * Create the works a batch needs that are not known yet ($1: jsonb array of [kind, title, title_key, year]);
 * returns their ids, including rows another transaction created meanwhile (the no-op update returns them).
 */
const createWorks = `INSERT INTO media (kind, title, title_key, year)
  SELECT r->>0, r->>1, r->>2, (r->>3)::integer FROM jsonb_array_elements($1::jsonb) AS r
  ON CONFLICT (kind, title_key, (COALESCE(year, 0))) WHERE kind <> 'episode' DO UPDATE SET kind = EXCLUDED.kind
  RETURNING COALESCE(merged_into, id) AS id, kind, title_key, year`

/**
 * One statement per staged batch ($1: provider id). Each row is matched to the stored entry of
 * its key with a LATERAL … LIMIT 1 probe of the unique index: always an index lookup, whatever the planner's
 * statistics say about a table growing under it. New entries are inserted; changed or revived ones rewritten
 * (and unchanged ones whose raw hash moved, e.g. new credentials in the URLs, get the new hash); the rest only read.
 */
const mergeBatch = `WITH x AS (SELECT * FROM ${STAGING}),
  cur AS MATERIALIZED (
    SELECT x.*, pe.id AS entry_id, COALESCE(pe.vanished_at IS NOT NULL, false) AS was_vanished,
      COALESCE((${content.map((c) => `pe.${c}`).join(", ")}) IS NOT DISTINCT FROM (${
  content.map((c) => `x.${c}`).join(", ")
}), false) AS same,
      pe.raw_hash IS NOT DISTINCT FROM x.raw_hash AS same_hash
    FROM x
    LEFT JOIN LATERAL (SELECT * FROM playlist_entries p WHERE p.provider_id = $1 AND p.entry_key = x.entry_key LIMIT 1)
      pe ON true
  ),
  ins AS (
    INSERT INTO playlist_entries (provider_id, entry_key, ${written.join(", ")})
    SELECT $1, entry_key, ${written.join(", ")} FROM cur WHERE entry_id IS NULL
    RETURNING 1
  ),
  upd AS (
    UPDATE playlist_entries pe SET ${written.map((c) => `${c} = cur.${c}`).join(", ")},
      updated_at = CASE WHEN cur.same THEN pe.updated_at ELSE now() END,
      vanished_at = NULL
    FROM cur
    -- The array makes the target an index probe by id, never a scan of the provider's entries.
    WHERE pe.id = ANY (ARRAY(SELECT entry_id FROM cur WHERE NOT same OR was_vanished OR NOT same_hash))
      AND pe.id = cur.entry_id
    RETURNING cur.was_vanished AS revived, cur.same
  )
  SELECT (SELECT count(*) FROM ins)::integer AS added,
    (SELECT count(*) FROM upd WHERE NOT revived AND NOT same)::integer AS changed,
    (SELECT count(*) FROM upd WHERE revived)::integer AS revived`

/** The live entries of the provider ($1) that this run did not see ($2: their keys). */
const markVanished = `WITH v AS (
    UPDATE playlist_entries SET vanished_at = now()
    WHERE provider_id = $1 AND entry_key = ANY ($2::text[]) AND vanished_at IS NULL
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

    const result = yield* sql.withTransaction(Effect.gen(function*() {
      yield* sql`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${provider})`
      // A run still `running` that started before this one, now that we hold the lock, died with its process.
      yield* sql`UPDATE ingest_runs SET status = 'interrupted', finished_at = clock_timestamp(),
          error = 'the process ended before the run finished'
        WHERE provider_id = ${provider} AND status = 'running' AND id < ${options.runId}`
      // One read of the provider's entries; live ones are kept (key → raw hash, kind) for the caller's skip test
      // and for vanish detection, which is then a client-side difference with the keys seen.
      type EntryRow = {
        readonly entry_key: string
        readonly raw_hash: number | null
        readonly kind: string
        readonly vanished: boolean
      }
      const live = new Map<string, StoredEntry>()
      let storedCount = 0
      const kinds = new Map<string, string>() // one string per kind rather than one per entry
      for (
        const e of yield* sql<EntryRow>`SELECT entry_key, raw_hash::double precision AS raw_hash, kind,
          vanished_at IS NOT NULL AS vanished FROM playlist_entries WHERE provider_id = ${provider}`
      ) {
        storedCount++
        if (e.vanished) continue
        let kind = kinds.get(e.kind)
        if (kind === undefined) kinds.set(e.kind, kind = e.kind)
        live.set(e.entry_key, { rawHash: e.raw_hash, kind })
      }
      const stored: Stored = { empty: storedCount === 0, live }
      const rowsStream = typeof options.rows === "function" ? options.rows(stored) : options.rows

      // Works are resolved here, from one read of the table at start plus what each batch creates: the server
      // then only stores ids, and a batch whose works all exist costs a single statement.
      // Indexed by title key first: a playlist repeats each title key as one string (the caller's normaliser
      // cache), whose hash V8 keeps, where a composite key would be a new string to hash for every row.
      const works = new Map<string, Array<{ readonly kind: string; readonly year: number; readonly id: number }>>()
      const findWork = (kind: string, titleKey: string, year: number | null): number | undefined => {
        const list = works.get(titleKey)
        if (list !== undefined) for (const w of list) if (w.kind === kind && w.year === (year ?? 0)) return w.id
        return undefined
      }
      type WorkRow = { readonly id: number; readonly kind: string; readonly title_key: string; readonly year: number | null }
      const remember = (rows: ReadonlyArray<WorkRow>) => {
        for (const w of rows) {
          if (findWork(w.kind, w.title_key, w.year) !== undefined) continue
          const list = works.get(w.title_key)
          const work = { kind: w.kind, year: w.year ?? 0, id: w.id }
          if (list === undefined) works.set(w.title_key, [work])
          else list.push(work)
        }
      }
      // A work identified as the same TMDB work as another links its entries to that one's canonical row.
      remember(yield* sql<WorkRow>`SELECT COALESCE(merged_into, id) AS id, kind, title_key, year FROM media WHERE kind <> 'episode'`)

      // Deduplicated here rather than in SQL: a set of keys is a few MB per 100k entries, and keeps every
      // statement free of DISTINCT passes. The first occurrence of a key wins.
      const keys = new Set<string>()
      const totals = { rows: 0, kept: 0, skipped: 0, added: 0, changed: 0, revived: 0 }
      // Into an empty provider every row is new: straight into the table. Otherwise each batch is staged and merged.
      const copy = yield* BulkCopy.BulkCopy
      const encode = makeEncoder(stored.empty ? provider : null)
      if (!stored.empty) yield* sql.unsafe(createStaging)
      // Rows wait here until a batch is full: a re-ingest sends few rows per input chunk (the rest are keys of
      // unchanged entries), and a statement per chunk would cost a round trip each for a handful of rows.
      let batch: Array<Row> = []
      let media: Array<number | null> = []
      let pending: Array<number> = [] // indexes in `batch` of rows whose work is not known yet
      let missing = new Map<string, Row>()
      // A batch's statements are never interrupted midway: pg would cancel one through a second connection, which
      // the embedded database (one connection, serial execution) cannot serve before its 5 s cancel timeout. A
      // batch takes a fraction of a second; an interruption takes effect after it and rolls the transaction back.
      const flush = Effect.uninterruptible(Effect.gen(function*() {
        if (batch.length === 0) return
        if (missing.size > 0) {
          const payload = withoutNul(
            JSON.stringify(Array.from(missing.values(), (r) => [r.kind, r.title, r.titleKey, r.year]))
          )
          remember(yield* sql.unsafe<WorkRow>(createWorks, [payload]))
          for (const i of pending) {
            const r = batch[i]!
            media[i] = findWork(r.kind, r.titleKey!, r.year) ?? null
          }
        }
        totals.kept += batch.length
        if (stored.empty) {
          yield* copy.copyFrom(copyEntries, encode(batch, media))
          totals.added += batch.length
        } else {
          yield* copy.copyFrom(copyStaging, encode(batch, media))
          const [counts] = yield* sql.unsafe<BatchCounts>(mergeBatch, [provider])
          yield* sql.unsafe(`TRUNCATE ${STAGING}`)
          totals.added += counts!.added
          totals.changed += counts!.changed
          totals.revived += counts!.revived
        }
        batch = []
        media = []
        pending = []
        missing = new Map()
        yield* Effect.logDebug(`Ingestion.write: ${totals.kept} rows written`)
      }))
      yield* rowsStream.pipe(
        Stream.rechunk(batchSize),
        // The next batch is parsed and classified while the server writes this one.
        Stream.bufferChunks({ capacity: 2 }),
        Stream.runForEachChunk((chunk) => {
          const items = Chunk.toReadonlyArray(chunk)
          for (let i = 0; i < items.length; i++) {
            const item = items[i]!
            if (typeof item === "string") {
              if (keys.has(item)) continue
              if (!live.has(item)) return Effect.dieMessage("Ingestion.write: a skipped key is not a live entry")
              keys.add(item)
              totals.skipped++
              continue
            }
            const row = item
            if (keys.has(row.key)) continue
            keys.add(row.key)
            let id: number | null = null
            if (isWork(row)) {
              const known = findWork(row.kind, row.titleKey!, row.year)
              if (known !== undefined) {
                id = known
              } else {
                pending.push(batch.length)
                const key = workKey(row.kind, row.titleKey!, row.year)
                if (!missing.has(key)) missing.set(key, row)
              }
            }
            batch.push(row)
            media.push(id)
          }
          totals.rows += items.length
          return batch.length >= batchSize ? flush : Effect.void
        })
      )
      yield* flush

      if (!stored.empty) yield* sql.unsafe(`DROP TABLE ${STAGING}`)
      const distinct = totals.kept + totals.skipped
      const staged: Staged = { rows: totals.rows, distinct, live: live.size }
      if (options.beforeCommit !== undefined) yield* options.beforeCommit(staged)

      const gone: Array<string> = []
      for (const key of live.keys()) if (!keys.has(key)) gone.push(key)
      const [vanished] = gone.length === 0
        ? [{ n: 0 }]
        : yield* sql.unsafe<{ readonly n: number }>(markVanished, [provider, gone])
      const [removed] = yield* sql.unsafe<{ readonly n: number }>(removeExpired, [provider, graceMillis])
      const result: Result = {
        added: totals.added,
        changed: totals.changed,
        revived: totals.revived,
        unchanged: distinct - totals.added - totals.changed - totals.revived,
        vanished: vanished!.n,
        removed: removed!.n,
        duplicates: totals.rows - distinct
      }
      if (options.afterWrite !== undefined) yield* options.afterWrite(result)
      return result
    }))
    const churn = result.added + result.changed + result.revived + result.vanished + result.removed
    if (Statistics.stale(churn, result.added + result.changed + result.revived + result.unchanged)) {
      yield* Statistics.refresh
    }
    return result
  }).pipe(Errors.query("Ingestion.write"), Effect.withSpan("Ingestion.write"))
