import { assert, describe, it, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import { FakeProvider } from "../src/Testing.js"

const MiB = 1024 * 1024

const streams: ReadonlyArray<FakeProvider.StreamSpec> = [
  { id: 101, kind: "movie", ext: "mkv", size: 3 * MiB + 123 },
  { id: 102, kind: "movie", ext: "mp4", size: MiB + 1 },
  { id: 103, kind: "movie", ext: "m4v", size: 70_000 },
  { id: 104, kind: "movie", ext: "mov", size: 70_001 },
  { id: 105, kind: "movie", ext: "avi", size: 500_000 },
  { id: 106, kind: "movie", ext: "ts", size: 188 * 1000 + 50 },
  { id: 107, kind: "movie", ext: "webm", size: 100_000 },
  { id: 201, kind: "series", ext: "mkv", size: 2 * MiB },
  { id: 301, kind: "movie", ext: "mkv", size: 256 * MiB }
]
const spec = (id: number) => streams.find((s) => s.id === id)!

// Canaries: neither may ever show up in the request log, raw, percent-encoded or in base64.
const USERNAME = "canary-user-Jm3q"
const PASSWORD = "Canary Pw/9f3K+Ü"

interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: Buffer
  /** Why the body (or the whole exchange) ended early: undici's cause code, `UND_ERR_SOCKET` or `ECONNRESET`. */
  readonly error: string | undefined
}

const errorCode = (error: unknown) => {
  const e = error as { readonly cause?: { readonly code?: string }; readonly code?: string }
  return e.cause?.code ?? e.code ?? String(error)
}

/** One request with node's fetch, redirects not followed, the body read to its end or its error. */
const get = (url: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  Effect.promise(async (signal): Promise<Reply> => {
    let response: Response
    try {
      response = await fetch(url, { headers, redirect: "manual", signal, ...init })
    } catch (error) {
      return { status: 0, headers: new Headers(), body: Buffer.alloc(0), error: errorCode(error) }
    }
    const parts: Array<Uint8Array> = []
    let error: string | undefined
    try {
      const reader = response.body?.getReader()
      while (reader !== undefined) {
        const { done, value } = await reader.read()
        if (done) break
        parts.push(value)
      }
    } catch (e) {
      error = errorCode(e)
    }
    return { status: response.status, headers: response.headers, body: Buffer.concat(parts), error }
  })

const expected = (id: number, start = 0, end = spec(id).size, version = 1) =>
  Buffer.from(FakeProvider.bytesAt(spec(id), version, start, end - start))

const sha256 = (bytes: Uint8Array) => Crypto.createHash("sha256").update(bytes).digest("hex")

/** Polls `check` every 10 ms, for at most 5 s. */
const until = (check: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 500; i++) {
      if (yield* check) return
      yield* Effect.sleep("10 millis")
    }
    assert.fail("timed out waiting")
  })

const secretForms = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  encodeURI(secret),
  Buffer.from(secret).toString("base64")
]

describe("FakeProvider content", () => {
  it.effect("is deterministic per id and version, and seekable at any offset", () =>
    Effect.sync(() => {
      const mkv = spec(101)
      const whole = FakeProvider.bytesAt(mkv, 1, 0, mkv.size)
      assert.strictEqual(whole.length, mkv.size)
      assert.deepStrictEqual(FakeProvider.bytesAt(mkv, 1, 0, mkv.size), whole)
      for (const offset of [1, 15, 16, 17, 65_537, 256 * 1024 + 5, mkv.size - 3]) {
        assert.deepStrictEqual(FakeProvider.bytesAt(mkv, 1, offset, 4096), whole.subarray(offset, offset + 4096))
      }
      // Another version, or another id, is other content (past the signature).
      const v2 = FakeProvider.bytesAt(mkv, 2, 0, 4096)
      assert.deepStrictEqual(v2.subarray(0, 4), whole.subarray(0, 4))
      assert.notDeepEqual(v2.subarray(64), whole.subarray(64, 4096))
      assert.notDeepEqual(FakeProvider.bytesAt(spec(201), 1, 64, 4096), whole.subarray(64, 4160))
    }))

  it.effect("starts with the container's signature", () =>
    Effect.sync(() => {
      const head = (id: number) => Buffer.from(FakeProvider.bytesAt(spec(id), 1, 0, 188 * 8))
      assert.strictEqual(head(101).subarray(0, 4).toString("hex"), "1a45dfa3")
      assert.include(head(101).subarray(0, 40).toString("latin1"), "matroska")
      assert.strictEqual(head(107).subarray(0, 4).toString("hex"), "1a45dfa3")
      assert.include(head(107).subarray(0, 40).toString("latin1"), "webm")
      for (const id of [102, 103, 104]) assert.strictEqual(head(id).subarray(4, 8).toString("latin1"), "ftyp")
      assert.strictEqual(head(102).subarray(8, 12).toString("latin1"), "isom")
      assert.strictEqual(head(104).subarray(8, 12).toString("latin1"), "qt  ")
      const avi = head(105)
      assert.strictEqual(avi.subarray(0, 4).toString("latin1"), "RIFF")
      assert.strictEqual(avi.readUInt32LE(4), spec(105).size - 8)
      assert.strictEqual(avi.subarray(8, 12).toString("latin1"), "AVI ")
      // MPEG-TS: a sync byte at every packet, through the whole file.
      const ts = Buffer.from(FakeProvider.bytesAt(spec(106), 1, 0, spec(106).size))
      for (let i = 0; i < ts.length; i += 188) assert.strictEqual(ts[i], 0x47, `offset ${i}`)
      assert.deepStrictEqual(FakeProvider.signature("xyz", 10), new Uint8Array(0))
    }))

  it.effect("contentOf streams the same bytes, and sha256Of hashes them", () =>
    Effect.gen(function*() {
      const chunks = yield* Stream.runCollect(FakeProvider.contentOf(spec(101), { start: 1000, end: 2 * MiB + 7 }))
      const joined = Buffer.concat(Chunk.toReadonlyArray(chunks))
      assert.deepStrictEqual(joined, expected(101, 1000, 2 * MiB + 7))
      assert.isTrue(Chunk.toReadonlyArray(chunks).every((c) => c.length <= 256 * 1024))
      assert.strictEqual(yield* FakeProvider.sha256Of(spec(101)), sha256(expected(101)))
      assert.strictEqual(yield* FakeProvider.sha256Of(spec(101), 3), sha256(expected(101, 0, spec(101).size, 3)))
    }))
})

layer(FakeProvider.layer({ streams, username: USERNAME, password: PASSWORD }), { excludeTestServices: true })(
  "FakeProvider server",
  (it) => {
    it.effect("serves a whole file with 200, Content-Length and Accept-Ranges, and no validators", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        yield* fake.reset
        for (const id of [101, 102, 106, 201]) {
          const reply = yield* get(fake.url(id))
          assert.strictEqual(reply.status, 200)
          assert.strictEqual(reply.headers.get("content-length"), String(spec(id).size))
          assert.strictEqual(reply.headers.get("accept-ranges"), "bytes")
          assert.strictEqual(reply.headers.get("etag"), null)
          assert.strictEqual(reply.headers.get("last-modified"), null)
          assert.strictEqual(reply.headers.get("content-range"), null)
          assert.strictEqual(sha256(reply.body), yield* fake.sha256(id))
          assert.strictEqual(sha256(reply.body), yield* FakeProvider.sha256Of(spec(id)))
        }
        assert.strictEqual((yield* get(fake.url(101))).headers.get("content-type"), "video/x-matroska")
        assert.strictEqual((yield* get(fake.url(106))).headers.get("content-type"), "video/mp2t")
        const served = yield* Stream.runCollect(fake.contentOf(102))
        assert.deepStrictEqual(Buffer.concat(Chunk.toReadonlyArray(served)), expected(102))
        assert.strictEqual(yield* fake.requestCount, 6)
        const log = yield* fake.requests
        assert.deepStrictEqual(log.map((r) => r.outcome), Array(6).fill("complete"))
        assert.strictEqual(yield* fake.bytesSent, log.reduce((n, r) => n + r.bytesSent, 0))
      }))

    it.effect("answers ranges with 206 and Content-Range, and 416 beyond the end", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        const size = spec(101).size
        const open = yield* get(fake.url(101), { range: "bytes=1000000-" })
        assert.strictEqual(open.status, 206)
        assert.strictEqual(open.headers.get("content-range"), `bytes 1000000-${size - 1}/${size}`)
        assert.strictEqual(open.headers.get("content-length"), String(size - 1_000_000))
        assert.deepStrictEqual(open.body, expected(101, 1_000_000))

        const closed = yield* get(fake.url(101), { range: "bytes=17-65552" })
        assert.strictEqual(closed.status, 206)
        assert.strictEqual(closed.headers.get("content-range"), `bytes 17-65552/${size}`)
        assert.deepStrictEqual(closed.body, expected(101, 17, 65_553))

        const pastEnd = yield* get(fake.url(101), { range: `bytes=${size - 10}-${size + 100}` })
        assert.strictEqual(pastEnd.headers.get("content-range"), `bytes ${size - 10}-${size - 1}/${size}`)
        assert.strictEqual(pastEnd.body.length, 10)

        const suffix = yield* get(fake.url(101), { range: "bytes=-500" })
        assert.strictEqual(suffix.headers.get("content-range"), `bytes ${size - 500}-${size - 1}/${size}`)
        assert.deepStrictEqual(suffix.body, expected(101, size - 500))

        for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 9}`, "bytes=0-1,5-6"]) {
          const refused = yield* get(fake.url(101), { range })
          assert.strictEqual(refused.status, 416, range)
          assert.strictEqual(refused.headers.get("content-range"), `bytes */${size}`)
          assert.strictEqual(refused.body.length, 0)
        }
        // Garbage is ignored (RFC 9110): the whole file.
        const garbage = yield* get(fake.url(102), { range: "pages=1-2" })
        assert.strictEqual(garbage.status, 200)
        assert.strictEqual(garbage.body.length, spec(102).size)
        // Without validators, If-Range is ignored, as by a panel.
        const ifRange = yield* get(fake.url(102), { range: "bytes=10-", "if-range": "\"nope\"" })
        assert.strictEqual(ifRange.status, 206)
      }))

    it.effect("refuses wrong credentials with 401 HTML and unknown ids with an nginx 404", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        const wrong = yield* get(fake.url(101, { password: "not-it" }))
        assert.strictEqual(wrong.status, 401)
        assert.include(wrong.headers.get("content-type") ?? "", "text/html")
        assert.include(wrong.body.toString(), "<html>")
        assert.strictEqual((yield* get(fake.url(101, { username: "someone" }))).status, 401)
        const unknown = yield* get(fake.url(999))
        assert.strictEqual(unknown.status, 404)
        assert.include(unknown.body.toString(), "<center>nginx</center>")
        // A movie is not an episode.
        assert.strictEqual((yield* get(fake.url(101, { kind: "series" }))).status, 404)
        assert.strictEqual((yield* get(`${fake.baseUrl}/live/x/y/1.ts`)).status, 404)
      }))

    it.effect("resetAt sends up to the offset and then resets; finAt closes cleanly short", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        yield* fake.reset
        yield* fake.failNext(FakeProvider.resetAt(2_000_001))
        const reset = yield* get(fake.url(101))
        assert.strictEqual(reset.status, 200)
        assert.strictEqual(reset.headers.get("content-length"), String(spec(101).size))
        assert.deepStrictEqual(reset.body, expected(101, 0, 2_000_001))
        assert.strictEqual(reset.error, "ECONNRESET")

        yield* fake.failNext(FakeProvider.resetAt(1_500_000))
        const ranged = yield* get(fake.url(101), { range: "bytes=1000000-" })
        assert.strictEqual(ranged.status, 206)
        assert.deepStrictEqual(ranged.body, expected(101, 1_000_000, 1_500_000))
        assert.isDefined(ranged.error)

        yield* fake.failNext(FakeProvider.finAt(123_457))
        const fin = yield* get(fake.url(101))
        assert.deepStrictEqual(fin.body, expected(101, 0, 123_457))
        assert.strictEqual(fin.error, "UND_ERR_SOCKET")

        // At or before the start: the headers and no body.
        yield* fake.failNext(FakeProvider.resetAt(0))
        const empty = yield* get(fake.url(102), { range: "bytes=100-" })
        assert.strictEqual(empty.status, 206)
        assert.strictEqual(empty.body.length, 0)
        assert.isDefined(empty.error)

        const log = yield* fake.requests
        assert.deepStrictEqual(log.map((r) => [r.outcome, r.cut, r.bytesSent, r.fault]), [
          ["reset", true, 2_000_001, "resetAt(2000001)"],
          ["reset", true, 500_000, "resetAt(1500000)"],
          ["fin", true, 123_457, "finAt(123457)"],
          ["reset", true, 0, "resetAt(0)"]
        ])
        assert.strictEqual((yield* get(fake.url(101))).body.length, spec(101).size, "one request each")
      }))

    it.effect("ignoreRange answers 200 with the whole file; wrong Content-Range start or total", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        const size = spec(102).size
        yield* fake.failNext(FakeProvider.ignoreRange)
        const ignored = yield* get(fake.url(102), { range: "bytes=1000-" })
        assert.strictEqual(ignored.status, 200)
        assert.strictEqual(ignored.headers.get("content-range"), null)
        assert.deepStrictEqual(ignored.body, expected(102))

        yield* fake.failNext(FakeProvider.wrongContentRange(4096))
        const shifted = yield* get(fake.url(102), { range: "bytes=1000-1999" })
        assert.strictEqual(shifted.status, 206)
        assert.strictEqual(shifted.headers.get("content-range"), `bytes 5096-6095/${size}`)
        assert.deepStrictEqual(shifted.body, expected(102, 1000, 2000))

        yield* fake.failNext(FakeProvider.wrongContentRange(-1))
        const early = yield* get(fake.url(102), { range: "bytes=1000-" })
        assert.strictEqual(early.headers.get("content-range"), `bytes 999-${size - 2}/${size}`)
        assert.deepStrictEqual(early.body, expected(102, 1000))

        yield* fake.failNext(FakeProvider.wrongTotal(-1))
        const total = yield* get(fake.url(102), { range: "bytes=1000-" })
        assert.strictEqual(total.headers.get("content-range"), `bytes 1000-${size - 1}/${size - 1}`)
        assert.deepStrictEqual(total.body, expected(102, 1000))
      }))

    it.effect("status faults: any code, Retry-After, 416 forms, custom bodies", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        const size = spec(101).size
        yield* fake.failNext(FakeProvider.status(403))
        const forbidden = yield* get(fake.url(101))
        assert.strictEqual(forbidden.status, 403)
        assert.include(forbidden.body.toString(), "403 Forbidden")
        assert.include(forbidden.headers.get("content-type") ?? "", "text/html")

        yield* fake.failNext(FakeProvider.rateLimited(120))
        const limited = yield* get(fake.url(101))
        assert.strictEqual(limited.status, 429)
        assert.strictEqual(limited.headers.get("retry-after"), "120")

        yield* fake.failNext(FakeProvider.status(459, { body: "CONNECTION LIMIT EXCEEDED", contentType: "text/plain" }))
        const custom = yield* get(fake.url(101))
        assert.strictEqual(custom.status, 459)
        assert.strictEqual(custom.body.toString(), "CONNECTION LIMIT EXCEEDED")
        assert.strictEqual(custom.headers.get("content-type"), "text/plain")

        for (const code of [458, 509, 500, 503]) {
          yield* fake.failNext(FakeProvider.status(code))
          assert.strictEqual((yield* get(fake.url(101))).status, code)
        }

        const forms = [
          [FakeProvider.unsatisfiable(), `bytes */${size}`],
          [FakeProvider.unsatisfiable("xtream"), `bytes 0-${size - 1}/${size}`],
          [FakeProvider.unsatisfiable("none"), null]
        ] as const
        for (const [fault, contentRange] of forms) {
          yield* fake.failNext(fault)
          const reply = yield* get(fake.url(101), { range: `bytes=${size}-` })
          assert.strictEqual(reply.status, 416)
          assert.strictEqual(reply.headers.get("content-range"), contentRange)
        }
        assert.strictEqual((yield* get(fake.url(101), { range: "bytes=0-0" })).status, 206, "faults are used up")
      }))

    it.effect("HTML under 200, HTML as octet-stream, and the placeholder video", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        yield* fake.failNext(FakeProvider.htmlUnder200)
        const html = yield* get(fake.url(101))
        assert.strictEqual(html.status, 200)
        assert.include(html.headers.get("content-type") ?? "", "text/html")
        assert.isTrue(html.body.toString().startsWith("<html>"))

        yield* fake.failNext(FakeProvider.htmlAsOctetStream)
        const disguised = yield* get(fake.url(101))
        assert.strictEqual(disguised.status, 200)
        assert.strictEqual(disguised.headers.get("content-type"), "application/octet-stream")
        assert.isTrue(disguised.body.toString().startsWith("<html>"))

        yield* fake.failNext(FakeProvider.placeholder)
        const clip = yield* get(fake.url(101))
        assert.strictEqual(clip.status, 200)
        assert.strictEqual(clip.headers.get("content-type"), "video/mp2t")
        assert.strictEqual(clip.headers.get("content-length"), String(clip.body.length))
        assert.isBelow(clip.body.length, 100_000)
        for (let i = 0; i < clip.body.length; i += 188) assert.strictEqual(clip.body[i], 0x47)
      }))

    it.effect("changeContent serves a new version from then on", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        const before = yield* fake.version(105)
        yield* fake.failNext(FakeProvider.changeContent)
        const changed = yield* get(fake.url(105))
        assert.strictEqual(yield* fake.version(105), before + 1)
        assert.deepStrictEqual(changed.body, expected(105, 0, spec(105).size, before + 1))
        assert.notDeepEqual(changed.body.subarray(12), expected(105, 12, spec(105).size, before))
        // Same length, same signature: only the bytes tell.
        assert.strictEqual(changed.body.length, spec(105).size)
        assert.strictEqual(changed.body.subarray(0, 4).toString("latin1"), "RIFF")
        assert.strictEqual(sha256((yield* get(fake.url(105))).body), yield* fake.sha256(105))
        assert.strictEqual(yield* fake.changeContent(105), before + 2)
        assert.strictEqual(sha256((yield* get(fake.url(105))).body), yield* fake.sha256(105, before + 2))
      }))

    it.effect("stall pauses the body, throttle paces it, noContentLength sends it chunked", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        yield* fake.failNext(FakeProvider.stall("400 millis", 1000))
        let start = Date.now()
        const stalled = yield* get(fake.url(102))
        assert.isAtLeast(Date.now() - start, 380)
        assert.deepStrictEqual(stalled.body, expected(102))

        yield* fake.failNext(FakeProvider.stall("300 millis"))
        start = Date.now()
        const atHeaders = yield* get(fake.url(103), { range: "bytes=5-" })
        assert.isAtLeast(Date.now() - start, 280)
        assert.deepStrictEqual(atHeaders.body, expected(103, 5))

        yield* fake.failNext(FakeProvider.throttle(2 * MiB))
        start = Date.now()
        const paced = yield* get(fake.url(102))
        const took = Date.now() - start
        assert.isAtLeast(took, 400, `${took} ms`)
        assert.deepStrictEqual(paced.body, expected(102))

        yield* fake.failNext(FakeProvider.noContentLength)
        const chunked = yield* get(fake.url(102), { range: "bytes=10-" })
        assert.strictEqual(chunked.status, 206)
        assert.strictEqual(chunked.headers.get("content-length"), null)
        assert.strictEqual(chunked.headers.get("transfer-encoding"), "chunked")
        assert.deepStrictEqual(chunked.body, expected(102, 10))

        yield* fake.failNext(FakeProvider.all(FakeProvider.throttle(4 * MiB), FakeProvider.finAt(300_000)))
        const both = yield* get(fake.url(102))
        assert.deepStrictEqual(both.body, expected(102, 0, 300_000))
        assert.isDefined(both.error)
      }))

    it.effect("faults go to the stream or path asked, as many times as asked, in order", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        yield* fake.reset
        yield* fake.failNext(FakeProvider.status(500), { streamId: 102, times: 2 })
        yield* fake.failNext(FakeProvider.status(503), { path: "/series/" })
        yield* fake.failNext(FakeProvider.status(509), { path: /\/107\.webm$/ })
        assert.strictEqual((yield* get(fake.url(101), { range: "bytes=0-9" })).status, 206)
        assert.strictEqual((yield* get(fake.url(102), { range: "bytes=0-9" })).status, 500)
        assert.strictEqual((yield* get(fake.url(201), { range: "bytes=0-9" })).status, 503)
        assert.strictEqual((yield* get(fake.url(102), { range: "bytes=0-9" })).status, 500)
        assert.strictEqual((yield* get(fake.url(102), { range: "bytes=0-9" })).status, 206)
        assert.strictEqual((yield* get(fake.url(201), { range: "bytes=0-9" })).status, 206)
        assert.strictEqual((yield* get(fake.url(107), { range: "bytes=0-9" })).status, 509)
        // A request that is refused anyway does not use a fault up.
        yield* fake.failNext(FakeProvider.status(500))
        assert.strictEqual((yield* get(fake.url(101, { password: "x" }))).status, 401)
        assert.strictEqual((yield* get(fake.url(101), { range: "bytes=0-9" })).status, 500)
      }))

    it.effect("logs requests without credentials", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        yield* fake.reset
        yield* get(fake.url(101), { range: "bytes=5-9", "user-agent": "VLC/3.0.20 LibVLC/3.0.20" })
        yield* get(fake.url(101, { password: `${PASSWORD}x` }))
        yield* get(`${fake.baseUrl}/live/${encodeURIComponent(USERNAME)}/${encodeURIComponent(PASSWORD)}/9.ts`)
        yield* get(`${fake.baseUrl}/movie/${encodeURIComponent(USERNAME)}/${encodeURIComponent(PASSWORD)}`)
        const log = yield* fake.requests
        assert.deepStrictEqual(log[0], {
          method: "GET",
          path: "/movie/{username}/{password}/101.mkv",
          hop: "path",
          streamId: 101,
          range: "bytes=5-9",
          ifRange: undefined,
          userAgent: "VLC/3.0.20 LibVLC/3.0.20",
          status: 206,
          bytesSent: 5,
          cut: false,
          outcome: "complete",
          fault: undefined,
          at: log[0]!.at
        })
        assert.deepStrictEqual(log.map((r) => [r.path, r.status]), [
          ["/movie/{username}/{password}/101.mkv", 206],
          ["/movie/{username}/{password}/101.mkv", 401],
          ["/live/{username}/{password}/9.ts", 404],
          ["/movie/{username}/{password}", 404]
        ])
        const text = JSON.stringify(log)
        for (const form of [...secretForms(PASSWORD), ...secretForms(USERNAME)]) assert.notInclude(text, form)
      }))

    it.effect("serves a large file whole over loopback (its speed is measured in scripts/bench-download.mjs, not here)", () =>
      Effect.gen(function*() {
        const fake = yield* FakeProvider.Fake
        // node:http rather than fetch, for a large body.
        const received = yield* Effect.async<number>((resume) => {
          let n = 0
          Http.get(fake.url(301), { agent: false }, (res) => {
            res.on("data", (chunk: Buffer) => {
              n += chunk.length
            })
            res.on("end", () => resume(Effect.succeed(n)))
          })
        })
        assert.strictEqual(received, spec(301).size)
      }))
  }
)

describe("FakeProvider options", () => {
  it.scopedLive("redirect: a single-use, expiring token that never carries the credentials", () =>
    Effect.gen(function*() {
      const fake = yield* FakeProvider.make(
        { streams, username: USERNAME, password: PASSWORD },
        { redirect: true, tokenTtl: "300 millis" }
      )
      const first = yield* get(fake.url(101), { range: "bytes=100-" })
      assert.strictEqual(first.status, 302)
      const location = first.headers.get("location")!
      assert.match(location, /^\/vauth\/[A-Za-z0-9_-]+$/)
      for (const form of [...secretForms(PASSWORD), ...secretForms(USERNAME)]) assert.notInclude(location, form)

      const content = yield* get(`${fake.baseUrl}${location}`, { range: "bytes=100-" })
      assert.strictEqual(content.status, 206)
      assert.strictEqual(content.headers.get("content-range"), `bytes 100-${spec(101).size - 1}/${spec(101).size}`)
      assert.deepStrictEqual(content.body, expected(101, 100))
      // The token hop honours its own Range.
      const again = yield* get(fake.url(101))
      const other = yield* get(`${fake.baseUrl}${again.headers.get("location")}`, { range: "bytes=7-8" })
      assert.deepStrictEqual(other.body, expected(101, 7, 9))

      const reused = yield* get(`${fake.baseUrl}${location}`, { range: "bytes=100-" })
      assert.strictEqual(reused.status, 403)
      assert.include(reused.headers.get("content-type") ?? "", "text/html")

      const late = (yield* get(fake.url(101))).headers.get("location")!
      yield* Effect.sleep("400 millis")
      assert.strictEqual((yield* get(`${fake.baseUrl}${late}`)).status, 403)
      assert.strictEqual((yield* get(`${fake.baseUrl}/vauth/never-issued`)).status, 403)

      // fetch follows the relative Location with the same Range.
      const followed = yield* get(fake.url(102), { range: "bytes=10-" }, { redirect: "follow" })
      assert.strictEqual(followed.status, 206)
      assert.deepStrictEqual(followed.body, expected(102, 10))

      // A fault asked on the path is served on the token hop.
      yield* fake.failNext(FakeProvider.finAt(5000), { streamId: 102 })
      const cut = yield* get(fake.url(102), {}, { redirect: "follow" })
      assert.deepStrictEqual(cut.body, expected(102, 0, 5000))
      // An answer in place of the stream comes from the first hop.
      yield* fake.failNext(FakeProvider.status(458))
      assert.strictEqual((yield* get(fake.url(102))).status, 458)

      const log = yield* fake.requests
      assert.deepStrictEqual(log.slice(0, 2).map((r) => [r.hop, r.status, r.streamId]), [
        ["path", 302, 101],
        ["token", 206, 101]
      ])
      const text = JSON.stringify(log)
      for (const form of [...secretForms(PASSWORD), ...secretForms(USERNAME)]) assert.notInclude(text, form)
    }))

  it.scopedLive("validators: a strong ETag per version, and If-Range", () =>
    Effect.gen(function*() {
      const fake = yield* FakeProvider.make({ streams }, { validators: true })
      const full = yield* get(fake.url(102))
      assert.strictEqual(full.headers.get("etag"), "\"102-1\"")
      const matching = yield* get(fake.url(102), { range: "bytes=10-", "if-range": "\"102-1\"" })
      assert.strictEqual(matching.status, 206)
      assert.deepStrictEqual(matching.body, expected(102, 10))
      yield* fake.changeContent(102)
      const stale = yield* get(fake.url(102), { range: "bytes=10-", "if-range": "\"102-1\"" })
      assert.strictEqual(stale.status, 200)
      assert.strictEqual(stale.headers.get("etag"), "\"102-2\"")
      assert.deepStrictEqual(stale.body, expected(102, 0, spec(102).size, 2))
      const dated = yield* get(fake.url(102), { range: "bytes=10-", "if-range": "Wed, 21 Oct 2015 07:28:00 GMT" })
      assert.strictEqual(dated.status, 200)
    }))

  it.scopedLive("xtreamHeaders and unauthorizedStatus", () =>
    Effect.gen(function*() {
      const fake = yield* FakeProvider.make({ streams }, { xtreamHeaders: true, unauthorizedStatus: 403 })
      const size = spec(102).size
      const full = yield* get(fake.url(102))
      assert.strictEqual(full.status, 200)
      assert.strictEqual(full.headers.get("accept-ranges"), `0-${size}`)
      assert.strictEqual(full.headers.get("content-range"), `bytes 0-${size - 1}/${size}`)
      const refused = yield* get(fake.url(102), { range: `bytes=${size}-` })
      assert.strictEqual(refused.status, 416)
      assert.strictEqual(refused.headers.get("content-range"), `bytes 0-${size - 1}/${size}`)
      assert.strictEqual((yield* get(fake.url(102, { password: "wrong" }))).status, 403)
    }))

  it.scopedLive("maxConnections: a request over the limit resets the oldest one", () =>
    Effect.gen(function*() {
      const fake = yield* FakeProvider.make({ streams }, { maxConnections: 1 })
      yield* fake.failNext(FakeProvider.stall("30 seconds", 100_000))
      const oldest = yield* Effect.fork(get(fake.url(102)))
      yield* until(Effect.map(fake.requests, (log) => log[0]?.bytesSent === 100_000))
      assert.strictEqual(yield* fake.inFlight, 1)
      const newest = yield* get(fake.url(101))
      assert.deepStrictEqual(newest.body, expected(101))
      const evicted = yield* Fiber.join(oldest)
      assert.isDefined(evicted.error)
      assert.isBelow(evicted.body.length, spec(102).size)
      assert.strictEqual(yield* fake.evictions, 1)
      assert.strictEqual(yield* fake.maxConcurrentObserved, 1)
      assert.deepStrictEqual((yield* fake.requests).map((r) => [r.outcome, r.cut]), [["evicted", true], ["complete", false]])

      // One after another never evicts.
      yield* fake.reset
      for (const id of [101, 102, 103, 101]) assert.strictEqual((yield* get(fake.url(id))).status, 200)
      assert.strictEqual(yield* fake.evictions, 0)
      assert.strictEqual(yield* fake.maxConcurrentObserved, 1)
    }))

  it.scopedLive("maxConnections 2 under redirect: the oldest goes, the second stays", () =>
    Effect.gen(function*() {
      const fake = yield* FakeProvider.make({ streams }, { maxConnections: 2, redirect: true })
      yield* fake.failNext(FakeProvider.stall("30 seconds"), { times: 2 })
      const a = yield* Effect.fork(get(fake.url(102), {}, { redirect: "follow" }))
      yield* until(Effect.map(fake.inFlight, (n) => n === 1))
      const b = yield* Effect.fork(get(fake.url(103), {}, { redirect: "follow" }))
      yield* until(Effect.map(fake.requests, (log) => log.filter((r) => r.hop === "token").length === 2))
      assert.strictEqual(yield* fake.inFlight, 2)
      const c = yield* get(fake.url(101), {}, { redirect: "follow" })
      assert.deepStrictEqual(c.body, expected(101))
      const first = yield* Fiber.join(a)
      assert.isDefined(first.error)
      yield* until(Effect.map(fake.inFlight, (n) => n === 1)) // the second is still being served
      assert.strictEqual(yield* fake.evictions, 1)
      assert.strictEqual(yield* fake.maxConcurrentObserved, 2)
      yield* Fiber.interrupt(b)
      yield* until(Effect.map(fake.inFlight, (n) => n === 0))
      const outcomes = (yield* fake.requests).filter((r) => r.hop === "token").map((r) => [r.streamId, r.outcome])
      assert.deepStrictEqual(outcomes, [[102, "evicted"], [103, "aborted"], [101, "complete"]])
    }))

  it.scopedLive("chaos cuts bodies at offsets reproducible from its seed", () =>
    Effect.gen(function*() {
      const fake = yield* FakeProvider.make({ streams }, { chaos: { resetProbabilityPerMiB: 0.5, finShare: 0.5, seed: 7 } })
      const run = Effect.gen(function*() {
        const lengths: Array<number> = []
        for (let i = 0; i < 6; i++) {
          const reply = yield* get(fake.url(101))
          assert.deepStrictEqual(reply.body, expected(101, 0, reply.body.length))
          lengths.push(reply.body.length)
        }
        return { lengths, faults: (yield* fake.requests).map((r) => r.fault ?? "") }
      })
      const once = yield* run
      assert.isTrue(once.lengths.some((n) => n < spec(101).size), "some cut")
      assert.isTrue(once.faults.some((f) => f.includes("chaos resetAt")) || once.faults.some((f) => f.includes("chaos finAt")))
      yield* fake.reset
      const twice = yield* run
      assert.deepStrictEqual(twice.faults, once.faults)
      assert.deepStrictEqual(twice.lengths, once.lengths)
    }))
})
