/**
 * What a category (group-title) says: the kind of its entries and the language of its section.
 * Results are cached per group string: a playlist has about a thousand groups for 200k entries.
 */
import type { Kind } from "../Classification.js"
import { LANGUAGE_CODES } from "./vocabulary.js"

export interface GroupInfo {
  readonly kind: Kind | null
  /** The category names films or series (`FILMS`, `Movies;Series`, `FILM & SERIEN`), whatever `kind` says. */
  readonly vod: boolean
  /** ISO 639-1 language the category names, or null. */
  readonly lang: string | null
  /** The category is a subtitled section (`SUBT`, `LEGENDADOS`, `VOSTFR`): no audio language. */
  readonly subtitled: boolean
  /** `lang` was inferred from category words (`Séries`, `Movies:`) rather than a code or a language name. */
  readonly implicit: boolean
  /** Origin-only Asian VOD section (`KR|`, `JP|`, `CN|`, `ASIA|`). */
  readonly asian: boolean
  /** A 3D section (`3D MOVIES`, `FILMS 3D`): a trailing `3D` in its entries' names is the format, not the title. */
  readonly stereo: boolean
}

const LIVE = /24\s*\/\s*7|\b24H\b|\bPPV\b|\bEVENTS?\b|\bLIVE\b|\bSPORTS?\b|\bNEWS\b|\bCHANNELS?\b|\bKANAL|\bCHAÎNES?\b|\bCANALES\b|AO VIVO|NONSTOP|\bRADIO\b|قنوات|КАНАЛЫ/iu
const SERIES = /S[ÉE]RIES?|SERIEN|SERIALE|SERIAL|SERIE TV|\bSRS\b|D[İI]Z[İI]LER|مسلسلات|СЕРИАЛЫ|ΣΕΙΡΕΣ/iu
// Genres mostly made of series, which a film word outranks (`ANIME MOVIES`, `K-DRAMA MOVIES` hold films).
const SERIES_GENRE = /NOVELAS|\bSHOWS?\b|K-DRAMA|C-DRAMA|DRAMAS|\bANIME\b|TELENOVELA/iu
const MOVIES = /FILMS?|FILME|FILMES|FILMY|F[İI]LMLER[İI]?|MOVIES?|PEL[ÍI]CULAS|\bCINE|CIN[ÉE]MA|أفلام|ФИЛЬМЫ|\bVOD\b|KINO|NOUVEAUT|ESTRENOS|PRIMA VISIONE|NEUERSCHEINUNGEN|NIEUW IN|НОВИНКИ/iu

const STEREO_GROUP = /(?<![\p{L}\p{N}])3D(?![\p{L}\p{N}])/iu

// Leading code: `FR: `, `FR| `, `|EN| `, `NL | `, `DE ➾ `, `VOD FR - `, `EN - `, `USA | `, `🎬 FR | `, `AR:SUBT`.
const LEAD_CODE = /^[^\p{L}\p{N}]*(?:VOD\s+)?\|?([A-Za-z]{2,3})\|?\s*(?:[|:➾\-–]|\sI\s)/u
// Trailing `[EN]`.
const TRAIL_CODE = /\[([A-Za-z]{2,3})\]\s*$/u
const LANGUAGE_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bENGLISH\b|UNITED KINGDOM|\bUSA\b|\bAMERICA/i, "en"],
  [/FRAN[CÇ]AIS|\bFRANCE\b|\bFRENCH\b/i, "fr"],
  [/DEUTSCH|GERMAN|ALLEMAND/i, "de"],
  [/LATINO|ESPA[ÑN]OL|CASTELLANO|SPANISH|\bESPA[ÑN]A\b/i, "es"],
  [/ITALIA|ITALIAN/i, "it"],
  [/TURKEY|T[ÜU]RK[İI]YE|TURKISH|T[ÜU]RK[ÇC]E/i, "tr"],
  [/NEDERLAND|DUTCH|HOLLAND/i, "nl"],
  [/PORTUGAL|BRASIL|BRAZIL|PORTUGU[EÊ]S/i, "pt"],
  [/POLSKA|POLISH|POLSKI/i, "pl"],
  [/РОСС|РУССК|RUSSIA/iu, "ru"],
  [/ARABIC|عربي|عربية/iu, "ar"]
]
// Category words that name a section's language when no code is written (`Séries NETFLIX`, `[VC] CINE ACCIÓN`).
const SECTION_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/SÉRIES(?!.*LEGENDAD)|\bFILMS\b|CIN[ÉE]MA|NOUVEAUT|G[ÉE]N[ÉE]RALISTES/iu, "fr"],
  [/\bFILME\b|\bSERIEN\b|NEUERSCHEINUNGEN/iu, "de"],
  [/PEL[ÍI]CULAS|\bCINE\b|NOVELAS|ESTRENOS/iu, "es"],
  [/F[İI]LMLER|D[İI]Z[İI]LER/iu, "tr"],
  [/ФИЛЬМЫ|СЕРИАЛЫ|НОВИНКИ/iu, "ru"],
  [/SERIE TV|PRIMA VISIONE|\bFILM\b/iu, "it"],
  [/\bFILMY\b|\bSERIALE\b/iu, "pl"]
]
const SUBTITLED = /\bSUBT\b|LEGENDAD|VOSTFR|\bSUBBED\b|\bVOSE\b/iu
const ARABIC_SCRIPT = /[\u0600-\u06FF]/u
const CJK_SCRIPT = /[\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF]/u
const ASCII_WORDS = /^[\x20-\x7E]*$/
const ASIAN_CODES = new Set(["KR", "JP", "CN", "ASIA", "HK", "TW"])

const EMPTY: GroupInfo = { kind: null, vod: false, lang: null, subtitled: false, asian: false, implicit: false, stereo: false }

const analyse = (group: string): GroupInfo => {
  const g = group.trim()
  if (g.length === 0) return EMPTY
  const movies = MOVIES.test(g)
  const series = SERIES.test(g)
  const anyGenre = SERIES_GENRE.test(g)
  const genre = anyGenre && !series && !movies
  // A category naming both films and series (`FILM & SERIEN`, `Movies;Series`) says neither.
  const kind: Kind | null = LIVE.test(g) && !movies && !series && !anyGenre
    ? "live"
    : series || genre
    ? (movies ? null : "series")
    : movies
    ? "movie"
    : null
  const vod = movies || series || genre
  const subtitled = SUBTITLED.test(g)
  const asian = /^[^\p{L}]*(?:KR|JP|CN|ASIA|HK|TW)\b/u.test(g)
  let lang: string | null = null
  const lead = LEAD_CODE.exec(g)
  if (lead !== null) {
    const code = lead[1]!.toUpperCase()
    if (ASIAN_CODES.has(code) || code === "ASI") lang = LANGUAGE_CODES.get(code) ?? null
    else if (lead[1] === code) lang = LANGUAGE_CODES.get(code) ?? null
  }
  if (lang === null) {
    const t = TRAIL_CODE.exec(g)
    if (t !== null) lang = LANGUAGE_CODES.get(t[1]!.toUpperCase()) ?? null
  }
  if (lang === null) {
    for (const [re, l] of LANGUAGE_WORDS) {
      if (re.test(g)) {
        lang = l
        break
      }
    }
  }
  let implicit = false
  if (lang === null) {
    implicit = true
    for (const [re, l] of SECTION_WORDS) {
      if (re.test(g)) {
        lang = l
        break
      }
    }
  }
  if (lang === null && ARABIC_SCRIPT.test(g)) {
    lang = "ar"
    implicit = false
  }
  if (lang === null && !CJK_SCRIPT.test(g) && ASCII_WORDS.test(g) && /[A-Za-z]{3}/.test(g) && !subtitled) {
    // A category written only in English words (`Movies: Action`, `NETFLIX WAR`) is an English section.
    lang = "en"
  }
  if (lang === null) implicit = false
  return { kind, vod, lang, subtitled, asian, implicit, stereo: STEREO_GROUP.test(g) }
}

const cache = new Map<string, GroupInfo>()

export const groupInfo = (group: string | null | undefined): GroupInfo => {
  if (group == null || group.length === 0) return EMPTY
  let info = cache.get(group)
  if (info === undefined) {
    info = analyse(group)
    // Bounded: groups are few per playlist, but a long-lived service sees many playlists.
    if (cache.size > 20_000) cache.clear()
    cache.set(group, info)
  }
  return info
}
