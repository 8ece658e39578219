/**
 * `@stalkeer/m3u-parser/promise`: the same parser without Effect. It drives the synchronous core directly
 * (no runtime), so it is as fast as the Effect API.
 *
 * Both functions throw `M3uParseError` (an `Error` with `reason: "NotM3u"`) when the input is not a playlist.
 * Errors of the source iterable propagate unchanged.
 */
import * as Parser from "./internal/parser.js"
import { M3uParseError } from "./M3uParseError.js"
import type { M3uEvent, M3uWarning, Playlist, PlaylistEntry } from "./PlaylistEntry.js"

export { M3uParseError } from "./M3uParseError.js"
export type { M3uEvent, M3uWarning, M3uWarningKind, Playlist, PlaylistEntry, PlaylistHeader } from "./PlaylistEntry.js"

export interface Options {
  /** Longest accepted line (default 65536). Longer lines are skipped with a `LineTooLong` warning. */
  readonly maxLineBytes?: number | undefined
}

export interface StreamOptions extends Options {
  /** Called with every warning, in file order, before the entry it concerns is yielded. */
  readonly onWarning?: ((warning: M3uWarning) => void) | undefined
}

const notM3u = (failure: Parser.NotM3u) => new M3uParseError({ reason: "NotM3u", seen: failure.seen })

/**
 * Parses a whole playlist held in a string. Throws `M3uParseError` if it is not an M3U playlist.
 *
 * The string is read in place: lines and values are slices of it, never copies. It is as fast as the streaming
 * paths (~320k entries/s on the 50 MB benchmark playlist, read with `readFileSync(path, "utf8")` included), but it
 * holds more memory by nature (~260 MB peak there): the text itself (two bytes per character as soon as one
 * character is outside Latin-1, so 100 MB for that file) plus every entry (~100 MB for 200k; `streamM3u`
 * collecting every entry into an array holds as much). The entries' strings are slices of the text, so keeping
 * the entries keeps the text. For a large playlist, stream it with `streamM3u` and keep only what you need.
 */
export const parseM3u = (text: string, options?: Options): Playlist => {
  const sink = Parser.collector()
  const failure = Parser.parseText(text, sink, options)
  if (failure !== undefined) throw notM3u(failure)
  return sink.result()
}

/**
 * Streams the entries of a playlist from bytes (`fs.createReadStream(path)`, a fetch `Response.body`…),
 * holding at most one line in memory. Throws `M3uParseError` if the input is not an M3U playlist.
 */
export async function* streamM3u(
  source: AsyncIterable<Uint8Array>,
  options?: StreamOptions
): AsyncGenerator<PlaylistEntry, void, undefined> {
  const core = Parser.makeBytes(options)
  const onWarning = options?.onWarning
  const out: Array<M3uEvent> = []
  function* drain(): Generator<PlaylistEntry> {
    for (let i = 0; i < out.length; i++) {
      const event = out[i]!
      if (event._tag === "PlaylistEntry") yield event
      else if (event._tag === "M3uWarning" && onWarning !== undefined) onWarning(event)
    }
    out.length = 0
  }
  for await (const chunk of source) {
    const failure = core.write(chunk, out)
    if (failure !== undefined) throw notM3u(failure)
    yield* drain()
  }
  const failure = core.end(out)
  if (failure !== undefined) throw notM3u(failure)
  yield* drain()
}
