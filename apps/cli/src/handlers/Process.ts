/**
 * What `stalkeer process` does; loaded only when it runs (see `commands/Process.ts`). The work is the `Process`
 * workflow's; this handler opens the file argument, draws progress and prints the summary.
 */
import type * as Command from "@effect/cli/Command"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Process } from "@stalkeer/workflows"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as AppEnv from "../AppEnv.js"
import type * as Definitions from "../commands/Process.js"
import * as Db from "../Db.js"
import * as Enrich from "./Enrich.js"
import * as Input from "../Input.js"
import * as Progress from "../Progress.js"
import * as Render from "../Render.js"

/** What an interruption leaves behind, said on the way out: the download and the ingest both keep the old state. */
const interrupted = (phase: "download" | "ingest" | "enrich" | undefined) =>
  phase === undefined ? Effect.void : Console.error(
    phase === "download"
      ? "stalkeer: interrupted, the previous playlist file and the catalogue are unchanged"
      : phase === "ingest"
      ? "stalkeer: interrupted, catalogue unchanged"
      : "stalkeer: interrupted; the playlist was ingested, and `stalkeer enrich` continues the identification"
  )

export const run = (args: Command.Command.ParseConfig<typeof Definitions.options>) =>
  Effect.gen(function*() {
    let phase: "download" | "ingest" | "enrich" | undefined
    const settings = yield* AppEnv.config
    const source = Option.isSome(args.file) ? yield* Input.open(args.file.value) : undefined
    const summary = yield* Process.run({
      settings,
      source,
      url: Option.getOrUndefined(args.url),
      force: args.force,
      database: Db.layer(settings),
      enrich: args.enrich ? { options: Enrich.enrichOptions(settings), tmdb: Enrich.tmdbLayer(settings) } : undefined,
      observer: {
        phase: (p) => Effect.sync(() => phase = p),
        reading: ({ label, size }) =>
          Effect.map(Progress.make({ label, totalBytes: size }), (progress) => ({
            bytes: progress.addBytes,
            progress: (p) => progress.setEntries(p.entries)
          }))
      }
    }).pipe(
      Effect.onInterrupt(() => interrupted(phase)),
      Effect.provide(NodeHttpClient.layerUndici)
    )
    phase = undefined
    yield* Console.log(Render.ingestSummary(summary.source, summary))
    if (summary.enriched !== null) {
      yield* Console.log(`\n${Enrich.summaryLine(summary.enriched)}`)
      yield* Enrich.complete(summary.enriched)
    }
  })
