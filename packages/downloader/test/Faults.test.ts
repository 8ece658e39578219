/**
 * The downloader against the fake Xtream provider's faults (research/reliability.md §5.3, the per-commit sizes):
 * every download either ends byte-identical to the source or fails without a wrong byte in its file.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Download from "../src/Download.js"
import { FakeProvider } from "../src/Testing.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "stalkeer-faults-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

const sha = (file: string) => Crypto.createHash("sha256").update(Fs.readFileSync(file)).digest("hex")

const MiB = 1024 * 1024
const PASSWORD = "CanaryPw-7f3a"

const streams: ReadonlyArray<FakeProvider.StreamSpec> = Array.from({ length: 10 }, (_, i) => ({
  id: 100 + i,
  kind: i % 2 === 0 ? "movie" : "series",
  ext: i % 3 === 0 ? "mp4" : "mkv",
  size: 2 * MiB + i * 37_111
}))

const fetch = (server: FakeProvider.Server, id: number, dir: string, extra: Partial<Download.RunOptions> = {}) =>
  Download.run({
    url: Redacted.make(server.url(id)),
    partial: Path.join(dir, `.${id}.part`),
    extension: streams.find((s) => s.id === id)!.ext,
    checkpointBytes: 256 * 1024,
    attemptsWithoutProgress: 6,
    ...extra
  })

layer(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici), { excludeTestServices: true, timeout: "120 seconds" })("Download against the fake provider", (it) => {
  it.scoped("200 downloads, 8 at a time, with random mid-stream resets and clean early ends: all complete, SHA-256-identical", () =>
    Effect.gen(function*() {
      const many: ReadonlyArray<FakeProvider.StreamSpec> = Array.from({ length: 200 }, (_, i) => ({
        id: 1000 + i,
        kind: i % 2 === 0 ? "movie" : "series",
        ext: i % 3 === 0 ? "mp4" : "mkv",
        size: 300_000 + ((i * 7_919) % 400_000)
      }))
      const server = yield* FakeProvider.make(
        { streams: many, password: PASSWORD },
        { chaos: { resetProbabilityPerMiB: 6, finShare: 0.3, seed: 7 } }
      )
      const dir = yield* scratch
      // The research's matrix (64 MiB–2 GiB files, 1–20 cuts each) scaled down 200 times: files of 300–700 KB cut
      // about 3 times each, with the resume's overlap (512 KiB by default) scaled to 16 KiB.
      yield* Effect.forEach(many, (stream) =>
        Effect.gen(function*() {
          const partial = Path.join(dir, `.${stream.id}.part`)
          yield* Download.run({
            url: Redacted.make(server.url(stream.id)),
            partial,
            extension: stream.ext,
            overlap: 16 * 1024,
            attemptsWithoutProgress: 12,
            // A cut body loses what its stream still buffered (up to 64 KiB): with files this small an attempt may
            // add nothing now and then; a higher budget for that and a short wait keep the test steady and short.
            retryDelay: "20 millis"
          })
          assert.strictEqual(sha(partial), yield* server.sha256(stream.id), `stream ${stream.id}`)
        }), { concurrency: 8, discard: true })
      const log = yield* server.requests
      const cut = log.filter((r) => r.outcome === "reset" || r.outcome === "fin").length
      assert.isAbove(cut, 200)
      // Bytes fetched stay close to the files' sizes: resumes re-fetch only their overlap (and what a cut lost
      // after the last checkpoint).
      const total = many.reduce((n, s) => n + s.size, 0)
      assert.isBelow(yield* server.bytesSent, total * 1.02 + cut * (16 + 64) * 1024)
    }))

  it.scoped("two hops with an expiring single-use token: every resume starts again from the original URL", () =>
    Effect.gen(function*() {
      const server = yield* FakeProvider.make({ streams, password: PASSWORD }, { redirect: true, tokenTtl: "2 seconds" })
      const dir = yield* scratch
      const id = streams[1]!.id
      yield* server.failNext(FakeProvider.resetAt(700_000), { streamId: id })
      yield* server.failNext(FakeProvider.finAt(1_500_000), { streamId: id })
      yield* fetch(server, id, dir)
      assert.strictEqual(sha(Path.join(dir, `.${id}.part`)), yield* server.sha256(id))
      const log = yield* server.requests
      const hops = log.map((r) => r.hop)
      // Each attempt: the path hop, then its own fresh token.
      assert.deepStrictEqual(hops, ["path", "token", "path", "token", "path", "token"])
      assert.isTrue(log.every((r) => r.status !== 403))
    }))

  it.scoped("a server that ignores Range, a wrong Content-Range, and content that changes: never a spliced file", () =>
    Effect.gen(function*() {
      const server = yield* FakeProvider.make({ streams, password: PASSWORD })
      const dir = yield* scratch
      const [a, b, c] = [streams[2]!.id, streams[3]!.id, streams[4]!.id]
      yield* server.failNext(FakeProvider.resetAt(1_000_000), { streamId: a })
      yield* server.failNext(FakeProvider.ignoreRange, { streamId: a })
      const ignored = yield* fetch(server, a, dir)
      assert.isTrue(ignored.restarted)
      assert.strictEqual(sha(Path.join(dir, `.${a}.part`)), yield* server.sha256(a))

      yield* server.failNext(FakeProvider.resetAt(1_000_000), { streamId: b })
      yield* server.failNext(FakeProvider.wrongContentRange(4096), { streamId: b })
      yield* fetch(server, b, dir)
      assert.strictEqual(sha(Path.join(dir, `.${b}.part`)), yield* server.sha256(b))

      yield* server.failNext(FakeProvider.resetAt(1_200_000), { streamId: c })
      yield* server.failNext(FakeProvider.changeContent, { streamId: c })
      const changed = yield* fetch(server, c, dir)
      assert.isTrue(changed.restarted)
      assert.strictEqual(sha(Path.join(dir, `.${c}.part`)), yield* server.sha256(c, yield* server.version(c)))
    }))

  it.scoped("an error page under 200, as HTML or disguised as octets, and a placeholder: refused, nothing written", () =>
    Effect.gen(function*() {
      const server = yield* FakeProvider.make({ streams, password: PASSWORD })
      const dir = yield* scratch
      for (const fault of [FakeProvider.htmlUnder200, FakeProvider.htmlAsOctetStream, FakeProvider.placeholder]) {
        const id = streams[5]!.id
        yield* server.failNext(fault, { streamId: id })
        const error = yield* fetch(server, id, dir).pipe(Effect.flip)
        assert.strictEqual(error.class, "item")
        assert.strictEqual(Fs.statSync(Path.join(dir, `.${id}.part`)).size, 0)
      }
    }))

  it.scoped("the account's refusals are account-class and never retried; no error names the password", () =>
    Effect.gen(function*() {
      const server = yield* FakeProvider.make({ streams, password: PASSWORD })
      const dir = yield* scratch
      const wrong = yield* Download.run({
        url: Redacted.make(server.url(streams[6]!.id, { password: "nope" })),
        partial: Path.join(dir, ".x.part")
      }).pipe(Effect.flip)
      assert.deepStrictEqual([wrong.class, wrong.reason], ["account", "Unauthorized"])
      for (const code of [403, 429, 458, 509]) {
        const before = yield* server.requestCount
        yield* server.failNext(FakeProvider.status(code), { streamId: streams[6]!.id })
        const error = yield* fetch(server, streams[6]!.id, dir).pipe(Effect.flip)
        assert.strictEqual(error.class, "account", `HTTP ${code}`)
        assert.strictEqual((yield* server.requestCount) - before, 1)
        assert.notInclude(`${error.message}${JSON.stringify(error)}`, PASSWORD)
      }
      assert.isTrue((yield* server.requests).every((r) => !JSON.stringify(r).includes(PASSWORD)))
    }))

  it.scoped("a throttled body is slow but never dropped; a stalled one is dropped after the stall timeout and resumed", () =>
    Effect.gen(function*() {
      const server = yield* FakeProvider.make({ streams, password: PASSWORD })
      const dir = yield* scratch
      const id = streams[7]!.id
      yield* server.failNext(FakeProvider.all(FakeProvider.throttle(MiB), FakeProvider.stall("2 seconds", 1_200_000)), { streamId: id })
      const progress: Array<Download.Progress> = []
      yield* fetch(server, id, dir, {
        stallTimeout: "500 millis",
        onProgress: (p) => Effect.sync(() => void progress.push(p))
      })
      assert.strictEqual(sha(Path.join(dir, `.${id}.part`)), yield* server.sha256(id))
      assert.strictEqual((yield* server.requests).length, 2)
      assert.isTrue(progress.some((p) => p.etaSeconds !== null && p.rate > 0))
    }))
})
