/**
 * From plans to the download queue (`stalkeer radarr|sonarr` without `--dry-run`): each planned download is placed
 * (`Placement`) and enqueued once — re-planning the same wanted item never makes a second download
 * (`Downloads.enqueue` is idempotent on `radarr:movie:<id>` / `sonarr:episode:<id>`), and a completed one is fetched
 * again only with `force`.
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

/** Queues the chosen entry of a placed plan once (again, when forced and ended). */
const enqueue = (
  plan: Plans.Plan,
  entry: Candidates.Candidate,
  placed: Placement.Placement,
  job: Pick<Downloads.Enqueue, "arr" | "arrItemId" | "wantedKey">,
  force: boolean
) =>
  Effect.map(
    Downloads.enqueue({
      ...job,
      providerId: entry.providerId,
      entryKey: entry.key,
      title: Plans.label(plan),
      extension: placed.extension,
      targetPath: placed.target,
      importPath: placed.remote
    }, { force }),
    ({ created, download, requeued }): Outcome =>
      created || requeued ? { _tag: "Queued", download } : { _tag: "AlreadyQueued", download }
  )

/** Radarr's missing movies, planned and enqueued. */
export const radarr = (
  options: Options
): Stream.Stream<Enqueued, ArrError.ArrError | StoreError.StoreError, Radarr.Radarr | SqlClient.SqlClient> =>
  Plans.movies(options).pipe(Stream.mapEffect((plan) =>
    Effect.gen(function*() {
      const entry = plan.choice.entry
      if (entry === null) return { plan, outcome: { _tag: "Skipped" } } satisfies Enqueued
      const placed = Placement.movie(plan.movie, entry.extension, options.settings.radarr.pathMappings)
      if (Either.isLeft(placed)) return { plan, outcome: { _tag: "Unplaceable", reason: Placement.describe(placed.left) } } satisfies Enqueued
      const outcome = yield* enqueue(plan, entry, placed.right, {
        arr: "radarr",
        arrItemId: plan.movie.id,
        wantedKey: WantedKey.format({ _tag: "Movie", movieId: plan.movie.id })
      }, options.force === true)
      return { plan, outcome } satisfies Enqueued
    })
  ))

/** Sonarr's missing episodes, planned and enqueued. `arrItemId` is the series (what Sonarr rescans). */
export const sonarr = (
  options: Options & Plans.SonarrOptions
): Stream.Stream<Enqueued, ArrError.ArrError | StoreError.StoreError, Sonarr.Sonarr | SqlClient.SqlClient> =>
  Stream.unwrap(Effect.map(Effect.flatMap(Sonarr.Sonarr, (s) => s.naming), (naming: ArrResponse.SonarrNaming) =>
    Plans.episodes(options).pipe(Stream.mapEffect((plan) =>
      Effect.gen(function*() {
        const entry = plan.choice.entry
        if (entry === null) return { plan, outcome: { _tag: "Skipped" } } satisfies Enqueued
        const placed = Placement.episode(
          plan.series,
          plan.episode,
          entry.episodeEnd,
          entry.extension,
          naming,
          options.settings.sonarr.pathMappings
        )
        if (Either.isLeft(placed)) {
          return { plan, outcome: { _tag: "Unplaceable", reason: Placement.describe(placed.left) } } satisfies Enqueued
        }
        const outcome = yield* enqueue(plan, entry, placed.right, {
          arr: "sonarr",
          arrItemId: plan.series.id,
          // A double episode is one file for two wanted episodes: one download, keyed by the file.
          wantedKey: WantedKey.format(
            entry.episodeEnd !== null && entry.episode !== null && entry.episodeEnd > entry.episode
              ? {
                _tag: "Episodes",
                seriesId: plan.series.id,
                season: entry.season ?? plan.episode.seasonNumber,
                first: entry.episode,
                last: entry.episodeEnd
              }
              : { _tag: "Episode", episodeId: plan.episode.id }
          )
        }, options.force === true)
        return { plan, outcome } satisfies Enqueued
      })
    ))
  ))
