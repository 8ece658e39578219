/**
 * Opens the playlist a command reads: a file path, or `-` for standard input.
 */
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

export class InputError extends Data.TaggedError("InputError")<{
  readonly path: string
  readonly problem: string
}> {
  override get message() {
    return `cannot read ${this.path}: ${this.problem}`
  }
}

export interface Input {
  readonly label: string
  /** Size in bytes when known (files), for progress. */
  readonly size: number | undefined
  readonly stream: Stream.Stream<Uint8Array, InputError>
}

const CHUNK = 256 * 1024

/**
 * The file in chunks that all share ONE buffer: each chunk is valid only until the next pull. That is safe here
 * because the parser consumes every chunk synchronously before it pulls the next, and nothing buffers the byte
 * stream in between. A fresh buffer per chunk (`FileSystem.stream`) costs ~100 MB more peak RSS on a 50 MB
 * playlist: each one is external memory that V8 frees only at its next collection.
 */
const reusedBufferStream = (fs: FileSystem.FileSystem, path: string): Stream.Stream<Uint8Array, InputError> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const fail = (e: { readonly message: string }) => new InputError({ path, problem: e.message })
    const file = yield* fs.open(path, { flag: "r" }).pipe(Effect.mapError(fail))
    const buffer = Buffer.allocUnsafeSlow(CHUNK)
    const pull = Effect.flatMap(
      Effect.mapError(file.read(buffer), (e) => Option.some(fail(e))),
      (size) => Number(size) === 0 ? Effect.fail(Option.none()) : Effect.succeed(buffer.subarray(0, Number(size)))
    )
    return Stream.repeatEffectOption(pull)
  }))

export const open = Effect.fn("Input.open")(function*(path: string) {
  if (path === "-") {
    return { label: "stdin", size: undefined, stream: NodeStream.stdin } satisfies Input
  }
  const fs = yield* FileSystem.FileSystem
  const info = yield* fs.stat(path).pipe(
    Effect.mapError((e) => new InputError({ path, problem: e._tag === "SystemError" && e.reason === "NotFound" ? "no such file" : e.message }))
  )
  if (info.type === "Directory") return yield* new InputError({ path, problem: "it is a directory" })
  const stream = reusedBufferStream(fs, path)
  return { label: path, size: Number(info.size), stream } satisfies Input
})

/** The stream with each chunk's size reported (for progress); the callback must be cheap. */
export const counted = <E, R>(stream: Stream.Stream<Uint8Array, E, R>, onBytes: (n: number) => void) =>
  Stream.mapChunks(stream, (chunk) => {
    for (const bytes of chunk) onBytes(bytes.length)
    return chunk
  })
