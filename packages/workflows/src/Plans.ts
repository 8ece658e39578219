/**
 * What Stalkeer would download for Radarr and Sonarr: for every monitored missing movie or episode, the playlist
 * entry to fetch and why, or why none (`stalkeer radarr|sonarr --dry-run`, the API's wanted plans).
 *
 * The wanted items stream from Radarr/Sonarr page by page; each batch is looked up in the catalogue in SQL
 * (`Candidates`: by id, else the strict title fallback) and each item's candidates go through `Choice.choose`.
 * Memory holds one batch and, for Sonarr, the catalogue works of each series met so far.
 */
import type { ArrError, ArrResponse } from "@stalkeer/arr-client"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import { Classifier } from "@stalkeer/classifier"
import { SafePath } from "@stalkeer/downloader"
import type { StoreError } from "@stalkeer/store"
import { Candidates } from "@stalkeer/store"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Choice from "./Choice.js"
import { PlanError } from "./PlanError.js"

export { PlanError } from "./PlanError.js"

export interface MoviePlan {
  readonly kind: "movie"
  readonly movie: ArrResponse.Movie
  readonly choice: Choice.Choice
}

export interface EpisodePlan {
  readonly kind: "episode"
  readonly episode: ArrResponse.Episode
  readonly series: ArrResponse.Series
  readonly choice: Choice.Choice
}

export type Plan = MoviePlan | EpisodePlan

export interface Options {
  readonly preferences: Choice.Preferences
  /** Plan only the first `limit` wanted items. */
  readonly limit?: number | undefined
}

export interface SonarrOptions extends Options {
  /** Only this series' episodes. */
  readonly seriesId?: number | undefined
}

/** Wanted items looked up per statement: one page of Radarr/Sonarr's default size. */
const BATCH = 250

/**
 * The catalogue keys of a work's names: each title normalised, and again without a trailing `(2005)` — Sonarr
 * tells same-named series apart that way (`Doctor Who (2005)`), the playlist by the year beside the title.
 */
export const titleKeys = (titles: ReadonlyArray<string | null>): ReadonlyArray<string> => {
  const keys = new Set<string>()
  for (const title of titles) {
    if (title === null || title.trim() === "") continue
    keys.add(Classifier.normalizeTitle(title))
    const bare = title.replace(/\s*\((?:19|20)\d{2}\)\s*$/, "")
    if (bare !== title) keys.add(Classifier.normalizeTitle(bare))
  }
  keys.delete("")
  return [...keys]
}

const limited = <A, E, R>(stream: Stream.Stream<A, E, R>, limit: number | undefined) =>
  limit === undefined ? stream : Stream.take(stream, limit)

/** Every way a movie was looked for, for a "not in the catalogue". */
const lookedFor = (movie: ArrResponse.Movie): string =>
  [
    `tmdb id ${movie.tmdbId}`,
    ...(movie.imdbId === null ? [] : [`imdb id ${movie.imdbId}`]),
    ...(movie.year > 0 ? [`title ${JSON.stringify(movie.title)} (${movie.year})`] : [])
  ].join(", ")

const movieFound = (movie: ArrResponse.Movie, via: Candidates.Via): string =>
  via === "imdb"
    ? `imdb id ${movie.imdbId}`
    : via === "title"
    ? `title ${JSON.stringify(movie.title)} (${movie.year})`
    : `tmdb id ${movie.tmdbId}`

/** Plans for Radarr's monitored missing movies, in Radarr's order. */
export const movies = (
  options: Options
): Stream.Stream<MoviePlan, ArrError.ArrError | StoreError.StoreError, Radarr.Radarr | SqlClient.SqlClient> =>
  Stream.unwrap(Effect.map(Radarr.Radarr, (radarr) =>
    limited(radarr.missing, options.limit).pipe(
      Stream.grouped(BATCH),
      Stream.mapEffect((chunk) =>
        Effect.gen(function*() {
          const batch = Chunk.toReadonlyArray(chunk)
          const found = yield* Candidates.movies(batch.map((movie) => ({
            tmdbId: movie.tmdbId > 0 ? movie.tmdbId : null,
            imdbId: movie.imdbId,
            titleKeys: titleKeys([movie.title, movie.originalTitle, ...movie.alternateTitles]),
            year: movie.year
          })))
          return batch.map((movie, i): MoviePlan => {
            const candidates = found[i]!
            // Radarr itself grabs nothing before the movie's minimum availability; an entry of an unreleased film is
            // a cam at best.
            const choice = !movie.isAvailable
              ? Choice.notAvailable(`not available yet in Radarr (${movie.status ?? "unreleased"})`)
              : candidates.length === 0
              ? Choice.notFound(`not in the catalogue (${lookedFor(movie)})`)
              : Choice.choose(candidates, options.preferences, { found: movieFound(movie, candidates[0]!.via) })
            return { kind: "movie", movie, choice }
          })
        })
      ),
      Stream.flattenIterables
    )
  ))

const seriesFound = (series: ArrResponse.Series, works: Candidates.SeriesWorks): string =>
  works.via === "tvdb"
    ? `tvdb id ${series.tvdbId}`
    : works.via === "tmdb"
    ? `tmdb id ${series.tmdbId}`
    : `series title ${JSON.stringify(series.title)}`

/** Plans for Sonarr's monitored missing episodes (aired, not specials), in Sonarr's order. */
export const episodes = (
  options: SonarrOptions
): Stream.Stream<EpisodePlan, ArrError.ArrError | StoreError.StoreError, Sonarr.Sonarr | SqlClient.SqlClient> =>
  Stream.unwrap(Effect.map(Sonarr.Sonarr, (sonarr) => {
    // The catalogue works of each series met so far: one lookup per series, whatever its number of episodes.
    const works = new Map<number, Candidates.SeriesWorks | null>()
    const wanted = options.seriesId === undefined
      ? sonarr.missing
      : Stream.filter(sonarr.missing, (episode) => episode.seriesId === options.seriesId)
    return limited(wanted, options.limit).pipe(
      Stream.grouped(BATCH),
      Stream.mapEffect((chunk) =>
        Effect.gen(function*() {
          const batch = Chunk.toReadonlyArray(chunk)
          const seriesOf = (episode: ArrResponse.Episode): ArrResponse.Series =>
            episode.series ?? { ...UNKNOWN_SERIES, id: episode.seriesId }
          const unseen = [...new Map(batch.filter((e) => !works.has(e.seriesId)).map((e) => [e.seriesId, seriesOf(e)])).values()]
          const looked = yield* Candidates.series(unseen.map((series) => ({
            tvdbId: series.tvdbId > 0 ? series.tvdbId : null,
            tmdbId: series.tmdbId,
            titleKeys: titleKeys([series.title, ...series.alternateTitles]),
            year: series.year
          })))
          unseen.forEach((series, i) => works.set(series.id, looked[i] ?? null))
          const found = yield* Candidates.episodes(batch.map((episode) => {
            const of = works.get(episode.seriesId) ?? null
            return {
              workIds: of?.workIds ?? [],
              via: of?.via ?? "title",
              season: episode.seasonNumber,
              episode: episode.episodeNumber
            }
          }))
          return batch.map((episode, i): EpisodePlan => {
            const series = seriesOf(episode)
            const of = works.get(episode.seriesId) ?? null
            const at = SafePath.episodeCode(episode.seasonNumber, episode.episodeNumber)
            const choice = of === null
              ? Choice.notFound("series not in the catalogue")
              : Choice.choose(found[i]!, options.preferences, {
                found: `${seriesFound(series, of)} ${at}`,
                yearless: of.yearless,
                episode: { season: episode.seasonNumber, episode: episode.episodeNumber }
              })
            return { kind: "episode", episode, series, choice }
          })
        })
      ),
      Stream.flattenIterables
    )
  }))

/** What `Sonarr.missing` never leaves out, should a server not embed the series: never matched by title. */
const UNKNOWN_SERIES: ArrResponse.Series = {
  id: 0,
  title: "",
  sortTitle: null,
  year: 0,
  tvdbId: 0,
  tmdbId: null,
  imdbId: null,
  path: null,
  rootFolderPath: null,
  seasonFolder: true,
  monitored: true,
  seriesType: "standard",
  status: null,
  alternateTitles: []
}

/**
 * The Sonarr series a user names (`--series`): its id, or its title — exactly (ignoring case and punctuation),
 * else as the start of one title. Fails naming the candidates when several fit.
 */
export const findSeries = (
  query: string
): Effect.Effect<ArrResponse.Series, ArrError.ArrError | PlanError, Sonarr.Sonarr> =>
  Effect.gen(function*() {
    const sonarr = yield* Sonarr.Sonarr
    const text = query.trim()
    if (/^\d+$/.test(text)) {
      return yield* sonarr.seriesById(Number(text)).pipe(
        Effect.catchIf(
          (error) => error.reason === "NotFound",
          () => new PlanError({ reason: "SeriesNotFound", query: text })
        )
      )
    }
    const all = yield* sonarr.series
    const key = Classifier.normalizeTitle(text)
    const exact = all.filter((s) => titleKeys([s.title, ...s.alternateTitles]).includes(key))
    const fits = exact.length > 0 ? exact : all.filter((s) => Classifier.normalizeTitle(s.title).startsWith(key))
    if (fits.length === 1) return fits[0]!
    if (fits.length === 0) return yield* new PlanError({ reason: "SeriesNotFound", query: text })
    return yield* new PlanError({
      reason: "SeriesAmbiguous",
      query: text,
      matches: fits.slice(0, 5).map((s) => `${s.title} (${s.year}) #${s.id}`)
    })
  }).pipe(Effect.withSpan("Plans.findSeries"))

/** A movie as people read it: `Alien (1979)`. */
export const movieLabel = (movie: { readonly title: string; readonly year: number }): string => `${movie.title} (${movie.year})`

/** An episode as people read it: `Breaking Bad S01E02`. */
export const episodeLabel = (
  series: { readonly title: string },
  episode: { readonly seasonNumber: number; readonly episodeNumber: number }
): string => `${series.title} ${SafePath.episodeCode(episode.seasonNumber, episode.episodeNumber)}`

/** What a plan is for, as people read it (and as a download is titled): `Alien (1979)`, `Breaking Bad S01E02`. */
export const label = (plan: Plan): string =>
  plan.kind === "movie" ? movieLabel(plan.movie) : episodeLabel(plan.series, plan.episode)

export interface Summary {
  readonly wanted: number
  readonly planned: number
  readonly skipped: Readonly<Record<Choice.SkipReason, number>>
}

export const emptySummary: Summary = {
  wanted: 0,
  planned: 0,
  skipped: { "not-available": 0, "not-in-catalogue": 0, language: 0, excluded: 0, unsure: 0 }
}

/** `summary` with one more plan counted. */
export const tally = (summary: Summary, plan: Plan): Summary => {
  const skip = plan.choice.skip
  return {
    wanted: summary.wanted + 1,
    planned: summary.planned + (plan.choice.decision === "download" ? 1 : 0),
    skipped: skip === null ? summary.skipped : { ...summary.skipped, [skip]: summary.skipped[skip] + 1 }
  }
}

const entryJson = (entry: Candidates.Candidate) => ({
  key: entry.key,
  streamId: entry.streamId,
  name: entry.name,
  group: entry.groupTitle,
  resolution: entry.resolution,
  language: entry.language,
  ...(entry.season !== null && entry.episode !== null
    ? { season: entry.season, episode: entry.episode, episodeEnd: entry.episodeEnd }
    : {})
})

const decidedJson = (choice: Choice.Choice) => ({
  decision: choice.decision,
  entry: choice.entry === null ? null : entryJson(choice.entry),
  confidence: choice.confidence,
  reasons: choice.reasons,
  skip: choice.skip,
  rejected: choice.rejected.map((r) => ({ key: r.candidate.key, name: r.candidate.name, reasons: r.reasons }))
})

/** A movie's plan as JSON: `toJson` of a `MoviePlan`. */
export const movieJson = (plan: MoviePlan) => {
  const m = plan.movie
  return {
    kind: "movie" as const,
    radarrId: m.id,
    tmdbId: m.tmdbId,
    imdbId: m.imdbId,
    title: m.title,
    year: m.year,
    ...decidedJson(plan.choice)
  }
}

/** An episode's plan as JSON: `toJson` of an `EpisodePlan`. */
export const episodeJson = (plan: EpisodePlan) => {
  const e = plan.episode
  return {
    kind: "episode" as const,
    sonarrEpisodeId: e.id,
    seriesId: e.seriesId,
    tvdbId: plan.series.tvdbId,
    tmdbId: plan.series.tmdbId,
    series: plan.series.title,
    season: e.seasonNumber,
    episode: e.episodeNumber,
    ...decidedJson(plan.choice)
  }
}

/**
 * The JSON of a plan (`--json`, one object per line; the API): camelCase, the entry without its URL (its template
 * holds no credential, but a URL is not what anyone needs here), the rejected candidates with their reasons.
 */
export const toJson = (plan: Plan) => (plan.kind === "movie" ? movieJson(plan) : episodeJson(plan))
