/**
 * The synchronous core shared by the Effect API and the Promise facade (multipasta style): no Effect in the hot
 * loop, events are pushed into a caller-owned array chunk by chunk.
 *
 * - `makeLines` is the line state machine: it turns decoded lines into header / entry / warning events.
 * - `makeBytes` splits raw bytes into lines (LF, CRLF, lone CR, across chunk boundaries), strips the BOM,
 *   decodes UTF-8 and enforces the line cap without ever buffering more than `maxLineBytes`.
 * - `feedText` does the same splitting for a string already in memory.
 */
import type {
  M3uEvent,
  M3uWarning,
  M3uWarningKind,
  Playlist,
  PlaylistEntry,
  PlaylistHeader
} from "../PlaylistEntry.js"
import { decide, describe, startsWithTag, trimLine } from "./sniff.js"

export interface Options {
  /** Longest accepted line, in bytes (UTF-16 units for string input). Longer lines are skipped with a warning. */
  readonly maxLineBytes?: number | undefined
}

/** Why the input is not a playlist; the wrappers turn it into `M3uParseError`. */
export interface NotM3u {
  readonly _tag: "NotM3u"
  readonly seen: string
}

export interface LineParser {
  /** Feed one line (without its terminator). `line` is 1-based. */
  readonly line: (text: string, line: number, out: Sink) => NotM3u | undefined
  /** A line that was over the cap and skipped. */
  readonly tooLong: (line: number, max: number, out: Sink) => NotM3u | undefined
  readonly end: (out: Sink) => NotM3u | undefined
}

/** Where the core pushes its events: an array, or `collector()`. */
export interface Sink {
  readonly push: (event: M3uEvent) => unknown
}

export const defaultMaxLineBytes = 65_536

const EMPTY: Readonly<Record<string, string>> = Object.freeze({})

const warning = (kind: M3uWarningKind, line: number, message: string): M3uWarning => ({
  _tag: "M3uWarning",
  kind,
  line,
  message
})

const isSpace = (c: number): boolean => c === 32 || c === 9
/** Characters of an attribute key: letters, digits, `-`, `_`, `:`, `.`. */
const isKeyChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 58 ||
  c === 46

/** What follows a quote at `j - 1` (white space skipped): nothing or `,` … */
const WEAK = 1
/** … another attribute (` key=`, ` key =`) … */
const STRONG = 2

/**
 * After a candidate closing quote at `j - 1`: is it followed by another attribute (`STRONG`), by the comma that
 * starts the title or the end of the line (`WEAK`), or by anything else (0: a raw quote inside the value)?
 */
const closes = (s: string, j: number): number => {
  const n = s.length
  const from = j
  while (j < n && isSpace(s.charCodeAt(j))) j++
  if (j >= n || s.charCodeAt(j) === 44) return WEAK
  while (j < n && isKeyChar(s.charCodeAt(j))) j++
  if (j === from) return 0 // `"x"=`: the `=` right after the quote belongs to the value
  while (j < n && isSpace(s.charCodeAt(j))) j++
  return j < n && s.charCodeAt(j) === 61 ? STRONG : 0
}

/**
 * If `s[…close)` ends with ` key=` (or ` key =`), the index of that key, else -1. Both scans stop at the first
 * character that is not a key character or a space, so they never cross the previous quote: linear per line.
 */
const keyBefore = (s: string, start: number, close: number): number => {
  if (s.charCodeAt(close - 1) !== 61) return -1
  let e = close - 1
  while (e > start && isSpace(s.charCodeAt(e - 1))) e--
  let k = e
  while (k > start && isKeyChar(s.charCodeAt(k - 1))) k--
  return k < e && k > start && isSpace(s.charCodeAt(k - 1)) ? k : -1
}

/** Set by `parseAttributes` when a quote was left open (a flag, not a result object: this runs per entry). */
let unterminated = false
/** Set by `parseAttributes` when a key may name a request header (starts with `h`, `r` or `u`): rare, checked later. */
let maybeHeader = false

/**
 * Reads `key=value` pairs from `s[from…]` into `attrs` until the first comma outside quotes and returns the
 * index just after that comma (or `s.length`). Sets `unterminated` when a quote was never closed.
 */
const parseAttributes = (s: string, from: number, attrs: Record<string, string>): number => {
  const n = s.length
  let i = from
  unterminated = false
  maybeHeader = false
  while (i < n) {
    let c = s.charCodeAt(i)
    if (isSpace(c)) {
      i++
      continue
    }
    if (c === 44) return i + 1
    // Every path below moves `i` forward: the key scan, or the `=` it stops at (a key-less `="x"`).
    const keyStart = i
    let upper = false
    while (i < n) {
      c = s.charCodeAt(i)
      if (c === 61 || c === 44 || isSpace(c)) break
      if (c >= 65 && c <= 90) upper = true
      i++
    }
    const keyEnd = i
    if (c !== 61) {
      if (!isSpace(c)) continue // a bare token before a comma or the end: not an attribute
      while (i < n && isSpace(s.charCodeAt(i))) i++
      if (i >= n || s.charCodeAt(i) !== 61) continue // a bare token
      // `key ="v"`: white space before the `=` still makes an attribute.
    }
    i++
    let q = s.charCodeAt(i)
    if (isSpace(q)) {
      // `key= "v"`: spaces after the `=` are skipped only before a quote, so `a= b="x"` stays a="" and b="x".
      let j = i + 1
      while (j < n && isSpace(s.charCodeAt(j))) j++
      const after = s.charCodeAt(j)
      if (after === 34 || after === 39) {
        i = j
        q = after
      }
    }
    let value: string
    if (q === 34 || q === 39) {
      // Which quote closes the value? Real playlists leave raw quotes inside values (`"Movie "Nick" Name"`,
      // `"Say "Hi", Bob"`), so not simply the next one:
      // - a quote followed by another attribute (` key=`) closes it, even after a `",` (which was inside it);
      // - else a quote followed by `,` or the end of the line: the first one after an even number of raw quotes
      //   (raw quotes come in pairs: `"Say "Hi", Bob",T` is `Say "Hi", Bob`), else the first one (`"12" TV",T`);
      // - a quote preceded by ` key=` opens the next attribute: this value was never closed.
      // The scan stops at the closing quote, or runs once to the end of the line when the value is the last one
      // (after it, only the title is left): linear per line.
      const start = i + 1
      const quote = q === 34 ? "\"" : "'"
      let end = -1 // end of the value
      let next = -1 // where the scan resumes
      let weak = -1 // the first quote followed by `,` or the end
      let even = -1 // the first such quote after an even number of raw quotes
      let raw = 0 // quotes inside the value so far
      for (let p = start; end < 0;) {
        const close = s.indexOf(quote, p)
        if (close < 0) break
        const kind = closes(s, close + 1)
        if (kind === STRONG) {
          end = close
          next = close + 1
          continue
        }
        if (kind === WEAK) {
          if (weak < 0) weak = close
          if (even < 0 && (raw & 1) === 0) even = close
        } else {
          const k = keyBefore(s, start, close)
          if (k >= 0) {
            // The rejected quote opens the next attribute (` key="`): this value was never closed.
            unterminated = true
            end = k
            while (end > start && isSpace(s.charCodeAt(end - 1))) end--
            next = k
            continue
          }
        }
        raw++
        p = close + 1
      }
      if (end < 0) {
        const close = even >= 0 ? even : weak
        if (close >= 0) {
          end = close
          next = close + 1
        } else {
          // Never closed: the value runs to the end of the attribute section (the next comma).
          unterminated = true
          const comma = s.indexOf(",", start)
          end = next = comma < 0 ? n : comma
        }
      }
      value = s.slice(start, end)
      i = next
    } else {
      const start = i
      while (i < n) {
        c = s.charCodeAt(i)
        if (c === 44 || isSpace(c)) break
        i++
      }
      value = s.slice(start, i)
    }
    // `="x"`: a value without a key is read (so that its content is not taken for attributes) and dropped.
    if (keyEnd === keyStart) continue
    const key = upper ? s.slice(keyStart, keyEnd).toLowerCase() : s.slice(keyStart, keyEnd)
    if (!Object.hasOwn(attrs, key)) attrs[key] = value
    const k0 = s.charCodeAt(keyStart) | 32
    if (k0 === 104 || k0 === 114 || k0 === 117) maybeHeader = true
  }
  return n
}

/** `"v"` or `'v'` → `v` (`#EXTVLCOPT:http-user-agent="…"`); anything else unchanged. */
const unquote = (v: string): string => {
  const q = v.charCodeAt(0)
  return v.length >= 2 && (q === 34 || q === 39) && v.charCodeAt(v.length - 1) === q ? v.slice(1, -1) : v
}

/** Characters of an HTTP header name (RFC 9110 token, without `|` and `&`, which separate the Kodi suffix). */
const isTokenChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46 ||
  c === 33 || c === 35 || c === 36 || c === 37 || c === 39 || c === 42 || c === 43 || c === 94 || c === 96 ||
  c === 126

const percentDecode = (v: string): string => {
  if (!v.includes("%")) return v
  try {
    return decodeURIComponent(v)
  } catch {
    return v // a lone `%`: keep the text as written
  }
}

/**
 * `Name=Value&Name2=Value2` (the Kodi URL suffix after `|`, `inputstream.adaptive.stream_headers`) into `out`,
 * names lower-cased, values percent-decoded; the first occurrence of a name wins. Pairs whose name is not a header
 * token are skipped. Returns whether any pair was read.
 */
const readHeaderPairs = (s: string, from: number, out: Record<string, string>): boolean => {
  let any = false
  const n = s.length
  while (from < n) {
    let amp = s.indexOf("&", from)
    if (amp < 0) amp = n
    const eq = s.indexOf("=", from)
    if (eq > from && eq < amp) {
      const name = s.slice(from, eq).trim()
      let token = name.length > 0
      for (let i = 0; token && i < name.length; i++) token = isTokenChar(name.charCodeAt(i))
      if (token) {
        const key = name.toLowerCase()
        if (!Object.hasOwn(out, key)) out[key] = percentDecode(s.slice(eq + 1, amp).trim())
        any = true
      }
    }
    from = amp + 1
  }
  return any
}

/** Where a Kodi header suffix starts (`url|User-Agent=…`): the first `|` followed by `token=`, else -1. */
const kodiSuffix = (url: string): number => {
  const bar = url.indexOf("|")
  if (bar < 0) return -1
  let i = bar + 1
  while (i < url.length && isSpace(url.charCodeAt(i))) i++
  const name = i
  while (i < url.length && isTokenChar(url.charCodeAt(i))) i++
  return i > name && url.charCodeAt(i) === 61 ? bar : -1
}

/** `#EXTINF` attributes that carry a request header, by header; the first one present wins. */
const HEADER_ATTRIBUTES: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["user-agent", ["user-agent", "http-user-agent"]],
  ["referer", ["referrer", "http-referrer", "referer", "http-referer"]]
]
/** `#EXTVLCOPT` options that carry a request header. */
const HEADER_VLC_OPTIONS: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["user-agent", ["http-user-agent"]],
  ["referer", ["http-referrer", "http-referer"]]
]
/** `#KODIPROP` properties whose value is a `Name=Value&…` header list. */
const HEADER_KODI_PROPS = ["inputstream.adaptive.stream_headers", "inputstream.adaptive.manifest_headers"]

const addAliased = (
  out: Record<string, string>,
  from: Readonly<Record<string, string>>,
  aliases: ReadonlyArray<readonly [string, ReadonlyArray<string>]>
) => {
  for (const [header, names] of aliases) {
    if (Object.hasOwn(out, header)) continue
    for (const name of names) {
      const v = from[name]
      if (v !== undefined && v !== "") {
        out[header] = v
        break
      }
    }
  }
}

/**
 * An `#EXTHTTP:{"User-Agent":"…","Cookie":"…"}` line (TiviMate, OTT Navigator) into `out`; a line that is not a
 * JSON object of strings adds nothing.
 */
const readExtHttp = (json: string, out: Record<string, string>) => {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return
  for (const [name, value] of Object.entries(parsed)) {
    const key = name.trim().toLowerCase()
    if (typeof value === "string" && key !== "" && !Object.hasOwn(out, key)) out[key] = value
  }
}

const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90)
const isAlnum = (c: number): boolean => isAlpha(c) || (c >= 48 && c <= 57)

/**
 * Can this line be a stream location? A URL with a scheme (`http://…`, `rtmp:…`, `udp:@…`: the scheme's `:` not
 * followed by white space), a path (with a `/` or `\`), or a file name with an extension (`movie.m3u8`,
 * `clip.mp4?t=1`). Anything else (`=====sudan=====`, a stray title) is decorative text, not an entry.
 */
const isLocation = (s: string): boolean => {
  if (isAlpha(s.charCodeAt(0))) {
    let i = 1
    let c = s.charCodeAt(1) // NaN past the end
    while (isAlnum(c) || c === 43 || c === 45 || c === 46) c = s.charCodeAt(++i)
    if (c === 58 && i + 1 < s.length && !isSpace(s.charCodeAt(i + 1))) return true
  }
  return isPath(s)
}

/** A path (with a `/` or `\`) or a file name with a 1–6 character extension, before any `?`/`#`. */
const isPath = (s: string): boolean => {
  if (s.includes("/") || s.includes("\\")) return true
  const n = s.length
  let end = n
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c === 63 || c === 35) {
      end = i
      break
    }
  }
  const dot = s.lastIndexOf(".", end - 1)
  if (dot <= 0 || end - dot - 1 < 1 || end - dot - 1 > 6) return false
  for (let i = dot + 1; i < end; i++) if (!isAlnum(s.charCodeAt(i))) return false
  return true
}

/** The input is no playlist: `first` is its first non-blank line (the user's own input, so it is quoted, masked). */
const notM3u = (first: string): NotM3u => ({ _tag: "NotM3u", seen: describe(first, true) })

/** The line state machine. One per parse: it holds the pending `#EXTINF` and options. */
export const makeLines = (): LineParser => {
  // Sniffing: events are held back until the input looks like a playlist.
  let decided = false
  let nonBlank = 0
  let held: Array<M3uEvent> = []
  let firstLine = ""

  let headerSeen = false
  // The #EXTINF waiting for its URL (pendingLine 0: none). Plain variables: no object per entry.
  let pendingLine = 0
  let pendingDuration: number | null = null
  let pendingAttributes: Record<string, string> = {}
  let pendingName = ""
  let pendingHeaders: Record<string, string> | null = null // from #EXTINF attributes
  // Directives in effect for the next URL (null: none seen).
  let extGroup: string | null = null
  let vlcOptions: Record<string, string> | null = null
  let kodiProps: Record<string, string> | null = null
  let extHttp: Record<string, string> | null = null

  const flushPending = (out: Sink) => {
    if (pendingLine !== 0) {
      out.push(warning("NoUrl", pendingLine, `#EXTINF at line ${pendingLine} has no URL`))
      pendingLine = 0
    }
  }

  const onExtinf = (s: string, line: number, out: Sink) => {
    flushPending(out)
    const n = s.length
    let i = 8
    while (i < n && isSpace(s.charCodeAt(i))) i++
    const durationStart = i
    while (i < n) {
      const c = s.charCodeAt(i)
      if (c === 44 || isSpace(c)) break
      i++
    }
    const durationText = s.slice(durationStart, i)
    const duration = durationText === "-1" ? -1 : durationText === "" ? null : Number(durationText)
    const attributes: Record<string, string> = {}
    const nameStart = parseAttributes(s, i, attributes)
    if (unterminated) out.push(warning("UnterminatedQuote", line, `unterminated quote in #EXTINF at line ${line}`))
    pendingLine = line
    pendingDuration = duration === null || Number.isNaN(duration) ? null : duration
    pendingAttributes = attributes
    pendingName = s.slice(nameStart).trim()
    pendingHeaders = null
    if (maybeHeader) {
      const headers: Record<string, string> = {}
      addAliased(headers, attributes, HEADER_ATTRIBUTES)
      for (const _ in headers) {
        pendingHeaders = headers
        break
      }
    }
  }

  /**
   * Request headers of one entry, merged from every convention. The first source that names a header wins, from
   * the most specific to the most general: the URL's own `|Name=Value` suffix, `#EXTHTTP`, `#EXTVLCOPT`,
   * `#KODIPROP` header lists, then `#EXTINF` attributes.
   */
  const headersOf = (url: string, bar: number, attributeHeaders: Record<string, string> | null) => {
    const headers: Record<string, string> = {}
    if (bar >= 0) readHeaderPairs(url, bar + 1, headers)
    if (extHttp !== null) {
      for (const key in extHttp) if (!Object.hasOwn(headers, key)) headers[key] = extHttp[key]!
    }
    if (vlcOptions !== null) addAliased(headers, vlcOptions, HEADER_VLC_OPTIONS)
    if (kodiProps !== null) {
      for (const prop of HEADER_KODI_PROPS) {
        const list = kodiProps[prop]
        if (list !== undefined) readHeaderPairs(list, 0, headers)
      }
    }
    if (attributeHeaders !== null) {
      for (const key in attributeHeaders) if (!Object.hasOwn(headers, key)) headers[key] = attributeHeaders[key]!
    }
    return headers
  }

  const onUrl = (raw: string, line: number, out: Sink) => {
    const orphan = pendingLine === 0
    if (orphan) out.push(warning("OrphanUrl", line, `URL at line ${line} has no #EXTINF`))
    const attributes = orphan ? EMPTY : pendingAttributes
    const attributeHeaders = orphan ? null : pendingHeaders
    const bar = kodiSuffix(raw)
    const url = bar < 0 ? raw : raw.slice(0, bar).trimEnd()
    const headers = bar >= 0 || extHttp !== null || vlcOptions !== null || kodiProps !== null ||
        attributeHeaders !== null
      ? headersOf(raw, bar, attributeHeaders)
      : EMPTY
    const entry: PlaylistEntry = {
      _tag: "PlaylistEntry",
      line: orphan ? line : pendingLine,
      duration: orphan ? null : pendingDuration,
      attributes,
      name: orphan ? "" : pendingName,
      tvgName: attributes["tvg-name"] ?? null,
      tvgId: attributes["tvg-id"] ?? null,
      tvgLogo: attributes["tvg-logo"] ?? null,
      groupTitle: attributes["group-title"] ?? null,
      extGroup,
      userAgent: headers === EMPTY ? null : headers["user-agent"] ?? null,
      referrer: headers === EMPTY ? null : headers["referer"] ?? null,
      headers,
      vlcOptions: vlcOptions ?? EMPTY,
      kodiProps: kodiProps ?? EMPTY,
      url
    }
    out.push(entry)
    pendingLine = 0
    extGroup = null
    vlcOptions = null
    kodiProps = null
    extHttp = null
  }

  /** `key=value` of an `#EXTVLCOPT:` or `#KODIPROP:` line into `into`: key lower-cased, value unquoted. */
  const option = (s: string, from: number, into: Record<string, string> | null): Record<string, string> | null => {
    const eq = s.indexOf("=", from)
    if (eq <= from) return into
    const key = s.slice(from, eq).trim().toLowerCase()
    if (key === "") return into
    const options = into ?? {}
    if (!Object.hasOwn(options, key)) options[key] = unquote(s.slice(eq + 1).trim())
    return options
  }

  const process = (s: string, line: number, out: Sink) => {
    if (s.charCodeAt(0) === 35) {
      if (startsWithTag(s, "#EXTINF:")) return onExtinf(s, line, out)
      if (startsWithTag(s, "#EXTGRP:")) {
        extGroup = s.slice(8).trim()
        return
      }
      if (startsWithTag(s, "#EXTVLCOPT:")) {
        vlcOptions = option(s, 11, vlcOptions)
        return
      }
      if (startsWithTag(s, "#KODIPROP:")) {
        kodiProps = option(s, 10, kodiProps)
        return
      }
      if (startsWithTag(s, "#EXTHTTP:")) {
        const headers: Record<string, string> = {}
        readExtHttp(s.slice(9), headers)
        for (const key in headers) {
          extHttp ??= {}
          if (!Object.hasOwn(extHttp, key)) extHttp[key] = headers[key]!
        }
        return
      }
      if (!headerSeen && startsWithTag(s, "#EXTM3U")) {
        headerSeen = true
        const attributes: Record<string, string> = {}
        parseAttributes(s, 7, attributes)
        if (unterminated) out.push(warning("UnterminatedQuote", line, `unterminated quote in #EXTM3U at line ${line}`))
        const header: PlaylistHeader = { _tag: "PlaylistHeader", line, attributes }
        out.push(header)
      }
      return // any other comment or directive
    }
    if (!isLocation(s)) {
      // Decorative text (`=====sudan=====`): not an entry; a pending #EXTINF waits for the next real URL.
      out.push(warning("StrayText", line, `line ${line} is neither a URL, a path nor a directive; skipped`))
      return
    }
    onUrl(s, line, out)
  }

  /** Before the first `#EXTM3U`/`#EXTINF`/URL: decide whether this is a playlist at all. */
  const sniff = (s: string): NotM3u | undefined => {
    const verdict = decide(s, ++nonBlank)
    if (verdict === false) return notM3u(firstLine)
    if (verdict) decided = true
  }

  return {
    line: (text, line, out) => {
      const s = trimLine(text)
      if (s.length === 0) return
      if (!decided) {
        if (nonBlank === 0) firstLine = s
        const failure = sniff(s)
        if (failure !== undefined) return failure
        process(s, line, held)
        if (decided) {
          for (const event of held) out.push(event)
          held = []
        }
        return
      }
      process(s, line, out)
    },
    tooLong: (line, max, out) => {
      if (!decided) {
        return { _tag: "NotM3u", seen: `a first line longer than ${max} bytes` }
      }
      out.push(warning("LineTooLong", line, `line ${line} is longer than ${max} bytes; skipped`))
    },
    end: (out) => {
      if (!decided) return notM3u(firstLine)
      flushPending(out)
    }
  }
}

export interface ByteParser {
  readonly write: (chunk: Uint8Array, out: Sink) => NotM3u | undefined
  readonly end: (out: Sink) => NotM3u | undefined
}

/** Counts `EF BF BD` (a real U+FFFD in the input) so that only decoder-made replacements count as invalid. */
const countReplacementBytes = (b: Uint8Array, from: number, to: number): number => {
  let count = 0
  // A plain loop bounded by the line (`indexOf` would search to the end of the chunk for every such line).
  for (let i = from; i + 2 < to; i++) {
    if (b[i] === 0xef && b[i + 1] === 0xbf && b[i + 2] === 0xbd) count++
  }
  return count
}

const countReplacementChars = (s: string): number => {
  let count = 0
  for (let i = s.indexOf("\uFFFD"); i >= 0; i = s.indexOf("\uFFFD", i + 1)) count++
  return count
}

// On Node, Buffer#toString decodes a slice ~30% faster than TextDecoder (no subarray view per line), with the
// same replacement rule. Any Uint8Array chunk is viewed as a Buffer once (no copy); elsewhere TextDecoder is used.
const asBuffer: (b: Uint8Array) => Uint8Array = typeof Buffer === "function"
  ? (b) => Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)
  : (b) => b
const isBuffer: (b: Uint8Array) => b is Buffer = typeof Buffer === "function"
  ? (b): b is Buffer => Buffer.isBuffer(b)
  : (_): _ is Buffer => false

/** Byte input: line splitting with a bounded carry buffer across chunks. */
export const makeBytes = (options?: Options): ByteParser => {
  const max = options?.maxLineBytes ?? defaultMaxLineBytes
  const lines = makeLines()
  // ignoreBOM: true, so a U+FEFF is only removed at the very start of the input (below), not on every line.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true })
  let carry = asBuffer(new Uint8Array(0))
  let carryLength = 0
  let lineNo = 0
  let skipping = false // inside an over-long line: drop bytes up to the next terminator
  let afterCR = false // the previous chunk ended with CR: a leading LF belongs to it

  const emit = (b: Uint8Array, from: number, to: number, out: Sink): NotM3u | undefined => {
    lineNo++
    if (lineNo === 1 && to - from >= 3 && b[from] === 0xef && b[from + 1] === 0xbb && b[from + 2] === 0xbf) from += 3
    const text = isBuffer(b) ? b.toString("utf8", from, to) : decoder.decode(b.subarray(from, to))
    if (text.length > 0 && text.includes("\uFFFD") && countReplacementChars(text) > countReplacementBytes(b, from, to)) {
      out.push(warning("InvalidUtf8", lineNo, `invalid UTF-8 at line ${lineNo}; replaced with U+FFFD`))
    }
    return lines.line(text, lineNo, out)
  }

  const append = (b: Uint8Array, from: number, to: number) => {
    const need = carryLength + to - from
    if (need > carry.length) {
      const grown = asBuffer(new Uint8Array(Math.min(Math.max(need, carry.length * 2, 4096), max)))
      grown.set(carry.subarray(0, carryLength))
      carry = grown
    }
    carry.set(b.subarray(from, to), carryLength)
    carryLength = need
  }

  return {
    write: (chunk, out) => {
      const b = asBuffer(chunk)
      const n = b.length
      let start = 0
      if (afterCR) {
        afterCR = false
        if (n > 0 && b[0] === 10) start = 1
      }
      // Cached positions of the next LF and CR, n when none: a file that uses only one of them must not rescan
      // to the end of the chunk for the other on every line (that was quadratic).
      let lf = -1
      let cr = -1
      while (start < n) {
        if (lf < start) {
          lf = b.indexOf(10, start)
          if (lf < 0) lf = n
        }
        let end = lf
        if (cr < start) {
          cr = b.indexOf(13, start)
          if (cr < 0) cr = n
        }
        if (cr < end) end = cr
        if (skipping) {
          if (end === n) return
          skipping = false
        } else if (carryLength + end - start > max) {
          carryLength = 0
          const failure = lines.tooLong(lineNo + 1, max, out)
          if (failure !== undefined) return failure
          lineNo++
          if (end === n) {
            skipping = true
            return
          }
        } else if (end === n) {
          append(b, start, n)
          return
        } else {
          let failure: NotM3u | undefined
          if (carryLength === 0) {
            failure = emit(b, start, end, out)
          } else {
            append(b, start, end)
            const length = carryLength
            carryLength = 0
            failure = emit(carry, 0, length, out)
          }
          if (failure !== undefined) return failure
        }
        if (b[end] === 13) {
          if (end + 1 === n) afterCR = true
          else if (b[end + 1] === 10) end++
        }
        start = end + 1
      }
    },
    end: (out) => {
      if (carryLength > 0) {
        const length = carryLength
        carryLength = 0
        const failure = emit(carry, 0, length, out)
        if (failure !== undefined) return failure
      }
      return lines.end(out)
    }
  }
}

/** String input (already decoded): the same line splitting as `makeBytes`, without the copy to bytes. */
export const parseText = (text: string, out: Sink, options?: Options): NotM3u | undefined => {
  const max = options?.maxLineBytes ?? defaultMaxLineBytes
  const lines = makeLines()
  const n = text.length
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let lineNo = 0
  let lf = -1 // cached like in makeBytes
  let cr = -1
  while (start < n) {
    if (lf < start) {
      lf = text.indexOf("\n", start)
      if (lf < 0) lf = n
    }
    let end = lf
    if (cr < start) {
      cr = text.indexOf("\r", start)
      if (cr < 0) cr = n
    }
    if (cr < end) end = cr
    lineNo++
    const failure = end - start > max
      ? lines.tooLong(lineNo, max, out)
      : lines.line(text.slice(start, end), lineNo, out)
    if (failure !== undefined) return failure
    if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) end++
    start = end + 1
  }
  return lines.end(out)
}

/** A sink that sorts events into a `Playlist`. */
export const collector = (): Sink & { readonly result: () => Playlist } => {
  let header: PlaylistHeader | null = null
  const entries: Array<PlaylistEntry> = []
  const warnings: Array<M3uWarning> = []
  return {
    push: (event) => {
      if (event._tag === "PlaylistEntry") entries.push(event)
      else if (event._tag === "M3uWarning") warnings.push(event)
      else header = event
    },
    result: () => ({ header, entries, warnings })
  }
}
