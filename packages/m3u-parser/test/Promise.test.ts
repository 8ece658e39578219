import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { M3u } from "../src/index.js"
import type { M3uWarning, PlaylistEntry } from "../src/Promise.js"
import { M3uParseError, parseM3u, streamM3u } from "../src/Promise.js"
import { encode, eventsOf, quirky } from "./fixtures.js"

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

const collect = async (source: AsyncIterable<Uint8Array>) => {
  const entries: Array<PlaylistEntry> = []
  const warnings: Array<M3uWarning> = []
  for await (const entry of streamM3u(source, { onWarning: (w) => warnings.push(w) })) entries.push(entry)
  return { entries, warnings }
}

describe("Promise facade", () => {
  it.effect("parseM3u gives the same header, entries and warnings as the Effect API", () =>
    Effect.gen(function*() {
      const all = yield* eventsOf(quirky)
      const playlist = parseM3u(quirky)
      assert.deepStrictEqual(playlist.header, all.find(M3u.isHeader))
      assert.deepStrictEqual(playlist.entries, all.filter(M3u.isEntry))
      assert.deepStrictEqual(playlist.warnings, all.filter(M3u.isWarning))
    }))

  it.effect("streamM3u gives the same entries and warnings, whatever the chunk size", () =>
    Effect.gen(function*() {
      const all = yield* eventsOf(quirky)
      for (const size of [1, 7, 64, 1 << 16]) {
        const { entries, warnings } = yield* Effect.promise(() => collect(chunked(encode(quirky), size)))
        assert.deepStrictEqual(entries, all.filter(M3u.isEntry))
        assert.deepStrictEqual(warnings, all.filter(M3u.isWarning))
      }
    }))

  it("parseM3u honours the line cap (in UTF-16 units for a string)", () => {
    const playlist = parseM3u(`#EXTM3U\n#EXTINF:-1,${"z".repeat(300)}\nhttp://a\n`, { maxLineBytes: 100 })
    assert.deepStrictEqual(playlist.warnings.map((w) => `${w.kind}@${w.line}`), ["LineTooLong@2", "OrphanUrl@3"])
  })

  it("parseM3u throws M3uParseError for something that is not a playlist", () => {
    try {
      parseM3u("<html><body>Access denied</body></html>")
      assert.fail("no error thrown")
    } catch (error) {
      assert.instanceOf(error, M3uParseError)
      assert.instanceOf(error, Error)
      assert.strictEqual((error as M3uParseError).reason, "NotM3u")
      assert.include((error as Error).message, "Not an M3U playlist: got an HTML page")
    }
  })

  it("streamM3u rejects with M3uParseError for JSON", async () => {
    let caught: unknown
    try {
      await collect(chunked(encode("{\"user_info\":{\"auth\":0}}"), 4))
    } catch (error) {
      caught = error
    }
    assert.instanceOf(caught, M3uParseError)
    assert.strictEqual((caught as M3uParseError).reason, "NotM3u")
  })

  it("streamM3u passes a source error through unchanged", async () => {
    const boom = new Error("socket hang up")
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield encode("#EXTM3U\n#EXTINF:-1,A\nhttp://a\n")
      throw boom
    }
    let caught: unknown
    const seen: Array<string> = []
    try {
      for await (const entry of streamM3u(failing())) seen.push(entry.url)
    } catch (error) {
      caught = error
    }
    assert.strictEqual(caught, boom)
    assert.deepStrictEqual(seen, ["http://a"])
  })
})
