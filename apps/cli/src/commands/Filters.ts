import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Filters } from "@stalkeer/store"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Db from "../Db.js"
import * as Integers from "../Integers.js"
import * as Render from "../Render.js"

const list = Command.make("list", {}, () =>
  Db.use((app) =>
    Effect.gen(function*() {
      const stored = yield* Filters.list
      const fromFile = [
        ...app.filters.includeGroups.map((p) => ["config", "include", "group", p]),
        ...app.filters.excludeGroups.map((p) => ["config", "exclude", "group", p]),
        ...app.filters.includeNames.map((p) => ["config", "include", "name", p]),
        ...app.filters.excludeNames.map((p) => ["config", "exclude", "name", p])
      ]
      const rows = [...stored.map((f) => [String(f.id), f.mode, f.field, f.pattern]), ...fromFile]
      if (rows.length === 0) return yield* Console.log("No filters: every entry is kept.")
      yield* Console.log(Render.table(["id", "mode", "field", "pattern"], rows))
    })
  )
).pipe(Command.withDescription("List runtime filters (by id) and the config file's (id \"config\")"))

const pattern = Args.text({ name: "pattern" }).pipe(
  Args.withDescription("A regular expression (JavaScript syntax, case-insensitive)")
)
const field = Options.choice("field", ["group", "name"]).pipe(
  Options.withDescription("Match the group title or the display name"),
  Options.withDefault("group" as const)
)
const exclude = Options.boolean("exclude").pipe(Options.withDescription("Drop matching entries (default: keep only matching entries)"))

const add = Command.make("add", { pattern, field, exclude }, (args) =>
  Db.use(() =>
    Effect.gen(function*() {
      const filter = yield* Filters.add({ field: args.field, mode: args.exclude ? "exclude" : "include", pattern: args.pattern })
      yield* Console.log(`Filter #${filter.id}: ${filter.mode} entries whose ${filter.field} matches /${filter.pattern}/i (applies from the next process run)`)
    })
  )
).pipe(Command.withDescription("Add a runtime filter"))

const remove = Command.make("remove", { id: Integers.argument("id", Integers.id, "The filter's id (see filters list)") }, (args) =>
  Db.use(() =>
    Effect.gen(function*() {
      yield* Filters.remove(args.id)
      yield* Console.log(`Removed filter #${args.id}`)
    })
  )
).pipe(Command.withDescription("Remove a runtime filter by id"))

export const command = Command.make("filters").pipe(
  Command.withDescription("Include/exclude filters applied at ingest"),
  Command.withSubcommands([list, add, remove])
)
