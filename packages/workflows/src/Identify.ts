/**
 * Which TMDB work a playlist work is: every candidate scored on its names and year, and a verdict that accepts the
 * best only when it is both good and clearly better than the next. A wrong identification becomes a wrong download
 * later, so a doubt is a refusal with its reason, never a guess: popularity orders equals, it never decides.
 *
 * Pure: the `Enrich` workflow gathers the candidates (searches, details) and records the verdict.
 */
import { Classifier } from "@stalkeer/classifier"

export type Kind = "movie" | "series"

/** The work as the playlist names it. */
export interface Query {
  readonly kind: Kind
  readonly title: string
  readonly year: number | null
}

/** A TMDB work that might be it. */
export interface Candidate {
  readonly tmdbId: number
  readonly title: string
  readonly originalTitle: string
  readonly year: number | null
  readonly popularity: number
  /** ISO 3166-1 codes (series). */
  readonly originCountry: ReadonlyArray<string>
  /** Alternative titles and translations, once its details are known. */
  readonly aliases: ReadonlyArray<string>
}

export interface Scored {
  readonly candidate: Candidate
  /** 0..1. */
  readonly score: number
  /** The name of the candidate that matched best. */
  readonly matched: string
}

export type Verdict =
  | { readonly _tag: "Identified"; readonly best: Scored; readonly ranked: ReadonlyArray<Scored> }
  | {
    readonly _tag: "Refused"
    readonly status: "ambiguous" | "low-confidence" | "not-found"
    readonly reason: string
    readonly ranked: ReadonlyArray<Scored>
  }

export interface Thresholds {
  /** Least score to accept (default 0.85). */
  readonly accept: number
  /** Least lead over the runner-up (default 0.1). */
  readonly margin: number
  /** Below this a candidate does not count at all (default 0.5). */
  readonly floor: number
}

export const defaultThresholds: Thresholds = { accept: 0.85, margin: 0.1, floor: 0.5 }

/** A trailing country in a name (`The Office (US)`, `The Office UK`): a hint, not part of the title. */
const COUNTRY_SUFFIX = /[\s([]+(US|USA|UK|GB|AU|CA|NZ|IE|FR|DE|ES|IT|NL|BE|SE|DK|NO|BR|MX|IN|JP|KR)[)\]]?\s*$/
const COUNTRY_ALIAS: Record<string, string> = { UK: "GB", USA: "US" }

const ROMAN: Record<string, string> = { ii: "2", iii: "3", iv: "4", v: "5", vi: "6", vii: "7", viii: "8", ix: "9", x: "10" }

/** Normalised words, Roman numerals as digits, and `part`/`chapter` before a number dropped (`Part II` = `2`). */
const words = (name: string): ReadonlyArray<string> => {
  const raw = Classifier.normalizeTitle(name).split(" ").filter((w) => w !== "")
  const out: Array<string> = []
  for (let i = 0; i < raw.length; i++) {
    const w = i > 0 ? ROMAN[raw[i]!] ?? raw[i]! : raw[i]!
    if ((w === "part" || w === "partie" || w === "teil" || w === "chapter") && i + 1 < raw.length) continue
    out.push(w)
  }
  return out
}

const numbers = (ws: ReadonlyArray<string>): string => ws.filter((w) => /^\d+$/.test(w)).sort().join(" ")

/**
 * How alike two names are, 0..1: 1 when equal once normalised; otherwise the Dice coefficient of their words,
 * capped at 0.5 when their numbers differ (`Der Pate` is not `Der Pate 2`, `300` is not `3000`).
 */
export const nameSimilarity = (a: string, b: string): number => {
  const wa = words(a)
  const wb = words(b)
  if (wa.length === 0 || wb.length === 0) return 0
  if (wa.join(" ") === wb.join(" ")) return 1
  const counts = new Map<string, number>()
  for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1)
  let shared = 0
  for (const w of wb) {
    const n = counts.get(w) ?? 0
    if (n > 0) {
      shared++
      counts.set(w, n - 1)
    }
  }
  const dice = (2 * shared) / (wa.length + wb.length)
  return numbers(wa) === numbers(wb) ? dice * 0.9 : Math.min(dice, 0.5)
}

/** The playlist title without a trailing country, and that country (ISO 3166-1), if any. */
export const splitCountry = (title: string): { readonly title: string; readonly country: string | null } => {
  const m = COUNTRY_SUFFIX.exec(title)
  if (m === null || m.index === 0) return { title, country: null }
  const code = m[1]!
  return { title: title.slice(0, m.index).trim(), country: COUNTRY_ALIAS[code] ?? code }
}

/** One candidate's score for the query. */
export const score = (query: Query, candidate: Candidate): Scored => {
  const { country, title } = splitCountry(query.title)
  let best = 0
  let matched = candidate.title
  for (const name of [candidate.title, candidate.originalTitle, ...candidate.aliases]) {
    // The full name too: a title such as `Paris, Texas` or `Borat US` is not a country hint.
    const s = Math.max(nameSimilarity(title, name), country === null ? 0 : nameSimilarity(query.title, name))
    if (s > best) {
      best = s
      matched = name
    }
  }
  let value = best
  if (query.year === null) value -= 0.05
  else if (candidate.year === null) value -= 0.1
  else {
    const off = Math.abs(candidate.year - query.year)
    // A film often reaches another country the next year: its local year is one off.
    value -= off === 0 ? 0 : off === 1 ? 0.05 : 0.5
  }
  if (country !== null && candidate.originCountry.length > 0) {
    value += candidate.originCountry.includes(country) ? 0.05 : -0.3
  }
  return { candidate, score: Math.max(0, Math.min(1, value)), matched }
}

/** Scores every candidate (one per TMDB id: the best of duplicates) and decides. */
export const decide = (
  query: Query,
  candidates: ReadonlyArray<Candidate>,
  thresholds: Thresholds = defaultThresholds
): Verdict => {
  const byId = new Map<number, Scored>()
  for (const c of candidates) {
    const s = score(query, c)
    const known = byId.get(c.tmdbId)
    if (known === undefined || s.score > known.score) byId.set(c.tmdbId, s)
  }
  const ranked = [...byId.values()]
    .filter((s) => s.score >= thresholds.floor)
    .sort((a, b) => b.score - a.score || b.candidate.popularity - a.candidate.popularity)
  const best = ranked[0]
  if (best === undefined) return { _tag: "Refused", status: "not-found", reason: "no candidates", ranked }
  if (best.score < thresholds.accept) {
    return { _tag: "Refused", status: "low-confidence", reason: `low confidence (${best.score.toFixed(2)})`, ranked }
  }
  const close = ranked.filter((s) => best.score - s.score < thresholds.margin)
  if (close.length > 1) {
    return { _tag: "Refused", status: "ambiguous", reason: `ambiguous: ${close.length} candidates within margin`, ranked }
  }
  return { _tag: "Identified", best, ranked }
}
