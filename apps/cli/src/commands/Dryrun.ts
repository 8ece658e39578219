/**
 * `stalkeer dryrun`: its options here, its work in `handlers/Dryrun.ts`, loaded when it runs.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Integers from "../Integers.js"

export const options = {
  file: Args.text({ name: "file" }).pipe(Args.withDescription("Playlist file, or - for standard input")),
  limit: Integers.option("limit", Integers.count, "Stop after this many entries").pipe(Options.optional),
  json: Options.boolean("json").pipe(Options.withDescription("One JSON object per entry per line (URLs redacted)"))
}

export const command = Command.make(
  "dryrun",
  options,
  (args) => Effect.flatMap(Effect.promise(() => import("../handlers/Dryrun.js")), (h) => h.run(args))
).pipe(Command.withDescription("Parse and classify a playlist without any database. Counts: entries = playlist items with a stream URL; warnings = lines the parser repaired or skipped (the same numbers process and playlist download report)."))
