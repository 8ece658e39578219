/**
 * Which of a wanted item's candidate entries to download, and why — a pure function of the candidates and the
 * user's preferences (the configuration's `matching` section).
 *
 * An entry is ruled out when its name or group matches an `exclude` pattern, or when its language is known and not
 * among `languages` (when that list is set). The others are ranked by language (the list's order; an unknown
 * language after every listed one), then resolution (`resolutions`' order; an unlisted or unknown one last), then
 * the entry seen most recently (last changed, then first seen, then the newest row). Every decision carries its
 * reasons, and every candidate not chosen carries its own.
 *
 * How sure the choice is comes from how its work was found: identification's confidence for a TMDB/IMDb/TVDB id,
 * a fixed, lower figure for the title fallback (the work is not identified; its title and year had to agree
 * exactly). Below `MIN_CONFIDENCE` nothing is chosen: a wrong download is worse than none.
 */
import type { Candidates } from "@stalkeer/store"
import type { AppConfig } from "@stalkeer/config"
import { SafePath } from "@stalkeer/downloader"

export interface Preferences {
  /** ISO 639-1, most wanted first; empty: any language. */
  readonly languages: ReadonlyArray<string>
  /** Most wanted first. */
  readonly resolutions: ReadonlyArray<string>
  readonly exclude: ReadonlyArray<RegExp>
}

/** The preferences of the configuration's `matching` section (its patterns were checked when it was read). */
export const preferences = (matching: AppConfig.Matching): Preferences => ({
  languages: matching.languages,
  resolutions: matching.resolutions,
  exclude: matching.exclude.map((pattern) => new RegExp(pattern, "iu"))
})

/** Why a wanted item gets no download. */
export type SkipReason = "not-available" | "not-in-catalogue" | "language" | "excluded" | "unsure"

export interface Rejected {
  readonly candidate: Candidates.Candidate
  readonly reasons: ReadonlyArray<string>
}

export interface Choice {
  readonly decision: "download" | "skip"
  readonly entry: Candidates.Candidate | null
  /** 0..1: how sure it is that `entry` is the wanted item (0 when skipped for want of candidates). */
  readonly confidence: number
  readonly reasons: ReadonlyArray<string>
  /** Set when skipped. */
  readonly skip: SkipReason | null
  readonly rejected: ReadonlyArray<Rejected>
}

/** What the candidates are candidates for, as the reasons name it. */
export interface Context {
  /** e.g. `tmdb id 238`: how the work was found, by the id that found it. */
  readonly found: string
  /** A title fallback on a series work that shows no year. */
  readonly yearless?: boolean | undefined
  /** The wanted episode, to say so when a multi-episode entry holds it. */
  readonly episode?: { readonly season: number; readonly episode: number } | undefined
}

/** The title fallback's confidence: title and year agree exactly on a work that is not identified. */
export const FALLBACK_CONFIDENCE = 0.9
/** A series' title agrees, it shows no year, and no other series of that title is known. */
export const YEARLESS_CONFIDENCE = 0.86
/** Below this, nothing is downloaded. */
export const MIN_CONFIDENCE = 0.85

const ordinal = (n: number) => (n === 1 ? "1st" : n === 2 ? "2nd" : n === 3 ? "3rd" : `${n}th`)

const confidenceOf = (candidate: Candidates.Candidate, context: Context): number => {
  if (candidate.via === "title") return context.yearless === true ? YEARLESS_CONFIDENCE : FALLBACK_CONFIDENCE
  // A manual match is the user's word; a recorded identification has its own figure.
  if (candidate.matchMethod === "override") return 1
  return Math.round((candidate.matchConfidence ?? 1) * 100) / 100
}

/** A skip before any lookup: Radarr does not consider the movie available yet (its minimum availability). */
export const notAvailable = (reason: string): Choice => ({
  decision: "skip",
  entry: null,
  confidence: 0,
  reasons: [reason],
  skip: "not-available",
  rejected: []
})

/** A skip for want of any candidate, saying what was looked for. */
export const notFound = (reason: string): Choice => ({
  decision: "skip",
  entry: null,
  confidence: 0,
  reasons: [reason],
  skip: "not-in-catalogue",
  rejected: []
})

export const choose = (
  candidates: ReadonlyArray<Candidates.Candidate>,
  preferences: Preferences,
  context: Context
): Choice => {
  if (candidates.length === 0) return notFound(`${context.found}: not in the catalogue`)
  const rejected: Array<Rejected> = []
  const allowed: Array<Candidates.Candidate> = []
  let byLanguage = 0
  let byPattern = 0
  for (const candidate of candidates) {
    const reasons: Array<string> = []
    const pattern = preferences.exclude.find((re) =>
      re.test(candidate.name) || (candidate.groupTitle !== null && re.test(candidate.groupTitle))
    )
    if (pattern !== undefined) {
      reasons.push(`excluded by /${pattern.source}/`)
      byPattern++
    }
    const language = candidate.language
    if (language !== null && preferences.languages.length > 0 && !preferences.languages.includes(language)) {
      reasons.push(`language ${language} not allowed`)
      byLanguage++
    }
    if (reasons.length > 0) rejected.push({ candidate, reasons })
    else allowed.push(candidate)
  }

  if (allowed.length === 0) {
    const skip: SkipReason = byPattern === 0 ? "language" : "excluded"
    const languages = [...new Set(candidates.map((c) => c.language).filter((l) => l !== null))].sort()
    return {
      decision: "skip",
      entry: null,
      confidence: 0,
      reasons: [
        context.found,
        skip === "language"
          ? `only in languages not allowed (${languages.join(", ")})`
          : byLanguage === 0
          ? "every entry is excluded (matching.exclude)"
          : "every entry is excluded or in a language not allowed"
      ],
      skip,
      rejected
    }
  }

  const languageRank = (c: Candidates.Candidate) => {
    if (preferences.languages.length === 0) return 0
    const at = c.language === null ? -1 : preferences.languages.indexOf(c.language)
    return at < 0 ? preferences.languages.length : at
  }
  const resolutionRank = (c: Candidates.Candidate) => {
    const at = c.resolution === null ? -1 : preferences.resolutions.indexOf(c.resolution)
    return at >= 0 ? at : c.resolution === null ? preferences.resolutions.length + 1 : preferences.resolutions.length
  }
  const ranked = [...allowed].sort((a, b) =>
    languageRank(a) - languageRank(b) ||
    resolutionRank(a) - resolutionRank(b) ||
    b.updatedAt.getTime() - a.updatedAt.getTime() ||
    b.firstSeenAt.getTime() - a.firstSeenAt.getTime() ||
    b.entryId - a.entryId
  )
  const best = ranked[0]!
  const confidence = confidenceOf(best, context)

  const reasons: Array<string> = [context.found]
  if (best.via === "title") {
    reasons.push(
      context.yearless === true
        ? "fallback: same title, no year shown, no other series of that name (work not identified)"
        : "fallback: same title and year (work not identified)"
    )
  }
  if (context.episode !== undefined && best.episodeEnd !== null && best.episode !== null) {
    const held = SafePath.episodeCode(context.episode.season, context.episode.episode)
    reasons.push(`${SafePath.episodeCode(best.season ?? context.episode.season, best.episode, best.episodeEnd)} holds ${held.slice(held.indexOf("E"))}`)
  }
  if (preferences.languages.length === 0) reasons.push(best.language === null ? "language unknown" : `language ${best.language}`)
  else if (best.language === null) reasons.push("language unknown, allowed")
  else reasons.push(`language ${best.language} allowed`)
  const resolution = resolutionRank(best)
  reasons.push(
    best.resolution === null
      ? "resolution unknown"
      : resolution === 0
      ? `${best.resolution} preferred`
      : resolution < preferences.resolutions.length
      ? `${best.resolution} (${ordinal(resolution + 1)} preference)`
      : `${best.resolution} (not a listed resolution)`
  )
  if (ranked.length > 1) reasons.push(`best of ${ranked.length} allowed entries`)

  for (const other of ranked.slice(1)) {
    const why = languageRank(other) !== languageRank(best)
      ? `language ${other.language ?? "unknown"} ranks after ${best.language ?? "unknown"}`
      : resolutionRank(other) !== resolutionRank(best)
      ? `${other.resolution ?? "unknown resolution"} ranks after ${best.resolution ?? "unknown resolution"}`
      : "an equal entry seen less recently"
    rejected.push({ candidate: other, reasons: [why] })
  }

  if (confidence < MIN_CONFIDENCE) {
    return {
      decision: "skip",
      entry: null,
      confidence,
      reasons: [...reasons, `confidence ${confidence.toFixed(2)} below ${MIN_CONFIDENCE}`],
      skip: "unsure",
      rejected: [{ candidate: best, reasons: [`confidence ${confidence.toFixed(2)} below ${MIN_CONFIDENCE}`] }, ...rejected]
    }
  }
  return { decision: "download", entry: best, confidence, reasons, skip: null, rejected }
}
