import { assert, describe, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import * as Container from "../src/Container.js"
import * as ContentRange from "../src/ContentRange.js"
import * as Resume from "../src/Resume.js"

const MiB = 1024 * 1024
const TOTAL = 100 * MiB

describe("ContentRange.parse", () => {
  const cases: ReadonlyArray<readonly [string | undefined, ContentRange.ContentRange | null]> = [
    ["bytes 0-99/1000", { _tag: "Range", start: 0, end: 99, total: 1000 }],
    ["bytes 100-999/1000", { _tag: "Range", start: 100, end: 999, total: 1000 }],
    ["BYTES 5-9/*", { _tag: "Range", start: 5, end: 9, total: null }],
    ["0-99/1000", { _tag: "Range", start: 0, end: 99, total: 1000 }],
    ["bytes */1000", { _tag: "Unsatisfied", total: 1000 }],
    ["*/1000", { _tag: "Unsatisfied", total: 1000 }],
    ["  bytes 0-0/1  ", { _tag: "Range", start: 0, end: 0, total: 1 }],
    [undefined, null],
    ["", null],
    ["bytes 10-5/100", null],
    ["bytes 0-100/100", null],
    ["bytes 0-99", null],
    ["bytes=0-99/100", null],
    ["items 0-99/100", null],
    ["bytes -5/100", null],
    ["bytes 0-99/100, 200-299/300", null],
    ["bytes 1e3-2e3/5e3", null]
  ]
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected === null ? "null" : expected._tag}`, () => {
      assert.deepStrictEqual(ContentRange.parse(header), expected)
    })
  }

  it("never throws and round-trips what it accepts (10,000 runs)", () => {
    FastCheck.assert(FastCheck.property(FastCheck.string(), (text) => {
      ContentRange.parse(text)
    }), { numRuns: 5000 })
    FastCheck.assert(
      FastCheck.property(FastCheck.nat(), FastCheck.nat(), FastCheck.nat(), (a, b, c) => {
        const [start, end, total] = [a, a + b, a + b + 1 + c]
        assert.deepStrictEqual(ContentRange.parse(`bytes ${start}-${end}/${total}`), { _tag: "Range", start, end, total })
      }),
      { numRuns: 5000 }
    )
  })
})

const at = (durable: number, total: number | null = TOTAL, etag: string | null = null): Resume.State => ({ durable, total, etag })
const respond = (status: number, headers: Record<string, string> = {}): Resume.Response => ({ status, headers })
const range = (start: number, total: number | string = TOTAL, end?: number) => ({
  "content-range": `bytes ${start}-${end ?? (typeof total === "number" ? total - 1 : start + 999)}/${total}`
})

describe("Resume.plan", () => {
  it("from zero with nothing on disk; at the durable offset with If-Range given a strong ETag", () => {
    assert.deepStrictEqual(Resume.plan(Resume.empty), { start: 0, ifRange: null, verify: 0 })
    assert.deepStrictEqual(Resume.plan(at(10 * MiB, TOTAL, "\"v1\"")), { start: 10 * MiB, ifRange: "\"v1\"", verify: 0 })
  })

  it("without a validator, an overlap before the durable offset, to compare", () => {
    assert.deepStrictEqual(Resume.plan(at(10 * MiB), 512 * 1024), { start: 10 * MiB - 512 * 1024, ifRange: null, verify: 512 * 1024 })
    assert.deepStrictEqual(Resume.plan(at(1000), 512 * 1024), { start: 0, ifRange: null, verify: 1000 })
  })

  it("only strong ETags are kept", () => {
    assert.strictEqual(Resume.strongEtag("W/\"x\""), null)
    assert.strictEqual(Resume.strongEtag("\"x\""), "\"x\"")
    assert.strictEqual(Resume.strongEtag(undefined), null)
  })
})

describe("Resume.decide (the decision table)", () => {
  type Row = readonly [name: string, state: Resume.State, response: Resume.Response, expected: Partial<Resume.Decision> & { _tag: Resume.Decision["_tag"] }]
  const durable = 10 * MiB
  const overlapped = Resume.plan(at(durable))
  const rows: ReadonlyArray<Row> = [
    ["first download, 200 with a length", Resume.empty, respond(200, { "content-length": String(TOTAL) }), { _tag: "Write", at: 0, verify: 0, total: TOTAL, restart: false }],
    ["first download, 200 without a length", Resume.empty, respond(200), { _tag: "Write", at: 0, total: null, restart: false }],
    ["first download, 200 with a stray Content-Range (panel)", Resume.empty, respond(200, { "content-length": String(TOTAL), ...range(0) }), { _tag: "Write", at: 0, restart: false }],
    ["resume, 206 at the overlap start", at(durable), respond(206, range(overlapped.start)), { _tag: "Write", at: overlapped.start, verify: overlapped.verify, total: TOTAL, restart: false }],
    ["resume, 206 with the matching length", at(durable), respond(206, { ...range(overlapped.start), "content-length": String(TOTAL - overlapped.start) }), { _tag: "Write", at: overlapped.start }],
    ["resume, 206 whose length disagrees", at(durable), respond(206, { ...range(overlapped.start), "content-length": "5" }), { _tag: "Refuse", reason: "RangeMismatch" }],
    ["resume, 206 one byte late", at(durable), respond(206, range(overlapped.start + 1)), { _tag: "Refuse", reason: "RangeMismatch" }],
    ["resume, 206 one byte early", at(durable), respond(206, range(overlapped.start - 1)), { _tag: "Refuse", reason: "RangeMismatch" }],
    ["resume, 206 4 KiB off", at(durable), respond(206, range(overlapped.start + 4096)), { _tag: "Refuse", reason: "RangeMismatch" }],
    ["resume, 206 with another total", at(durable), respond(206, range(overlapped.start, TOTAL + 1)), { _tag: "Refuse", reason: "TotalChanged" }],
    ["resume, 206 without Content-Range", at(durable), respond(206), { _tag: "Refuse", reason: "RangeMismatch" }],
    ["resume, 206 with garbage Content-Range", at(durable), respond(206, { "content-range": "bytes yes/no" }), { _tag: "Refuse", reason: "RangeMismatch" }],
    ["resume, 206 with an unsatisfied range", at(durable), respond(206, { "content-range": `bytes */${TOTAL}` }), { _tag: "Refuse", reason: "RangeMismatch" }],
    ["resume, 206 total * with a recorded total", at(durable), respond(206, range(overlapped.start, "*")), { _tag: "Write", total: TOTAL }],
    ["resume, 206 total * and none recorded", at(durable, null), respond(206, range(overlapped.start, "*")), { _tag: "Refuse", reason: "NoTotal" }],
    ["resume, 200 (Range ignored): restart from zero", at(durable), respond(200, { "content-length": String(TOTAL) }), { _tag: "Write", at: 0, verify: 0, restart: true }],
    ["resume with ETag, 200 (If-Range: changed): restart", at(durable, TOTAL, "\"v1\""), respond(200, { "content-length": String(TOTAL + 5), etag: "\"v2\"" }), { _tag: "Write", at: 0, restart: true, total: TOTAL + 5, etag: "\"v2\"" }],
    ["resume with ETag, 206 at the durable offset", at(durable, TOTAL, "\"v1\""), respond(206, range(durable)), { _tag: "Write", at: durable, verify: 0, etag: "\"v1\"" }],
    ["compressed body", at(durable), respond(206, { ...range(overlapped.start), "content-encoding": "gzip" }), { _tag: "Refuse", reason: "Encoded" }],
    ["identity encoding is fine", Resume.empty, respond(200, { "content-encoding": "identity" }), { _tag: "Write" }],
    ["416 */N at the end with If-Range: complete", at(TOTAL, TOTAL, "\"v1\""), respond(416, { "content-range": `bytes */${TOTAL}` }), { _tag: "Complete" }],
    ["416 in the panel's form at the end with If-Range: complete", at(TOTAL, TOTAL, "\"v1\""), respond(416, range(0)), { _tag: "Complete" }],
    ["416 stating a smaller entity: shrunk", at(durable), respond(416, { "content-range": "bytes */1000" }), { _tag: "Refuse", reason: "Shrunk" }],
    ["416 without Content-Range: keep the file", at(durable), respond(416), { _tag: "Refuse", reason: "Ambiguous416" }],
    ["416 with a larger total: keep the file", at(durable), respond(416, { "content-range": `bytes */${TOTAL * 2}` }), { _tag: "Refuse", reason: "Ambiguous416" }]
  ]
  for (const [name, state, response, expected] of rows) {
    it(name, () => {
      const decision = Resume.decide(state, Resume.plan(state), response)
      for (const [key, value] of Object.entries(expected)) {
        assert.deepStrictEqual((decision as Record<string, unknown>)[key], value, `${name}: ${key} of ${JSON.stringify(decision)}`)
      }
    })
  }
})

describe("Container.sniff", () => {
  const bytes = (...parts: ReadonlyArray<ReadonlyArray<number> | string>) => {
    const out: Array<number> = []
    for (const part of parts) out.push(...(typeof part === "string" ? [...part].map((c) => c.charCodeAt(0)) : part))
    while (out.length < Container.SNIFF_BYTES) out.push(0)
    return Uint8Array.from(out)
  }
  const ts = () => {
    const out = new Uint8Array(Container.SNIFF_BYTES)
    for (let i = 0; i < out.length; i += 188) out[i] = 0x47
    return out
  }

  it("knows the containers by their first bytes", () => {
    assert.deepStrictEqual(Container.sniff(bytes([0x1a, 0x45, 0xdf, 0xa3]), { extension: "mkv" }), { _tag: "Video", container: "matroska" })
    assert.deepStrictEqual(Container.sniff(bytes([0, 0, 0, 0x20], "ftypisom"), { extension: "mp4" }), { _tag: "Video", container: "mp4" })
    assert.deepStrictEqual(Container.sniff(bytes("RIFF", [1, 2, 3, 4], "AVI LIST"), { extension: "avi" }), { _tag: "Video", container: "avi" })
    assert.deepStrictEqual(Container.sniff(ts(), { extension: "ts" }), { _tag: "Video", container: "mpegts" })
  })

  it("an HTML page, JSON or text under 200 is not a video, whatever the content type claims", () => {
    const html = new TextEncoder().encode("<!DOCTYPE html><html><body>404 Not Found</body></html>".padEnd(800, " "))
    assert.deepStrictEqual(Container.sniff(html, { contentType: "application/octet-stream", extension: "mkv" }), { _tag: "NotVideo", seen: "an HTML page" })
    assert.deepStrictEqual(Container.sniff(html, { contentType: "text/html; charset=utf-8" }), { _tag: "NotVideo", seen: "an HTML page" })
    const json = new TextEncoder().encode(JSON.stringify({ error: "expired" }))
    assert.deepStrictEqual(Container.sniff(json, { contentType: "application/json", complete: true }), { _tag: "NotVideo", seen: "a JSON document" })
    assert.deepStrictEqual(Container.sniff(new Uint8Array(0), { complete: true }), { _tag: "NotVideo", seen: "an empty body" })
  })

  it("an MPEG-TS placeholder for an .mkv is refused", () => {
    assert.deepStrictEqual(Container.sniff(ts(), { contentType: "video/mp2t", extension: "mkv" }), {
      _tag: "Placeholder",
      container: "mpegts",
      expected: "mkv"
    })
  })

  it("waits for enough bytes before judging MPEG-TS, not for a clear signature", () => {
    assert.deepStrictEqual(Container.sniff(Uint8Array.of(0x47, 0, 0), {}), { _tag: "NeedMore" })
    assert.deepStrictEqual(Container.sniff(bytes([0x1a, 0x45, 0xdf, 0xa3]).subarray(0, 16), { extension: "mkv" }), {
      _tag: "Video",
      container: "matroska"
    })
  })
})
