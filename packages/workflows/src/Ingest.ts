/**
 * `stalkeer process`: stream a playlist into the catalogue.
 *
 * parse → filter → cut credentials out of URLs → classify → staged in batches → one set-based merge, all inside a
 * single transaction (see `@stalkeer/store` `Ingestion.write`). An entry whose credential-free source fields hash
 * the same as when it was stored (with the same classifier version) is not classified again nor sent: only its key
 * is passed on, to count it unchanged and keep it from vanishing. Memory stays bounded by the batch size whatever the
 * playlist size. Every run is recorded in `ingest_runs`; an interrupted or failed run leaves the previous catalogue
 * and is marked `interrupted` / `failed`; a suspicious playlist (empty, or far smaller than the last good one) is
 * refused unless `force`.
 *
 * Credentials never reach the database, logs or output: stream URLs are stored as `StreamUrl` templates, attribute
 * values go through `StreamUrl.protect` and the source label and error texts through `StreamUrl.scrub`, each with
 * the configured accounts as well as the shapes `StreamUrl` recognises on its own.
 */
import type { Classification } from "@stalkeer/classifier"
import { Classifier } from "@stalkeer/classifier"
import type { M3uParseError, PlaylistEntry } from "@stalkeer/m3u-parser"
import { M3u, StreamUrl } from "@stalkeer/m3u-parser"
import type { AppConfig } from "@stalkeer/config"
import { Ingestion, Providers, Runs } from "@stalkeer/store"
import type { StoreError } from "@stalkeer/store"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as EntryFilter from "./EntryFilter.js"
import { hash53, rawHash, toRow, toSource } from "./internal/rows.js"

export class IngestError extends Schema.TaggedError<IngestError>("@stalkeer/workflows/IngestError")("IngestError", {
  reason: Schema.Literal("InvalidFilter", "DropGuard", "EmptyPlaylist", "AllFiltered"),
  /** `InvalidFilter`: which filter, e.g. `exclude group /[/ (config file)`. */
  filter: Schema.optional(Schema.String),
  /** `DropGuard`: live entries in the catalogue before the run, and entries this run keeps. */
  previous: Schema.optional(Schema.Number),
  current: Schema.optional(Schema.Number),
  /** `DropGuard`/`AllFiltered`: entries in the playlist, and how many of them the filters removed. */
  total: Schema.optional(Schema.Number),
  filtered: Schema.optional(Schema.Number),
  maxDrop: Schema.optional(Schema.Number),
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    switch (this.reason) {
      case "InvalidFilter":
        return `Invalid filter ${this.filter ?? ""}: ${this.detail ?? "not a valid regular expression"}`
      case "DropGuard": {
        const byFilters = (this.filtered ?? 0) > 0
          ? ` (the playlist has ${this.total} entries; the filters removed ${this.filtered} — check them with \`stalkeer filters list\`)`
          : ""
        return `Refused: this run keeps ${this.current} entries, down from ${this.previous} in the catalogue ` +
          `(more than ${Math.round((this.maxDrop ?? 0) * 100)} % fewer)${byFilters}. The catalogue is unchanged; ` +
          `re-run with --force if the entries really are gone.`
      }
      case "EmptyPlaylist":
        return "Refused: the playlist has no entries. The catalogue is unchanged; re-run with --force to accept it."
      case "AllFiltered":
        return `Refused: the filters removed all ${this.total} entries of the playlist ` +
          "(check them with `stalkeer filters list`). The catalogue is unchanged; re-run with --force to accept it."
    }
  }
}

export interface Progress {
  /** Playlist entries read so far. */
  readonly entries: number
  /** Entries kept (sent to the database). */
  readonly kept: number
  readonly filtered: number
  /** Parser warnings so far (see `Runs.Counts.warnings`). */
  readonly warnings: number
}

export interface Options<E, R> {
  readonly source: Stream.Stream<Uint8Array, E, R>
  /** Where the playlist comes from, for the run log (a path, `-`, or a URL; credentials are masked again here). */
  readonly sourceLabel: string
  /**
   * The provider accounts configured (or read from the playlist URL): cut out of every URL and attribute wherever
   * they appear, beyond the URL shapes `StreamUrl` recognises on its own.
   */
  readonly credentials?: ReadonlyArray<StreamUrl.StreamCredentials> | undefined
  readonly provider: {
    readonly name: string
    /** Any URL of the panel (the playlist URL will do): only its `scheme://host[:port]` is stored, never the rest. */
    readonly baseUrl?: string | null | undefined
  }
  /** Config-file filters; runtime filters from the database always apply too. */
  readonly filters?: AppConfig.Filters | undefined
  /** Skip the drop guard and the empty-playlist guard. */
  readonly force?: boolean | undefined
  /** Days a vanished entry is kept (default 7). */
  readonly graceDays?: number | undefined
  /** Largest share of entries a playlist may lose against the last successful run (default 0.5). */
  readonly maxDrop?: number | undefined
  /** Called once per parsed chunk; keep it cheap. */
  readonly onProgress?: ((progress: Progress) => Effect.Effect<void>) | undefined
  /** Classifier with the user's rules (default: `Classifier.classify` with none). */
  readonly classify?: ((entry: PlaylistEntry.PlaylistEntry) => Classification.Classification) | undefined
  /**
   * Identifies a custom `classify` (e.g. a hash of the user's rules), so unchanged entries need not be classified
   * again while it stays the same. Without it, a custom `classify` re-classifies every entry on every run.
   */
  readonly classifierVersion?: string | undefined
  readonly maxLineBytes?: number | undefined
  /** Rows per database write (default 2000; see `Ingestion.write`). */
  readonly batchSize?: number | undefined
}

export interface Summary {
  readonly runId: number
  readonly providerId: number
  readonly counts: Runs.Counts
  readonly durationMs: number
}

/**
 * Version of everything a row is derived from besides the entry: the classifier's behaviour (which changes with any
 * rule change that alters its answers on its probe names) and this module's row building (bump the suffix when
 * `toRow` changes). It is part of every stored raw hash, so a change re-classifies every entry on the next run.
 */
// Computed on first use: the probe run would cost every command that loads this module, ingesting or not.
let cachedVersion: string | undefined
export const classifierVersion = (): string =>
  cachedVersion ??= `classifier:${hash53(Classifier.behaviour()).toString(36)}/rows:4`

const noFilters: AppConfig.Filters = { includeGroups: [], excludeGroups: [], includeNames: [], excludeNames: [] }

const defaultClassify = (entry: PlaylistEntry.PlaylistEntry) => Classifier.classify(entry)

const describeCause = (cause: Cause.Cause<unknown>, credentials: StreamUrl.KnownCredentials): string => {
  const failure = Cause.failureOption(cause)
  const error = Option.isSome(failure) ? failure.value : Cause.squash(cause)
  return StreamUrl.scrub(error instanceof Error ? error.message : String(error), credentials)
}

/**
 * Ingest one playlist for one provider. See the module comment for the guarantees.
 *
 * Fails with `IngestError` (`InvalidFilter` before anything is written; `DropGuard`/`EmptyPlaylist` after
 * staging, with the catalogue untouched and the run recorded as `refused`), `StoreError`, the parser's
 * `M3uParseError` (not a playlist), or the source's own error.
 */
export const run = <E, R>(
  options: Options<E, R>
): Effect.Effect<Summary, IngestError | StoreError.StoreError | M3uParseError.M3uParseError | E, SqlClient.SqlClient | R> =>
  Effect.gen(function*() {
    const started = yield* Clock.currentTimeMillis
    const filters = EntryFilter.compile(yield* EntryFilter.active(options.filters ?? noFilters))
    if (EntryFilter.isInvalid(filters)) {
      return yield* new IngestError({ reason: "InvalidFilter", filter: EntryFilter.describe(filters.rule), detail: filters.problem })
    }
    const force = options.force ?? false
    const maxDrop = options.maxDrop ?? 0.5
    const baseUrl = options.provider.baseUrl == null ? null : StreamUrl.toTemplate(options.provider.baseUrl).base
    const provider = yield* Providers.ensure({ name: options.provider.name, baseUrl })
    const configured = options.credentials ?? []
    const runId = yield* Runs.start({ providerId: provider.id, source: StreamUrl.scrub(options.sourceLabel, configured) })

    let total = 0
    let kept = 0
    let filtered = 0
    let warnings = 0
    const byKind: Record<string, number> = {}

    const classify = options.classify ?? defaultClassify
    // A custom classifier without a version cannot tell when its output would change: it classifies everything.
    const version = options.classify === undefined
      ? classifierVersion()
      : options.classifierVersion === undefined
      ? null
      : `${classifierVersion()}+${options.classifierVersion}`
    // Titles repeat (every episode of a series): normalise each once. Bounded, in case a playlist has no repeats.
    const titleKeys = new Map<string, string>()
    const titleKey = (title: string): string => {
      let key = titleKeys.get(title)
      if (key === undefined) {
        if (titleKeys.size >= 50_000) titleKeys.clear()
        key = Classifier.normalizeTitle(title)
        titleKeys.set(title, key)
      }
      return key
    }

    const toItems = (
      chunk: Chunk.Chunk<PlaylistEntry.M3uEvent>,
      stored: Ingestion.Stored
    ): Chunk.Chunk<Ingestion.Input> => {
      const out: Array<Ingestion.Input> = []
      for (const event of chunk) {
        if (event._tag === "PlaylistEntry") {
          total++
          if (!EntryFilter.accepts(filters, event.groupTitle ?? "", event.name)) {
            filtered++
            continue
          }
          kept++
          const source = toSource(event, configured)
          const hash = version === null ? null : rawHash(version, event, source)
          const previous = stored.live.get(source.url.key)
          if (previous !== undefined && hash !== null && previous.rawHash === hash) {
            byKind[previous.kind] = (byKind[previous.kind] ?? 0) + 1
            out.push(source.url.key)
            continue
          }
          const classification = classify(event)
          byKind[classification.kind] = (byKind[classification.kind] ?? 0) + 1
          out.push(toRow(event, source, classification, titleKey, hash))
        } else if (event._tag === "M3uWarning") {
          warnings++
        }
      }
      return Chunk.unsafeFromArray(out)
    }
    const onProgress = options.onProgress
    const parsed = M3u.parse(options.source, { maxLineBytes: options.maxLineBytes })
    const rows = (stored: Ingestion.Stored) =>
      onProgress === undefined
        ? Stream.mapChunks(parsed, (chunk) => toItems(chunk, stored))
        : Stream.mapChunksEffect(parsed, (chunk) => {
          const out = toItems(chunk, stored)
          return Effect.as(onProgress({ entries: total, kept, filtered, warnings }), out)
        })

    // Compares what this run keeps — after filters and duplicates — with the live catalogue, whatever removed the
    // difference: a truncated playlist and a mistyped include filter empty a catalogue alike.
    const guard = (staged: Ingestion.Staged): Effect.Effect<void, IngestError> => {
      if (force) return Effect.void
      if (total === 0) return Effect.fail(new IngestError({ reason: "EmptyPlaylist" }))
      if (kept === 0) return Effect.fail(new IngestError({ reason: "AllFiltered", total, filtered }))
      const previous = staged.live
      const current = staged.distinct
      return previous > 0 && current < (1 - maxDrop) * previous
        ? Effect.fail(new IngestError({ reason: "DropGuard", previous, current, total, filtered, maxDrop }))
        : Effect.void
    }

    const streamCounts = () => ({ ...Runs.emptyCounts, total, filtered, warnings, byKind })

    const merged = yield* Ingestion.write({
      providerId: provider.id,
      runId,
      rows,
      gracePeriod: Duration.days(options.graceDays ?? 7),
      batchSize: options.batchSize,
      beforeCommit: guard,
      // Recorded in the merge transaction: a run is `succeeded` exactly when its catalogue change committed.
      afterWrite: (result) => Runs.finish(runId, { status: "succeeded", counts: { ...streamCounts(), ...result } })
    }).pipe(
      Effect.onExit((exit) => {
        if (Exit.isSuccess(exit)) return Effect.void
        const refused = Option.exists(
          Cause.failureOption(exit.cause),
          (e) => e instanceof IngestError && e.reason !== "InvalidFilter"
        )
        const status = Cause.isInterruptedOnly(exit.cause) ? "interrupted" : refused ? "refused" : "failed"
        return Runs.finish(runId, {
          status,
          counts: streamCounts(),
          error: status === "interrupted" ? "interrupted" : describeCause(exit.cause, configured)
        }).pipe(Effect.catchAll((error) => Effect.logWarning(`Could not record the end of run ${runId}: ${error.message}`)))
      })
    )

    const counts: Runs.Counts = { ...streamCounts(), ...merged }
    return { runId, providerId: provider.id, counts, durationMs: (yield* Clock.currentTimeMillis) - started }
  }).pipe(Effect.withSpan("Ingest.run"))
