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
import { Filters, Ingestion, Providers, Runs } from "@stalkeer/store"
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

/** Filter patterns as they come from the config file (`filters:` section). */
export interface FilterConfig {
  readonly includeGroups: ReadonlyArray<string>
  readonly excludeGroups: ReadonlyArray<string>
  readonly includeNames: ReadonlyArray<string>
  readonly excludeNames: ReadonlyArray<string>
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
  readonly filters?: FilterConfig | undefined
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
  /** Rows per database statement (default 2000). */
  readonly batchSize?: number | undefined
}

export interface Summary {
  readonly runId: number
  readonly providerId: number
  readonly counts: Runs.Counts
  readonly durationMs: number
}

/**
 * Two 32-bit hashes (FNV-1a and a murmur-like multiply-shift) over one text, combined into an integer below 2^53:
 * the same in every process, and stored as a bigint. A digest, not a security boundary.
 */
const hash53 = (text: string): number => {
  let a = 0x811c9dc5
  let b = 0x9747b28c
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  return (a >>> 0) * 0x200000 + (b >>> 11)
}

/**
 * Version of everything a row is derived from besides the entry: the classifier's behaviour (which changes with any
 * rule change that alters its answers on its probe names) and this module's row building (bump the suffix when
 * `toRow` changes). It is part of every stored raw hash, so a change re-classifies every entry on the next run.
 */
// Computed on first use: the probe run would cost every command that loads this module, ingesting or not.
let cachedVersion: string | undefined
export const classifierVersion = (): string =>
  cachedVersion ??= `classifier:${hash53(Classifier.behaviour()).toString(36)}/rows:3`

/** Attributes that already have a column. */
const COLUMN_ATTRIBUTES: ReadonlySet<string> = new Set(["tvg-id", "tvg-name", "tvg-logo", "group-title"])

interface Compiled {
  readonly includeGroups: ReadonlyArray<RegExp>
  readonly excludeGroups: ReadonlyArray<RegExp>
  readonly includeNames: ReadonlyArray<RegExp>
  readonly excludeNames: ReadonlyArray<RegExp>
}

const compileFilters = (config: FilterConfig | undefined, stored: ReadonlyArray<Filters.Filter>) =>
  Effect.gen(function*() {
    const specs: Array<{ field: Filters.Field; mode: Filters.Mode; pattern: string; origin: string }> = []
    const add = (field: Filters.Field, mode: Filters.Mode, patterns: ReadonlyArray<string>, origin: string) => {
      for (const pattern of patterns) specs.push({ field, mode, pattern, origin })
    }
    if (config !== undefined) {
      add("group", "include", config.includeGroups, "config file")
      add("group", "exclude", config.excludeGroups, "config file")
      add("name", "include", config.includeNames, "config file")
      add("name", "exclude", config.excludeNames, "config file")
    }
    for (const f of stored) add(f.field, f.mode, [f.pattern], `runtime filter #${f.id}`)

    const compiled = { includeGroups: [], excludeGroups: [], includeNames: [], excludeNames: [] } as {
      [K in keyof Compiled]: Array<RegExp>
    }
    for (const spec of specs) {
      const problem = spec.pattern === "" ? "empty pattern" : Filters.patternError(spec.pattern)
      if (problem !== undefined) {
        return yield* new IngestError({
          reason: "InvalidFilter",
          filter: `${spec.mode} ${spec.field} /${spec.pattern}/ (${spec.origin})`,
          detail: problem
        })
      }
      const regex = new RegExp(spec.pattern, Filters.patternFlags)
      const list = spec.field === "group"
        ? (spec.mode === "include" ? compiled.includeGroups : compiled.excludeGroups)
        : (spec.mode === "include" ? compiled.includeNames : compiled.excludeNames)
      list.push(regex)
    }
    return compiled as Compiled
  })

const matchesAny = (regexes: ReadonlyArray<RegExp>, text: string): boolean => {
  for (const regex of regexes) if (regex.test(text)) return true
  return false
}

const accepts = (f: Compiled, group: string, name: string): boolean =>
  (f.includeGroups.length === 0 || matchesAny(f.includeGroups, group)) &&
  (f.includeNames.length === 0 || matchesAny(f.includeNames, name)) &&
  !matchesAny(f.excludeGroups, group) &&
  !matchesAny(f.excludeNames, name)

const extraAttributes = (
  entry: PlaylistEntry.PlaylistEntry,
  credentials: StreamUrl.KnownCredentials
): Record<string, string> => {
  let out: Record<string, string> | undefined
  for (const key in entry.attributes) {
    if (COLUMN_ATTRIBUTES.has(key)) continue
    out ??= {}
    out[key] = StreamUrl.protect(entry.attributes[key]!, credentials)
  }
  for (const key in entry.vlcOptions) {
    out ??= {}
    out[`vlcopt:${key}`] = StreamUrl.protect(entry.vlcOptions[key]!, credentials)
  }
  // The request headers the stream needs, from whichever convention the playlist used (a Kodi `|User-Agent=…`
  // suffix is no longer in the URL): the downloader sends them.
  for (const key in entry.headers) {
    out ??= {}
    out[`header:${key}`] = StreamUrl.protect(entry.headers[key]!, credentials)
  }
  for (const key in entry.kodiProps) {
    out ??= {}
    out[`kodiprop:${key}`] = StreamUrl.protect(entry.kodiProps[key]!, credentials)
  }
  if (entry.extGroup !== null) {
    out ??= {}
    out["extgrp"] = entry.extGroup
  }
  return out ?? {}
}

/** The credential-free source fields of an entry: what is stored besides the classification, and what is hashed. */
interface Source {
  readonly url: StreamUrl.StreamTemplate
  readonly tvgLogo: string | null
  readonly attributes: Record<string, string>
}

/** `configured` are the known accounts; an entry's own (found in its URL) come first in what its attributes lose. */
const toSource = (entry: PlaylistEntry.PlaylistEntry, configured: ReadonlyArray<StreamUrl.StreamCredentials>): Source => {
  const url = StreamUrl.toTemplate(entry.url, configured)
  const known = url.credentials === null ? configured : [url.credentials, ...configured]
  return {
    url,
    tvgLogo: entry.tvgLogo === null || entry.tvgLogo === "" ? entry.tvgLogo : StreamUrl.protect(entry.tvgLogo, known),
    attributes: extraAttributes(entry, known)
  }
}

// Field separators for the hashed text: every field ends with one, and null differs from "", so field
// boundaries cannot shift. Control characters rather than non-characters: they keep an all-Latin-1 text one byte
// per character when it is flattened (half the garbage).
const END = "\u0001"
const NULL = "\u0002\u0001"

/**
 * A hash (`hash53`) of the credential-free source fields and the classifier version.
 * Only credential-free text goes in, so the stored hash reveals nothing about a credential. The fields are joined
 * first: one pass over a flat string measured several times faster than a pass per field.
 */
const rawHash = (version: string, entry: PlaylistEntry.PlaylistEntry, source: Source): number => {
  let text = version + END + source.url.template + END +
    (entry.tvgId === null ? NULL : entry.tvgId + END) +
    (entry.tvgName === null ? NULL : entry.tvgName + END) +
    (source.tvgLogo === null ? NULL : source.tvgLogo + END) +
    (entry.groupTitle === null ? NULL : entry.groupTitle + END) +
    entry.name + END
  for (const key in source.attributes) text += key + END + source.attributes[key]! + END
  return hash53(text)
}

const toRow = (
  entry: PlaylistEntry.PlaylistEntry,
  source: Source,
  c: Classification.Classification,
  titleKey: (title: string) => string,
  hash: number | null
): Ingestion.Row => {
  const url = source.url
  return {
    key: url.key,
    urlTemplate: url.template,
    streamType: url.streamType,
    streamId: url.streamId,
    extension: url.extension,
    tvgId: entry.tvgId,
    tvgName: entry.tvgName,
    tvgLogo: source.tvgLogo,
    groupTitle: entry.groupTitle,
    name: entry.name,
    attributes: source.attributes,
    kind: c.kind,
    title: c.title,
    titleKey: c.title === null ? null : titleKey(c.title),
    year: c.year,
    season: c.season,
    episode: c.episode,
    episodeEnd: c.episodeEnd ?? null,
    resolution: c.resolution,
    language: c.language,
    subtitles: c.subtitles,
    platform: c.platform,
    confidence: c.confidence,
    rawHash: hash
  }
}

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
    const filters = yield* compileFilters(options.filters, yield* Filters.list)
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
          if (!accepts(filters, event.groupTitle ?? "", event.name)) {
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
