/**
 * Timestamped copies of downloaded playlists (`playlist.archive`), and `playlist archives|prune` over them. A
 * copy is named `playlist-<UTC timestamp>.m3u`, so its name says when it was made and sorts chronologically.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { PlaylistError } from "./PlaylistError.js"

export interface Archive {
  readonly path: string
  readonly bytes: number
  /** From the file name (UTC), not the file system: copies keep their time when moved. */
  readonly createdAt: Date
}

const ARCHIVE_NAME = /^playlist-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.m3u$/

/** `playlist-20240102T030405Z.m3u` for 2024-01-02 03:04:05 UTC. */
const archiveName = (millis: number): string =>
  `playlist-${new Date(millis).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "")}.m3u`

const archiveDate = (name: string): Date | null => {
  const m = ARCHIVE_NAME.exec(name)
  return m === null ? null : new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
}

const ioError = (path: string, detail: string) => (cause: unknown) =>
  new PlaylistError({ reason: "Io", path, detail: `${detail}: ${cause instanceof Error ? cause.message : String(cause)}`, cause })

/** Keep a copy of `file` as `<dir>/playlist-<UTC timestamp>.m3u`: a hard link when possible, else a copy. */
export const add = (file: string, dir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.join(dir, archiveName(yield* Clock.currentTimeMillis))
    // A link is safe because downloads replace the destination by rename and never write into it.
    // A second download within the same second replaces that second's archive.
    yield* fs.makeDirectory(dir, { recursive: true }).pipe(
      Effect.zipRight(fs.remove(target, { force: true })),
      Effect.zipRight(fs.link(file, target).pipe(
        Effect.orElse(() => fs.copyFile(file, target).pipe(Effect.tapError(() => fs.remove(target, { force: true }))))
      )),
      Effect.mapError(ioError(target, "the playlist was saved but archiving it failed"))
    )
    return target
  })

/** The archive copies in `dir`, newest first; an absent directory has none. Other files are ignored. */
export const list = Effect.fn("PlaylistArchive.list")(function*(dir: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const exists = yield* fs.exists(dir).pipe(Effect.mapError(ioError(dir, "cannot read")))
  if (!exists) return []
  const names = yield* fs.readDirectory(dir).pipe(Effect.mapError(ioError(dir, "cannot read")))
  // The fixed-width timestamp makes name order chronological.
  const matching = names.filter((name) => ARCHIVE_NAME.test(name)).sort().reverse()
  return yield* Effect.forEach(matching, (name) => {
    const file = path.join(dir, name)
    return fs.stat(file).pipe(
      Effect.map((info): Archive => ({ path: file, bytes: Number(info.size), createdAt: archiveDate(name)! })),
      Effect.mapError(ioError(file, "cannot stat"))
    )
  })
})

/** Delete all but the newest `keep` archives in `dir`; returns the deleted ones. */
export const prune = Effect.fn("PlaylistArchive.prune")(function*(dir: string, keep: number) {
  if (!Number.isSafeInteger(keep) || keep < 0) {
    return yield* new PlaylistError({ reason: "InvalidOption", detail: `keep must be a whole number >= 0, got ${keep}` })
  }
  const fs = yield* FileSystem.FileSystem
  const doomed = (yield* list(dir)).slice(keep)
  yield* Effect.forEach(doomed, (archive) =>
    fs.remove(archive.path).pipe(Effect.mapError(ioError(archive.path, "cannot delete"))), { discard: true })
  return doomed
})
