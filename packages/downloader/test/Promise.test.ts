import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { downloadFile, DownloadError } from "../src/Promise.js"
import { server } from "./server.js"

const sha = (bytes: Buffer) => Crypto.createHash("sha256").update(bytes).digest("hex")

describe("downloadFile (the Promise facade)", () => {
  it.scoped("downloads, resumes after a cut, publishes; never replaces; rejects an error page with a DownloadError", () =>
    Effect.gen(function*() {
      const s = yield* server(2 * 1024 * 1024)
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "stalkeer-promise-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
      const target = Path.join(dir, "Film (2020).mkv")
      s.faults.push({ _tag: "CutAt", offset: 700_000 })
      const seen: Array<number> = []
      const result = yield* Effect.promise(() => downloadFile(s.url, target, { onProgress: (p) => void seen.push(p.bytes) }))
      assert.deepStrictEqual(result, { path: target, bytes: 2 * 1024 * 1024, restarted: false })
      assert.strictEqual(sha(Fs.readFileSync(target)), sha(s.body()))
      assert.deepStrictEqual(Fs.readdirSync(dir), ["Film (2020).mkv"])
      const again = yield* Effect.promise(() => downloadFile(s.url, target).then(() => null, (e: unknown) => e))
      assert.instanceOf(again, DownloadError)
      assert.strictEqual((again as DownloadError).reason, "TargetExists")
      s.faults.push({ _tag: "Html" })
      const html = yield* Effect.promise(() => downloadFile(s.url, Path.join(dir, "Other.mkv")).then(() => null, (e: unknown) => e))
      assert.strictEqual((html as DownloadError).reason, "NotVideo")
      assert.notInclude((html as DownloadError).message, "CanaryPw")
    }))
})
