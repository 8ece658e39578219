/**
 * What `stalkeer playlist download|archives|prune` do, and the download `process` shares; loaded only when needed
 * (see `commands/Playlist.ts`).
 */
import type * as Command from "@effect/cli/Command"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { AppConfig, Playlist } from "@stalkeer/workflows"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as AppEnv from "../AppEnv.js"
import type * as Definitions from "../commands/Playlist.js"
import * as Render from "../Render.js"

export class NoPlaylistUrl extends Data.TaggedError("NoPlaylistUrl") {
  override get message() {
    return "no playlist URL configured: set provider.playlist_url (or base_url, username and password) in the config file, or STALKEER_PROVIDER_PLAYLIST_URL"
  }
}

/** Downloads the configured playlist; shared by `playlist download` and `process --url`. */
export const downloadConfigured = (app: AppEnv.Settings) =>
  Effect.gen(function*() {
    const url = yield* Option.match(AppConfig.playlistUrl(app.provider), {
      onNone: () => Effect.fail(new NoPlaylistUrl()),
      onSome: Effect.succeed
    })
    return yield* Playlist.download({
      url,
      destination: AppEnv.playlistPath(app),
      maxBytes: app.playlist.maxMegabytes * 1024 * 1024,
      timeout: Duration.seconds(app.playlist.timeoutSeconds),
      retry: { times: app.playlist.retries },
      archive: app.playlist.archive ? { dir: AppEnv.archiveDir(app) } : undefined,
      userAgent: Option.getOrUndefined(app.provider.userAgent)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  })

export const download = () =>
  Effect.gen(function*() {
    const app = yield* AppEnv.config
    const result = yield* downloadConfigured(app)
    yield* Console.log(
      `Saved ${result.path}: ${Render.number(result.entries)} entries, ${Render.number(result.warnings)} warnings, ` +
        `${(result.bytes / 1048576).toFixed(1)} MB in ${Render.duration(result.durationMs)}` +
        (result.archivedTo ? `\nArchived to ${result.archivedTo}` : "")
    )
  })

export const archives = () =>
  Effect.gen(function*() {
    const app = yield* AppEnv.config
    const list = yield* Playlist.archives(AppEnv.archiveDir(app))
    if (list.length === 0) return yield* Console.log(`No archives in ${AppEnv.archiveDir(app)}`)
    yield* Console.log(Render.table(
      ["created", "size", "path"],
      list.map((a) => [a.createdAt.toISOString(), `${(a.bytes / 1048576).toFixed(1)} MB`, a.path])
    ))
  })

export const prune = (args: Command.Command.ParseConfig<typeof Definitions.pruneOptions>) =>
  Effect.gen(function*() {
    const app = yield* AppEnv.config
    const removed = yield* Playlist.prune(AppEnv.archiveDir(app), Option.getOrElse(args.keep, () => app.playlist.keep))
    yield* Console.log(removed.length === 0 ? "Nothing to prune" : `Removed ${removed.length} archive(s):\n${removed.map((a) => `  ${a.path}`).join("\n")}`)
  })
