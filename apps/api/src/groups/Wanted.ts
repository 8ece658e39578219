/**
 * What Stalkeer would download for Radarr and Sonarr, without downloading: exactly the plans of
 * `stalkeer radarr --dry-run` / `stalkeer sonarr --dry-run` (`Plans.movies` / `Plans.episodes` with the settings'
 * `matching` preferences), in their one JSON shape (`Plans.toJson`), with the summary the CLI prints.
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { Unavailable } from "../ApiError.js"
import { Authorization } from "../Authorization.js"
import { IntFromString } from "./Common.js"

/** The CLI's `--limit` range. */
export const maxLimit = 1_000_000_000

export const WantedQuery = Schema.Struct({
  /** Plan only the first `limit` wanted items, in Radarr's / Sonarr's order (default: all). */
  limit: Schema.optional(IntFromString.pipe(Schema.between(1, maxLimit)))
})

export const SkipReason = Schema.Literal("not-available", "not-in-catalogue", "language", "excluded", "unsure")

/** The chosen entry (its URL left out: a key and a stream id say which). */
export const PlanEntry = Schema.Struct({
  key: Schema.String,
  streamId: Schema.NullOr(Schema.String),
  name: Schema.String,
  group: Schema.NullOr(Schema.String),
  resolution: Schema.NullOr(Schema.String),
  language: Schema.NullOr(Schema.String),
  /** Episodes only. */
  season: Schema.optional(Schema.Int),
  episode: Schema.optional(Schema.Int),
  episodeEnd: Schema.optional(Schema.NullOr(Schema.Int))
}).annotations({ identifier: "PlanEntry" })

const decided = {
  decision: Schema.Literal("download", "skip"),
  entry: Schema.NullOr(PlanEntry),
  /** 0..1; 0 when skipped for want of candidates. */
  confidence: Schema.Number,
  /** Why, in order: how the work was found, then each preference that decided. */
  reasons: Schema.Array(Schema.String),
  skip: Schema.NullOr(SkipReason),
  rejected: Schema.Array(Schema.Struct({ key: Schema.String, name: Schema.String, reasons: Schema.Array(Schema.String) }))
}

/** A wanted movie's plan: `Plans.movieJson`. */
export const MoviePlan = Schema.Struct({
  kind: Schema.Literal("movie"),
  radarrId: Schema.Int,
  tmdbId: Schema.Int,
  imdbId: Schema.NullOr(Schema.String),
  title: Schema.String,
  year: Schema.Int,
  ...decided
}).annotations({ identifier: "MoviePlan" })

/** A wanted episode's plan: `Plans.episodeJson`. */
export const EpisodePlan = Schema.Struct({
  kind: Schema.Literal("episode"),
  sonarrEpisodeId: Schema.Int,
  seriesId: Schema.Int,
  tvdbId: Schema.Int,
  tmdbId: Schema.NullOr(Schema.Int),
  series: Schema.String,
  season: Schema.Int,
  episode: Schema.Int,
  ...decided
}).annotations({ identifier: "EpisodePlan" })

/** The counts `stalkeer radarr|sonarr --dry-run` ends with (`Plans.Summary`). */
export const Summary = Schema.Struct({
  wanted: Schema.Int,
  planned: Schema.Int,
  skipped: Schema.Struct({
    "not-available": Schema.Int,
    "not-in-catalogue": Schema.Int,
    language: Schema.Int,
    excluded: Schema.Int,
    unsure: Schema.Int
  })
}).annotations({ identifier: "PlanSummary" })

export const MoviePlans = Schema.Struct({ summary: Summary, plans: Schema.Array(MoviePlan) })
  .annotations({ identifier: "MoviePlans" })

export const EpisodePlans = Schema.Struct({ summary: Summary, plans: Schema.Array(EpisodePlan) })
  .annotations({ identifier: "EpisodePlans" })

export class Wanted extends HttpApiGroup.make("wanted")
  .add(
    HttpApiEndpoint.get("radarr", "/wanted/radarr")
      .setUrlParams(WantedQuery)
      .addSuccess(MoviePlans)
      .addError(Unavailable)
      .annotate(OpenApi.Summary, "Radarr's monitored missing movies, each with the entry to download and why, or why none")
  )
  .add(
    HttpApiEndpoint.get("sonarr", "/wanted/sonarr")
      .setUrlParams(WantedQuery)
      .addSuccess(EpisodePlans)
      .addError(Unavailable)
      .annotate(OpenApi.Summary, "Sonarr's monitored missing episodes, each with the entry to download and why, or why none")
  )
  .middleware(Authorization)
  .prefix("/api/v1")
{}
