/**
 * From plans to the download queue (`stalkeer radarr|sonarr` without `--dry-run`): each planned download is placed
 * (`Placement`) and enqueued once — re-planning the same wanted item never makes a second download
 * (`Downloads.enqueue` is idempotent on `radarr:movie:<id>` / `sonarr:episode:<id>`), and a completed one is fetched
 * again only with `force`. `movie` and `episode` are that path for one wanted item and one entry, whoever chose it
 * (a plan, or a person through the API).
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { ArrError, ArrResponse } from "@stalkeer/arr-client"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import type { Settings } from "@stalkeer/config"
import type { Candidates, StoreError } from "@stalkeer/store"
import { Downloads } from "@stalkeer/store"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as Placement from "./Placement.js"
import * as Plans from "./Plans.js"
import * as WantedKey from "./WantedKey.js"

export type Outcome =
  | { readonly _tag: "Queued"; readonly download: Downloads.Download }
  | { readonly _tag: "AlreadyQueued"; readonly download: Downloads.Download }
  | { readonly _tag: "Unplaceable"; readonly reason: string }
  | { readonly _tag: "Skipped" }

export interface Enqueued {
  readonly plan: Plans.Plan
  readonly outcome: Outcome
}

export interface Options extends Plans.Options {
  readonly settings: Settings.Settings
  /** Fetch again what was completed, failed or cancelled before. */
  readonly force?: boolean | undefined
}

/**
 * A catalogue entry to queue: a plan's choice, or an entry picked by hand (the API's `POST /downloads`) — the fields
 * placing and queueing read.
 */
export type Entry = Pick<Candidates.Candidate, "providerId" | "key" | "extension" | "season" | "episode" | "episodeEnd">

/** Queues the entry of a placed wanted item once (again, when forced and ended). */
const enqueue = (
  title: string,
  entry: Entry,
  placed: Placement.Placement,
  job: Pick<Downloads.Enqueue, "arr" | "arrItemId" | "wantedKey">,
  force: boolean
) =>
  Effect.map(
    Downloads.enqueue({
      ...job,
      providerId: entry.providerId,
      entryKey: entry.key,
      title,
      extension: placed.extension,
      targetPath: placed.target,
      importPath: placed.remote
    }, { force }),
    ({ created, download, requeued }): Outcome =>
      created || requeued ? { _tag: "Queued", download } : { _tag: "AlreadyQueued", download }
  )

export interface MovieOptions {
  readonly movie: ArrResponse.Movie
  readonly entry: Entry
  readonly settings: Settings.Settings
  /** Fetch again what was completed, failed or cancelled before. */
  readonly force?: boolean | undefined
}

/**
 * `entry` for Radarr's `movie`: placed in the movie's folder and queued once for it (`radarr:movie:<id>`), under the
 * plan's label (`Title (Year)`); `Unplaceable` when it has no place.
 */
export const movie = (
  options: MovieOptions
): Effect.Effect<Outcome, StoreError.StoreError, SqlClient.SqlClient> => {
  const m = options.movie
  const placed = Placement.movie(m, options.entry.extension, options.settings.radarr.pathMappings)
  if (Either.isLeft(placed)) return Effect.succeed({ _tag: "Unplaceable", reason: Placement.describe(placed.left) })
  return enqueue(Plans.movieLabel(m), options.entry, placed.right, {
    arr: "radarr",
    arrItemId: m.id,
    wantedKey: WantedKey.format({ _tag: "Movie", movieId: m.id })
  }, options.force === true)
}

export interface EpisodeOptions {
  readonly series: ArrResponse.Series
  /** The wanted episode (for a file of several, the one it was chosen for). */
  readonly episode: Pick<ArrResponse.Episode, "id" | "seasonNumber" | "episodeNumber">
  readonly entry: Entry
  readonly naming: Pick<ArrResponse.SonarrNaming, "seasonFolderFormat" | "specialsFolderFormat">
  readonly settings: Settings.Settings
  /** Fetch again what was completed, failed or cancelled before. */
  readonly force?: boolean | undefined
}

/**
 * `entry` for Sonarr's `episode`: placed in the series' (season) folder and queued once — for the episode, or, when
 * the entry is a double episode, for the file (one download for both wanted episodes). `arrItemId` is the series
 * (what Sonarr rescans); the title is the plan's label (`Series S01E02`).
 */
export const episode = (
  options: EpisodeOptions
): Effect.Effect<Outcome, StoreError.StoreError, SqlClient.SqlClient> => {
  const { entry, series } = options
  const e = options.episode
  const placed = Placement.episode(series, e, entry.episodeEnd, entry.extension, options.naming, options.settings.sonarr.pathMappings)
  if (Either.isLeft(placed)) return Effect.succeed({ _tag: "Unplaceable", reason: Placement.describe(placed.left) })
  return enqueue(Plans.episodeLabel(series, e), entry, placed.right, {
    arr: "sonarr",
    arrItemId: series.id,
    wantedKey: WantedKey.format(
      entry.episodeEnd !== null && entry.episode !== null && entry.episodeEnd > entry.episode
        ? { _tag: "Episodes", seriesId: series.id, season: entry.season ?? e.seasonNumber, first: entry.episode, last: entry.episodeEnd }
        : { _tag: "Episode", episodeId: e.id }
    )
  }, options.force === true)
}

/** Radarr's missing movies, planned and enqueued. */
export const radarr = (
  options: Options
): Stream.Stream<Enqueued, ArrError.ArrError | StoreError.StoreError, Radarr.Radarr | SqlClient.SqlClient> =>
  Plans.movies(options).pipe(Stream.mapEffect((plan) => {
    const entry = plan.choice.entry
    if (entry === null) return Effect.succeed({ plan, outcome: { _tag: "Skipped" } } satisfies Enqueued)
    return Effect.map(
      movie({ movie: plan.movie, entry, settings: options.settings, force: options.force }),
      (outcome): Enqueued => ({ plan, outcome })
    )
  }))

/** Sonarr's missing episodes, planned and enqueued. */
export const sonarr = (
  options: Options & Plans.SonarrOptions
): Stream.Stream<Enqueued, ArrError.ArrError | StoreError.StoreError, Sonarr.Sonarr | SqlClient.SqlClient> =>
  Stream.unwrap(Effect.map(Effect.flatMap(Sonarr.Sonarr, (s) => s.naming), (naming: ArrResponse.SonarrNaming) =>
    Plans.episodes(options).pipe(Stream.mapEffect((plan) => {
      const entry = plan.choice.entry
      if (entry === null) return Effect.succeed({ plan, outcome: { _tag: "Skipped" } } satisfies Enqueued)
      return Effect.map(
        episode({ series: plan.series, episode: plan.episode, entry, naming, settings: options.settings, force: options.force }),
        (outcome): Enqueued => ({ plan, outcome })
      )
    }))
  ))
