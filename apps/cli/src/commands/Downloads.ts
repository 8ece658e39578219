/**
 * `stalkeer worker` and `stalkeer downloads …`: their options here, their work in `handlers/Downloads.ts`.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Integers from "../Integers.js"

const handlers = Effect.promise(() => import("../handlers/Downloads.js"))

export const workerOptions = {
  untilIdle: Options.boolean("until-idle").pipe(
    Options.withDescription("Exit (0) when nothing is left to claim, instead of waiting for more")
  )
}

export const worker = Command.make("worker", workerOptions, (args) => Effect.flatMap(handlers, (h) => h.worker(args))).pipe(
  Command.withDescription("Fetch queued downloads within provider.max_connections (several workers may share one PostgreSQL, on several machines), publish each file, and ask Radarr/Sonarr to rescan")
)

export const listOptions = {
  state: Options.choice("state", ["queued", "running", "retry-wait", "completed", "failed", "cancelled"]).pipe(
    Options.withDescription("Only downloads in this state"),
    Options.optional
  ),
  limit: Integers.option("limit", Integers.count, "At most this many").pipe(Options.withDefault(50)),
  json: Options.boolean("json").pipe(Options.withDescription("One JSON object per line"))
}

const id = Args.integer({ name: "id" }).pipe(Args.withDescription("The download's id (`downloads list`)"))

const list = Command.make("list", listOptions, (args) => Effect.flatMap(handlers, (h) => h.list(args))).pipe(
  Command.withDescription("The downloads, newest first")
)
const show = Command.make("show", { id, json: listOptions.json }, (args) => Effect.flatMap(handlers, (h) => h.show(args))).pipe(
  Command.withDescription("One download")
)
const retry = Command.make("retry", { id }, (args) => Effect.flatMap(handlers, (h) => h.retry(args))).pipe(
  Command.withDescription("Queue a failed or cancelled download again")
)
const cancel = Command.make("cancel", { id }, (args) => Effect.flatMap(handlers, (h) => h.cancel(args))).pipe(
  Command.withDescription("Cancel a download (a running one stops at its next checkpoint; its partial file is kept)")
)

export const downloads = Command.make("downloads", listOptions, (args) => Effect.flatMap(handlers, (h) => h.list(args))).pipe(
  Command.withDescription("The download queue: list (the default), show, retry, cancel"),
  Command.withSubcommands([list, show, retry, cancel])
)
