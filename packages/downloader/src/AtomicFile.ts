/**
 * Writing a file so that its path never holds a half-written one: the bytes go to a hidden temporary file in the
 * same directory (so the final rename is atomic, on the same filesystem), which is fsynced, renamed over the
 * destination, and the directory fsynced so the rename survives a power cut. Whatever ends the write early — a
 * failure, an interruption — the temporary file is removed and the destination keeps its previous content.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schema from "effect/Schema"

export class AtomicFileError extends Schema.TaggedError<AtomicFileError>("@stalkeer/downloader/AtomicFileError")(
  "AtomicFileError",
  {
    reason: Schema.Literal("Directory", "Create", "Write", "Sync", "Publish"),
    /** The file or directory at fault. */
    path: Schema.String,
    /** The system's words (an errno code and message); never file content. */
    detail: Schema.String,
    cause: Schema.optional(Schema.Defect)
  }
) {
  /** What failed, in words: `cannot write`. */
  get action(): string {
    return ACTIONS[this.reason]
  }

  override get message(): string {
    return `${this.action} ${this.path}: ${this.detail}`
  }
}

const ACTIONS: Record<AtomicFileError["reason"], string> = {
  Directory: "cannot create directory",
  Create: "cannot create",
  Write: "cannot write",
  Sync: "cannot sync",
  Publish: "cannot replace"
}

export interface Options {
  /** Mode of the temporary (and so the final) file; default 0600 — a download may hold secrets. */
  readonly mode?: number | undefined
  /** Mode of directories created on the way; an existing directory is left as it is. Default 0700. */
  readonly directoryMode?: number | undefined
}

const failWith = (reason: AtomicFileError["reason"], path: string) => (cause: unknown) =>
  new AtomicFileError({ reason, path, detail: cause instanceof Error ? cause.message : String(cause), cause })

/** The hidden `.part` name next to `destination` that a write goes through (nothing scans hidden files). */
const temporaryName = (path: Path.Path, destination: string, suffix: string) =>
  path.join(path.dirname(destination), `.${path.basename(destination)}.${suffix}.part`)

/**
 * Runs `write` on a fresh temporary file next to `destination`, then makes the result `destination` atomically
 * (replacing what was there). `write` may fail with its own errors; the destination is then untouched.
 */
export const write = <A, E, R>(
  destination: string,
  write: (file: FileSystem.File, temporary: string) => Effect.Effect<A, E, R>,
  options: Options = {}
): Effect.Effect<A, E | AtomicFileError, R | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.resolve(destination)
    const dir = path.dirname(target)
    if (!(yield* fs.exists(dir).pipe(Effect.orElseSucceed(() => false)))) {
      yield* fs.makeDirectory(dir, { recursive: true, mode: options.directoryMode ?? 0o700 }).pipe(
        Effect.mapError(failWith("Directory", dir))
      )
    }
    const temporary = temporaryName(path, target, (yield* Random.nextInt).toString(36).replace("-", ""))
    // Runs on every exit: after the rename there is nothing left to remove.
    yield* Effect.addFinalizer(() => fs.remove(temporary, { force: true }).pipe(Effect.ignore))
    const file = yield* fs.open(temporary, { flag: "wx", mode: options.mode ?? 0o600 }).pipe(
      Effect.mapError(failWith("Create", temporary))
    )
    const result = yield* write(file, temporary)
    yield* file.sync.pipe(Effect.mapError(failWith("Sync", temporary)))
    yield* fs.rename(temporary, target).pipe(Effect.mapError(failWith("Publish", target)))
    // Makes the rename durable; directories cannot be opened everywhere, hence best effort.
    yield* fs.open(dir, { flag: "r" }).pipe(Effect.flatMap((d) => d.sync), Effect.scoped, Effect.ignore)
    return result
  }).pipe(Effect.scoped)

/** `file.writeAll` with the error an atomic write reports. */
export const writeAll = (file: FileSystem.File, temporary: string, bytes: Uint8Array) =>
  Effect.mapError(file.writeAll(bytes), failWith("Write", temporary))
