/**
 * Parse + classify as one stream, for `dryrun`. (`Ingest` parses itself: it classifies only entries whose raw
 * fields changed.)
 */
import { Classifier } from "@stalkeer/classifier"
import type { Classification } from "@stalkeer/classifier"
import { M3u } from "@stalkeer/m3u-parser"
import type { M3uParseError, PlaylistEntry } from "@stalkeer/m3u-parser"
import * as Chunk from "effect/Chunk"
import * as Stream from "effect/Stream"

export interface ClassifiedEntry {
  readonly entry: PlaylistEntry.PlaylistEntry
  readonly classification: Classification.Classification
}

export type Event = ClassifiedEntry | PlaylistEntry.M3uWarning | PlaylistEntry.PlaylistHeader

export interface Options {
  readonly maxLineBytes?: number | undefined
  readonly classify?: ((entry: PlaylistEntry.PlaylistEntry) => Classification.Classification) | undefined
}

export const isClassified = (event: Event): event is ClassifiedEntry => "classification" in event

const defaultClassify = (entry: PlaylistEntry.PlaylistEntry) => Classifier.classify(entry)

/** Every playlist event, entries classified; warnings and the header pass through. Chunked: no effect per entry. */
export const classified = <E, R>(
  source: Stream.Stream<Uint8Array, E, R>,
  options: Options = {}
): Stream.Stream<Event, M3uParseError.M3uParseError | E, R> => {
  const classify = options.classify ?? defaultClassify
  return M3u.parse(source, { maxLineBytes: options.maxLineBytes }).pipe(
    Stream.mapChunks(Chunk.map((event): Event =>
      event._tag === "PlaylistEntry" ? { entry: event, classification: classify(event) } : event
    ))
  )
}
