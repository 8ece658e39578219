import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Download from "../src/Download.js"
import type * as Resume from "../src/Resume.js"
import { server } from "./server.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "stalkeer-download-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

const sha = (bytes: Buffer) => Crypto.createHash("sha256").update(bytes).digest("hex")

const MiB = 1024 * 1024

layer(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici), { excludeTestServices: true })("Download", (it) => {
  it.scoped("a whole file, fsynced at checkpoints, published without replacing anything", () =>
    Effect.gen(function*() {
      const s = yield* server(3 * MiB)
      const dir = yield* scratch
      const partial = Path.join(dir, ".1.part")
      const checkpoints: Array<Resume.State> = []
      const outcome = yield* Download.run({
        url: Redacted.make(s.url),
        partial,
        extension: "mkv",
        checkpointBytes: MiB,
        onCheckpoint: (state) => Effect.sync(() => void checkpoints.push(state))
      })
      assert.deepStrictEqual(outcome.state, { durable: 3 * MiB, total: 3 * MiB, etag: null })
      assert.isAtLeast(checkpoints.length, 3)
      assert.isTrue(checkpoints.every((c, i) => i === 0 || c.durable >= checkpoints[i - 1]!.durable))
      assert.strictEqual(sha(Fs.readFileSync(partial)), sha(s.body()))
      assert.strictEqual(s.log[0]!.ua, Download.defaults.userAgent)
      const target = Path.join(dir, "Film (2020).mkv")
      yield* Download.publish(partial, target)
      assert.isFalse(Fs.existsSync(partial))
      assert.strictEqual(sha(Fs.readFileSync(target)), sha(s.body()))
      // A publish that linked the file and stopped before removing the partial completes on a second try.
      Fs.linkSync(target, partial)
      yield* Download.publish(partial, target)
      assert.isFalse(Fs.existsSync(partial))
      // A second publish never overwrites, and ensureFree says so before anything is fetched; a target that is
      // the partial's own link (a publish that stopped halfway) is not in the way.
      yield* Download.ensureFree(partial, Path.join(dir, "Elsewhere (2021).mkv"))
      Fs.linkSync(target, partial)
      yield* Download.ensureFree(partial, target)
      Fs.rmSync(partial)
      Fs.writeFileSync(partial, "x")
      assert.strictEqual((yield* Effect.flip(Download.ensureFree(partial, target))).reason, "TargetExists")
      const exists = yield* Download.publish(partial, target).pipe(Effect.flip)
      assert.strictEqual(exists.reason, "TargetExists")
      assert.strictEqual(exists.message, "the library already has Film (2020).mkv; it was not overwritten")
      assert.strictEqual(sha(Fs.readFileSync(target)), sha(s.body()))
    }))

  it.scoped("cut mid-body: resumes with an overlap that is compared, and ends byte-identical", () =>
    Effect.gen(function*() {
      const s = yield* server(4 * MiB)
      const dir = yield* scratch
      s.faults.push({ _tag: "CutAt", offset: 1_500_000 }, { _tag: "CutAt", offset: 3_000_000 })
      const outcome = yield* Download.run({ url: Redacted.make(s.url), partial: Path.join(dir, ".p"), checkpointBytes: 256 * 1024 })
      assert.strictEqual(outcome.state.durable, 4 * MiB)
      assert.strictEqual(sha(Fs.readFileSync(Path.join(dir, ".p"))), sha(s.body()))
      // Every resume asked for bytes before what it had: the overlap.
      assert.deepStrictEqual(s.log.map((l) => l.status), [200, 206, 206])
      const starts = s.log.slice(1).map((l) => Number(/bytes=(\d+)-/.exec(l.range!)![1]))
      assert.isTrue(starts[0]! < 1_500_000 && starts[1]! < 3_000_000)
    }))

  it.scoped("a 200 to a ranged request restarts from zero; it is never appended", () =>
    Effect.gen(function*() {
      const s = yield* server(2 * MiB)
      const dir = yield* scratch
      s.faults.push({ _tag: "CutAt", offset: MiB }, { _tag: "IgnoreRange" })
      const outcome = yield* Download.run({ url: Redacted.make(s.url), partial: Path.join(dir, ".p"), checkpointBytes: 128 * 1024 })
      assert.isTrue(outcome.restarted)
      assert.strictEqual(Fs.statSync(Path.join(dir, ".p")).size, 2 * MiB)
      assert.strictEqual(sha(Fs.readFileSync(Path.join(dir, ".p"))), sha(s.body()))
    }))

  it.scoped("content that changed between attempts (no validator): the overlap catches it, and the file restarts", () =>
    Effect.gen(function*() {
      const s = yield* server(2 * MiB)
      const dir = yield* scratch
      s.faults.push({ _tag: "CutAt", offset: MiB }, { _tag: "Change" })
      const outcome = yield* Download.run({ url: Redacted.make(s.url), partial: Path.join(dir, ".p"), checkpointBytes: 128 * 1024 })
      assert.isTrue(outcome.restarted)
      assert.strictEqual(sha(Fs.readFileSync(Path.join(dir, ".p"))), sha(s.body()))
    }))

  it.scoped("a provider that is not there is Unreachable (transfer class), not a lost connection", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      // A port that was just free: nothing listens there.
      const port = yield* Effect.promise(() =>
        new Promise<number>((resolve) => {
          const probe = Net.createServer().listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as Net.AddressInfo
            probe.close(() => resolve(port))
          })
        })
      )
      const error = yield* Download.attempt({
        url: Redacted.make(`http://127.0.0.1:${port}/movie/u/CanaryPw/1.mkv`),
        partial: Path.join(dir, ".p")
      }).pipe(Effect.flip)
      assert.deepStrictEqual([error.reason, error.class, error.message], ["Unreachable", "transfer", "the provider cannot be reached: ECONNREFUSED"])
    }))

  it.scoped("a Content-Range that starts elsewhere: nothing appended, a transfer error", () =>
    Effect.gen(function*() {
      const s = yield* server(2 * MiB)
      const dir = yield* scratch
      s.faults.push({ _tag: "CutAt", offset: MiB })
      const partial = Path.join(dir, ".p")
      const first = yield* Download.attempt({ url: Redacted.make(s.url), partial, checkpointBytes: 64 * 1024 }).pipe(Effect.flip)
      assert.strictEqual(first.reason, "Reset")
      const durable = Fs.statSync(partial).size
      assert.isAbove(durable, 0)
      s.faults.push({ _tag: "WrongStart", delta: 1 })
      const state = { durable, total: 2 * MiB, etag: null }
      const error = yield* Download.attempt({ url: Redacted.make(s.url), partial, state }).pipe(Effect.flip)
      assert.deepStrictEqual([error.reason, error.class], ["RangeMismatch", "transfer"])
      assert.strictEqual(Fs.statSync(partial).size, durable)
    }))

  it.scoped("an HTML page under 200 or a placeholder video: refused before a byte is written", () =>
    Effect.gen(function*() {
      const s = yield* server(MiB)
      const dir = yield* scratch
      const partial = Path.join(dir, ".p")
      s.faults.push({ _tag: "Html" })
      const html = yield* Download.run({ url: Redacted.make(s.url), partial, extension: "mkv" }).pipe(Effect.flip)
      assert.deepStrictEqual([html.reason, html.class], ["NotVideo", "item"])
      assert.strictEqual(html.message, "the provider sent an HTML page instead of the video (HTTP 200)")
      assert.strictEqual(Fs.statSync(partial).size, 0)
      s.faults.push({ _tag: "Placeholder" })
      const placeholder = yield* Download.run({ url: Redacted.make(s.url), partial, extension: "mkv" }).pipe(Effect.flip)
      assert.deepStrictEqual([placeholder.reason, placeholder.class], ["Placeholder", "item"])
      assert.match(placeholder.message, /^the provider sent a placeholder video \(\w+ for a \.mkv\) instead of the file \(an expired or refused account\?\)$/)
      assert.strictEqual(Fs.statSync(partial).size, 0)
    }))

  it.scoped("statuses by class: 401/458 account, 404 item, never retried; no message holds the URL", () =>
    Effect.gen(function*() {
      const s = yield* server(MiB)
      const dir = yield* scratch
      for (const [status, reason, cls] of [[401, "Unauthorized", "account"], [458, "ConnectionLimit", "account"], [509, "BandwidthExceeded", "account"], [404, "NotFound", "item"]] as const) {
        s.faults.push({ _tag: "Status", status })
        const before = s.log.length
        const error = yield* Download.run({ url: Redacted.make(s.url), partial: Path.join(dir, ".p") }).pipe(Effect.flip)
        assert.deepStrictEqual([error.reason, error.class, error.status], [reason, cls, status])
        assert.strictEqual(s.log.length, before + 1)
        assert.notInclude(`${error.message} ${JSON.stringify(error)}`, "CanaryPw")
      }
    }))

  it.scoped("a stalled body is dropped after the stall timeout and resumed", () =>
    Effect.gen(function*() {
      const s = yield* server(MiB)
      const dir = yield* scratch
      s.faults.push({ _tag: "Stall", afterBytes: 300_000 })
      const outcome = yield* Download.run({
        url: Redacted.make(s.url),
        partial: Path.join(dir, ".p"),
        stallTimeout: "300 millis",
        checkpointBytes: 64 * 1024
      })
      assert.strictEqual(outcome.state.durable, MiB)
      assert.strictEqual(sha(Fs.readFileSync(Path.join(dir, ".p"))), sha(s.body()))
      assert.strictEqual(s.log.length, 2)
    }))

  it.scoped("events: progress while bytes flow, then Done with the outcome; an error fails the stream", () =>
    Effect.gen(function*() {
      const s = yield* server(3 * MiB)
      const dir = yield* scratch
      const seen = yield* Download.events({ url: Redacted.make(s.url), partial: Path.join(dir, ".p") }).pipe(
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      const last = seen.at(-1)!
      assert.strictEqual(last._tag, "Done")
      assert.strictEqual(last._tag === "Done" ? last.outcome.state.durable : 0, 3 * MiB)
      assert.isTrue(seen.slice(0, -1).every((e) => e._tag === "Progress" && e.progress.total === 3 * MiB))
      s.faults.push({ _tag: "Status", status: 404 })
      const failed = yield* Download.events({ url: Redacted.make(s.url), partial: Path.join(dir, ".q") }).pipe(Stream.runDrain, Effect.flip)
      assert.strictEqual(failed.reason, "NotFound")
    }))

  it.scoped("the entry's own User-Agent and Referer are sent; nothing else of the entry", () =>
    Effect.gen(function*() {
      const s = yield* server(64 * 1024)
      const dir = yield* scratch
      yield* Download.run({
        url: Redacted.make(s.url),
        partial: Path.join(dir, ".p"),
        userAgent: "configured/1",
        headers: { "User-Agent": "Provider Player/2", Referer: "http://panel.test/" }
      })
      assert.strictEqual(s.log[0]!.ua, "Provider Player/2")
    }))
})

describe("Download.defaults", () => {
  layer(NodeContext.layer)((it) => {
    it.effect("a player's User-Agent by default (panels refuse browser ones)", () =>
      Effect.sync(() => assert.match(Download.defaults.userAgent, /VLC/)))
  })
})
