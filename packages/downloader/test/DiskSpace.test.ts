import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as DiskSpace from "../src/DiskSpace.js"
import * as Download from "../src/Download.js"
import { DownloadError } from "../src/DownloadError.js"
import { server } from "./server.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "stalkeer-space-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)
const available = (dir: string) => {
  const s = Fs.statfsSync(dir)
  return Number(s.bavail) * Number(s.bsize)
}

describe("DiskSpace", () => {
  it.scoped("holds space while a scope lasts: a second hold that does not fit beside the first is DiskFull", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const space = DiskSpace.make({ keepFree: 0 })
      const file = Path.join(dir, ".1.part")
      const share = Math.floor(available(dir) * 0.6)
      const first = yield* Scope.make()
      yield* space.reserve(file, share).pipe(Scope.extend(first))
      const refused = yield* Effect.scoped(space.reserve(file, share)).pipe(Effect.flip)
      assert.strictEqual(refused.reason, "DiskFull")
      assert.strictEqual(refused.class, "fatal")
      assert.match(refused.message, /^not enough disk space: [\d,]+ MiB needed in .+, [\d,]+ MiB free after other downloads, 0 MiB kept free$/)
      // The first hold ends with its scope; the same request fits again.
      yield* Scope.close(first, Exit.void)
      yield* Effect.scoped(space.reserve(file, share))
    }))

  it.scoped("keeps keepFree free, and never refuses where the filesystem cannot say", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const refused = yield* Effect.scoped(
        DiskSpace.make({ keepFree: available(dir) }).reserve(Path.join(dir, ".p"), 1024 * 1024)
      ).pipe(Effect.flip)
      assert.strictEqual(refused.reason, "DiskFull")
      yield* Effect.scoped(DiskSpace.make().reserve(Path.join(dir, "missing", "deeper", ".p"), 2 ** 60))
    }))
})

layer(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici), { excludeTestServices: true })("Download and DiskSpace", (it) => {
  it.scoped("a download that does not fit fails DiskFull before writing a byte, after one request", () =>
    Effect.gen(function*() {
      const s = yield* server(1024 * 1024)
      const dir = yield* scratch
      const partial = Path.join(dir, ".p")
      const error = yield* Download.run({ url: Redacted.make(s.url), partial, extension: "mkv" }).pipe(
        // What is free now, plus a margin: other processes (parallel test files) may free space meanwhile.
        Effect.provide(DiskSpace.layer({ keepFree: available(dir) + 1024 ** 3 })),
        Effect.flip
      )
      assert.instanceOf(error, DownloadError)
      assert.strictEqual(error instanceof DownloadError ? error.reason : undefined, "DiskFull")
      assert.strictEqual(s.log.length, 1)
      assert.strictEqual(Fs.statSync(partial).size, 0)
    }))
})
