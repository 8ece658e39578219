/**
 * Opens the playlist a command reads: a file path, or `-` for standard input.
 */
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as FileSystem from "@effect/platform/FileSystem"
import { PlaylistFile } from "@stalkeer/m3u-parser"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
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

export const open = Effect.fn("Input.open")(function*(path: string) {
  if (path === "-") {
    return { label: "stdin", size: undefined, stream: NodeStream.stdin } satisfies Input
  }
  const fs = yield* FileSystem.FileSystem
  const info = yield* fs.stat(path).pipe(
    Effect.mapError((e) => new InputError({ path, problem: e._tag === "SystemError" && e.reason === "NotFound" ? "no such file" : e.message }))
  )
  if (info.type === "Directory") return yield* new InputError({ path, problem: "it is a directory" })
  // One reused buffer (flat memory): safe, as the parser consumes each chunk before it pulls the next.
  const stream = PlaylistFile.stream(path).pipe(
    Stream.mapError((e) => new InputError({ path, problem: e.cause instanceof Error ? e.cause.message : e.message })),
    Stream.provideService(FileSystem.FileSystem, fs)
  )
  return { label: path, size: Number(info.size), stream } satisfies Input
})

/** The stream with each chunk's size reported (for progress); the callback must be cheap. */
export const counted = <E, R>(stream: Stream.Stream<Uint8Array, E, R>, onBytes: (n: number) => void) =>
  Stream.mapChunks(stream, (chunk) => {
    for (const bytes of chunk) onBytes(bytes.length)
    return chunk
  })
