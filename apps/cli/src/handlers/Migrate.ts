/**
 * What `stalkeer migrate` does; loaded only when it runs (see `commands/Migrate.ts`).
 */
import { Migrations } from "@stalkeer/store"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as AppEnv from "../AppEnv.js"
import * as Db from "../Db.js"

export const run = () =>
  Effect.gen(function*() {
    const app = yield* AppEnv.config
    const result = yield* Migrations.run.pipe(Effect.provide(Db.connection(app)))
    yield* Console.log(
      result.applied.length === 0
        ? `Schema is up to date (version ${result.version})`
        : `Applied ${result.applied.map((m) => `${m.id}_${m.name}`).join(", ")}; schema at version ${result.version}`
    )
  })
