/**
 * `stalkeer process`: its options here, its work in `handlers/Process.ts`, loaded when it runs.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"

const file = Args.text({ name: "file" }).pipe(
  Args.withDescription("Playlist file, or - for standard input (default: download the configured playlist)"),
  Args.optional
)
const url = Options.redacted("url").pipe(
  Options.withDescription("Download and ingest this playlist URL instead of the configured one"),
  Options.optional
)
const force = Options.boolean("force").pipe(
  Options.withDescription(
    "Accept a run that keeps far fewer entries than the catalogue has (ingest.max_drop), or none at all"
  )
)

const enrich = Options.boolean("enrich").pipe(
  Options.withDescription("Then identify the catalogue's movies and series through TMDB (as `stalkeer enrich`)")
)

export const options = { file, url, force, enrich }

export const command = Command.make(
  "process",
  options,
  (args) => Effect.flatMap(Effect.promise(() => import("../handlers/Process.js")), (h) => h.run(args))
).pipe(Command.withDescription("Ingest a playlist into the catalogue (incremental; refuses a run that keeps far fewer entries than the catalogue has). Counts: entries = playlist items with a stream URL; warnings = lines the parser repaired or skipped; filtered = removed by filters; duplicates = repeated identities; new/changed/revived/unchanged/vanished/removed = what the run did to the catalogue."))
