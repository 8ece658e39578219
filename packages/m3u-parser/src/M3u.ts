/**
 * The Effect API: a byte stream in, a stream of playlist events out, in chunks (one synchronous pass over each
 * incoming chunk, never one effect per line). Memory stays flat: at most one line (`maxLineBytes`) is buffered.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Parser from "./internal/parser.js"
import { M3uParseError } from "./M3uParseError.js"
import * as PlaylistFile from "./PlaylistFile.js"
import type { M3uEvent, M3uWarning, Playlist, PlaylistEntry, PlaylistHeader } from "./PlaylistEntry.js"

export interface Options {
  /** Longest accepted line in bytes (default 65536). Longer lines are skipped with a `LineTooLong` warning. */
  readonly maxLineBytes?: number | undefined
}

const notM3u = (failure: Parser.NotM3u, path?: string) =>
  new M3uParseError({ reason: "NotM3u", seen: failure.seen, ...(path === undefined ? {} : { path }) })

/**
 * Every event: the header, entries and warnings, in file order. Fails with `NotM3u` if the input is no playlist.
 *
 * Each chunk is parsed synchronously as it passes and nothing of it is kept (a line cut by the chunk's end is
 * copied into the parser's own buffer), so a source may hand out views of one reused buffer (`PlaylistFile.stream`).
 * What a source allocates is beyond the parser's reach: `FileSystem.stream` gives a fresh 64 KiB buffer per chunk
 * and reads up to 16 ahead; chunks that outlive a young-generation collection are freed only by a full one, which
 * V8 starts late for external memory. On the 50 MB benchmark playlist that is ~45 MB more peak RSS and ~25 % more
 * CPU than `PlaylistFile.stream` (BENCH-RESULTS.md, 2026-12-02). For a file, use `parseFile` or
 * `parse(PlaylistFile.stream(path))`.
 */
export const parse = <E, R>(
  source: Stream.Stream<Uint8Array, E, R>,
  options?: Options
): Stream.Stream<M3uEvent, M3uParseError | E, R> => parseFrom(source, options)

// A channel that parses each chunk as it passes, rather than `Stream.mapChunksEffect`: running an effect per
// chunk made `parseFile` twice as slow, with ~80 MB more peak RSS on a 50 MB file.
const parseFrom = <E, R>(
  source: Stream.Stream<Uint8Array, E, R>,
  options: Options | undefined,
  path?: string
): Stream.Stream<M3uEvent, M3uParseError | E, R> =>
  Stream.suspend(() => {
    const core = Parser.makeBytes(options)
    const loop: Channel.Channel<Chunk.Chunk<M3uEvent>, Chunk.Chunk<Uint8Array>, M3uParseError | E, E, unknown, unknown> =
      Channel.readWithCause({
        onInput: (chunk: Chunk.Chunk<Uint8Array>) => {
          const out: Array<M3uEvent> = []
          for (const bytes of chunk) {
            const failure = core.write(bytes, out)
            if (failure !== undefined) return Channel.fail(notM3u(failure, path))
          }
          return Channel.flatMap(Channel.write(Chunk.unsafeFromArray(out)), () => loop)
        },
        onFailure: Channel.failCause,
        onDone: () => {
          const out: Array<M3uEvent> = []
          const failure = core.end(out)
          return failure !== undefined ? Channel.fail(notM3u(failure, path)) : Channel.write(Chunk.unsafeFromArray(out))
        }
      })
    return Stream.pipeThroughChannel(source, loop)
  })

export const isEntry = (event: M3uEvent): event is PlaylistEntry => event._tag === "PlaylistEntry"
export const isWarning = (event: M3uEvent): event is M3uWarning => event._tag === "M3uWarning"
export const isHeader = (event: M3uEvent): event is PlaylistHeader => event._tag === "PlaylistHeader"

/** Only the entries (warnings are dropped: use `parse` to see them). */
export const entries = <E, R>(
  source: Stream.Stream<Uint8Array, E, R>,
  options?: Options
): Stream.Stream<PlaylistEntry, M3uParseError | E, R> => Stream.filter(parse(source, options), isEntry)

/**
 * Streams a playlist file: `parse` over `PlaylistFile.stream(path)`, which reads into one reused buffer (flat
 * memory). Requires `FileSystem` (provide `NodeContext.layer` or `NodeFileSystem.layer`). Failures name the path.
 */
export const parseFile = (
  path: string,
  options?: Options
): Stream.Stream<M3uEvent, M3uParseError, FileSystem.FileSystem> => parseFrom(PlaylistFile.stream(path), options, path)

/** Parses a playlist already in memory into `{ header, entries, warnings }`. */
export const parseString = (text: string, options?: Options): Effect.Effect<Playlist, M3uParseError> =>
  Effect.suspend(() => {
    const sink = Parser.collector()
    const failure = Parser.parseText(text, sink, options)
    return failure !== undefined ? Effect.fail(notM3u(failure)) : Effect.succeed(sink.result())
  })

/** Counts of a parse, by event kind and warning kind. */
export interface Summary {
  readonly entries: number
  readonly warnings: { readonly [K in M3uWarning["kind"]]: number }
}

/** Folds a run into a `Summary` (constant memory). */
export const summarize = <E, R>(events: Stream.Stream<M3uEvent, E, R>): Effect.Effect<Summary, E, R> =>
  Stream.runFold(
    events,
    {
      entries: 0,
      warnings: { NoUrl: 0, OrphanUrl: 0, UnterminatedQuote: 0, LineTooLong: 0, InvalidUtf8: 0, StrayText: 0 }
    },
    (summary, event) => {
      if (event._tag === "PlaylistEntry") summary.entries++
      else if (event._tag === "M3uWarning") summary.warnings[event.kind]++
      return summary
    }
  )
