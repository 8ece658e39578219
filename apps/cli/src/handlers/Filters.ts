/**
 * What `stalkeer filters list|add|remove` do; loaded only when one of them runs (see `commands/Filters.ts`).
 */
import type * as Command from "@effect/cli/Command"
import { Filters } from "@stalkeer/store"
import { EntryFilter } from "@stalkeer/workflows"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Definitions from "../commands/Filters.js"
import * as Db from "../Db.js"
import * as Render from "../Render.js"

export const list = () =>
  Db.use((app) =>
    Effect.gen(function*() {
      const rules = yield* EntryFilter.active(app.filters)
      const rows = rules.map((r) => [r.id === null ? "config" : String(r.id), r.mode, r.field, r.pattern])
      if (rows.length === 0) return yield* Console.log("No filters: every entry is kept.")
      yield* Console.log(Render.table(["id", "mode", "field", "pattern"], rows))
    })
  )

export const add = (args: Command.Command.ParseConfig<typeof Definitions.addOptions>) =>
  Db.use(() =>
    Effect.gen(function*() {
      const filter = yield* Filters.add({ field: args.field, mode: args.exclude ? "exclude" : "include", pattern: args.pattern })
      yield* Console.log(`Filter #${filter.id}: ${filter.mode} entries whose ${filter.field} matches /${filter.pattern}/i (applies from the next process run)`)
    })
  )

export const remove = (args: Command.Command.ParseConfig<typeof Definitions.removeOptions>) =>
  Db.use(() =>
    Effect.gen(function*() {
      yield* Filters.remove(args.id)
      yield* Console.log(`Removed filter #${args.id}`)
    })
  )
