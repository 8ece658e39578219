/**
 * Resume only with proof: what to ask for given what is already on disk, and what a response allows — the decision
 * table of research/reliability.md §1.8, as pure functions.
 *
 * - With a strong ETag the request starts at the durable offset with `If-Range`: the server itself says whether the
 *   entity is unchanged (206) or not (200, the whole entity).
 * - Without one (Xtream panels send none) it starts `overlap` bytes earlier; those bytes are compared with what the
 *   file holds before anything is appended, so a changed entity is caught instead of spliced.
 * - A 206 is appended only when its `Content-Range` starts exactly where asked and states the recorded total.
 * - A 200 to a ranged request is the whole entity from byte 0: the file restarts, never appends.
 * - A 416 completes only when it proves the file is whole; otherwise the partial file is kept and the attempt fails.
 */
import * as ContentRange from "./ContentRange.js"

/** What is known of a partial download. */
export interface State {
  /** Bytes written and fsynced: the file's trusted prefix. */
  readonly durable: number
  /** The entity's length, from the first response that stated it. */
  readonly total: number | null
  /** A strong ETag from an earlier response (weak ones are useless for ranges, and not kept). */
  readonly etag: string | null
}

export const empty: State = { durable: 0, total: null, etag: null }

/** The request to send. */
export interface Plan {
  /** First byte asked for (`Range: bytes=start-`, none when 0). */
  readonly start: number
  readonly ifRange: string | null
  /** Bytes from `start` that the file already holds and the body must repeat exactly. */
  readonly verify: number
}

/** Default bytes re-fetched and compared when there is no validator (research: 256 KiB–1 MiB). */
export const DEFAULT_OVERLAP = 512 * 1024

export const plan = (state: State, overlap: number = DEFAULT_OVERLAP): Plan => {
  if (state.durable === 0) return { start: 0, ifRange: null, verify: 0 }
  if (state.etag !== null) return { start: state.durable, ifRange: state.etag, verify: 0 }
  const start = Math.max(0, state.durable - overlap)
  return { start, ifRange: null, verify: state.durable - start }
}

export type Refusal =
  /** A 206 whose Content-Range does not start where asked, is unreadable, or disagrees with Content-Length. */
  | "RangeMismatch"
  /** A 206 stating another total than the one recorded: another entity. */
  | "TotalChanged"
  /** A compressed body: byte offsets would mean nothing. */
  | "Encoded"
  /** A 206 with no total, and none recorded: nothing to check the end against. */
  | "NoTotal"
  /** A 416 that proves nothing: the partial file is kept. */
  | "Ambiguous416"
  /** A 416 stating a total below what the file already holds: the entity shrank. */
  | "Shrunk"

export type Decision =
  /**
   * Write the body from file offset `at`, first checking its `verify` bytes against the file. `restart`: the file
   * is truncated to 0 first (a 200, or an entity that changed).
   */
  | {
    readonly _tag: "Write"
    readonly at: number
    readonly verify: number
    readonly total: number | null
    readonly etag: string | null
    readonly restart: boolean
  }
  /** The file already holds the whole entity. */
  | { readonly _tag: "Complete" }
  | { readonly _tag: "Refuse"; readonly reason: Refusal }

export interface Response {
  readonly status: number
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>
}

const lengthOf = (headers: Response["headers"]): number | null => {
  const value = headers["content-length"]
  return value !== undefined && /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : null
}

/** A strong ETag only: `W/"…"` cannot validate a byte range (RFC 9110 §8.8.3). */
export const strongEtag = (value: string | undefined): string | null =>
  value === undefined || /^W\//i.test(value.trim()) || value.trim() === "" ? null : value.trim()

/** What a 2xx or 416 response to `request` allows, given `state`. Other statuses are the caller's to classify. */
export const decide = (state: State, request: Plan, response: Response): Decision => {
  const encoding = response.headers["content-encoding"]
  if (encoding !== undefined && encoding.trim() !== "" && encoding.trim().toLowerCase() !== "identity") {
    return { _tag: "Refuse", reason: "Encoded" }
  }
  const etag = strongEtag(response.headers["etag"])
  if (response.status === 200) {
    // The whole entity from byte 0, whatever stray Content-Range a panel adds.
    const total = lengthOf(response.headers)
    const same = state.total === null || total === null || total === state.total
    const keep = request.start === 0 && state.durable > 0 && same && request.ifRange === null
    return keep
      ? { _tag: "Write", at: 0, verify: request.verify, total: total ?? state.total, etag, restart: false }
      : { _tag: "Write", at: 0, verify: 0, total, etag, restart: state.durable > 0 }
  }
  if (response.status === 206) {
    const range = ContentRange.parse(response.headers["content-range"])
    if (range === null || range._tag !== "Range" || range.start !== request.start) {
      return { _tag: "Refuse", reason: "RangeMismatch" }
    }
    const length = lengthOf(response.headers)
    if (length !== null && length !== range.end - range.start + 1) return { _tag: "Refuse", reason: "RangeMismatch" }
    if (state.total !== null && range.total !== null && range.total !== state.total) {
      return { _tag: "Refuse", reason: "TotalChanged" }
    }
    const total = range.total ?? state.total
    if (total === null) return { _tag: "Refuse", reason: "NoTotal" }
    return { _tag: "Write", at: request.start, verify: request.verify, total, etag: etag ?? state.etag, restart: false }
  }
  if (response.status === 416) {
    const range = ContentRange.parse(response.headers["content-range"])
    // `bytes */N`, or a panel's `bytes 0-(N-1)/N`: either way the entity's length.
    const total = range === null ? null : range.total
    if (total === null) return { _tag: "Refuse", reason: "Ambiguous416" }
    if (total < request.start || (state.total !== null && total < state.total)) return { _tag: "Refuse", reason: "Shrunk" }
    // Only a validator proves a 416 is about the same entity (without one, the request overlaps and cannot 416).
    return request.ifRange !== null && total === state.total && request.start === state.durable && state.durable === total
      ? { _tag: "Complete" }
      : { _tag: "Refuse", reason: "Ambiguous416" }
  }
  return { _tag: "Refuse", reason: "RangeMismatch" }
}
