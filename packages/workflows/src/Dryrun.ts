/**
 * `dryrun`: parse and classify a playlist without any database, and summarise what it holds.
 */
import type { Classification } from "@stalkeer/classifier"
import type { M3uParseError, PlaylistEntry } from "@stalkeer/m3u-parser"
import { StreamUrl } from "@stalkeer/m3u-parser"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Classified from "./Classified.js"

export interface Summary {
  readonly entries: number
  readonly kinds: Readonly<Record<Classification.Kind, number>>
  /** Counts by resolution; `"none"` when the name shows none. */
  readonly resolutions: Readonly<Record<string, number>>
  /** Counts by audio language; `"none"` when unknown. */
  readonly languages: Readonly<Record<string, number>>
  /** The most frequent group titles, most frequent first. */
  readonly topGroups: ReadonlyArray<readonly [group: string, count: number]>
  readonly warnings: Readonly<Partial<Record<PlaylistEntry.M3uWarningKind, number>>>
  /** The first few warnings, to show the user where to look. */
  readonly warningSamples: ReadonlyArray<PlaylistEntry.M3uWarning>
  readonly durationMs: number
}

export interface Options<R2> extends Classified.Options {
  /** Stop after this many entries. */
  readonly limit?: number | undefined
  readonly topGroups?: number | undefined
  /** Called once per chunk of classified entries (e.g. to print them as JSON lines). */
  readonly onEntries?: ((entries: Chunk.Chunk<Classified.ClassifiedEntry>) => Effect.Effect<void, never, R2>) | undefined
}

/**
 * One classified entry as `dryrun --json` and the API show it: the URL only in redacted form, never a credential —
 * neither in the shapes `StreamUrl` knows nor, with the configured account(s), anywhere else.
 */
export const toJson = (
  { entry, classification: c }: Classified.ClassifiedEntry,
  credentials?: StreamUrl.KnownCredentials
) => ({
  line: entry.line,
  kind: c.kind,
  title: c.title,
  year: c.year,
  season: c.season,
  episode: c.episode,
  resolution: c.resolution,
  language: c.language,
  streamId: c.streamId,
  groupTitle: entry.groupTitle,
  url: StreamUrl.redact(entry.url, credentials)
})

const SAMPLES = 10

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1
}

export const run = <E, R, R2 = never>(
  source: Stream.Stream<Uint8Array, E, R>,
  options: Options<R2> = {}
): Effect.Effect<Summary, M3uParseError.M3uParseError | E, R | R2> =>
  Effect.gen(function*() {
    const started = yield* Clock.currentTimeMillis
    const kinds: Record<Classification.Kind, number> = { movie: 0, series: 0, live: 0, unknown: 0 }
    const resolutions: Record<string, number> = {}
    const languages: Record<string, number> = {}
    const groups = new Map<string, number>()
    const warnings: Partial<Record<PlaylistEntry.M3uWarningKind, number>> = {}
    const warningSamples: Array<PlaylistEntry.M3uWarning> = []
    let entries = 0

    const tally = (chunk: Chunk.Chunk<Classified.Event>): Chunk.Chunk<Classified.ClassifiedEntry> => {
      const out: Array<Classified.ClassifiedEntry> = []
      for (const event of chunk) {
        if (Classified.isClassified(event)) {
          if (options.limit !== undefined && entries >= options.limit) break
          entries++
          const c = event.classification
          kinds[c.kind]++
          bump(resolutions, c.resolution ?? "none")
          bump(languages, c.language ?? "none")
          const group = event.entry.groupTitle ?? ""
          groups.set(group, (groups.get(group) ?? 0) + 1)
          out.push(event)
        } else if (event._tag === "M3uWarning") {
          warnings[event.kind] = (warnings[event.kind] ?? 0) + 1
          if (warningSamples.length < SAMPLES) warningSamples.push(event)
        }
      }
      return Chunk.unsafeFromArray(out)
    }

    const limited = options.limit === undefined
      ? Classified.classified(source, options)
      : Classified.classified(source, options).pipe(Stream.takeWhile(() => entries < options.limit!))
    yield* limited.pipe(
      Stream.mapChunks(tally),
      Stream.runForEachChunk((chunk) => options.onEntries ? options.onEntries(chunk) : Effect.void)
    )

    const topGroups = [...groups.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, options.topGroups ?? 10)
    const durationMs = (yield* Clock.currentTimeMillis) - started
    return { entries, kinds, resolutions, languages, topGroups, warnings, warningSamples, durationMs } satisfies Summary
  })
