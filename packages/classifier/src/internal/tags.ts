/**
 * What the classifier learns from marker tokens (prefixes, trailing tags, bracket groups), and the
 * token tests the title parser uses to decide where a title ends.
 */
import type { Resolution } from "../Classification.js"
import {
  AUDIO_TAGS,
  COUNTRY_DISAMBIGUATORS,
  LANGUAGE_CODES,
  MULTI_TAGS,
  PLATFORMS,
  PREFIX_WORDS,
  RESOLUTIONS,
  STEREO_LAYOUTS,
  SUBTITLE_TAGS,
  TECH_TAGS
} from "./vocabulary.js"

/** Mutable accumulator filled while one name is parsed. */
export interface Marks {
  resolution: Resolution | null
  /** Audio language from a name prefix (`FR - `, `|EN|`). */
  prefixLang: string | null
  /** Audio language from a tag (`VFF`, `(ES)`, `DUBLADO`, `german`). */
  tagLang: string | null
  /** Subtitle language; `""` means "the section's language" (`_sub`). */
  subs: string | null
  multi: boolean
  platform: string | null
  year: number | null
  country: string | null
  /** Extra prefix codes from configured rules (upper-case code → ISO 639-1). */
  codes: ReadonlyMap<string, string> | null
  /** 3D evidence outside the title: a `3D` prefix, a stereo layout tag (`HSBS`), a 3D category. */
  stereo: boolean
}

export const newMarks = (codes: ReadonlyMap<string, string> | null = null): Marks => ({
  codes,
  resolution: null,
  prefixLang: null,
  tagLang: null,
  subs: null,
  multi: false,
  platform: null,
  year: null,
  country: null,
  stereo: false
})

const YEAR_MIN = 1900
const YEAR_MAX = 2035
export const asYear = (s: string): number | null => {
  if (s.length !== 4) return null
  const c0 = s.charCodeAt(0)
  if (c0 !== 49 && c0 !== 50) return null // '1' | '2'
  const n = Number(s)
  return Number.isInteger(n) && n >= YEAR_MIN && n <= YEAR_MAX ? n : null
}

const RATING = /^\d{1,2}[.,]\d$/
const FPS = /^\d{2,3}\s?FPS$/i
const SCENE_CODEC = /^(?:[xh]\.?26[45]|hevc|avc|aac|ac3|web-?dl|webrip|bluray)(?:-[\p{L}\p{N}]+)?$/iu
const PART_WORD = /^(?:PART|PARTIE|TEIL|PARTE|CZĘŚĆ|CD|DISC)$/i
const GROUP_SPLIT = /[\s,/]+/
// `(US)`, `(UK)` after a series title disambiguate the show; other codes in brackets name the audio (`(FR)`).
const ENGLISH_COUNTRIES: ReadonlySet<string> = new Set(["US", "UK", "AU", "NZ", "CA", "IE"])
const SMALL_NUMBER = /^\d{1,2}$/

/** Bare words that may be written in lower case and still be tags (scene style, provider flags). */
const LOWER_OK = new Set(["1080p", "720p", "2160p", "480p", "4k", "x264", "x265", "h264", "h265", "hevc", "web-dl", "webrip", "hdtv", "bluray", "german", "french", "lati", "latino", "backup", "multi", "vostfr", "spanish", "ita", "italian", "english", "dual", "subbed", "fhd", "uhd"])

/** Upper-cases `t` when it may be read as a tag: as written in capitals, or a known lower-case tag. */
const tagKey = (t: string): string | null => {
  const u = t.toUpperCase()
  if (u === t) return u
  const l = t.toLowerCase()
  if (LOWER_OK.has(l)) return u
  // Mixed case is accepted for a few words providers write in title case.
  if (u === "LEGENDADO" || u === "DUBLADO" || u === "OMU" || u === "LEG" || u === "DUB") return u
  return null
}

/**
 * Records what a bare tag word means. Returns false when `t` is not a tag word.
 * `prev` is the previous token (upper-cased) for two-word tags: `SUBT AR`, `SUB ITA`, `FULL HD`.
 */
export const applyTagWord = (t: string, marks: Marks): boolean => {
  const key = tagKey(t)
  if (key === null) return SCENE_CODEC.test(t)
  const res = RESOLUTIONS.get(key)
  if (res !== undefined) {
    if (marks.resolution === null) marks.resolution = res
    return true
  }
  if (MULTI_TAGS.has(key)) {
    marks.multi = true
    return true
  }
  const sub = SUBTITLE_TAGS.get(key)
  if (sub !== undefined) {
    if (marks.subs === null || marks.subs === "multi") marks.subs = sub
    return true
  }
  const audio = AUDIO_TAGS.get(key)
  if (audio !== undefined) {
    if (marks.tagLang === null) marks.tagLang = audio
    return true
  }
  if (TECH_TAGS.has(key) || FPS.test(key) || SCENE_CODEC.test(t)) return true
  if (STEREO_LAYOUTS.has(key)) {
    marks.stereo = true
    return true
  }
  if (key === "FULL" || key === "TÜRKÇE" || key === "TURKCE") return true
  return false
}

/** `SUBT AR`, `SUB ITA`: a subtitle word followed by a language code. */
export const isSubWord = (t: string): boolean => t === "SUBT" || t === "SUB" || t === "SUBS" || t === "ST"

// Throwaway target for "is this a tag?" tests; its contents are never read.
const PROBE: Marks = newMarks()

/** True when a `(…)` / `[…]` group's content is made only of markers (tags, codes, a year, a rating). */
export const isMarkerGroup = (content: string, kind: "vod" | "live"): boolean => {
  const c = content.trim()
  if (c.length === 0) return true
  const parts = c.split(GROUP_SPLIT)
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    if (p.length === 0) continue
    const u = p.toUpperCase()
    if (asYear(p) !== null) continue
    if (RATING.test(p)) continue
    if (LANGUAGE_CODES.has(u) && p === u) continue
    if (COUNTRY_DISAMBIGUATORS.has(u) && p === u) continue
    if (kind === "live" && (p.length === 1 || p.endsWith("™") || u === "ALT" || PART_WORD.test(p) || SMALL_NUMBER.test(p))) continue
    if (u === "L" || u === "A" || u === "V" || u === "A/V") continue
    if (u === "HDR10+" || u === "PLUS" || u === "HD+") continue
    if (applyTagWord(p, PROBE) || applyTagWord(u, PROBE)) continue
    return false
  }
  return true
}

/** Records what a marker group says (see `isMarkerGroup`). Returns false, recording nothing, when it is not one. */
export const applyBracketGroup = (content: string, kind: "vod" | "live", marks: Marks): boolean => {
  if (!isMarkerGroup(content, kind)) return false
  const parts = content.trim().split(GROUP_SPLIT)
  let year: number | null = null
  let prevSub = false
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    const u = p.toUpperCase()
    const y = asYear(p)
    if (y !== null) {
      year ??= y
      continue
    }
    if (prevSub && LANGUAGE_CODES.has(u)) {
      const l = LANGUAGE_CODES.get(u)!
      if (marks.subs === null || marks.subs === "multi") marks.subs = l
      prevSub = false
      continue
    }
    prevSub = isSubWord(u)
    if (u === "FULL" && i + 1 < parts.length && parts[i + 1]!.toUpperCase() === "HD") {
      marks.resolution ??= "1080p"
      i++
      continue
    }
    if (u === "L" && parts.length === 1) {
      marks.subs ??= "pt"
      continue
    }
    if (LANGUAGE_CODES.has(u) && p === u) {
      if (kind === "vod" && ENGLISH_COUNTRIES.has(u)) {
        marks.country ??= u
        continue
      }
      marks.tagLang ??= LANGUAGE_CODES.get(u)!
      continue
    }
    if (COUNTRY_DISAMBIGUATORS.has(u)) {
      marks.country ??= u
      continue
    }
    applyTagWord(p, marks) || applyTagWord(u, marks)
  }
  if (year !== null) marks.year ??= year
  return true
}

/** Records a prefix token (`FR`, `NF`, `4K`, `VOD`, `lAR`). Returns false when it is not a known prefix word. */
export const applyPrefixToken = (t: string, bare: boolean, marks: Marks): boolean => {
  let u = t.toUpperCase()
  if (bare && u !== t) {
    // Damaged lower-case lead letter: `lAR|`.
    if (t.length === 3 && t.charCodeAt(0) >= 97 && t.charCodeAt(0) <= 122 && t.slice(1) === u.slice(1) && (LANGUAGE_CODES.has(u.slice(1)) || marks.codes?.has(u.slice(1)) === true)) {
      u = u.slice(1)
    } else if (!PLATFORMS.has(u)) return false
  }
  if (u.endsWith(".")) u = u.slice(0, -1)
  const lang = marks.codes?.get(u) ?? LANGUAGE_CODES.get(u)
  if (lang !== undefined && u !== "VF" && u !== "VFF" && u !== "VFQ") {
    marks.prefixLang ??= lang
    return true
  }
  const platform = PLATFORMS.get(u)
  if (platform !== undefined) {
    marks.platform ??= t === "MAX" || t === "PRIME" || t === "NETFLIX" ? platform : u === "OSN+" ? "OSN" : u
    return true
  }
  const res = RESOLUTIONS.get(u)
  if (res !== undefined) {
    marks.resolution ??= res
    return true
  }
  if (PREFIX_WORDS.has(u)) {
    if (u === "3D") marks.stereo = true
    else if (u === "LEG") marks.subs ??= "pt"
    else if (u === "STFR" || u === "VOSTFR") marks.subs ??= "fr"
    else if (u === "VF" || u === "VFF" || u === "VFQ") marks.tagLang ??= "fr"
    else if (u === "MULTI") marks.multi = true
    return true
  }
  // Inside a bracketed prefix (`|FR-4K HDR10+|`, `|FR-4K DV HDR|`) any marker word is fine.
  return !bare && (applyTagWord(t, marks) || applyTagWord(u, marks))
}
