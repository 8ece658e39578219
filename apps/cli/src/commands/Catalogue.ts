/**
 * `stalkeer items`, `stats` and `runs`: their options here, their work in `handlers/Catalogue.ts`, loaded when one of
 * them runs, so that building the command tree stays cheap (no database driver loaded for `--help` or `version`).
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Integers from "../Integers.js"

const handlers = Effect.promise(() => import("../handlers/Catalogue.js"))

const text = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional)

export const itemOptions = {
  kind: Options.choice("kind", ["movie", "series", "live", "unknown"]).pipe(
    Options.withDescription("Only this kind"),
    Options.optional
  ),
  search: text("search", "Title or name contains this text (case-insensitive)"),
  year: Integers.option("year", Integers.year, "Only this year").pipe(Options.optional),
  group: text("group", "Group title contains this text (case-insensitive)"),
  language: text("language", "Audio language, ISO 639-1 (fr, en, …)"),
  resolution: Options.choice("resolution", ["2160p", "1080p", "720p", "480p"]).pipe(Options.optional),
  unidentified: Options.boolean("unidentified").pipe(
    Options.withDescription("Only movies and series not identified yet (see `stalkeer enrich`)")
  ),
  tmdb: Integers.option("tmdb", Integers.id, "Only entries of the work with this TMDB id").pipe(Options.optional),
  limit: Integers.option("limit", Integers.count, "At most this many rows").pipe(Options.withDefault(50)),
  json: Options.boolean("json").pipe(Options.withDescription("One JSON object per line"))
}

export const runsOptions = {
  limit: Integers.option("limit", Integers.count, "How many recent runs").pipe(Options.withDefault(20))
}

const items = Command.make("items", itemOptions, (args) => Effect.flatMap(handlers, (h) => h.items(args))).pipe(
  Command.withDescription("List catalogue entries")
)

const stats = Command.make("stats", {}, () => Effect.flatMap(handlers, (h) => h.stats())).pipe(
  Command.withDescription("Catalogue counts by kind, resolution, language and group, and the last run. Entries are live playlist entries; movies and series are works with at least one live entry; episodes are distinct episodes of those series.")
)

const runs = Command.make("runs", runsOptions, (args) => Effect.flatMap(handlers, (h) => h.runs(args))).pipe(
  Command.withDescription("The ingest log, newest first")
)

export const commands = [items, stats, runs] as const
