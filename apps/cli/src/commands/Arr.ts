/**
 * `stalkeer radarr` and `stalkeer sonarr`: their options here, their work in `handlers/Arr.ts`, loaded when one runs.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Integers from "../Integers.js"

const handlers = Effect.promise(() => import("../handlers/Arr.js"))

const common = {
  dryRun: Options.boolean("dry-run").pipe(
    Options.withDescription("Show what would be downloaded for each missing item, and why, without downloading")
  ),
  noWait: Options.boolean("no-wait").pipe(
    Options.withDescription("Only enqueue the downloads (a `stalkeer worker` fetches them)")
  ),
  force: Options.boolean("force").pipe(
    Options.withDescription("Fetch again what was completed, failed or cancelled before")
  ),
  json: Options.boolean("json").pipe(Options.withDescription("One JSON object per wanted item, one per line")),
  limit: Integers.option("limit", Integers.count, "Only the first N wanted items").pipe(Options.optional)
}

export const radarrOptions = common

export const sonarrOptions = {
  ...common,
  series: Options.text("series").pipe(
    Options.withDescription("Only this series: its Sonarr id or its title"),
    Options.optional
  )
}

export const radarr = Command.make("radarr", radarrOptions, (args) => Effect.flatMap(handlers, (h) => h.radarr(args))).pipe(
  Command.withDescription("Radarr's monitored missing movies against the catalogue (needs radarr.url and radarr.api_key): for each, the playlist entry to download and why, or why none; without --dry-run, each is downloaded into its Radarr folder (within provider.max_connections, resumable) and Radarr rescans it. Found by TMDB id, else IMDb id, else the exact title and year of a work not identified yet; then matching.languages, matching.resolutions and matching.exclude choose among the entries.")
)

export const sonarr = Command.make("sonarr", sonarrOptions, (args) => Effect.flatMap(handlers, (h) => h.sonarr(args))).pipe(
  Command.withDescription("Sonarr's monitored missing episodes against the catalogue (needs sonarr.url and sonarr.api_key): for each, the playlist entry to download and why, or why none; without --dry-run, each is downloaded into its series (and season) folder and Sonarr rescans it. Series found by TVDB id, else TMDB id, else a title that respects the year; the same season and episode (a double episode holds both); then the matching preferences.")
)
