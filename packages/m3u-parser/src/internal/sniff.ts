/**
 * "Is this an M3U?": the rule that decides it from the first non-blank lines, and the words for what came instead.
 * The parser applies the rule line by line as it reads; `Sniff.check` applies it to the first bytes of a body.
 */
import { redact } from "../StreamUrl.js"

/** Bytes of a body `Sniff.check` looks at; a provider's error page gives itself away well before this. */
export const limit = 4096

/** Non-blank lines looked at, without `#EXTM3U`, `#EXTINF` or a URL, before deciding the input is no playlist. */
export const maxLines = 32

/** `s` starts with `tag`, in any case. */
export const startsWithTag = (s: string, tag: string): boolean =>
  s.startsWith(tag) || (s.length >= tag.length && s.slice(0, tag.length).toUpperCase() === tag)

/** A line as the parser reads it: trimmed when it starts or ends with a space or a tab. */
export const trimLine = (s: string): string => {
  const n = s.length
  if (n === 0) return s
  const a = s.charCodeAt(0)
  const z = s.charCodeAt(n - 1)
  return a === 32 || a === 9 || z === 32 || z === 9 ? s.trim() : s
}

/**
 * The rule, for the `index`-th (1-based) non-blank, trimmed line before a decision: `true` for a playlist,
 * `false` for something else, `undefined` to look at the next line. A file that starts with `#EXTINF`, or a bare
 * list of URLs, is a playlist; markup, JSON or binary data on the first line is not.
 */
export const decide = (s: string, index: number): boolean | undefined => {
  if (startsWithTag(s, "#EXTM3U") || startsWithTag(s, "#EXTINF")) return true
  if (index === 1) {
    const c = s.charCodeAt(0)
    if (c === 60 || c === 123 || c === 91 || looksBinary(s)) return false
  }
  if (s.charCodeAt(0) !== 35 && s.includes("://")) return true
  return index >= maxLines ? false : undefined
}

/** Control characters other than tab (and U+FFFD from undecodable bytes) mean binary data. */
const looksBinary = (s: string): boolean => {
  const n = Math.min(s.length, 512)
  let bad = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if ((c < 32 && c !== 9) || c === 0xfffd) bad++
  }
  return bad > 0 && (bad >= 4 || bad * 8 >= n || s.includes("\u0000"))
}

const SECRET_IN_TEXT = /((?:user(?:name)?|pass(?:word)?|pwd|token|auth|api_?key|key)["']?\s*[:=]\s*["']?)[^"'&,;}\s]*/gi
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi

/**
 * What a body that is no playlist looks like, in words, from its start (the whole head when there is one, else
 * the first line). Without `quote`, never quotes it: a provider's error page may echo the account. With `quote`
 * (the parser, whose input is the user's own), adds the first line with URLs and credentials masked.
 */
export const describe = (text: string, quote = false): string => {
  const start = text.trimStart().slice(0, limit)
  if (start === "") return "an empty body"
  const newline = start.search(/[\r\n]/)
  const first = newline < 0 ? start : start.slice(0, newline)
  if (looksBinary(first)) {
    const hex: Array<string> = []
    for (let i = 0; i < Math.min(first.length, 8); i++) hex.push(first.charCodeAt(i).toString(16).padStart(2, "0"))
    return `binary data (${hex.join(" ")} …)`
  }
  const words = kind(start.toLowerCase())
  if (!quote) return words
  const masked = first.slice(0, 400).replace(URL_IN_TEXT, (url) => redact(url)).replace(SECRET_IN_TEXT, "$1***")
  return `${words}, starting ${JSON.stringify(masked.length > 60 ? masked.slice(0, 60) + "…" : masked)}`
}

const kind = (start: string): string => {
  if (start.startsWith("<")) {
    return /^<(!doctype html|html|head|body)/.test(start) || start.includes("<html")
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
