/**
 * Credential handling for provider stream URLs and the text around them.
 *
 * Xtream panels put the account in the path (`/movie/USER/PASS/123.mkv`, `/hls/USER/PASS/7/index.m3u8`,
 * `/timeshift/USER/PASS/120/2024-01-01:20-00/7.ts`), other servers in the userinfo (`http://u:p@h/…`) or the query
 * (`?username=…&password=…`, `?token=…`). `toTemplate` cuts the credentials out so a URL can be stored and logged
 * safely, `fromTemplate` puts them back at the last moment, `redact` masks them for output. `protect` and `scrub` do
 * the same for attribute values and free text (error messages).
 *
 * Every function takes the *known* accounts as an optional last argument (the configured provider account(s), an
 * entry's own credentials): a known username or password is cut wherever it occurs, whatever the URL shape, as a
 * whole path segment, query value or userinfo part (any length, also percent-encoded), and as a substring of
 * anything else when it is at least `MIN_SUBSTRING` characters long (a shorter one would mangle ordinary text).
 *
 * Values are kept exactly as written in the URL (still percent-encoded), so the round trip is byte-exact.
 * A hand scan with `indexOf`, no `new URL()`: `toTemplate` runs once per playlist entry at ingest.
 */
import * as Redacted from "effect/Redacted"

export interface StreamCredentials {
  readonly username: string
  readonly password: Redacted.Redacted<string>
}

/** Accounts known to the caller; `null`/`undefined` entries are ignored, so `[entry.credentials, …]` is fine. */
export type KnownCredentials =
  | StreamCredentials
  | ReadonlyArray<StreamCredentials | null | undefined>
  | null
  | undefined

/** The Xtream route a URL matched; the bare `/U/P/ID` form is `live`. */
export type XtreamRoute = "live" | "movie" | "series" | "hls" | "play" | "timeshift"

export interface StreamTemplate {
  /**
   * Stable, credential-free identity, else the template itself: `xtream:movie:123`; `hls` is the channel it
   * serves (`xtream:live:ID`); `play` has its own namespace (`xtream:play:ID`, the panel does not say what the id
   * is); a timeshift is one recording of a channel, so it never shares the channel's key:
   * `xtream:timeshift:ID/START/DURATION`.
   */
  readonly key: string
  /** The URL with the credentials replaced by `{username}` / `{password}` (other secrets by `***`). */
  readonly template: string
  /** `scheme://host[:port]`, without userinfo; `null` when the URL has no scheme. */
  readonly base: string | null
  /** The Xtream namespace of `streamId` (`live` for live, hls and timeshift; `null` for play). */
  readonly streamType: "movie" | "series" | "live" | null
  readonly streamId: number | null
  /** The Xtream route the path matched, or `null`. */
  readonly route: XtreamRoute | null
  /** Extension of the last path segment, without the dot (`mkv`, `m3u8`), if any. */
  readonly extension: string | null
  /** What was cut out, as written in the URL; `null` when the URL carries no username or password. */
  readonly credentials: StreamCredentials | null
  /**
   * `true` when another secret (a `token`, `key`… value that is not a known or found credential, or a second,
   * different username/password) was replaced by `***`: `fromTemplate` cannot restore it.
   */
  readonly hasSecrets: boolean
}

const USERNAME = "{username}"
const PASSWORD = "{password}"
const MASK = "***"

/** Known credentials shorter than this are only cut as whole URL components, never as substrings. */
export const MIN_SUBSTRING = 4

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

// ---------------------------------------------------------------------------------------------------------------
// Query keys. Names are compared lower-cased without `-`, `_`, `.` (`api_key`, `X-Amz-Signature`, `Access-Token`).

const usernameKeys = new Set(["username", "user", "usr", "uname", "login", "loginname"])
const passwordKeys = new Set(["password", "pass", "passwd", "pwd", "pw", "passphrase"])
/**
 * Bearer secrets, URL signatures (they also rotate, which would change a non-Xtream key on every download) and the
 * MAC address a Stalker portal authenticates by. Never a key that can tell streams apart (`sid` is a DVB service id
 * as often as a session): the masked template is the identity key of a non-Xtream URL, and two channels must not
 * collapse into one.
 */
const secretKeys = new Set([
  "token", "auth", "key", "sig", "jwt", "session", "sessionid", "secret", "md5", "hdnts", "hdnea", "hdntl", "mac"
])
const secretSuffixes = [
  "token", "secret", "password", "passwd", "apikey", "accesskey", "secretkey", "privatekey", "signature",
  "credential", "credentials", "authsign"
]

type Kind = "username" | "password"
type KeyKind = Kind | "secret" | null

const keyKind = (url: string, from: number, to: number): KeyKind => {
  if (to - from > 40) return null
  let name = url.slice(from, to).toLowerCase()
  if (name.includes("_") || name.includes("-") || name.includes(".")) name = name.replace(/[-_.]/g, "")
  if (usernameKeys.has(name)) return "username"
  if (passwordKeys.has(name)) return "password"
  if (secretKeys.has(name)) return "secret"
  for (const suffix of secretSuffixes) if (name.endsWith(suffix)) return "secret"
  return null
}

// ---------------------------------------------------------------------------------------------------------------
// Known credentials, prepared once per account list.

interface Needle {
  readonly text: string
  readonly kind: Kind
}

interface Known {
  readonly usernames: ReadonlyArray<string>
  readonly passwords: ReadonlyArray<string>
  /** Substring forms (raw and percent-encoded) of the credentials of at least `MIN_SUBSTRING` characters, longest first. */
  readonly needles: ReadonlyArray<Needle>
  readonly first: { readonly username: string; readonly password: string }
}

const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())

/** The raw value and the percent-encoded forms encoders commonly write. */
const formsOf = (raw: string): Array<string> => {
  const forms = [raw]
  const add = (s: string) => {
    if (!forms.includes(s)) forms.push(s)
  }
  let component: string
  try {
    component = encodeURIComponent(raw)
  } catch {
    return forms // a lone surrogate: no encoded form exists
  }
  const strict = component.replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())
  add(component)
  add(lowerHex(component))
  add(strict)
  add(lowerHex(strict))
  add(component.replace(/%20/g, "+"))
  return forms
}

let lastList: Array<StreamCredentials> = []
let lastKnown: Known | null = null

/** Whether `input` holds exactly the accounts of `lastList`, in order (nulls aside), without allocating. */
const sameAsLast = (input: ReadonlyArray<StreamCredentials | null | undefined>): boolean => {
  let j = 0
  for (let i = 0; i < input.length; i++) {
    const c = input[i]
    if (c == null) continue
    if (j >= lastList.length || c !== lastList[j]) return false
    j++
  }
  return j === lastList.length
}

const knownOf = (credentials: KnownCredentials): Known | null => {
  if (credentials == null) return null
  // Callers pass the same objects on every entry: reuse the last preparation while they are the same.
  const many = Array.isArray(credentials)
  if (lastKnown !== null) {
    if (many ? sameAsLast(credentials) : lastList.length === 1 && lastList[0] === credentials) return lastKnown
  }
  const input: ReadonlyArray<StreamCredentials | null | undefined> = many
    ? credentials
    : [credentials as StreamCredentials]
  const list: Array<StreamCredentials> = []
  for (const c of input) if (c != null) list.push(c)
  if (list.length === 0) return null
  const usernames: Array<string> = []
  const passwords: Array<string> = []
  const needles: Array<Needle> = []
  const addValue = (values: Array<string>, value: string, kind: Kind) => {
    if (value === "" || values.includes(value)) return
    values.push(value)
    if (value.length < MIN_SUBSTRING) return
    for (const text of formsOf(value)) if (!needles.some((n) => n.text === text)) needles.push({ text, kind })
  }
  for (const c of list) {
    addValue(passwords, Redacted.value(c.password), "password")
    addValue(usernames, c.username, "username")
  }
  // Longest first: a username inside a password must not leave the rest of the password behind.
  needles.sort((a, b) => b.text.length - a.text.length)
  lastList = list
  lastKnown = {
    usernames,
    passwords,
    needles,
    first: { username: list[0]!.username, password: Redacted.value(list[0]!.password) }
  }
  return lastKnown
}

// ---------------------------------------------------------------------------------------------------------------
// The scan.

/** Per-call scratch state: the credentials found so far, in URL order. */
interface Found {
  username: string | null
  password: string | null
  hasSecrets: boolean
}

const slot = (found: Found, kind: Kind, value: string): string => {
  const current = found[kind]
  if (current === null) {
    found[kind] = value
  } else if (current !== value) {
    found.hasSecrets = true
    return MASK
  }
  return kind === "username" ? USERNAME : PASSWORD
}

const safeDecode = (s: string): string | null => {
  try {
    return decodeURIComponent(s)
  } catch {
    return null
  }
}

/** Which credential `url[from, to)` is, whole: one found earlier in this URL, or a known one (raw or decoded). */
const componentKind = (url: string, from: number, to: number, known: Known | null, found: Found): Kind | null => {
  const length = to - from
  if (length === 0) return null
  const { password, username } = found
  if (username !== null && username.length === length && url.startsWith(username, from)) return "username"
  if (password !== null && password.length === length && url.startsWith(password, from)) return "password"
  if (known === null) return null
  for (const u of known.usernames) if (u.length === length && url.startsWith(u, from)) return "username"
  for (const p of known.passwords) if (p.length === length && url.startsWith(p, from)) return "password"
  let percent = from
  while (percent < to && url.charCodeAt(percent) !== 37) percent++
  if (percent < to) {
    const decoded = safeDecode(url.slice(from, to))
    if (decoded !== null) {
      if (known.usernames.includes(decoded)) return "username"
      if (known.passwords.includes(decoded)) return "password"
    }
  }
  return null
}

/** The stream id of a path segment `123` or `123.ext` in `url[from, to)`, or -1. */
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

// Scratch state of the current scan, reused between calls: the scan is synchronous and never re-entered, and
// module-level slots cost less than a closure and a result object per URL.
const segStart: Array<number> = []
const segEnd: Array<number> = []
let sUrl = ""
let sOut = ""
let sCopied = 0
let sBase: string | null = null
let sRoute: XtreamRoute | null = null
let sStreamId = -1
/** `START/DURATION` of a timeshift, as written. */
let sRecording: string | null = null
let sPathStart = 0
let sPathEnd = 0

/** Copy the URL up to `from`, then `replacement` for `[from, to)`. */
const put = (from: number, to: number, replacement: string) => {
  sOut += sUrl.slice(sCopied, from) + replacement
  sCopied = to
}

const isSegment = (i: number, text: string): boolean =>
  segEnd[i]! - segStart[i]! === text.length && sUrl.startsWith(text, segStart[i]!)

const filled = (i: number) => segEnd[i]! > segStart[i]!

/** The Xtream route of the `n` path segments (the first one empty: the path starts with `/`), or `null`. */
const routeOf = (n: number): XtreamRoute | null => {
  if (n < 5 || !filled(2) || !filled(3)) return null
  let route: XtreamRoute | null = null
  let id = 4
  if (n === 5 && isSegment(1, "live")) route = "live"
  else if (n === 5 && isSegment(1, "movie")) route = "movie"
  else if (n === 5 && isSegment(1, "series")) route = "series"
  else if (n === 5 && isSegment(1, "play")) route = "play"
  // `/hls/U/P/ID/index.m3u8`, `/hls/U/P/ID.m3u8`, `/hls/U/P/ID/<anything>`…
  else if (isSegment(1, "hls")) route = "hls"
  else if (n === 7 && isSegment(1, "timeshift") && filled(4) && filled(5)) {
    route = "timeshift"
    id = 6
  }
  if (route === null) return null
  sStreamId = parseId(sUrl, segStart[id]!, segEnd[id]!)
  if (sStreamId < 0) return null
  if (route === "timeshift") {
    sRecording = sUrl.slice(segStart[5]!, segEnd[5]!) + "/" + sUrl.slice(segStart[4]!, segEnd[4]!)
  }
  return route
}

/**
 * One pass over `url`: userinfo, path segments (Xtream routes, then any whole known/found credential), query
 * values (credential and secret keys, then any whole known/found credential). Copies the URL in runs and only
 * allocates at a replacement. Returns the template; the rest is left in the `s*` slots.
 */
const scan = (url: string, known: Known | null, found: Found): string => {
  sUrl = url
  sOut = ""
  sCopied = 0
  sBase = null
  sRoute = null
  sStreamId = -1
  sRecording = null
  let pos = 0

  const authStart = schemeLength(url)
  if (authStart > 0) {
    const authEnd = scanTo(url, authStart, true)
    const at = url.lastIndexOf("@", authEnd - 1)
    let hostStart = authStart
    if (at >= authStart) {
      const colon = url.indexOf(":", authStart)
      const userEnd = colon >= 0 && colon < at ? colon : at
      if (userEnd > authStart) put(authStart, userEnd, slot(found, "username", url.slice(authStart, userEnd)))
      if (userEnd < at && at > userEnd + 1) put(userEnd + 1, at, slot(found, "password", url.slice(userEnd + 1, at)))
      hostStart = at + 1
    }
    sBase = url.slice(0, authStart) + url.slice(hostStart, authEnd)
    pos = authEnd
  }

  // Path segments, split on `/`; with a leading `/` the first one is empty and Xtream segment k is at k + 1.
  const pathEnd = scanTo(url, pos, false)
  sPathStart = pos
  sPathEnd = pathEnd
  let n = 0
  let from = pos
  for (;;) {
    const slash = url.indexOf("/", from)
    const end = slash < 0 || slash > pathEnd ? pathEnd : slash
    segStart[n] = from
    segEnd[n] = end
    n++
    if (end === pathEnd) break
    from = end + 1
  }

  let userSeg = -1
  if (segEnd[0] === pos) {
    sRoute = routeOf(n)
    if (sRoute !== null) {
      userSeg = 2
    } else if (n === 4 && sBase !== null && filled(1) && filled(2)) {
      // The bare live form `/U/P/ID`, only in an absolute URL.
      sStreamId = parseId(url, segStart[3]!, segEnd[3]!)
      if (sStreamId >= 0) {
        sRoute = "live"
        userSeg = 1
      }
    }
  }

  for (let i = 0; i < n; i++) {
    const a = segStart[i]!
    const b = segEnd[i]!
    if (i === userSeg) put(a, b, slot(found, "username", url.slice(a, b)))
    else if (i === userSeg + 1 && userSeg >= 0) put(a, b, slot(found, "password", url.slice(a, b)))
    else if (b > a && (known !== null || found.username !== null || found.password !== null)) {
      const kind = componentKind(url, a, b, known, found)
      if (kind !== null) put(a, b, slot(found, kind, url.slice(a, b)))
    }
  }

  if (pathEnd < url.length && url.charCodeAt(pathEnd) === 63) {
    const hash = url.indexOf("#", pathEnd)
    const queryEnd = hash < 0 ? url.length : hash
    let a = pathEnd + 1
    while (a < queryEnd) {
      let b = url.indexOf("&", a)
      if (b < 0 || b > queryEnd) b = queryEnd
      const eq = url.indexOf("=", a)
      if (eq > a && eq < b - 1) {
        const kind = keyKind(url, a, eq)
        const v = eq + 1
        if (kind === "username" || kind === "password") {
          put(v, b, slot(found, kind, url.slice(v, b)))
        } else {
          const whole = componentKind(url, v, b, known, found)
          if (whole !== null) {
            put(v, b, slot(found, whole, url.slice(v, b)))
          } else if (kind === "secret") {
            found.hasSecrets = true
            put(v, b, MASK)
          }
        }
      }
      a = b + 1
    }
  }

  const template = sCopied === 0 ? url : sOut + url.slice(sCopied)
  sOut = ""
  return known === null ? template : cutSubstrings(template, known, found, null)
}

const PLACEHOLDERS = /(\{username\}|\{password\})/

/**
 * Replace every substring form of a known credential outside the placeholders already written: with the
 * placeholder (`mask === null`, restorable when it is the credential found so far) or with `mask`.
 */
const cutSubstrings = (text: string, known: Known, found: Found | null, mask: string | null): string => {
  for (const needle of known.needles) {
    if (!text.includes(needle.text)) continue
    const parts = text.split(PLACEHOLDERS)
    let hit = false
    for (let i = 0; i < parts.length; i += 2) {
      if (parts[i]!.includes(needle.text)) {
        hit = true
        break
      }
    }
    if (!hit) continue // only inside a placeholder (a password `name` in `{username}`)
    const replacement = mask ?? slot(found!, needle.kind, needle.text)
    for (let i = 0; i < parts.length; i += 2) parts[i] = parts[i]!.split(needle.text).join(replacement)
    text = parts.join("")
  }
  return text
}

/** The result of the scan just made. */
const resultOf = (template: string, found: Found, known: Known | null): StreamTemplate => {
  const route = sRoute
  const streamType = route === null || route === "play"
    ? null
    : route === "hls" || route === "timeshift"
    ? "live"
    : route
  let key = template
  if (route !== null) {
    key = route === "timeshift"
      ? `xtream:timeshift:${sStreamId}/${sRecording}`
      : `xtream:${route === "hls" ? "live" : route}:${sStreamId}`
    // START/DURATION are copied from the URL: a known credential must not ride along in them.
    if (known !== null && sRecording !== null) key = cutSubstrings(key, known, null, MASK)
  }
  return {
    key,
    template,
    base: sBase,
    streamType,
    streamId: route === null ? null : sStreamId,
    route,
    extension: extensionOf(sUrl, sPathStart, sPathEnd),
    credentials: found.username !== null || found.password !== null
      ? credentialsOf(found.username ?? "", found.password ?? "")
      : null,
    hasSecrets: found.hasSecrets
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public API.

/**
 * Cut the credentials out of a stream URL: the Xtream routes, userinfo and credential/secret query keys always;
 * with `credentials`, also every occurrence of those accounts. URLs without credentials come back unchanged.
 */
export const toTemplate = (url: string, credentials?: KnownCredentials): StreamTemplate => {
  const known = knownOf(credentials)
  const found: Found = { username: null, password: null, hasSecrets: false }
  return resultOf(scan(url, known, found), found, known)
}

/** Rebuild the real URL from a template. The only place the password is unwrapped. */
// split/join rather than replaceAll: a `$` in a password must not be read as a replacement pattern.
export const fromTemplate = (template: string, credentials: StreamCredentials): string =>
  template.split(USERNAME).join(credentials.username).split(PASSWORD).join(Redacted.value(credentials.password))

/** A stored template for display: `{username}` / `{password}` become `***`. */
export const maskTemplate = (template: string): string =>
  template.indexOf("{") < 0 ? template : template.split(USERNAME).join(MASK).split(PASSWORD).join(MASK)

/** The same URL with every credential (username, password, token…) replaced by `***`, for logs and output. */
export const redact = (url: string, credentials?: KnownCredentials): string =>
  maskTemplate(toTemplate(url, credentials).template)

const URL_LIKE = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi

/**
 * A credential-free form of an attribute value (`tvg-logo`, `catchup-source`, a `#EXTVLCOPT`), for storage.
 * URLs inside it are templated like stream URLs, and the known credentials — pass the entry's own (from its
 * stream URL) first, then the configured ones — become `{username}` / `{password}` wherever they appear
 * (`/images/USER/PASS/1.png`); a value that *is* a credential is replaced whatever its length. The placeholders
 * stand for the first account given; a different username or password becomes `***`.
 */
export const protect = (value: string, credentials?: KnownCredentials): string => {
  const known = knownOf(credentials)
  const found: Found = known === null
    ? { username: null, password: null, hasSecrets: false }
    : { username: known.first.username || null, password: known.first.password || null, hasSecrets: false }
  let out: string
  if (value.includes("://")) {
    out = value.replace(URL_LIKE, (url) => scan(url, known, found))
  } else if (value.charCodeAt(0) === 47 || value.includes("?")) {
    // A path or a query without a scheme (`/images/U/P/1.png`, `?username=U&password=P`).
    out = scan(value, known, found)
  } else {
    const kind = componentKind(value, 0, value.length, known, found)
    out = kind === null ? value : slot(found, kind, value)
  }
  return known === null ? out : cutSubstrings(out, known, found, null)
}

/**
 * Free text (an error message, a source label) for logs and storage: every URL inside is redacted, and the known
 * credentials are masked with `***` wherever else they appear (if at least `MIN_SUBSTRING` characters long).
 */
export const scrub = (text: string, credentials?: KnownCredentials): string => {
  const known = knownOf(credentials)
  const out = text.includes("://") ? text.replace(URL_LIKE, (url) => redact(url, credentials)) : text
  return known === null ? out : cutSubstrings(out, known, null, MASK)
}
