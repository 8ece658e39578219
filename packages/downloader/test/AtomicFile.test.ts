import * as NodeContext from "@effect/platform-node/NodeContext"
import { assert, layer } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import * as AtomicFile from "../src/AtomicFile.js"

const scratch = () => Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "stalkeer-atomic-"))
const bytes = (text: string) => new TextEncoder().encode(text)

layer(NodeContext.layer)("AtomicFile.write", (it) => {
  it.effect("publishes the complete file, private to its owner, in a directory it creates 0700", () =>
    Effect.gen(function*() {
      const dir = scratch()
      const target = NodePath.join(dir, "new", "playlist.m3u")
      const result = yield* AtomicFile.write(target, (file, temporary) =>
        Effect.gen(function*() {
          assert.isTrue(NodePath.basename(temporary).startsWith(".playlist.m3u."))
          assert.isFalse(Fs.existsSync(target))
          yield* AtomicFile.writeAll(file, temporary, bytes("hello "))
          yield* AtomicFile.writeAll(file, temporary, bytes("world"))
          return 42
        }))
      assert.strictEqual(result, 42)
      assert.strictEqual(Fs.readFileSync(target, "utf8"), "hello world")
      assert.strictEqual(Fs.statSync(target).mode & 0o777, 0o600)
      assert.strictEqual(Fs.statSync(NodePath.dirname(target)).mode & 0o777, 0o700)
      assert.deepStrictEqual(Fs.readdirSync(NodePath.dirname(target)), ["playlist.m3u"])
    }))

  it.effect("a failing write leaves the previous file and no temporary file", () =>
    Effect.gen(function*() {
      const dir = scratch()
      const target = NodePath.join(dir, "playlist.m3u")
      Fs.writeFileSync(target, "previous")
      const error = yield* AtomicFile.write(target, (file, temporary) =>
        Effect.zipRight(AtomicFile.writeAll(file, temporary, bytes("half")), Effect.fail("boom" as const))).pipe(Effect.flip)
      assert.strictEqual(error, "boom")
      assert.strictEqual(Fs.readFileSync(target, "utf8"), "previous")
      assert.deepStrictEqual(Fs.readdirSync(dir), ["playlist.m3u"])
    }))

  it.effect("an interrupted write leaves the previous file and no temporary file", () =>
    Effect.gen(function*() {
      const dir = scratch()
      const target = NodePath.join(dir, "playlist.m3u")
      Fs.writeFileSync(target, "previous")
      const writing = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(AtomicFile.write(target, (file, temporary) =>
        AtomicFile.writeAll(file, temporary, bytes("partial")).pipe(
          Effect.zipRight(Deferred.succeed(writing, undefined)),
          Effect.zipRight(Effect.never)
        )))
      yield* Deferred.await(writing)
      assert.strictEqual(Fs.readdirSync(dir).length, 2)
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(Fs.readFileSync(target, "utf8"), "previous")
      assert.deepStrictEqual(Fs.readdirSync(dir), ["playlist.m3u"])
    }))

  it.effect("names the step and the path that failed", () =>
    Effect.gen(function*() {
      const dir = scratch()
      Fs.writeFileSync(NodePath.join(dir, "file"), "")
      const error = yield* AtomicFile.write(NodePath.join(dir, "file", "sub", "x"), () => Effect.void).pipe(Effect.flip)
      assert.strictEqual(error._tag, "AtomicFileError")
      if (error._tag !== "AtomicFileError") return
      assert.strictEqual(error.reason, "Directory")
      assert.include(error.message, `cannot create directory ${NodePath.join(dir, "file", "sub")}`)
    }))
})
