/**
 * `stalkeer serve`; its work in `handlers/Serve.ts`, loaded when it runs.
 */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"

export const command = Command.make(
  "serve",
  {},
  () => Effect.flatMap(Effect.promise(() => import("../handlers/Serve.js")), (h) => h.run())
).pipe(Command.withDescription(
  "Run as a service: the HTTP API (api.address:api.port, docs at /api/docs), the schedule (playlist, enrich, radarr, sonarr) and the download worker, until SIGTERM or Ctrl-C"
))
