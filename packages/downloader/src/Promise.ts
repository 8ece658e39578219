/**
 * `@stalkeer/downloader/promise`: a resumable, verified download without Effect — give it a URL and a destination.
 *
 * It runs `Download.run` then `Download.publish` on Node (the platform's file system and HTTP client, from the
 * optional peer `@effect/platform-node`): the body goes to a hidden partial file next to the destination
 * (`.<name>.part`), resumed from where an earlier call stopped (the progress is kept beside it in
 * `.<name>.part.json`), and the destination appears only once it is whole; an existing file is never replaced.
 * Failures reject with `DownloadError` (`reason`, `class`, a one-line `message` without the URL).
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Download from "./Download.js"
import * as Resume from "./Resume.js"

export { DownloadError } from "./DownloadError.js"

export interface DownloadOptions {
  /** The expected container (`mkv`, `mp4`…); default: the destination's extension. */
  readonly extension?: string | undefined
  readonly userAgent?: string | undefined
  /** Request headers of the source (User-Agent, Referer). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Milliseconds without a byte before reconnecting (default 60,000). */
  readonly stallTimeoutMs?: number | undefined
  readonly onProgress?: ((progress: Download.Progress) => void) | undefined
  /** Aborts the download; the partial file and its progress are kept for the next call. */
  readonly signal?: AbortSignal | undefined
}

export interface DownloadResult {
  readonly path: string
  readonly bytes: number
  /** The file was restarted from zero at least once (the server ignored a range, or the file changed). */
  readonly restarted: boolean
}

const Saved = Schema.parseJson(Schema.Struct({
  durable: Schema.Number,
  total: Schema.NullOr(Schema.Number),
  etag: Schema.NullOr(Schema.String)
}))

const live = Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)

/** Downloads `url` to `destination`. Resolves once the file is complete, verified and in place. */
export const downloadFile = (url: string, destination: string, options: DownloadOptions = {}): Promise<DownloadResult> =>
  Effect.runPromiseExit(
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const target = path.resolve(destination)
      const partial = path.join(path.dirname(target), `.${path.basename(target)}.part`)
      const progressFile = `${partial}.json`
      const saved = yield* fs.readFileString(progressFile).pipe(
        Effect.flatMap(Schema.decode(Saved)),
        Effect.option
      )
      const save = (state: Resume.State) =>
        fs.writeFileString(progressFile, Schema.encodeSync(Saved)(state)).pipe(Effect.orDie)
      const outcome = yield* Download.run({
        url: Redacted.make(url),
        partial,
        extension: options.extension ?? (path.extname(target).slice(1) || undefined),
        state: Option.getOrUndefined(saved),
        userAgent: options.userAgent,
        headers: options.headers,
        stallTimeout: options.stallTimeoutMs,
        onCheckpoint: save,
        onProgress: options.onProgress === undefined
          ? undefined
          : (progress) => Effect.sync(() => options.onProgress!(progress))
      })
      yield* Download.publish(partial, target)
      yield* fs.remove(progressFile).pipe(Effect.ignore)
      return { path: target, bytes: outcome.state.durable, restarted: outcome.restarted }
    }).pipe(Effect.provide(live)),
    options.signal === undefined ? {} : { signal: options.signal }
  ).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause)
  })
