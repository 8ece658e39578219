import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { M3uParseError, PlaylistFile } from "../src/index.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "m3u-parser-file-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

/** Copies every chunk as it comes (the next read overwrites it), and notes which buffer it views. */
const readAll = (path: string) =>
  Effect.gen(function*() {
    const copies: Array<Uint8Array> = []
    const buffers = new Set<ArrayBufferLike>()
    yield* Stream.runForEach(PlaylistFile.stream(path), (chunk) =>
      Effect.sync(() => {
        copies.push(Uint8Array.from(chunk)) // not chunk.slice(): on a Buffer, that is a view too
        buffers.add(chunk.buffer)
      }))
    return { bytes: Buffer.concat(copies), chunks: copies.length, buffers: buffers.size }
  })

describe("PlaylistFile", () => {
  it.scoped("streams a file larger than one read, every chunk a view of one reused buffer", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = join(dir, "playlist.m3u")
      const content = Buffer.alloc(1_000_003)
      for (let i = 0; i < content.length; i++) content[i] = (i * 31) % 251
      writeFileSync(path, content)
      const read = yield* readAll(path)
      assert.isTrue(read.bytes.equals(content))
      assert.strictEqual(read.chunks, 4) // 256 KiB reads
      assert.strictEqual(read.buffers, 1)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("an empty file is an empty stream", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = join(dir, "empty.m3u")
      writeFileSync(path, "")
      assert.strictEqual((yield* readAll(path)).chunks, 0)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("a missing file is an Io error naming the path, with the platform error as its cause", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(readAll("/nonexistent/missing.m3u"))
      assert.instanceOf(error, M3uParseError.M3uParseError)
      assert.strictEqual(error.reason, "Io")
      assert.strictEqual(error.path, "/nonexistent/missing.m3u")
      assert.include(error.message, "/nonexistent/missing.m3u")
      assert.strictEqual((error.cause as { readonly _tag?: string })._tag, "SystemError")
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("a directory fails on the read, as an Io error too", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const error = yield* Effect.flip(readAll(dir))
      assert.strictEqual(error.reason, "Io")
      assert.strictEqual(error.path, dir)
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
