import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { M3u, Sniff } from "../src/index.js"
import { concat, encode, eventsOf, quirky } from "./fixtures.js"

const check = (text: string | Uint8Array, complete = true) =>
  Sniff.check(typeof text === "string" ? encode(text) : text, complete)

const seen = (text: string | Uint8Array) => {
  const verdict = check(text)
  assert.strictEqual(verdict._tag, "NotM3u")
  return verdict._tag === "NotM3u" ? verdict.seen : ""
}

describe("Sniff", () => {
  it("a playlist start: #EXTM3U or #EXTINF, in any case, after a BOM and blank lines", () => {
    for (const text of ["#EXTM3U\n", "#extm3u url-tvg=\"x\"\r\n", "\uFEFF  \r\n\n\t#EXTINF:-1,A\nhttp://a\n", quirky]) {
      assert.deepStrictEqual(check(text, false), { _tag: "M3u" }, JSON.stringify(text))
    }
  })

  it("a bare list of URLs, even after comments, is a playlist, as the parser takes it", () => {
    assert.strictEqual(check("# my list\nhttp://a\nhttp://b\n")._tag, "M3u")
  })

  it("names what came instead, in words, never quoting the body", () => {
    assert.strictEqual(seen(""), "an empty body")
    assert.strictEqual(seen("\uFEFF \r\n\n"), "an empty body")
    assert.strictEqual(
      seen("<!DOCTYPE html>\n<html><head><title>Login</title></head></html>"),
      "an HTML page (a provider login or error page?)"
    )
    assert.strictEqual(seen("<?xml version=\"1.0\"?>\n<html><body>x</body></html>"), "an HTML page (a provider login or error page?)")
    assert.strictEqual(seen("<?xml version=\"1.0\"?>\n<feed/>"), "XML or HTML markup")
    assert.strictEqual(
      seen(`{"user_info":{"username":"alice","auth":0}}`),
      "a JSON auth failure (user_info.auth = 0: wrong credentials or expired account)"
    )
    // Pretty-printed: the auth flag is on a later line than the first.
    assert.include(seen(`{\n  "user_info": {\n    "auth": "0"\n  }\n}\n`), "a JSON auth failure")
    assert.strictEqual(seen(`[{"name":"alice"}]`), "a JSON document")
    assert.strictEqual(seen("#EXT"), "text whose first line is not #EXTM3U")
    assert.strictEqual(seen("hello alice\nworld\n"), "text whose first line is not #EXTM3U")
    assert.match(seen(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a])), /^binary data \(50 4b 03 04/)
  })

  it("needs more until a first line is whole, the body ends or `limit` bytes are in", () => {
    assert.deepStrictEqual(check("#EXT", false), { _tag: "NeedMore" })
    assert.deepStrictEqual(check("\n\n  ", false), { _tag: "NeedMore" })
    assert.deepStrictEqual(check("# comment\n", false), { _tag: "NeedMore" })
    assert.strictEqual(check("<html>", false)._tag, "NeedMore")
    assert.strictEqual(check("<html>\n", false)._tag, "NotM3u")
    assert.strictEqual(check("<html>", true)._tag, "NotM3u")
  })

  it("decides within `limit` bytes; comments that fill them leave the rest to the parser", () => {
    // 200-byte lines: fewer than 32 of them fill the limit.
    const comments = `# ${"x".repeat(197)}\n`.repeat(Math.ceil(Sniff.limit / 200))
    assert.strictEqual(check(comments.slice(0, Sniff.limit - 1), false)._tag, "NeedMore")
    assert.strictEqual(check(comments.slice(0, Sniff.limit), false)._tag, "M3u")
    // Bytes past the limit are not looked at: a head longer than it is judged like its first `limit` bytes.
    assert.strictEqual(check(comments + "http://a\n", false)._tag, "M3u")
    // One long line with no terminator within the limit.
    assert.strictEqual(check(`<html>${" ".repeat(Sniff.limit)}`, false)._tag, "NotM3u")
  })

  it("32 non-blank lines without a playlist line are not a playlist", () => {
    assert.strictEqual(check("# note\n".repeat(31), false)._tag, "NeedMore")
    assert.deepStrictEqual(check("# note\n".repeat(32), false), {
      _tag: "NotM3u",
      seen: "text whose first line is not #EXTM3U"
    })
  })

  it("a UTF-8 character cut at the limit is not taken for binary data", () => {
    // The limit falls between the two bytes of `é`, on the first non-blank line.
    const head = concat("\n".repeat(Sniff.limit - 3), "# é")
    assert.strictEqual(check(head, false)._tag, "M3u")
    // A byte that is really invalid is.
    assert.match(seen(concat("# ", new Uint8Array([0xc3]), "\n")), /^binary data/)
  })

  it.effect("says what the parser says: the same verdict, and the parser's words start with the sniff's", () =>
    Effect.gen(function*() {
      const inputs = [
        "",
        "\n \r\n",
        "#EXTM3U\n#EXTINF:-1,A\nhttp://a\n",
        "#EXTINF:-1,A\nhttp://a\n",
        "# my list\nhttp://a\n",
        "<!DOCTYPE html>\n<html><body>Login</body></html>\n",
        "<html><body>Login</body></html>",
        "<rss/>\n",
        "{\"user_info\":{\"auth\":0}}",
        "[1, 2]\n",
        "hello\nworld\n",
        "#EXT",
        "# note\n".repeat(40) + "http://a\n",
        "\u0001\u0002\u0003\u0004binary\n"
      ]
      for (const text of inputs) {
        const verdict = check(text)
        const parsed = yield* Effect.either(eventsOf(text))
        if (verdict._tag === "M3u") {
          assert.strictEqual(parsed._tag, "Right", JSON.stringify(text))
        } else {
          assert.strictEqual(verdict._tag, "NotM3u", JSON.stringify(text))
          assert.strictEqual(parsed._tag, "Left", JSON.stringify(text))
          if (parsed._tag === "Left" && verdict._tag === "NotM3u") {
            assert.isTrue(parsed.left.seen?.startsWith(verdict.seen), `${parsed.left.seen} / ${verdict.seen}`)
          }
        }
      }
    }))

  it("isGzip: the gzip magic number", () => {
    assert.isTrue(Sniff.isGzip(new Uint8Array([0x1f, 0x8b, 0x08])))
    assert.isFalse(Sniff.isGzip(new Uint8Array([0x1f])))
    assert.isFalse(Sniff.isGzip(encode("#EXTM3U\n")))
  })

  it.effect("the parser's NotM3u words quote the first line, masked", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(M3u.parseString("{\"user_info\":{\"username\":\"alice\",\"auth\":0}}"))
      assert.include(error.message, "a JSON auth failure")
      assert.include(error.message, "starting \"{\\\"user_info\\\"")
      assert.notInclude(error.message, "alice")
    }))
})
