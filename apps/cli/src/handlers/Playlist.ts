/**
 * What `stalkeer playlist download|archives|prune` do; loaded only when needed (see `commands/Playlist.ts`).
 */
import type * as Command from "@effect/cli/Command"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { PlaylistArchive, Process } from "@stalkeer/workflows"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as AppEnv from "../AppEnv.js"
import type * as Definitions from "../commands/Playlist.js"
import * as Render from "../Render.js"

export const download = () =>
  Effect.gen(function*() {
    const result = yield* Process.download(yield* AppEnv.config).pipe(Effect.provide(NodeHttpClient.layerUndici))
    yield* Console.log(
      `Saved ${result.path}: ${Render.number(result.entries)} entries, ${Render.number(result.warnings)} warnings, ` +
        `${(result.bytes / 1048576).toFixed(1)} MB in ${Render.duration(result.durationMs)}` +
        (result.archivedTo ? `\nArchived to ${result.archivedTo}` : "")
    )
  })

export const archives = () =>
  Effect.gen(function*() {
    const app = yield* AppEnv.config
    const list = yield* PlaylistArchive.list(app.paths.archives)
    if (list.length === 0) return yield* Console.log(`No archives in ${app.paths.archives}`)
    yield* Console.log(Render.table(
      ["created", "size", "path"],
      list.map((a) => [a.createdAt.toISOString(), `${(a.bytes / 1048576).toFixed(1)} MB`, a.path])
    ))
  })

export const prune = (args: Command.Command.ParseConfig<typeof Definitions.pruneOptions>) =>
  Effect.gen(function*() {
    const app = yield* AppEnv.config
    const removed = yield* PlaylistArchive.prune(app.paths.archives, Option.getOrElse(args.keep, () => app.playlist.keep))
    yield* Console.log(removed.length === 0 ? "Nothing to prune" : `Removed ${removed.length} archive(s):\n${removed.map((a) => `  ${a.path}`).join("\n")}`)
  })
