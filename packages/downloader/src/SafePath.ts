/**
 * File and folder names built from titles nobody vouches for (an IPTV playlist, Radarr/Sonarr), safe on every
 * filesystem a library lives on (Linux, macOS, Windows/SMB, exFAT) and kept under the library root.
 *
 * A title is display data: `../../etc`, NUL, `CON`, a right-to-left override or 1,000 characters must all come out
 * as one readable name of at most 200 UTF-8 bytes (room for ` (1)`, `.part` and the 255-byte name limit), and a
 * name already made safe comes out unchanged, so names can be recomputed and compared. Pure: no I/O.
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as NodePath from "node:path"

export class PathError extends Schema.TaggedError<PathError>("@stalkeer/downloader/PathError")("PathError", {
  /** `OutsideRoot`: a segment is absolute or resolves outside the root. `NotAbsolute`: the root is relative. */
  reason: Schema.Literal("OutsideRoot", "NotAbsolute"),
  root: Schema.String,
  /** Which segment or path was refused, escaped to one line. */
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    const what = this.reason === "NotAbsolute" ? "library root is not absolute" : "path leaves the library root"
    return `${what}: ${this.root}${this.detail === undefined ? "" : ` (${this.detail})`}`
  }
}

export interface SegmentOptions {
  /** Longest name in UTF-8 bytes, extension included (default 200; kept within 16..255). */
  readonly maxBytes?: number | undefined
  /** An extension (`mkv` or `.mkv`) kept whole when the name is cut; a name already ending in it is not doubled. */
  readonly extension?: string | undefined
  /** The name used when nothing is left of `name` (default `untitled`); sanitised like `name`. */
  readonly fallback?: string | undefined
}

/**
 * One path segment (a file or folder name) safe on Linux, macOS, Windows/SMB and exFAT: no `/ \ : * ? " < > |`, no
 * controls, no bidi or zero-width format characters, no leading or trailing dots or spaces, never `.` or `..`, not a
 * Windows device name (`CON`, `com1.txt` get a `_` after the device part), NFC, at most `maxBytes` UTF-8 bytes cut
 * between characters (a letter keeps its accents), never empty. `:` becomes ` - ` as in Radarr's smart replacement
 * (`Star Wars: A New Hope` → `Star Wars - A New Hope`; `-` when it joins two words: `10:30` → `10-30`), `/ \ |` a
 * space, the other forbidden characters nothing; spaces are collapsed.
 * Idempotent: `segment(segment(x, o), o) === segment(x, o)`.
 */
export const segment = (name: string, options?: SegmentOptions): string => {
  const maxBytes = clampMaxBytes(options?.maxBytes)
  const ext = cleanExtension(options?.extension ?? "", Math.min(MAX_EXTENSION_BYTES, Math.floor(maxBytes / 2) - 1))
  let base = clean(name)
  if (ext !== "" && base.toLowerCase().endsWith(`.${ext.toLowerCase()}`)) {
    base = trimEdges(base.slice(0, base.length - ext.length - 1))
  }
  return build(base, ext === "" ? "" : `.${ext}`, maxBytes, options?.fallback)
}

/**
 * `root` joined with segments (made by `segment`), resolved, and refused unless it lies strictly inside `root`: an
 * absolute segment (POSIX or Windows) or one that climbs out with `..` is an `OutsideRoot`, a relative root a
 * `NotAbsolute`. The root itself is refused too: something is always written *inside* a library root.
 */
export const within = (root: string, ...segments: ReadonlyArray<string>): Either.Either<string, PathError> => {
  if (!NodePath.isAbsolute(root)) return Either.left(new PathError({ reason: "NotAbsolute", root }))
  const absolute = segments.find((s) => NodePath.posix.isAbsolute(s) || NodePath.win32.isAbsolute(s))
  if (absolute !== undefined) {
    return Either.left(new PathError({ reason: "OutsideRoot", root, detail: `absolute segment ${quote(absolute)}` }))
  }
  const base = NodePath.resolve(root)
  const resolved = NodePath.resolve(base, ...segments)
  const relative = NodePath.relative(base, resolved)
  const inside = relative !== "" && relative !== ".." && !relative.startsWith(`..${NodePath.sep}`) &&
    !NodePath.isAbsolute(relative)
  return inside
    ? Either.right(resolved)
    : Either.left(new PathError({ reason: "OutsideRoot", root, detail: `resolves to ${quote(resolved)}` }))
}

/** `Title (Year).ext`, the movie file name Radarr parses; no year when `year` is null or 0. The title is cut first. */
export const movieFile = (title: string, year: number | null, extension: string): string => {
  const y = year === null ? 0 : wholeNumber(year)
  const ext = cleanExtension(extension, MAX_EXTENSION_BYTES)
  return build(clean(title), `${y > 0 ? ` (${y})` : ""}${ext === "" ? "" : `.${ext}`}`, DEFAULT_MAX_BYTES, undefined)
}

/** `S01E02`, or `S01E01-E02` when `episodeEnd` is after `episode`: how Sonarr and people name an episode. */
export const episodeCode = (season: number, episode: number, episodeEnd: number | null = null): string => {
  const first = wholeNumber(episode)
  const last = episodeEnd === null ? 0 : wholeNumber(episodeEnd)
  return `S${pad(wholeNumber(season))}E${pad(first)}${last > first ? `-E${pad(last)}` : ""}`
}

/**
 * `Series - S01E02.ext`, or `Series - S01E01-E02.ext` when `episodeEnd` is after `episode`: the forms Sonarr parses
 * reliably. Numbers are padded to two digits; the series title is cut first.
 */
export const episodeFile = (
  series: string,
  season: number,
  episode: number,
  episodeEnd: number | null,
  extension: string
): string => {
  const ext = cleanExtension(extension, MAX_EXTENSION_BYTES)
  const code = episodeCode(season, episode, episodeEnd)
  return build(clean(series), ` - ${code}${ext === "" ? "" : `.${ext}`}`, DEFAULT_MAX_BYTES, undefined)
}

const CONTAINERS: ReadonlySet<string> = new Set([
  "mkv", "mp4", "m4v", "avi", "ts", "mov", "mpg", "mpeg", "wmv", "flv", "webm"
])

/** A container extension from an untrusted source (`MKV`, `.mp4`), lower-cased without its dot, if whitelisted. */
export const extension = (raw: string | null | undefined): Option.Option<string> => {
  if (raw === null || raw === undefined) return Option.none()
  const ext = raw.trim().toLowerCase().replace(/^\./, "")
  return CONTAINERS.has(ext) ? Option.some(ext) : Option.none()
}

const DEFAULT_MAX_BYTES = 200
const MAX_EXTENSION_BYTES = 16
const FALLBACK = "untitled"

const clampMaxBytes = (maxBytes: number | undefined): number =>
  maxBytes === undefined || Number.isNaN(maxBytes) ? DEFAULT_MAX_BYTES : Math.min(255, Math.max(16, Math.floor(maxBytes)))

const wholeNumber = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0)

const pad = (n: number): string => String(n).padStart(2, "0")

// Whitespace of any kind (tabs, NBSP, U+2028…) reads as a space; then what no name should hold goes: controls,
// format characters (bidi overrides and isolates, zero-width joiners, BOM), other invisibles, lone surrogates and
// noncharacters.
const WHITESPACE = /\p{White_Space}/gu
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/gu
const DROPPED = /[*?"<>]/g
const SEPARATORS = /[/\\|]/g
const COLONS = / *:[ :]*/g
const SPACES = / {2,}/g

/**
 * The character-level cleaning of a title, without the length cut. NFC comes last: removing a character between a
 * letter and its accent lets them compose (and no character's NFC form is one that the steps before remove).
 */
const clean = (text: string): string =>
  trimEdges(
    text
      .replace(WHITESPACE, " ")
      .replace(INVISIBLE, "")
      .replace(DROPPED, "")
      .replace(SEPARATORS, " ")
      .replace(COLONS, (colons, offset: number, whole: string) =>
        offset === 0 || offset + colons.length === whole.length ? " " : colons === ":" ? "-" : " - ")
      .replace(SPACES, " ")
      .normalize("NFC")
  )

const cleanExtension = (raw: string, maxBytes: number): string => truncate(clean(raw), maxBytes, trimEdges)

/** `base` cut to fit before the (already safe) `tail` and made no device name; the fallback when nothing is left. */
const build = (base: string, tail: string, maxBytes: number, fallback: string | undefined): string => {
  const budget = maxBytes - utf8Length(tail)
  const fitted = fit(base, budget)
  if (fitted !== "") return fitted + tail
  const chosen = fallback === undefined ? "" : fit(clean(fallback), budget)
  return (chosen !== "" ? chosen : fit(FALLBACK, budget)) + tail
}

const fit = (name: string, budget: number): string => {
  const fitted = truncate(name, budget, trimEnd)
  const device = deviceStemEnd(fitted)
  return device === undefined ? fitted : truncate(`${fitted.slice(0, device)}_${fitted.slice(device)}`, budget, trimEnd)
}

// Windows opens the device, not a file, for these names whatever the extension (`nul.txt`) and trailing spaces of
// the part before it (`CON .mkv`); Microsoft lists the superscript-digit ports too.
const DEVICES: ReadonlySet<string> = new Set([
  "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
  ...["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "\u00B9", "\u00B2", "\u00B3"].flatMap((d) => [`COM${d}`, `LPT${d}`])
])

/** Where a device name ends in `name` (to put the `_` there), if `name` is one. */
const deviceStemEnd = (name: string): number | undefined => {
  const dot = name.indexOf(".")
  let end = dot === -1 ? name.length : dot
  while (end > 0 && name.charCodeAt(end - 1) === 0x20) end--
  return end <= 7 && DEVICES.has(name.slice(0, end).toUpperCase()) ? end : undefined
}

const isEdge = (code: number) => code === 0x20 || code === 0x2e

const trimEnd = (text: string): string => {
  let end = text.length
  while (end > 0 && isEdge(text.charCodeAt(end - 1))) end--
  return text.slice(0, end)
}

/** Leading and trailing spaces and dots off: no hidden files, no `.`/`..`, nothing Windows would silently drop. */
const trimEdges = (text: string): string => {
  let start = 0
  while (start < text.length && isEdge(text.charCodeAt(start))) start++
  return trimEnd(text.slice(start))
}

const utf8Size = (code: number): number => (code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4)

const utf8Length = (text: string): number => {
  let bytes = 0
  for (const char of text) bytes += utf8Size(char.codePointAt(0)!)
  return bytes
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" })

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes at the start of the grapheme cluster the byte limit falls in (so an
 * accent or an emoji modifier is not left behind), or between code points when one cluster is longer than the
 * limit; then `tidy` the cut end.
 */
const truncate = (text: string, maxBytes: number, tidy: (text: string) => string): string => {
  let end = 0
  let bytes = 0
  for (const char of text) {
    bytes += utf8Size(char.codePointAt(0)!)
    if (bytes > maxBytes) break
    end += char.length
  }
  if (end === text.length) return text
  const cluster = graphemes.segment(text).containing(end)!.index
  return tidy(text.slice(0, cluster > 0 ? cluster : end))
}

/** A segment for an error message: quoted, cut short, controls and format characters escaped (one line). */
const quote = (text: string): string => {
  const short = text.length > 80 ? `${text.slice(0, 80)}…` : text
  return JSON.stringify(short).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) =>
    `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`)
}
