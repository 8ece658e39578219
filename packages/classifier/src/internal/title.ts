/**
 * Structural title parsing. The name (after prefixes) is split into tokens: words, `(…)`/`[…]` groups
 * (unbalanced ones too) and pipes. The title ends at the first hard boundary (a bracket group made only
 * of markers, a year in brackets or after a dash, a pipe field), then trailing bare markers (`FHD`,
 * `MULTI`, a bare release year, `PART 2`) are peeled off. Everything after the title is read for
 * resolution, language, subtitles and year. Words inside a title (`The SD Card`) are never touched,
 * because only the tail of the name is examined.
 */
import { applyBracketGroup, applyTagWord, asYear, isMarkerGroup, isSubWord, type Marks, newMarks } from "./tags.js"
import { LANGUAGE_CODES, STEREO_LAYOUTS } from "./vocabulary.js"

// Words may carry a glued one- or two-letter bracket (`CINÉMA(S)`): that belongs to the word.
const TOKEN = /\([^()[\]]*[)\]]?|\[[^[\]()]*[\])]?|[|┃¦]|[^\s()[\]|┃¦]+(?:\(\p{L}{1,2}\))?/gu

interface Tok {
  readonly text: string
  readonly start: number
  readonly end: number
}

const tokenize = (s: string, from: number, to: number): Array<Tok> => {
  const out: Array<Tok> = []
  TOKEN.lastIndex = from
  let m: RegExpExecArray | null
  while ((m = TOKEN.exec(s)) !== null && m.index < to) {
    const end = Math.min(m.index + m[0].length, to)
    out.push({ text: end === m.index + m[0].length ? m[0] : s.slice(m.index, end), start: m.index, end })
  }
  return out
}

const isOpen = (c: number): boolean => c === 40 || c === 91
const isClose = (c: number): boolean => c === 41 || c === 93

/** Content of a bracket token without its delimiters, or null when `t` is not a bracket token. */
const bracketContent = (t: string): string | null => {
  if (!isOpen(t.charCodeAt(0))) return null
  const last = t.charCodeAt(t.length - 1)
  return isClose(last) ? t.slice(1, -1) : t.slice(1)
}

const isPipe = (t: string): boolean => t === "|" || t === "┃" || t === "¦"
const isDash = (t: string): boolean => t === "-" || t === "–" || t === "—"
const GLUED_YEAR = /^[-–]((?:19|20)\d\d)$/
const PART_WORD = /^(?:PART|PARTIE|TEIL|PARTE|CZĘŚĆ|CD|DISC|VOL\.?)$/i
const RATING = /^\d{1,2}[.,]\d$/
const SMALL_NUMBER = /^\d{1,2}$/
const isJunk = (c: number): boolean =>
  c === 32 || c === 45 || c === 0x2013 || c === 0x2014 || c === 58 || c === 44 || c === 124 || c === 47

/** `s[a, b)` without leading/trailing separators (` - `, `:`, `,`, `|`, `/`). */
const trimJunk = (s: string, a: number, b: number): string => {
  while (a < b && isJunk(s.charCodeAt(a))) a++
  while (b > a && isJunk(s.charCodeAt(b - 1))) b--
  return s.slice(a, b)
}

/** `t` without trailing `)`/`]` (`2019)` → `2019`). */
const dropClose = (t: string): string => {
  let e = t.length
  while (e > 0 && isClose(t.charCodeAt(e - 1))) e--
  return e === t.length ? t : t.slice(0, e)
}

const SCRATCH = newMarks()

export interface TitleParse {
  readonly title: string
  /** True when a year was read from a bracket/dash/pipe form (strong), false for a bare trailing year. */
  readonly strongYear: boolean
}

const isLiveMarker = (t: string, scratch: Marks): boolean => {
  scratch.tagLang = null
  scratch.subs = null
  if (!applyTagWord(t, scratch)) return false
  return scratch.tagLang === null && scratch.subs === null
}

const yearAfter = (toks: ReadonlyArray<Tok>, from: number): boolean => {
  for (let i = from; i < toks.length; i++) {
    const t = toks[i]!.text
    if (asYear(dropClose(t)) !== null || bracketYear(t) !== null) return true
  }
  return false
}

/**
 * Whether a trailing `3D` (at `toks[i]`, the last word of the title so far) is the release's format rather than part
 * of the title. It is the format when something says this is a 3D release: a marker peeled after it (`Avatar 3D
 * HSBS`, `Avatar 3D FHD`), a year before it (`Avatar 2009 3D`), a stereo layout later in the name, a `3D` prefix or
 * a 3D category (`marks.stereo`). With none of those a bare `X 3D` is ambiguous without a title list: a title of
 * several words keeps it (`Step Up 3D`, `My Bloody Valentine 3D`), a single word loses it (`Avatar 3D`, `Titanic
 * 3D`, re-releases), which also drops the `3D` of one-word titles such as `Piranha 3D`.
 */
const threeDIsFormat = (toks: ReadonlyArray<Tok>, i: number, peeled: boolean, marks: Marks): boolean => {
  if (peeled || marks.stereo || i <= 1 || asYear(toks[i - 1]!.text) !== null) return true
  for (let k = i + 1; k < toks.length; k++) if (STEREO_LAYOUTS.has(toks[k]!.text.toUpperCase())) return true
  return false
}

/** Year from a bracket token: `(2019)`, `[2019]`, `(2019`, `[1976)`, `(2019))`. */
const bracketYear = (t: string): number | null => {
  const c = bracketContent(t)
  if (c === null) return null
  return asYear(dropClose(c).trim())
}

/**
 * Parses `s[from, to)` into title + marks. `vod` decides how much may be stripped: live channel names
 * keep numbers and can end in anything after their markers are gone.
 */
export const parseTitle = (
  s: string,
  from: number,
  to: number,
  kind: "vod" | "live",
  marks: Marks,
  allowBareYear = kind === "vod",
  boundaries = true
): TitleParse => {
  const toks = tokenize(s, from, to)
  const n = toks.length
  if (n === 0) return { title: "", strongYear: false }

  // 1. First hard boundary at index >= 1.
  let cut = n
  let strongYear = false
  for (let i = 1; boundaries && i < n; i++) {
    const t = toks[i]!.text
    const c0 = t.charCodeAt(0)
    if (isOpen(c0)) {
      const y = bracketYear(t)
      // A live channel keeps a bracketed year (`24H • The Hunter (2016)` names a channel).
      if (y !== null && kind === "live") continue
      if (y !== null) {
        cut = i
        strongYear = true
        marks.year ??= y
        break
      }
      if (isMarkerGroup(bracketContent(t)!, kind)) {
        cut = i
        break
      }
      continue
    }
    if (isPipe(t)) {
      cut = i
      break
    }
    if (kind === "vod") {
      if (isDash(t) && i + 1 < n && asYear(dropClose(toks[i + 1]!.text)) !== null) {
        // `T - 2017`, but not a PL `A - B` title whose B starts with a number followed by words.
        const after = i + 2 < n ? toks[i + 2]!.text : null
        if (after === null || !/^\p{Ll}|^\p{Lu}\p{Ll}/u.test(after) || isOpen(after.charCodeAt(0))) {
          cut = i
          strongYear = true
          marks.year ??= asYear(dropClose(toks[i + 1]!.text))
          break
        }
      }
      const g = GLUED_YEAR.exec(t)
      if (g !== null) {
        cut = i
        strongYear = true
        marks.year ??= Number(g[1])
        break
      }
    }
  }

  // 2. Peel trailing bare markers before the boundary (tested on a scratch copy; recorded in step 3).
  // Tag tests write into a scratch accumulator; what counts is recorded in step 3.
  const scratch = SCRATCH
  let peeledYear = false
  // A marker (not just a separator) was peeled off the end.
  let peeled = false
  let end = cut
  while (end > 1) {
    const t = toks[end - 1]!.text
    const u = t.toUpperCase()
    if (isDash(t) || t === ":" || t === "," || isPipe(t)) {
      end--
      continue
    }
    if (kind === "vod" && u === "3D" && !threeDIsFormat(toks, end - 1, peeled, marks)) break
    // Live names keep language words (`Al Jazeera English`); only quality/variant markers go.
    if (kind === "vod" ? applyTagWord(t, scratch) : isLiveMarker(t, scratch)) {
      end--
      peeled = true
      continue
    }
    if (LANGUAGE_CODES.has(u) && u === t && end - 2 >= 1 && isSubWord(toks[end - 2]!.text.toUpperCase())) {
      end -= 2
      peeled = true
      continue
    }
    // A bare trailing year (`T 2019 FHD`) — movies only: before an episode marker a number belongs to the
    // title, and before a marker group it does too when the release year follows (`Vienna 1933 (ES) HD 2006`).
    // Only one: in `Brooklyn 2020 2018 FHD` the release year is the last number and 2020 is the title's.
    if (allowBareYear && !strongYear && !peeledYear && asYear(t) !== null && (cut === n || !yearAfter(toks, cut))) {
      peeledYear = true
      peeled = true
      end--
      continue
    }
    if (SMALL_NUMBER.test(t) && end - 2 >= 1 && PART_WORD.test(toks[end - 2]!.text)) {
      end -= 2
      peeled = true
      continue
    }
    if (kind === "live" && (t === "+1" || t === "+2" || u === "VIP" || u === "PLUS" || u === "BACKUP")) {
      end--
      continue
    }
    if (kind === "live" && isOpen(t.charCodeAt(0)) && bracketYear(t) === null && isMarkerGroup(bracketContent(t)!, kind)) {
      end--
      continue
    }
    break
  }

  // 3. Read everything after the title for markers, left to right (so `FULL HD`, `SUB ITA` read as pairs).
  readMarkers(toks, end, kind, marks, true)

  const title = end > 0 ? trimJunk(s, toks[0]!.start, toks[end - 1]!.end) : ""
  return { title, strongYear }
}

/** Reads markers in `s[from, to)` (the part after an episode marker). */
export const readTail = (s: string, from: number, to: number, marks: Marks): void => {
  // Strict: an episode title may follow (`- S01E05 - The Leg`), so lower-case words stay words.
  readMarkers(tokenize(s, from, to), 0, "vod", marks, false)
}

const readMarkers = (toks: ReadonlyArray<Tok>, from: number, kind: "vod" | "live", marks: Marks, lenient: boolean): void => {
  const n = toks.length
  for (let i = from; i < n; i++) {
    const t = toks[i]!.text
    const u = t.toUpperCase()
    if (isOpen(t.charCodeAt(0))) {
      const y = bracketYear(t)
      if (y !== null) {
        if (kind === "vod") marks.year ??= y
        continue
      }
      applyBracketGroup(bracketContent(t)!, kind, marks)
      continue
    }
    const next = i + 1 < n ? toks[i + 1]!.text : null
    if (next !== null && isSubWord(u) && LANGUAGE_CODES.has(next.toUpperCase())) {
      marks.subs ??= LANGUAGE_CODES.get(next.toUpperCase())!
      i++
      continue
    }
    if (u === "FULL" && next !== null && next.toUpperCase() === "HD") {
      marks.resolution ??= "1080p"
      i++
      continue
    }
    if (kind === "vod") {
      const y = asYear(dropClose(t)) ?? (GLUED_YEAR.exec(t) !== null ? Number(t.slice(1)) : null)
      if (y !== null) {
        marks.year ??= y
        continue
      }
      if (RATING.test(t)) continue
    }
    // Past the title, lower-case words are markers too (`legendas em PT`, `backup`).
    if (applyTagWord(t, marks) || (lenient && u !== t && applyTagWord(u, marks))) continue
    // Bare codes after a pipe (`Deportv | AR FHD`) or in free text after the title (`legendas em PT`).
    if (LANGUAGE_CODES.has(u) && u === t && i > 0) {
      const prev = toks[i - 1]!.text
      if (isPipe(prev)) marks.tagLang ??= LANGUAGE_CODES.get(u)!
      else if (/^em$|^in$|^en$/i.test(prev) && i > 1 && /^legenda/i.test(toks[i - 2]!.text)) marks.subs = LANGUAGE_CODES.get(u)!
    }
  }
}
