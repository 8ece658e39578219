/**
 * What can go wrong fetching the provider's playlist. Messages name the URL only with its credentials masked.
 */
import * as Schema from "effect/Schema"

export class PlaylistError extends Schema.TaggedError<PlaylistError>("@stalkeer/workflows/PlaylistError")(
  "PlaylistError",
  {
    reason: Schema.Literal("Http", "Transport", "Timeout", "TooLarge", "NotM3u", "Io", "InvalidOption"),
    /** The playlist URL with its credentials masked; never the real one. */
    url: Schema.optional(Schema.String),
    /** The file or directory an `Io` error is about. */
    path: Schema.optional(Schema.String),
    status: Schema.optional(Schema.Number),
    /** The byte limit a `TooLarge` download exceeded. */
    limit: Schema.optional(Schema.Number),
    /** What a `NotM3u` body looked like ("an HTML page…", "an empty body"). */
    seen: Schema.optional(Schema.String),
    /** A short, credential-free explanation (an errno code, the option at fault…). */
    detail: Schema.optional(Schema.String),
    retryAfterSeconds: Schema.optional(Schema.Number),
    /** Attempts made before giving up, when more than one. */
    attempts: Schema.optional(Schema.Number),
    cause: Schema.optional(Schema.Defect)
  }
) {
  override get message(): string {
    const from = `Playlist download from ${this.url ?? "?"}`
    const gaveUp = this.attempts !== undefined ? ` (gave up after ${this.attempts} attempts)` : ""
    switch (this.reason) {
      case "Http": {
        const hint = this.status === 401 || this.status === 403
          ? ": the username/password may be wrong or the account expired"
          : this.status === 404
          ? ": check the playlist URL"
          : ""
        const wait = this.retryAfterSeconds !== undefined
          ? `; the server asked to retry after ${this.retryAfterSeconds} s`
          : ""
        return `${from} failed with HTTP ${this.status}${hint}${wait}${gaveUp}`
      }
      case "Transport":
        return `${from} failed: network error${this.detail ? ` (${this.detail})` : ""}${gaveUp}`
      case "Timeout":
        return `${from} timed out: ${this.detail ?? "no data"}${gaveUp}`
      case "TooLarge":
        return `${from} stopped: the playlist is larger than the ${this.limit} byte limit`
      case "NotM3u":
        return `${from} returned ${this.seen ?? "something else"}, not an M3U playlist`
      case "Io":
        return `Playlist file error at ${this.path ?? "?"}: ${this.detail ?? "I/O failure"}`
      case "InvalidOption":
        return `Invalid playlist option: ${this.detail ?? "?"}`
    }
  }
}
