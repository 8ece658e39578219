/**
 * Credential handling for provider stream URLs.
 *
 * Xtream panels put the account in the path (`/movie/USER/PASS/123.mkv`), other servers in the userinfo
 * (`http://u:p@h/…`) or the query (`?username=…&password=…`). `toTemplate` cuts the credentials out so a URL can
 * be stored and logged safely, `fromTemplate` puts them back at the last moment, `redact` masks them for output.
 *
 * Values are kept exactly as written in the URL (still percent-encoded), so the round trip is byte-exact.
 * A hand scan with `indexOf`, no `new URL()`: it runs once per playlist entry at ingest.
 */
import * as Redacted from "effect/Redacted"

export interface StreamCredentials {
  readonly username: string
  readonly password: Redacted.Redacted<string>
}

export interface StreamTemplate {
  /** Stable, credential-free identity: `xtream:movie:123` for Xtream shapes, else the template itself. */
  readonly key: string
  /** The URL with the credentials replaced by `{username}` / `{password}`. */
  readonly template: string
  /** `scheme://host[:port]`, without userinfo; `null` when the URL has no scheme. */
  readonly base: string | null
  readonly streamType: "movie" | "series" | "live" | null
  readonly streamId: number | null
  /** Extension of the last path segment, without the dot (`mkv`, `m3u8`), if any. */
  readonly extension: string | null
  /** What was cut out; `null` when the URL carries no username or password. */
  readonly credentials: StreamCredentials | null
  /**
   * `true` when another secret (a `token`, `key`… query value that is not the password, or a second, different
   * username/password) was replaced by `***`: `fromTemplate` cannot restore it.
   */
  readonly hasSecrets: boolean
}

const USERNAME = "{username}"
const PASSWORD = "{password}"
const MASK = "***"

// Redacted.make costs ~1.5 µs (a WeakMap insert), as much as the whole scan, and a playlist repeats one
// account on every line: reuse the last credentials object while it matches (it is immutable).
let lastCredentials: StreamCredentials | null = null
let lastPassword = ""
const credentialsOf = (username: string, password: string): StreamCredentials => {
  if (lastCredentials === null || lastCredentials.username !== username || lastPassword !== password) {
    lastCredentials = { username, password: Redacted.make(password) }
    lastPassword = password
  }
  return lastCredentials
}

const usernameKeys = new Set(["username", "user"])
const passwordKeys = new Set(["password", "pass", "pwd"])
const secretKeys = new Set(["token", "auth", "key", "apikey", "api_key"])

type XtreamType = "movie" | "series" | "live"
const isXtreamType = (s: string): s is XtreamType => s === "movie" || s === "series" || s === "live"

/** Per-call scratch state: the credentials found so far, in URL order. */
interface Found {
  username: string | null
  password: string | null
  hasSecrets: boolean
}

const slot = (found: Found, kind: "username" | "password", value: string): string => {
  const current = found[kind]
  if (current === null) {
    found[kind] = value
  } else if (current !== value) {
    found.hasSecrets = true
    return MASK
  }
  return kind === "username" ? USERNAME : PASSWORD
}

/** The stream id of a last path segment `123` or `123.ext` in `url[from, to)`, or -1. */
const parseId = (url: string, from: number, to: number): number => {
  let id = 0
  let i = from
  for (; i < to; i++) {
    const c = url.charCodeAt(i)
    if (c < 48 || c > 57) break
    id = id * 10 + c - 48
  }
  if (i === from || i - from > 15) return -1
  return i === to || (url.charCodeAt(i) === 46 && i < to - 1) ? id : -1
}

const extensionOf = (url: string, from: number, to: number): string | null => {
  const dot = url.lastIndexOf(".", to - 1)
  if (dot < from || dot === to - 1 || url.indexOf("/", dot) >= 0 && url.indexOf("/", dot) < to) return null
  return url.slice(dot + 1, to)
}

/** Index of the first of `/`, `?`, `#` (or only `?`, `#` when `slash` is false) at or after `from`. */
const scanTo = (url: string, from: number, slash: boolean): number => {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i)
    if (c === 63 || c === 35 || (slash && c === 47)) return i
  }
  return url.length
}

const schemeLength = (url: string): number => {
  const sep = url.indexOf("://")
  if (sep <= 0) return -1
  for (let i = 0; i < sep; i++) {
    const c = url.charCodeAt(i) | 0x20
    const alpha = c >= 97 && c <= 122
    if (!alpha && (i === 0 || !((c >= 48 && c <= 57) || c === 0x2b || c === 0x2e || c === 0x2d))) return -1
  }
  return sep + 3
}

/** Cut the credentials out of a stream URL. URLs without credentials come back unchanged as `template`. */
export const toTemplate = (url: string): StreamTemplate => {
  const found: Found = { username: null, password: null, hasSecrets: false }
  let out = ""
  let base: string | null = null
  let pos = 0

  const authStart = schemeLength(url)
  if (authStart > 0) {
    const authEnd = scanTo(url, authStart, true)
    const at = url.lastIndexOf("@", authEnd - 1)
    let hostStart = authStart
    out = url.slice(0, authStart)
    if (at >= authStart) {
      const colon = url.indexOf(":", authStart)
      if (colon >= 0 && colon < at) {
        out += slot(found, "username", url.slice(authStart, colon)) + ":" +
          slot(found, "password", url.slice(colon + 1, at)) + "@"
      } else {
        out += slot(found, "username", url.slice(authStart, at)) + "@"
      }
      hostStart = at + 1
    }
    base = url.slice(0, authStart) + url.slice(hostStart, authEnd)
    out += url.slice(hostStart, authEnd)
    pos = authEnd
  }

  const pathEnd = scanTo(url, pos, false)
  let streamType: XtreamType | null = null
  let streamId: number | null = null
  // Slash positions of `/a/b/c/d` without allocating segments: `/movie/U/P/1.mkv` or, in an absolute URL,
  // the bare live form `/U/P/1`.
  const s1 = url.charCodeAt(pos) === 47 ? pos : -1
  const s2 = s1 < 0 ? -1 : url.indexOf("/", s1 + 1)
  const s3 = s2 < 0 || s2 >= pathEnd ? -1 : url.indexOf("/", s2 + 1)
  const s4 = s3 < 0 || s3 >= pathEnd ? -1 : url.indexOf("/", s3 + 1)
  let xtream = false
  if (s4 >= 0 && s4 < pathEnd) {
    const s5 = url.indexOf("/", s4 + 1)
    const type = url.slice(s1 + 1, s2)
    if ((s5 < 0 || s5 >= pathEnd) && isXtreamType(type) && s3 > s2 + 1 && s4 > s3 + 1) {
      const id = parseId(url, s4 + 1, pathEnd)
      if (id >= 0) {
        xtream = true
        streamType = type
        streamId = id
        out += "/" + type + "/" + slot(found, "username", url.slice(s2 + 1, s3)) + "/" +
          slot(found, "password", url.slice(s3 + 1, s4)) + url.slice(s4, pathEnd)
      }
    }
  } else if (s3 >= 0 && s3 < pathEnd && base !== null && s2 > s1 + 1 && s3 > s2 + 1) {
    const id = parseId(url, s3 + 1, pathEnd)
    if (id >= 0) {
      xtream = true
      streamType = "live"
      streamId = id
      out += "/" + slot(found, "username", url.slice(s1 + 1, s2)) + "/" +
        slot(found, "password", url.slice(s2 + 1, s3)) + url.slice(s3, pathEnd)
    }
  }
  if (!xtream) out += url.slice(pos, pathEnd)

  if (pathEnd < url.length && url.charCodeAt(pathEnd) === 63) {
    const hash = url.indexOf("#", pathEnd)
    const queryEnd = hash < 0 ? url.length : hash
    const params = url.slice(pathEnd + 1, queryEnd).split("&")
    for (let i = 0; i < params.length; i++) {
      const param = params[i]!
      const eq = param.indexOf("=")
      if (eq <= 0) continue
      const name = param.slice(0, eq).toLowerCase()
      const value = param.slice(eq + 1)
      if (value === "") continue
      if (usernameKeys.has(name)) {
        params[i] = param.slice(0, eq + 1) + slot(found, "username", value)
      } else if (passwordKeys.has(name)) {
        params[i] = param.slice(0, eq + 1) + slot(found, "password", value)
      } else if (secretKeys.has(name)) {
        // A token equal to the password is restorable; any other secret is not.
        if (value !== found.password) found.hasSecrets = true
        params[i] = param.slice(0, eq + 1) + (value === found.password ? PASSWORD : MASK)
      }
    }
    out += "?" + params.join("&") + url.slice(queryEnd)
  } else {
    out += url.slice(pathEnd)
  }

  const hasCredentials = found.username !== null || found.password !== null
  return {
    key: streamType !== null ? `xtream:${streamType}:${streamId}` : out,
    template: out,
    base,
    streamType,
    streamId,
    extension: extensionOf(url, pos, pathEnd),
    credentials: hasCredentials
      ? credentialsOf(found.username ?? "", found.password ?? "")
      : null,
    hasSecrets: found.hasSecrets
  }
}

/** Rebuild the real URL from a template. The only place the password is unwrapped. */
// split/join rather than replaceAll: a `$` in a password must not be read as a replacement pattern.
export const fromTemplate = (template: string, credentials: StreamCredentials): string =>
  template.split(USERNAME).join(credentials.username).split(PASSWORD).join(Redacted.value(credentials.password))

/** The same URL with every credential (username, password, token…) replaced by `***`, for logs and output. */
export const redact = (url: string): string =>
  toTemplate(url).template.split(USERNAME).join(MASK).split(PASSWORD).join(MASK)
