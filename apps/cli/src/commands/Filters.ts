/**
 * `stalkeer filters list|add|remove`: their options here, their work in `handlers/Filters.ts`, loaded when one runs.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Integers from "../Integers.js"

const handlers = Effect.promise(() => import("../handlers/Filters.js"))

const list = Command.make("list", {}, () => Effect.flatMap(handlers, (h) => h.list())).pipe(
  Command.withDescription("List runtime filters (by id) and the config file's (id \"config\")")
)

export const addOptions = {
  pattern: Args.text({ name: "pattern" }).pipe(
    Args.withDescription("A regular expression (JavaScript syntax, case-insensitive)")
  ),
  field: Options.choice("field", ["group", "name"]).pipe(
    Options.withDescription("Match the group title or the display name"),
    Options.withDefault("group" as const)
  ),
  exclude: Options.boolean("exclude").pipe(Options.withDescription("Drop matching entries (default: keep only matching entries)"))
}

const add = Command.make("add", addOptions, (args) => Effect.flatMap(handlers, (h) => h.add(args))).pipe(
  Command.withDescription("Add a runtime filter")
)

export const removeOptions = { id: Integers.argument("id", Integers.id, "The filter's id (see filters list)") }

const remove = Command.make("remove", removeOptions, (args) => Effect.flatMap(handlers, (h) => h.remove(args))).pipe(
  Command.withDescription("Remove a runtime filter by id")
)

export const command = Command.make("filters").pipe(
  Command.withDescription("Include/exclude filters applied at ingest"),
  Command.withSubcommands([list, add, remove])
)
