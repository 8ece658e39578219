/**
 * Byte-level check on a downloaded playlist: is it an M3U at all, decided from its first bytes as they stream to
 * disk, and described in words when it is not (a login page, a JSON auth failure).
 */

/** Bytes of the body kept to decide whether it is an M3U; a provider's error page says so well before this. */
export const SNIFF_LIMIT = 4096

export type Verdict =
  | { readonly _tag: "M3u" }
  | { readonly _tag: "NotM3u"; readonly seen: string }
  | { readonly _tag: "NeedMore" }

const M3U = { _tag: "M3u" } as const
const NEED_MORE = { _tag: "NeedMore" } as const
const MARKER_LENGTH = "#EXTM3U".length

// The default decoder drops a leading UTF-8 BOM, and replaces invalid bytes rather than throwing.
const decoder = new TextDecoder("utf-8")

/**
 * Decide from the start of a body whether it is an M3U: the first non-blank line must begin with `#EXTM3U`
 * (or `#EXTINF`, for the providers that omit the header). `complete` is true when `head` is the whole body
 * or all that will be looked at.
 */
export const sniff = (head: Uint8Array, complete: boolean): Verdict => {
  const text = decoder.decode(head).trimStart()
  const newline = text.search(/[\r\n]/)
  const firstLine = newline < 0 ? text : text.slice(0, newline)
  if (firstLine.startsWith("#EXTM3U") || firstLine.startsWith("#EXTINF")) return M3U
  const undecided = !complete && head.length < SNIFF_LIMIT && newline < 0 && firstLine.length < MARKER_LENGTH
  if (undecided) return NEED_MORE
  return { _tag: "NotM3u", seen: describe(text) }
}

/** What a non-M3U body looks like, in words. Never quotes the body: an error page may echo the account. */
const describe = (text: string): string => {
  if (text === "") return "an empty body"
  const start = text.slice(0, SNIFF_LIMIT).toLowerCase()
  if (start.startsWith("<")) {
    return start.includes("<html") || start.includes("<!doctype html")
      ? "an HTML page (a provider login or error page?)"
      : "XML or HTML markup"
  }
  if (start.startsWith("{") || start.startsWith("[")) {
    // Xtream's player_api answers a bad login with `{"user_info":{"auth":0}}`; some panels do so on get.php too.
    return /"auth"\s*:\s*"?0/.test(start)
      ? "a JSON auth failure (user_info.auth = 0: wrong credentials or expired account)"
      : "a JSON document"
  }
  return "text whose first line is not #EXTM3U"
}

/** `true` when the bytes start with the gzip magic number (an M3U never does). */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
