/**
 * The one error family of `@stalkeer/tmdb`. Every message is one line and free of secrets: it names the endpoint
 * path (never the query string, which may hold the `api_key`), never a response body.
 *
 * - `MissingCredentials`: neither an API key nor an access token was configured (raised when the service is built).
 * - `Unauthorized`: TMDB refused the key or token (401). Fatal: nothing else will work until it is fixed.
 * - `NotFound`: no such movie, series or page (404). Not retried.
 * - `RateLimited`: still 429 after the retries, or a `Retry-After` longer than the policy waits for.
 * - `Server`: still 5xx after the retries.
 * - `Rejected`: any other 4xx (a page out of 1..500, invalid parameters). Not retried.
 * - `Transport`: the connection failed (refused, reset, DNS). Retried.
 * - `Timeout`: no complete answer within the per-request timeout. Retried.
 * - `InvalidResponse`: a 2xx whose body is not JSON or not the expected shape.
 */
import * as Schema from "effect/Schema"

export const Reason = Schema.Literal(
  "MissingCredentials",
  "Unauthorized",
  "NotFound",
  "RateLimited",
  "Server",
  "Rejected",
  "Transport",
  "Timeout",
  "InvalidResponse"
)
export type Reason = typeof Reason.Type

/** Which credential a request carried, so that a 401 can name the key to check. */
export const Credential = Schema.Literal("apiKey", "accessToken")
export type Credential = typeof Credential.Type

export class TmdbError extends Schema.TaggedError<TmdbError>("@stalkeer/tmdb/TmdbError")("TmdbError", {
  reason: Reason,
  /** The endpoint path without its query string, e.g. `/search/movie` or `/movie/603`. */
  path: Schema.optional(Schema.String),
  status: Schema.optional(Schema.Number),
  /** TMDB's own `status_code` from an error body (7 invalid key, 34 not found, 25 rate limit…). */
  tmdbCode: Schema.optional(Schema.Number),
  credential: Schema.optional(Credential),
  /** A short, secret-free explanation: an errno code, the schema problem, TMDB's `status_message`. */
  detail: Schema.optional(Schema.String),
  retryAfterSeconds: Schema.optional(Schema.Number),
  /** Attempts made before giving up, when more than one. */
  attempts: Schema.optional(Schema.Number),
  /** The per-request timeout, for a `Timeout`. */
  timeoutMillis: Schema.optional(Schema.Number)
}) {
  /** Whether no later request can succeed either (bad or missing credentials): a run should stop here. */
  get fatal(): boolean {
    return this.reason === "Unauthorized" || this.reason === "MissingCredentials"
  }

  override get message(): string {
    const at = this.path ?? "?"
    const gaveUp = this.attempts !== undefined && this.attempts > 1 ? ` (gave up after ${this.attempts} attempts)` : ""
    switch (this.reason) {
      case "MissingCredentials":
        return "no TMDB credentials: set tmdb.api_key (or tmdb.access_token) in the config file, or STALKEER_TMDB_API_KEY"
      case "Unauthorized":
        return this.credential === "accessToken"
          ? `TMDB refused the access token (HTTP 401 on ${at}): check tmdb.access_token (STALKEER_TMDB_ACCESS_TOKEN)`
          : `TMDB refused the API key (HTTP 401 on ${at}): check tmdb.api_key (STALKEER_TMDB_API_KEY)`
      case "NotFound":
        return `TMDB has nothing at ${at} (HTTP 404)`
      case "RateLimited": {
        const wait = this.retryAfterSeconds !== undefined
          ? `; it asked to wait ${this.retryAfterSeconds} s`
          : ""
        return `TMDB is rate-limiting requests (HTTP 429 on ${at})${wait}${gaveUp}`
      }
      case "Server":
        return `TMDB failed with HTTP ${this.status ?? "5xx"} on ${at}${gaveUp}`
      case "Rejected":
        return `TMDB rejected ${at} with HTTP ${this.status ?? "4xx"}${this.detail ? `: ${this.detail}` : ""}`
      case "Transport":
        return `Cannot reach TMDB for ${at}: ${this.detail ?? "network error"}${gaveUp}`
      case "Timeout": {
        const within = this.timeoutMillis !== undefined ? ` within ${formatMillis(this.timeoutMillis)}` : ""
        return `TMDB did not answer ${at}${within}${gaveUp}`
      }
      case "InvalidResponse":
        return `TMDB answered ${at} with an unexpected body: ${this.detail ?? "undecodable"}`
    }
  }
}

export const isTmdbError = (u: unknown): u is TmdbError => u instanceof TmdbError

const formatMillis = (millis: number): string => {
  if (millis < 1000) return `${Math.round(millis)} ms`
  const seconds = millis / 1000
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`
}
