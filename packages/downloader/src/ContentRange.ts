/**
 * `Content-Range` as servers really send it (RFC 9110 §14.4, and Xtream panels' variants): `bytes 0-99/1000`,
 * `bytes 0-99/*` (total unknown), `bytes *∕1000` (unsatisfied, on a 416), a missing unit (`0-99/1000`, as aria2
 * accepts), and a panel's 416 that states the whole entity (`bytes 0-999/1000`) instead of `*∕1000`. Anything else
 * is `null`: a header we cannot read is never trusted.
 */

export type ContentRange =
  /** `bytes start-end/total`; `total` null when the server sent `*`. */
  | { readonly _tag: "Range"; readonly start: number; readonly end: number; readonly total: number | null }
  /** `bytes *∕total`: the range asked for is past the end. */
  | { readonly _tag: "Unsatisfied"; readonly total: number }

const RANGE = /^(?:bytes\s+)?(\d{1,16})-(\d{1,16})\/(\d{1,16}|\*)$/i
const UNSATISFIED = /^(?:bytes\s+)?\*\/(\d{1,16})$/i

/** The parsed header, or `null` when it is absent or not one of the forms above (end before start included). */
export const parse = (header: string | null | undefined): ContentRange | null => {
  if (header === null || header === undefined) return null
  const text = header.trim()
  const unsatisfied = UNSATISFIED.exec(text)
  if (unsatisfied !== null) return { _tag: "Unsatisfied", total: Number(unsatisfied[1]) }
  const range = RANGE.exec(text)
  if (range === null) return null
  const start = Number(range[1])
  const end = Number(range[2])
  const total = range[3] === "*" ? null : Number(range[3])
  if (end < start || (total !== null && end >= total)) return null
  return { _tag: "Range", start, end, total }
}

/** The total length a header states in any form, if it states one. */
export const totalOf = (range: ContentRange | null): number | null => (range === null ? null : range.total)

/** The `Range` header asking for everything from `start` on. */
export const from = (start: number): string => `bytes=${start}-`
