/**
 * "Is this an M3U?", decided from the first bytes of a body before it is parsed or stored: a download can refuse a
 * provider's login page, or its JSON auth failure, after a few bytes. It applies the parser's own rule, and names
 * what came instead in the words of the parser's `NotM3u` failure (without quoting the body).
 */
import * as internal from "./internal/sniff.js"

/** Bytes of a body that `check` needs at most; keep this much of its start until it decides. */
export const limit: number = internal.limit

export type Verdict =
  /** A playlist start, or nothing in the first `limit` bytes says otherwise: the parser decides the rest. */
  | { readonly _tag: "M3u" }
  /** No playlist; `seen` says what it is instead (an HTML page, a JSON auth failure, an empty body…). */
  | { readonly _tag: "NotM3u"; readonly seen: string }
  /** Too few bytes yet: call again with more. */
  | { readonly _tag: "NeedMore" }

const M3U: Verdict = { _tag: "M3u" }
const NEED_MORE: Verdict = { _tag: "NeedMore" }

/**
 * Decides from `head`, the start of a body (at most `limit` bytes are looked at), whether it is an M3U playlist:
 * its first non-blank line starts with `#EXTM3U` or `#EXTINF`, or a URL comes within the first 32 non-blank lines
 * before anything else rules it out (markup, JSON or binary data first). `complete` is true when `head` is the
 * whole body. A UTF-8 BOM and blank lines before the first line are ignored.
 */
export const check = (head: Uint8Array, complete: boolean): Verdict => {
  const bytes = head.length > internal.limit ? head.subarray(0, internal.limit) : head
  const whole = complete && bytes.length === head.length
  const atLimit = bytes.length >= internal.limit
  // A fresh decoder: it drops a BOM, replaces invalid bytes, and holds back a character cut at the end of `head`.
  const text = new TextDecoder("utf-8").decode(bytes, { stream: !whole })
  const terminator = /[\r\n]/g
  let index = 0
  let start = 0
  while (start < text.length) {
    terminator.lastIndex = start
    const end = terminator.exec(text)?.index ?? text.length
    // A last line without its terminator is judged only when no more of it will come.
    if (end === text.length && !whole && !atLimit) return NEED_MORE
    const line = internal.trimLine(text.slice(start, end))
    if (line !== "") {
      const decided = internal.decide(line, ++index)
      if (decided !== undefined) return decided ? M3U : { _tag: "NotM3u", seen: internal.describe(text) }
    }
    start = end + 1
  }
  if (whole) return { _tag: "NotM3u", seen: internal.describe(text) }
  return atLimit ? M3U : NEED_MORE
}

/** `true` when `bytes` start with the gzip magic number (a playlist never does). */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
