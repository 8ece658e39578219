/**
 * Why a download stopped, in the four classes that decide what happens next (research/reliability.md §2.3):
 *
 * - **transfer** — the connection failed after it was made (reset, early end, stall) or a response could not be
 *   trusted for a resume: reconnect from the original URL, then back off. The partial file is kept.
 * - **item** — this one stream is not the video (404, an error page, a placeholder, more bytes than announced): no
 *   retry; it counts as a denial.
 * - **account** — the provider refuses the account (401, 403, 429, 458/459, 509): the caller cools the whole
 *   provider down, because panels ban IPs that keep getting refused.
 * - **fatal** — the local side cannot go on (disk full, permission, a path outside the root, a file already there).
 *
 * Messages are one line and never hold a URL: it carries the account's credentials.
 */
import * as Schema from "effect/Schema"

export const Reason = Schema.Literal(
  // transfer
  "Reset",
  "Unreachable",
  "Truncated",
  "Stalled",
  "Timeout",
  "Server",
  "RangeMismatch",
  "EntityChanged",
  "Ambiguous416",
  // item
  "NotFound",
  "NotVideo",
  "Placeholder",
  "Overlong",
  "Rejected",
  // account
  "Unauthorized",
  "Forbidden",
  "RateLimited",
  "ConnectionLimit",
  "BandwidthExceeded",
  // fatal
  "DiskFull",
  "Permission",
  "OutsideRoot",
  "TargetExists",
  "Io"
)
export type Reason = typeof Reason.Type

export type Class = "transfer" | "item" | "account" | "fatal"

const CLASS: Record<Reason, Class> = {
  Reset: "transfer",
  Unreachable: "transfer",
  Truncated: "transfer",
  Stalled: "transfer",
  Timeout: "transfer",
  Server: "transfer",
  RangeMismatch: "transfer",
  EntityChanged: "transfer",
  Ambiguous416: "transfer",
  NotFound: "item",
  NotVideo: "item",
  Placeholder: "item",
  Overlong: "item",
  Rejected: "item",
  Unauthorized: "account",
  Forbidden: "account",
  RateLimited: "account",
  ConnectionLimit: "account",
  BandwidthExceeded: "account",
  DiskFull: "fatal",
  Permission: "fatal",
  OutsideRoot: "fatal",
  TargetExists: "fatal",
  Io: "fatal"
}

export class DownloadError extends Schema.TaggedError<DownloadError>("@stalkeer/downloader/DownloadError")(
  "DownloadError",
  {
    reason: Reason,
    status: Schema.optional(Schema.Number),
    /** Bytes of the file that are durable when it stopped. */
    durable: Schema.optional(Schema.Number),
    total: Schema.optional(Schema.Number),
    /** A short, credential-free explanation: an errno code, what a body looked like, a path. */
    detail: Schema.optional(Schema.String),
    retryAfterSeconds: Schema.optional(Schema.Number)
  }
) {
  get class(): Class {
    return CLASS[this.reason]
  }

  override get message(): string {
    const at = this.durable !== undefined && this.total !== undefined
      ? ` at ${this.durable} of ${this.total} bytes`
      : this.durable !== undefined
      ? ` at ${this.durable} bytes`
      : ""
    const detail = this.detail !== undefined ? `: ${this.detail}` : ""
    const status = this.status !== undefined ? ` (HTTP ${this.status})` : ""
    switch (this.reason) {
      case "Reset":
        return `the connection was lost${at}${detail}`
      case "Unreachable":
        return `the provider cannot be reached${detail}`
      case "Truncated":
        return `the body ended early${at}`
      case "Stalled":
        return `no bytes arrived for too long${at}${detail}`
      case "Timeout":
        return `the provider did not answer${detail}`
      case "Server":
        return `the provider failed${status}${detail}`
      case "RangeMismatch":
        return `the provider answered a resume with another range${status}${detail}; nothing was appended`
      case "EntityChanged":
        return `the file changed on the provider since the download began${at}; it restarts from the beginning`
      case "Ambiguous416":
        return `the provider refused the range${at} without saying why (HTTP 416); the partial file is kept`
      case "NotFound":
        return `the provider has no such stream${status}`
      case "NotVideo":
        return `the provider sent ${this.detail ?? "something"} instead of the video${status}`
      case "Placeholder":
        return `the provider sent a placeholder video${this.detail !== undefined ? ` (${this.detail})` : ""} instead of the file (an expired or refused account?)`
      case "Overlong":
        return `the provider sent more bytes than it announced${at}`
      case "Rejected":
        return `the provider rejected the request${status}${detail}`
      case "Unauthorized":
        return `the provider refused the account${status}: check provider.username and provider.password`
      case "Forbidden":
        return `the provider forbids this stream or account${status}${detail}`
      case "RateLimited":
        return `the provider is rate-limiting the account${status}${this.retryAfterSeconds !== undefined ? `; it asked to wait ${this.retryAfterSeconds} s` : ""}`
      case "ConnectionLimit":
        return `the account is at its connection limit${status}: check provider.max_connections`
      case "BandwidthExceeded":
        return `the account's bandwidth is exhausted${status}`
      case "DiskFull":
        return `not enough disk space${detail}`
      case "Permission":
        return `permission denied${detail}`
      case "OutsideRoot":
        return `refused a path outside the library root${detail}`
      case "TargetExists":
        return `the library already has ${this.detail ?? "that file"}; it was not overwritten`
      case "Io":
        return `a file operation failed${detail}`
    }
  }
}

/** The reason of an HTTP status that is not a success, 416 aside (the resume logic reads it). */
export const reasonOfStatus = (status: number): Reason => {
  if (status === 401) return "Unauthorized"
  if (status === 403 || status === 406) return "Forbidden"
  if (status === 404 || status === 410) return "NotFound"
  if (status === 429) return "RateLimited"
  if (status === 458 || status === 459) return "ConnectionLimit"
  if (status === 509) return "BandwidthExceeded"
  if (status >= 500) return "Server"
  return "Rejected"
}
