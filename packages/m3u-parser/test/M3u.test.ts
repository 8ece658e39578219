import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { M3u, M3uParseError } from "../src/index.js"
import { parseM3u } from "../src/Promise.js"
import { concat, encode, events, eventsOf, kinds, quirky } from "./fixtures.js"

const entriesOf = (text: string | Uint8Array, options?: M3u.Options) =>
  Effect.map(eventsOf(text, options), (all) => all.filter(M3u.isEntry))

const notM3u = (text: string | Uint8Array) =>
  Effect.flip(eventsOf(text)).pipe(Effect.tap((error) => assert.strictEqual(error.reason, "NotM3u")))

describe("M3u", () => {
  it.effect("parses every quirk of the fixture into the expected event sequence", () =>
    Effect.gen(function*() {
      const all = yield* eventsOf(quirky)
      assert.deepStrictEqual(kinds(all), [
        "header",
        "entry@2",
        "entry@5",
        "NoUrl@11",
        "entry@12",
        "OrphanUrl@14",
        "entry@14",
        "entry@15",
        "UnterminatedQuote@17",
        "entry@17",
        "UnterminatedQuote@19",
        "entry@19",
        "NoUrl@21"
      ])
    }))

  it.effect("header: BOM stripped, attributes read", () =>
    Effect.gen(function*() {
      const [header] = yield* eventsOf(quirky)
      assert.deepStrictEqual(header, {
        _tag: "PlaylistHeader",
        line: 1,
        attributes: { "url-tvg": "http://h/xmltv.php?username=u&password=p" }
      })
    }))

  it.effect("a plain Xtream entry", () =>
    Effect.gen(function*() {
      const [bbc] = yield* entriesOf(quirky)
      assert.deepStrictEqual(bbc, {
        _tag: "PlaylistEntry",
        line: 2,
        duration: -1,
        attributes: {
          "tvg-id": "bbc.uk",
          "tvg-name": "|UK| BBC ONE",
          "tvg-logo": "http://l/1.png",
          "group-title": "UK| GENERAL"
        },
        name: "|UK| BBC ONE",
        tvgName: "|UK| BBC ONE",
        tvgId: "bbc.uk",
        tvgLogo: "http://l/1.png",
        groupTitle: "UK| GENERAL",
        extGroup: null,
        userAgent: null,
        referrer: null,
        headers: {},
        vlcOptions: {},
        kodiProps: {},
        url: "http://h:8080/live/u/p/1.ts"
      })
    }))

  it.effect("single/un-quoted values, punctuation inside quotes, mixed-case and duplicate keys, options", () =>
    Effect.gen(function*() {
      const e = (yield* entriesOf(quirky))[1]!
      assert.strictEqual(e.tvgId, "Single")
      assert.strictEqual(e.tvgName, "unquoted") // TVG-NAME comes first; the later tvg-name="dup" is ignored
      assert.strictEqual(e.groupTitle, "A, B: C=D")
      assert.strictEqual(e.name, "Crazy, Stupid, Love.")
      assert.strictEqual(e.userAgent, "VLC/3.0")
      assert.strictEqual(e.referrer, "http://ref/")
      assert.deepStrictEqual(e.vlcOptions, { "http-user-agent": "VLC/3.0", "http-referrer": "http://ref/" })
      assert.deepStrictEqual(e.headers, { "user-agent": "VLC/3.0", "referer": "http://ref/" })
      assert.strictEqual(e.extGroup, "Films")
      assert.strictEqual(e.url, "http://h:8080/movie/u/p/2.mkv")
    }))

  it.effect("options and #EXTGRP apply to one entry only", () =>
    Effect.gen(function*() {
      const e = (yield* entriesOf(quirky))[2]!
      assert.isNull(e.extGroup)
      assert.isNull(e.userAgent)
      assert.deepStrictEqual(e.vlcOptions, {})
    }))

  it.effect("raw double quotes inside a title are kept", () =>
    Effect.gen(function*() {
      const e = (yield* entriesOf(quirky))[2]!
      assert.strictEqual(e.tvgName, "Movie \"Nick\" Name")
      assert.strictEqual(e.groupTitle, "Kids")
      assert.strictEqual(e.name, "Movie \"Nick\" Name")
    }))

  describe("raw quotes and commas inside quoted values", () => {
    /** Attributes, name and warnings of one `#EXTINF` line. */
    const read = (extinf: string) =>
      Effect.map(eventsOf(`#EXTM3U\n${extinf}\nhttp://h/1\n`), (all) => {
        const e = all.find(M3u.isEntry)!
        return { attributes: e.attributes, name: e.name, warnings: kinds(all.filter(M3u.isWarning)) }
      })

    it.effect("a raw quote followed by a comma, with more attributes after the value", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name=\"Say \"Hi\", Bob\" group-title=\"X\",Title"), {
          attributes: { "tvg-name": "Say \"Hi\", Bob", "group-title": "X" },
          name: "Title",
          warnings: []
        })
        // `", ` more than once, and the next attribute after white space of any kind
        assert.deepStrictEqual(
          yield* read("#EXTINF:-1 tvg-id=\"a\" tvg-name=\"A \"B\", C \"D\", E\"\ttvg-logo=\"http://l/1.png\" group-title=\"G\",N"),
          {
            attributes: { "tvg-id": "a", "tvg-name": "A \"B\", C \"D\", E", "tvg-logo": "http://l/1.png", "group-title": "G" },
            name: "N",
            warnings: []
          }
        )
      }))

    it.effect("the last value: the closing quote is the one that pairs the raw quotes", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* read("#EXTINF:-1 group-title=\"X\" tvg-name=\"Say \"Hi\", Bob\",Title"), {
          attributes: { "group-title": "X", "tvg-name": "Say \"Hi\", Bob" },
          name: "Title",
          warnings: []
        })
        // One raw quote (inches): no pairing, the first quote before the comma closes it.
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name=\"TV 12\" Screen\",TV"), {
          attributes: { "tvg-name": "TV 12\" Screen" },
          name: "TV",
          warnings: []
        })
      }))

    it.effect("a quote at the end of a value, and a value that ends the line", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name=\"He said \"Hi\"\" group-title=\"G\",He said \"Hi\""), {
          attributes: { "tvg-name": "He said \"Hi\"", "group-title": "G" },
          name: "He said \"Hi\"",
          warnings: []
        })
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name=\"He said \"Hi\"\",He said \"Hi\""), {
          attributes: { "tvg-name": "He said \"Hi\"" },
          name: "He said \"Hi\"",
          warnings: []
        })
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name=\"A \"B\"\""), {
          attributes: { "tvg-name": "A \"B\"" },
          name: "",
          warnings: []
        })
      }))

    it.effect("quotes and `\", ` in the title stay in the title", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name=\"X\" group-title=\"G\",Say \"Hi\", Bob"), {
          attributes: { "tvg-name": "X", "group-title": "G" },
          name: "Say \"Hi\", Bob",
          warnings: []
        })
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name=\"X\",\"Quoted\", \"Title\""), {
          attributes: { "tvg-name": "X" },
          name: "\"Quoted\", \"Title\"",
          warnings: []
        })
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name='Ocean's Eleven' group-title='G',Ocean's \"11\""), {
          attributes: { "tvg-name": "Ocean's Eleven", "group-title": "G" },
          name: "Ocean's \"11\"",
          warnings: []
        })
      }))

    it.effect("`\", ` before the opening quote of the next attribute: still an unterminated value", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* read("#EXTINF:-1 tvg-name=\"Say \"Hi\", Bob group-title=\"X\",Title"), {
          attributes: { "tvg-name": "Say \"Hi\", Bob", "group-title": "X" },
          name: "Title",
          warnings: ["UnterminatedQuote@2"]
        })
      }))

    it.effect("the Promise facade and the byte path agree on them", () =>
      Effect.gen(function*() {
        const text = "#EXTM3U\n#EXTINF:-1 tvg-name=\"Say \"Hi\", Bob\" group-title=\"X\",Title\nhttp://h/1\n"
        const entries = yield* entriesOf(text)
        assert.deepStrictEqual(parseM3u(text).entries, entries)
      }))
  })

  it.effect("a URL without #EXTINF is still an entry", () =>
    Effect.gen(function*() {
      const e = (yield* entriesOf(quirky))[3]!
      assert.strictEqual(e.url, "http://h/orphan/4")
      assert.strictEqual(e.line, 14)
      assert.isNull(e.duration)
      assert.isNull(e.tvgName)
      assert.strictEqual(e.name, "")
    }))

  it.effect("UTF-8 and a comma inside a quoted group", () =>
    Effect.gen(function*() {
      const e = (yield* entriesOf(quirky))[4]!
      assert.strictEqual(e.tvgName, "Élan – ç’est 東京 🎬")
      assert.strictEqual(e.groupTitle, "FR: FILMS - Action,  Aventure")
      assert.strictEqual(e.name, "Élan")
    }))

  it.effect("unterminated quotes recover: before the next attribute, or at the comma", () =>
    Effect.gen(function*() {
      const [, , , , , open, last] = yield* entriesOf(quirky)
      assert.strictEqual(open!.tvgName, "Open")
      assert.strictEqual(open!.tvgLogo, "http://l/6.png")
      assert.strictEqual(open!.groupTitle, "G6")
      assert.strictEqual(open!.name, "Open")
      assert.strictEqual(last!.tvgName, "T7")
      assert.strictEqual(last!.groupTitle, "G7")
      assert.strictEqual(last!.name, "Display 7")
    }))

  // Each of these used to loop forever (a key scan that stopped at `=` without moving on).
  it.effect("white space around `=`, and values without a key", () =>
    Effect.gen(function*() {
      const attributesOf = (extinf: string) =>
        Effect.map(entriesOf(`#EXTM3U\n${extinf}\nhttp://h/1\n`), ([e]) => [e!.attributes, e!.name])
      assert.deepStrictEqual(yield* attributesOf("#EXTINF:-1 tvg-id =\"\" tvg-name=\"X\",X"), [
        { "tvg-id": "", "tvg-name": "X" },
        "X"
      ])
      assert.deepStrictEqual(yield* attributesOf("#EXTINF:-1 a = \"b\",N"), [{ a: "b" }, "N"])
      assert.deepStrictEqual(yield* attributesOf("#EXTINF:-1 a\t=\"b\",N"), [{ a: "b" }, "N"])
      assert.deepStrictEqual(yield* attributesOf("#EXTINF:-1 =b,N"), [{}, "N"])
      assert.deepStrictEqual(yield* attributesOf("#EXTINF:-1  =\"x y=z\" c=d,N"), [{ c: "d" }, "N"])
      // A space after `=` is skipped only before a quote: an empty unquoted value stays empty.
      assert.deepStrictEqual(yield* attributesOf("#EXTINF:-1 tvg-logo= group-title=\"G\",N"), [
        { "tvg-logo": "", "group-title": "G" },
        "N"
      ])
      // ` key =` also ends a quoted value, as ` key=` does.
      assert.deepStrictEqual(yield* attributesOf("#EXTINF:-1 tvg-name=\"A \"B\" C\" tvg-id =\"1\",N"), [
        { "tvg-name": "A \"B\" C", "tvg-id": "1" },
        "N"
      ])
      const [header] = yield* eventsOf("#EXTM3U url-tvg =\"http://e/\" =\"x\"\n")
      assert.deepStrictEqual(header, { _tag: "PlaylistHeader", line: 1, attributes: { "url-tvg": "http://e/" } })
    }))

  it.effect("missing tvg-name, no attributes, odd durations", () =>
    Effect.gen(function*() {
      const entries = yield* entriesOf("#EXTM3U\n#EXTINF:-1,Just a name\nhttp://a\n#EXTINF:123.5 tvg-id=x,N\nhttp://b\n#EXTINF:abc,N\nhttp://c\n")
      assert.deepStrictEqual(entries.map((e) => [e.tvgName, e.name, e.duration, e.tvgId]), [
        [null, "Just a name", -1, null],
        [null, "N", 123.5, "x"],
        [null, "N", null, null]
      ])
    }))

  it.effect("LF, CRLF and CR line endings give identical output", () =>
    Effect.gen(function*() {
      const lf = "#EXTM3U\n#EXTINF:-1 tvg-name=\"A\",A\nhttp://a\n\n#EXTINF:-1 tvg-name=\"B\",B\nhttp://b\n"
      const expected = yield* eventsOf(lf)
      assert.deepStrictEqual(yield* eventsOf(lf.replaceAll("\n", "\r\n")), expected)
      assert.deepStrictEqual(yield* eventsOf(lf.replaceAll("\n", "\r")), expected)
      assert.strictEqual(expected.length, 3)
    }))

  it.effect("invalid UTF-8 is replaced and reported; a real U+FFFD is not", () =>
    Effect.gen(function*() {
      const bytes = concat("#EXTM3U\n#EXTINF:-1 tvg-name=\"bad ", new Uint8Array([0xff, 0xc3]), "\",x\nhttp://a\n",
        "#EXTINF:-1 tvg-name=\"ok \uFFFD\",y\nhttp://b\n")
      const all = yield* eventsOf(bytes)
      assert.deepStrictEqual(kinds(all), ["header", "InvalidUtf8@2", "entry@2", "entry@4"])
      const [first, second] = all.filter(M3u.isEntry)
      assert.strictEqual(first!.tvgName, "bad \uFFFD\uFFFD")
      assert.strictEqual(second!.tvgName, "ok \uFFFD")
    }))

  describe("line cap", () => {
    const long = "#EXTINF:-1 tvg-name=\"" + "x".repeat(5000) + "\",long"
    const text = `#EXTM3U\n#EXTINF:-1,A\nhttp://a\n${long}\nhttp://long\n#EXTINF:-1,B\nhttp://b\n`

    it.effect("a line over the cap is skipped with a warning", () =>
      Effect.gen(function*() {
        const all = yield* eventsOf(text, { maxLineBytes: 1024 })
        assert.deepStrictEqual(kinds(all), ["header", "entry@2", "LineTooLong@4", "OrphanUrl@5", "entry@5", "entry@6"])
      }))

    it.effect("also when the long line spans many small chunks, without buffering it", () =>
      Effect.gen(function*() {
        const bytes = encode(text)
        const chunks: Array<Uint8Array> = []
        for (let i = 0; i < bytes.length; i += 100) chunks.push(bytes.subarray(i, i + 100))
        const all = yield* events(chunks, { maxLineBytes: 1024 })
        assert.deepStrictEqual(kinds(all), ["header", "entry@2", "LineTooLong@4", "OrphanUrl@5", "entry@5", "entry@6"])
      }))

    it.effect("the default cap is 64 KiB", () =>
      Effect.gen(function*() {
        const ok = yield* eventsOf(`#EXTM3U\n#EXTINF:-1,${"y".repeat(60_000)}\nhttp://a\n`)
        assert.deepStrictEqual(kinds(ok), ["header", "entry@2"])
        const tooLong = yield* eventsOf(`#EXTM3U\n#EXTINF:-1,${"y".repeat(70_000)}\nhttp://a\n`)
        assert.deepStrictEqual(kinds(tooLong), ["header", "LineTooLong@2", "OrphanUrl@3", "entry@3"])
      }))
  })

  describe("chunk boundaries", () => {
    it.effect("splitting the input at every byte offset gives identical output", () =>
      Effect.gen(function*() {
        const bytes = encode(quirky)
        const expected = yield* events([bytes])
        for (let i = 0; i <= bytes.length; i++) {
          const split = yield* events([bytes.subarray(0, i), bytes.subarray(i)])
          assert.deepStrictEqual(split, expected, `split at byte ${i}`)
        }
      }))

    it.effect("one byte per chunk", () =>
      Effect.gen(function*() {
        const bytes = encode(quirky)
        const single = Array.from(bytes, (b) => new Uint8Array([b]))
        assert.deepStrictEqual(yield* events(single), yield* events([bytes]))
      }))

    // test/termination-check.ts: the inputs that used to loop forever, fast-check properties (arbitrary bytes,
    // the dangerous alphabet, mutated real and generated playlists; random chunk splits; every API agreeing) and
    // multi-megabyte inputs of the shapes that make a scanner quadratic. It runs in a child process because a
    // synchronous endless loop cannot be interrupted in-process; SIGKILL, since vite-node handles SIGTERM.
    it.live("every input terminates in linear time, whatever its chunking (property tests, in a watched child)", () =>
      Effect.gen(function*() {
        const dir = mkdtempSync(join(tmpdir(), "m3u-termination-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
        const progress = join(dir, "current-input")
        const viteNode = join(dirname(createRequire(import.meta.url).resolve("vite-node/package.json")), "vite-node.mjs")
        const script = fileURLToPath(new URL("termination-check.ts", import.meta.url))
        const seed = String(Date.now() % 1_000_000)
        const result = yield* Effect.async<{ error: Error | null; output: string }>((resume) => {
          execFile(
            process.execPath,
            [viteNode, script, progress, seed, "100"],
            { cwd: fileURLToPath(new URL("..", import.meta.url)), timeout: 150_000, killSignal: "SIGKILL" },
            (error, stdout, stderr) => resume(Effect.succeed({ error, output: `${stdout}${stderr}` }))
          )
        })
        if (result.error !== null && (result.error as { killed?: boolean }).killed === true) {
          const input = existsSync(progress) ? JSON.stringify(readFileSync(progress, "latin1").slice(0, 300)) : "?"
          assert.fail(`the parse did not terminate (seed ${seed}); input (first 300 bytes): ${input}\n${result.output}`)
        }
        assert.isNull(result.error, result.output)
        assert.include(result.output, "done")
      }).pipe(Effect.scoped), 180_000)

    it.effect("the stream is emitted in chunks, not one element at a time", () =>
      Effect.gen(function*() {
        const bytes = encode(quirky)
        const sizes = yield* M3u.parse(Stream.make(bytes)).pipe(Stream.chunks, Stream.map(Chunk.size), Stream.runCollect)
        assert.isTrue(Chunk.some(sizes, (n) => n > 5))
      }))
  })

  describe("not an M3U", () => {
    it.effect("an HTML error page", () =>
      Effect.gen(function*() {
        const error = yield* notM3u("<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head></html>\n")
        assert.include(error.message, "an HTML page (a provider login or error page?)")
        assert.include(error.message, "<!DOCTYPE html>")
      }))

    it.effect("a JSON body, without echoing credentials", () =>
      Effect.gen(function*() {
        const error = yield* notM3u("{\"user_info\":{\"username\":\"alice\",\"password\":\"hunter2\",\"auth\":0}}")
        assert.include(error.message, "a JSON auth failure")
        assert.notInclude(error.message, "alice")
        assert.notInclude(error.message, "hunter2")
      }))

    it.effect("binary data", () =>
      Effect.gen(function*() {
        const error = yield* notM3u(new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x0a]))
        assert.include(error.message, "binary data (1f")
      }))

    it.effect("binary data without any newline (first line over the cap)", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(eventsOf(new Uint8Array(200_000).fill(7)))
        assert.strictEqual(error.reason, "NotM3u")
      }))

    it.effect("an empty or blank file", () =>
      Effect.gen(function*() {
        assert.include((yield* notM3u("")).message, "an empty body")
        assert.include((yield* notM3u("\n \r\n\n")).message, "an empty body")
      }))

    it.effect("text without any playlist line", () =>
      Effect.gen(function*() {
        const error = yield* notM3u("hello\nworld\nusername=bob password=secret\n")
        assert.include(error.message, "text whose first line is not #EXTM3U")
        assert.notInclude(error.message, "secret")
      }))

    it.effect("a hand-made file starting with #EXTINF, or a bare URL list, is accepted", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(kinds(yield* eventsOf("#EXTINF:-1,A\nhttp://a\n")), ["entry@1"])
        assert.deepStrictEqual(kinds(yield* eventsOf("# my list\nhttp://a\nhttp://b\n")), [
          "OrphanUrl@2",
          "entry@2",
          "OrphanUrl@3",
          "entry@3"
        ])
      }))
  })

  describe("parseFile (real files)", () => {
    const withFile = (content: string | Uint8Array) =>
      Effect.acquireRelease(
        Effect.sync(() => {
          const dir = mkdtempSync(join(tmpdir(), "m3u-parser-"))
          const path = join(dir, "playlist.m3u")
          writeFileSync(path, content)
          return path
        }),
        (path) => Effect.sync(() => rmSync(dirname(path), { recursive: true, force: true }))
      )

    it.scoped("reads a file larger than one read, with the same result as parse", () =>
      Effect.gen(function*() {
        // ~1 MB: several 256 KiB reads, lines and multi-byte characters cut at read boundaries.
        const body = Array.from({ length: 4000 }, (_, i) =>
          `#EXTINF:-1 tvg-name="Émission ${i} 🎬" group-title="G,${i % 7}",Émission ${i} 🎬\r\nhttp://h/movie/u/p/${i}.mkv`
        ).join("\n")
        const text = `#EXTM3U\n${body}\n`
        const path = yield* withFile(text)
        const fromFile = yield* M3u.parseFile(path).pipe(Stream.runCollect)
        const fromStream = yield* M3u.parse(Stream.make(encode(text))).pipe(Stream.runCollect)
        assert.deepStrictEqual(Chunk.toReadonlyArray(fromFile), Chunk.toReadonlyArray(fromStream))
        assert.strictEqual(Chunk.toReadonlyArray(fromFile).filter(M3u.isEntry).length, 4000)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.effect("a missing file is an Io error naming the path", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Stream.runDrain(M3u.parseFile("/nonexistent/missing.m3u")))
        assert.instanceOf(error, M3uParseError.M3uParseError)
        assert.strictEqual(error.reason, "Io")
        assert.strictEqual(error.path, "/nonexistent/missing.m3u")
        assert.include(error.message, "/nonexistent/missing.m3u")
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("a NotM3u failure names the path too", () =>
      Effect.gen(function*() {
        const path = yield* withFile("<html><body>Login</body></html>")
        const error = yield* Effect.flip(Stream.runDrain(M3u.parseFile(path)))
        assert.strictEqual(error.reason, "NotM3u")
        assert.strictEqual(error.path, path)
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  })

  it.effect("parseString and summarize", () =>
    Effect.gen(function*() {
      const playlist = yield* M3u.parseString(quirky)
      assert.strictEqual(playlist.entries.length, 7)
      assert.strictEqual(playlist.warnings.length, 5)
      assert.strictEqual(playlist.header?.line, 1)
      const summary = yield* M3u.summarize(M3u.parse(Stream.make(encode(quirky))))
      assert.deepStrictEqual(summary, {
        entries: 7,
        warnings: { NoUrl: 2, OrphanUrl: 1, UnterminatedQuote: 2, LineTooLong: 0, InvalidUtf8: 0, StrayText: 0 }
      })
    }))

  it.effect("a failing source passes its own error through", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Stream.runDrain(M3u.parse(Stream.fail("boom" as const))))
      assert.strictEqual(error, "boom")
    }))
})
