/**
 * What `stalkeer process` does; loaded only when it runs (see `commands/Process.ts`).
 */
import type * as Command from "@effect/cli/Command"
import { AppConfig, Ingest } from "@stalkeer/workflows"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as AppEnv from "../AppEnv.js"
import type * as Definitions from "../commands/Process.js"
import * as Db from "../Db.js"
import * as Input from "../Input.js"
import * as Progress from "../Progress.js"
import * as Render from "../Render.js"
import { downloadConfigured } from "./Playlist.js"

export class NothingToProcess extends Data.TaggedError("NothingToProcess") {
  override get message() {
    return "nothing to process: give a playlist file (or - for stdin), --url, or configure provider.playlist_url"
  }
}

/** What an interruption leaves behind, said on the way out: the download and the ingest both keep the old state. */
const interrupted = (phase: "download" | "ingest" | "done") =>
  phase === "done" ? Effect.void : Console.error(
    phase === "download"
      ? "stalkeer: interrupted, the previous playlist file and the catalogue are unchanged"
      : "stalkeer: interrupted, catalogue unchanged"
  )

export const run = (args: Command.Command.ParseConfig<typeof Definitions.options>) =>
  Effect.gen(function*() {
    let phase: "download" | "ingest" | "done" = "download"
    return yield* Effect.gen(function*() {
      const app = yield* AppEnv.config
      // A URL given on the command line replaces the configured one; a file skips the download.
      const configured = Option.match(args.url, {
        onNone: () => app,
        onSome: (u) => ({ ...app, provider: { ...app.provider, playlistUrl: Option.some(u) } })
      })
      const playlistUrl = AppConfig.playlistUrl(configured.provider)
      // The download comes first and holds no database: a slow provider never keeps other commands waiting.
      const path = yield* Option.match(args.file, {
        onSome: Effect.succeed,
        onNone: () =>
          Option.isNone(playlistUrl)
            ? Effect.fail(new NothingToProcess())
            : Effect.map(downloadConfigured(configured), (result) => result.path)
      })
      phase = "ingest"
      // Any URL of the panel: Ingest keeps only its credential-free `scheme://host[:port]`.
      const baseUrl = Option.match(playlistUrl, {
        onNone: () => Option.getOrNull(app.provider.baseUrl),
        onSome: (u) => Redacted.value(u)
      })
      const summary = yield* Effect.gen(function*() {
        const input = yield* Input.open(path)
        const progress = yield* Progress.make({ label: input.label, totalBytes: input.size })
        const summary = yield* Ingest.run({
          source: Input.counted(input.stream, progress.addBytes),
          sourceLabel: input.label,
          credentials: AppConfig.credentials(configured.provider),
          provider: { name: app.provider.name, baseUrl },
          filters: app.filters,
          force: args.force,
          graceDays: app.ingest.graceDays,
          maxDrop: app.ingest.maxDrop,
          onProgress: (p) => Effect.sync(() => progress.setEntries(p.entries))
        })
        return { label: input.label, summary }
      }).pipe(Effect.scoped, Effect.provide(Db.layer(app)))
      phase = "done"
      yield* Console.log(Render.ingestSummary(summary.label, summary.summary))
    }).pipe(Effect.onInterrupt(() => interrupted(phase)))
  })
