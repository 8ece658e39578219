import * as Schema from "effect/Schema"

/**
 * The only failures of the parser. Recoverable quirks (a URL without `#EXTINF`, an unterminated quote…) are
 * `M3uWarning` values in the output, never errors.
 *
 * - `NotM3u`: the input is not a playlist (HTML error page, JSON, binary, empty); `seen` describes what came
 *   instead (in the words of `Sniff.check`), with any credential masked.
 * - `Io`: the file could not be opened or read (`parseFile`, `PlaylistFile.stream`); `cause` is the platform error.
 */
export class M3uParseError extends Schema.TaggedError<M3uParseError>("@stalkeer/m3u-parser/M3uParseError")(
  "M3uParseError",
  {
    reason: Schema.Literal("NotM3u", "Io"),
    seen: Schema.optional(Schema.String),
    path: Schema.optional(Schema.String),
    cause: Schema.optional(Schema.Defect)
  }
) {
  override get message(): string {
    const where = this.path === undefined ? "" : ` (${this.path})`
    return this.reason === "NotM3u"
      ? `Not an M3U playlist${where}: got ${this.seen ?? "something else"}`
      : `Cannot read the playlist${where}${this.cause instanceof Error ? `: ${this.cause.message}` : ""}`
  }
}
