/**
 * `stalkeer migrate`; its work in `handlers/Migrate.ts`, loaded when it runs.
 */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"

export const command = Command.make(
  "migrate",
  {},
  () => Effect.flatMap(Effect.promise(() => import("../handlers/Migrate.js")), (h) => h.run())
).pipe(Command.withDescription("Apply database migrations (every command also does this at start-up)"))
