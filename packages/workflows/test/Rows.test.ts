import { assert, describe, it } from "@effect/vitest"
import { parseM3u } from "@stalkeer/m3u-parser/promise"
import { hash53, rawHash, toSource } from "../src/internal/rows.js"

// Stored raw hashes decide which entries skip classification on the next run: a change of their values would
// re-classify every catalogue once, and a collision between field layouts would skip a changed entry.
describe("rawHash", () => {
  const playlist = parseM3u([
    "#EXTM3U",
    `#EXTINF:-1 tvg-id="x.1" tvg-name="Name" tvg-logo="http://img.test/a.png" group-title="G" tvg-chno="7",Name`,
    "#EXTVLCOPT:http-user-agent=UA",
    "http://panel.test/movie/user/pass/1.mkv",
    `#EXTINF:-1,Bare`,
    "http://panel.test/movie/user/pass/2.mkv",
    `#EXTINF:-1 tvg-name="" group-title="",`,
    "http://panel.test/movie/user/pass/3.mkv"
  ].join("\n"))
  const END = "\u0001"
  const NULL = "\u0002\u0001"
  const joined = (version: string, e: (typeof playlist.entries)[number]) => {
    const s = toSource(e, [])
    const f = (v: string | null) => v === null ? NULL : v + END
    let text = f(version) + f(s.url.template) + f(e.tvgId) + f(e.tvgName) + f(s.tvgLogo) + f(e.groupTitle) + f(e.name)
    for (const key in s.attributes) text += f(key) + f(s.attributes[key]!)
    return text
  }

  it("is hash53 of the fields joined, each ended by a separator, null unlike empty", () => {
    assert.strictEqual(playlist.entries.length, 3)
    for (const e of playlist.entries) assert.strictEqual(rawHash("v1", e, toSource(e, [])), hash53(joined("v1", e)))
    const [, bare, empty] = playlist.entries
    assert.notStrictEqual(rawHash("v1", bare!, toSource(bare!, [])), rawHash("v1", empty!, toSource(empty!, [])))
    assert.notStrictEqual(rawHash("v1", bare!, toSource(bare!, [])), rawHash("v2", bare!, toSource(bare!, [])))
  })

  it("keeps the values stored by earlier versions", () => {
    // hash53 as it was written before (one pass over one string): any change here invalidates stored hashes.
    assert.strictEqual(hash53(""), 0x811c9dc5 * 0x200000 + (0x9747b28c >>> 11))
    assert.strictEqual(hash53("stalkeer"), 4388109451095380)
  })
})
