/**
 * `stalkeer enrich` and `stalkeer match set|clear|list`: their options here, their work in `handlers/Enrich.ts`,
 * loaded when one runs.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Integers from "../Integers.js"

const handlers = Effect.promise(() => import("../handlers/Enrich.js"))

const kind = Options.choice("kind", ["movie", "series"]).pipe(Options.optional)

export const enrichOptions = {
  kind: kind.pipe(Options.withDescription("Only movies, or only series")),
  limit: Integers.option("limit", Integers.count, "At most this many works this run").pipe(Options.optional),
  retryUnidentified: Options.boolean("retry-unidentified").pipe(
    Options.withDescription("Also try again the works refused before (ambiguous, low confidence, not found)")
  ),
  json: Options.boolean("json").pipe(Options.withDescription("The summary as one JSON object"))
}

export const enrich = Command.make("enrich", enrichOptions, (args) => Effect.flatMap(handlers, (h) => h.enrich(args))).pipe(
  Command.withDescription("Identify the catalogue's movies and series through TMDB (needs tmdb.api_key or tmdb.access_token). One lookup per work, resumable, cached; a work that cannot be identified with confidence is left unidentified with the reason. Counts: identified, ambiguous (several candidates too close to choose), low confidence, not found, errors (left for the next run), requests sent to TMDB, answers from the cache.")
)

const target = Args.text({ name: "entry-key|media-id" }).pipe(
  Args.withDescription("An entry's key (`items --json`: key) or a media id (a number)")
)

export const setOptions = {
  tmdb: Integers.option("tmdb", Integers.id, "The TMDB id of the work it really is"),
  kind: kind.pipe(Options.withDescription("Check that the work is this kind (a TMDB id names a movie or a series)"))
}

const set = Command.make("set", { target, ...setOptions }, (args) => Effect.flatMap(handlers, (h) => h.set(args))).pipe(
  Command.withDescription("Match a work by hand: it wins over search, and survives re-ingest and re-enrich")
)

const clear = Command.make("clear", { target }, (args) => Effect.flatMap(handlers, (h) => h.clear(args))).pipe(
  Command.withDescription("Remove a manual match (the work is identified by search again at the next enrich)")
)

const list = Command.make("list", {}, () => Effect.flatMap(handlers, (h) => h.list())).pipe(
  Command.withDescription("The manual matches")
)

export const match = Command.make("match").pipe(
  Command.withDescription("Manual matches for what identification gets wrong or cannot decide"),
  Command.withSubcommands([set, clear, list])
)
