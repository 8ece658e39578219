/**
 * Room on the destination's filesystem, checked before a download writes a byte and held while it runs.
 *
 * A download asks for what it still has to write; the answer is the filesystem's free space (for an unprivileged
 * user: `statfs`'s available blocks) less what other downloads of this `DiskSpace` already hold on the same
 * filesystem, less `keepFree` — a disk filled to the last byte breaks the database and the *arr apps on it too.
 * Not enough is `DownloadError` `DiskFull` (fatal: retrying does not make room). A hold ends with its scope.
 *
 * Holds are per instance: the worker provides one layer to all its lanes. Other processes' downloads are seen only
 * as the space they have already written.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as NodeFs from "node:fs/promises"
import * as NodePath from "node:path"
import { DownloadError } from "./DownloadError.js"

export interface Options {
  /** Bytes left free on the filesystem whatever the downloads need (default 512 MiB). */
  readonly keepFree?: number | undefined
}

export const defaults = { keepFree: 512 * 1024 * 1024 } as const

export interface Service {
  /** Holds `bytes` on the filesystem holding `file` for the scope, or fails `DiskFull`. */
  readonly reserve: (file: string, bytes: number) => Effect.Effect<void, DownloadError, Scope.Scope>
}

export class DiskSpace extends Context.Tag("@stalkeer/downloader/DiskSpace")<DiskSpace, Service>() {}

/** What the filesystem holding `dir` has for this user, and which filesystem it is; `null` where unknowable. */
const probe = (dir: string) =>
  Effect.tryPromise(async () => {
    const [fs, st] = await Promise.all([NodeFs.statfs(dir), NodeFs.stat(dir)])
    return { available: Number(fs.bavail) * Number(fs.bsize), device: Number(st.dev) }
  }).pipe(Effect.orElseSucceed(() => null))

const mib = (bytes: number) => `${Math.ceil(bytes / 1048576).toLocaleString("en-US")} MiB`

export const make = (options: Options = {}): Service => {
  const keepFree = options.keepFree ?? defaults.keepFree
  // Bytes held per filesystem (device id) by running downloads.
  const held = new Map<number, number>()
  return {
    reserve: (file, bytes) =>
      Effect.gen(function*() {
        if (bytes <= 0) return
        const space = yield* probe(NodePath.dirname(file))
        // A filesystem that cannot say (or a platform without statfs) is not refused on a guess.
        if (space === null) return
        yield* Effect.acquireRelease(
          Effect.suspend(() => {
            const others = held.get(space.device) ?? 0
            if (space.available - others - keepFree < bytes) {
              return Effect.fail(
                new DownloadError({
                  reason: "DiskFull",
                  detail: `${mib(bytes)} needed in ${NodePath.dirname(file)}, ${mib(Math.max(0, space.available - others))} free${others > 0 ? " after other downloads" : ""}, ${mib(keepFree)} kept free`
                })
              )
            }
            held.set(space.device, others + bytes)
            return Effect.void
          }),
          () => Effect.sync(() => held.set(space.device, Math.max(0, (held.get(space.device) ?? 0) - bytes)))
        )
      })
  }
}

export const layer = (options: Options = {}): Layer.Layer<DiskSpace> => Layer.sync(DiskSpace, () => make(options))
