/**
 * `stalkeer playlist download|archives|prune`: their options here, their work in `handlers/Playlist.ts`, loaded when
 * one runs (the HTTP client and the workflows are not loaded to build the command tree).
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Integers from "../Integers.js"

const handlers = Effect.promise(() => import("../handlers/Playlist.js"))

const download = Command.make("download", {}, () => Effect.flatMap(handlers, (h) => h.download())).pipe(
  Command.withDescription("Download the provider's playlist (atomically replaces the previous copy). Entries and warnings are counted as dryrun and process count them.")
)

const archives = Command.make("archives", {}, () => Effect.flatMap(handlers, (h) => h.archives())).pipe(
  Command.withDescription("List archived playlist copies, newest first")
)

export const pruneOptions = {
  keep: Integers.option(
    "keep",
    { min: 0, max: Integers.count.max },
    "How many archives to keep (default: playlist.keep from the config)"
  ).pipe(Options.optional)
}

const prune = Command.make("prune", pruneOptions, (args) => Effect.flatMap(handlers, (h) => h.prune(args))).pipe(
  Command.withDescription("Delete all but the newest archives")
)

export const command = Command.make("playlist").pipe(
  Command.withDescription("Download and archive the provider's playlist"),
  Command.withSubcommands([download, archives, prune])
)
