import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import * as NodePath from "node:path"
import * as SafePath from "../src/SafePath.js"

const fc = FastCheck
const root = "/srv/media/movies"
const bytes = (text: string) => Buffer.byteLength(text, "utf8")

// What a name must never hold: separators, the other characters Windows forbids, controls, format characters
// (bidi, zero-width), lone surrogates.
const FORBIDDEN = /[/\\:*?"<>|\p{Cc}\p{Cf}\p{Cs}]/u
const DEVICE = /^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³]) *(\.|$)/iu

/** What breaks a §5.3 row-28 property of a segment made with `maxBytes` (default 200): nothing, for a good one. */
const problems = (name: string, maxBytes = 200): Array<string> => {
  const found: Array<string> = []
  if (name.length === 0) found.push("empty")
  if (bytes(name) > maxBytes) found.push(`${bytes(name)} bytes`)
  if (FORBIDDEN.test(name)) found.push("forbidden character")
  if (/^[ .]|[ .]$/.test(name)) found.push("leading or trailing dot or space")
  if (DEVICE.test(name)) found.push("device name")
  if (name !== name.normalize("NFC")) found.push("not NFC")
  if (name.includes("  ")) found.push("double space")
  return found
}

/** Why `path` is not a path strictly inside `base`: nothing, when it is one. */
const outside = (path: Either.Either<string, SafePath.PathError>, base = root): Array<string> =>
  Either.isLeft(path)
    ? [path.left.message]
    : path.right.startsWith(base + NodePath.sep) && NodePath.resolve(path.right) === path.right
    ? []
    : [`outside: ${path.right}`]

// Plain checks with one assertion on failure: 100,000 runs of a dozen chai assertions each would take seconds.
const check = (input: unknown, output: string, found: ReadonlyArray<string>) => {
  if (found.length > 0) assert.fail(`${JSON.stringify(input)} → ${JSON.stringify(output)}: ${found.join("; ")}`)
}

const assertSafe = (name: string, maxBytes = 200) => check(name, name, problems(name, maxBytes))

const assertInside = (path: Either.Either<string, SafePath.PathError>) =>
  check(path, Either.isRight(path) ? path.right : "", outside(path))

// The hostile pieces titles are made of: traversal, separators, NUL and other controls, bidi overrides and
// isolates, zero-width characters, device names, Windows-forbidden characters, decomposed accents, lone surrogates.
const piece = fc.oneof(
  fc.constantFrom(
    "..", ".", "/", "\\", "\u0000", "\u202E", "\u2066", "\u200B", "\u200D", "\uFEFF", "\u0085", "\u009B",
    "\t", "\n", "\r", " ", "\u00A0", "\u3000", ":", "*", "?", "\"", "<", ">", "|",
    "CON", "nul", "COM1", "lpt9", "aux.txt", "CONOUT$", "COM\u00B9",
    "../../etc/passwd", "..\\..\\Windows", "..%2f", "C:\\x", "e\u0301", "\u0301", "\uD800", "\uDFFF", "\uFFFF",
    "Star Wars: Episode IV", "AC/DC", "日本語", "👨‍👩‍👧", "🇳🇱"
  ),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 8 })
)
const hostile = fc.array(piece, { maxLength: 16 }).map((pieces) => pieces.join(""))
const long = fc.tuple(fc.constantFrom("a", "é", "日", "🎬", "e\u0301", ". ", "x/"), fc.integer({ min: 150, max: 1200 }))
  .map(([unit, times]) => unit.repeat(times))
const title = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 100, maxLength: 400 }) },
  { weight: 4, arbitrary: hostile },
  { weight: 1, arbitrary: long }
)

describe("SafePath.segment", () => {
  it("100,000 titles: non-empty, ≤ 200 bytes, no separators or controls, under the root, idempotent", () => {
    fc.assert(
      fc.property(title, (raw) => {
        const name = SafePath.segment(raw)
        const found = problems(name)
        if (SafePath.segment(name) !== name) found.push("not idempotent")
        check(raw, name, [...found, ...outside(SafePath.within(root, name))])
      }),
      { numRuns: 100_000 }
    )
  })

  it("keeps the extension and stays idempotent with it, whatever maxBytes", () => {
    fc.assert(
      fc.property(
        title,
        fc.constantFrom("mkv", ".mp4", "MKV", "", ".", "a/b", "x".repeat(50)),
        fc.integer({ min: 0, max: 400 }),
        (raw, extension, maxBytes) => {
          const options = { extension, maxBytes }
          const name = SafePath.segment(raw, options)
          const limit = Math.min(255, Math.max(16, maxBytes))
          assertSafe(name, limit)
          assert.strictEqual(SafePath.segment(name, options), name)
          assert.strictEqual(SafePath.segment(name, { maxBytes }), name)
          if (extension === "mkv") assert.isTrue(name.endsWith(".mkv"), name)
        }
      ),
      { numRuns: 10_000 }
    )
  })

  it("replaces the colon smartly and separators with a space", () => {
    assert.strictEqual(SafePath.segment("Star Wars: Episode IV"), "Star Wars - Episode IV")
    assert.strictEqual(SafePath.segment("Mission: Impossible :: Fallout"), "Mission - Impossible - Fallout")
    assert.strictEqual(SafePath.segment("Re:Zero 10:30"), "Re-Zero 10-30")
    assert.strictEqual(SafePath.segment(":Title:"), "Title")
    assert.strictEqual(SafePath.segment("AC/DC"), "AC DC")
    assert.strictEqual(SafePath.segment("Face\\Off | Again"), "Face Off Again")
    assert.strictEqual(SafePath.segment("What If...?"), "What If")
    assert.strictEqual(SafePath.segment("M*A*S*H \"<Best>\""), "MASH Best")
    assert.strictEqual(SafePath.segment("  many \t\n spaces\u00A0here  "), "many spaces here")
  })

  it("renames Windows device names, with or without an extension, in any case", () => {
    assert.strictEqual(SafePath.segment("CON"), "CON_")
    assert.strictEqual(SafePath.segment("con"), "con_")
    assert.strictEqual(SafePath.segment("NUL.txt"), "NUL_.txt")
    assert.strictEqual(SafePath.segment("com1 .mkv"), "com1_ .mkv")
    assert.strictEqual(SafePath.segment("LPT9"), "LPT9_")
    assert.strictEqual(SafePath.segment("CON", { extension: "mkv" }), "CON_.mkv")
    assert.strictEqual(SafePath.segment("CONSTANTINE"), "CONSTANTINE")
    assert.strictEqual(SafePath.segment("COM10"), "COM10")
  })

  it("never yields dots, traversal or nothing: the fallback instead", () => {
    assert.strictEqual(SafePath.segment("..."), "untitled")
    assert.strictEqual(SafePath.segment("."), "untitled")
    assert.strictEqual(SafePath.segment(".."), "untitled")
    assert.strictEqual(SafePath.segment(""), "untitled")
    assert.strictEqual(SafePath.segment("\u0000\u202E\u200B"), "untitled")
    assert.strictEqual(SafePath.segment("..", { fallback: "Unknown movie" }), "Unknown movie")
    assert.strictEqual(SafePath.segment("..", { fallback: "../.." }), "untitled")
    assert.strictEqual(SafePath.segment("", { extension: "mkv" }), "untitled.mkv")
    assert.strictEqual(SafePath.segment("../../etc/passwd"), "etc passwd")
    assert.strictEqual(SafePath.segment(".hidden"), "hidden")
  })

  it("removes controls and bidi or zero-width characters, and composes accents (NFC)", () => {
    assert.strictEqual(SafePath.segment("evil\u202Evkm.exe"), "evilvkm.exe")
    assert.strictEqual(SafePath.segment("a\u0000b\u0007c\u009Fd"), "abcd")
    assert.strictEqual(SafePath.segment("zero\u200Bwidth\uFEFF"), "zerowidth")
    assert.strictEqual(SafePath.segment("Ame\u0301lie"), "Amélie")
    assert.strictEqual(SafePath.segment("Ame\u200B\u0301lie"), "Amélie")
  })

  it("cuts long names on a character boundary, keeping the extension", () => {
    const cut = SafePath.segment("é".repeat(1000), { extension: "mkv" })
    assert.strictEqual(cut, `${"é".repeat(98)}.mkv`)
    assert.strictEqual(bytes(cut), 200)
    const emoji = SafePath.segment("🎬".repeat(100))
    assert.strictEqual(emoji, "🎬".repeat(50))
    const accents = SafePath.segment("e\u0328\u0301".repeat(100), { maxBytes: 20 })
    assert.strictEqual(accents, "\u0119\u0301".repeat(5))
    assert.strictEqual(SafePath.segment(`${"a".repeat(199)} b`), "a".repeat(199))
    assert.strictEqual(SafePath.segment("Movie.mkv", { extension: "mkv" }), "Movie.mkv")
    assert.strictEqual(SafePath.segment("Movie.MKV", { extension: ".mkv" }), "Movie.mkv")
  })
})

describe("SafePath.within", () => {
  it("joins safe segments under the root", () => {
    assert.deepStrictEqual(
      SafePath.within(root, "Alien (1979)", "Alien (1979).mkv"),
      Either.right(`${root}/Alien (1979)/Alien (1979).mkv`)
    )
    assert.deepStrictEqual(SafePath.within(`${root}/`, "a"), Either.right(`${root}/a`))
    assert.deepStrictEqual(SafePath.within(root, "..hidden-but-inside"), Either.right(`${root}/..hidden-but-inside`))
  })

  it("refuses traversal, absolute segments, the root itself and a relative root", () => {
    for (const crafted of [[".."], ["../x"], ["a", "..", ".."], ["/etc"], ["C:\\x"], ["\\\\server\\share"], ["."], []]) {
      const result = SafePath.within(root, ...crafted)
      assert.isTrue(Either.isLeft(result), crafted.join(", "))
      if (Either.isLeft(result)) assert.strictEqual(result.left.reason, "OutsideRoot")
    }
    const relative = SafePath.within("movies", "a")
    assert.isTrue(Either.isLeft(relative) && relative.left.reason === "NotAbsolute")
  })

  it("never resolves outside the root, whatever the segments", () => {
    const crafted = fc.oneof(
      fc.constantFrom("..", "../x", "/etc", "C:\\x", "a/../..", "./..", "x/../../y", "", ".", "\u0000"),
      fc.string({ unit: "binary", maxLength: 12 }),
      hostile
    )
    fc.assert(
      fc.property(fc.array(crafted, { maxLength: 5 }), (segments) => {
        const result = SafePath.within(root, ...segments)
        if (Either.isRight(result)) assertInside(result)
        if (segments.length > 0) assertInside(SafePath.within(root, ...segments.map((s) => SafePath.segment(s))))
      }),
      { numRuns: 10_000 }
    )
  })

  it("explains a refusal on one line, escaping what it quotes", () => {
    const error = SafePath.within(root, "../\n\u202Eevil")
    assert.isTrue(Either.isLeft(error))
    if (Either.isLeft(error)) {
      assert.strictEqual(error.left._tag, "PathError")
      assert.notInclude(error.left.message, "\n")
      assert.notInclude(error.left.message, "\u202E")
      assert.include(error.left.message, root)
    }
  })
})

describe("SafePath.movieFile / episodeFile", () => {
  it("names a movie as Radarr parses it", () => {
    assert.strictEqual(SafePath.movieFile("Alien", 1979, "mkv"), "Alien (1979).mkv")
    assert.strictEqual(SafePath.movieFile("Star Wars: Episode IV", 1977, "mp4"), "Star Wars - Episode IV (1977).mp4")
    assert.strictEqual(SafePath.movieFile("Unknown", null, "avi"), "Unknown.avi")
    assert.strictEqual(SafePath.movieFile("Unknown", 0, "avi"), "Unknown.avi")
    assert.strictEqual(SafePath.movieFile("../..", 2001, "mkv"), "untitled (2001).mkv")
    const long = SafePath.movieFile("x".repeat(1000), 2020, "mkv")
    assert.isTrue(long.endsWith("x (2020).mkv"))
    assert.strictEqual(bytes(long), 200)
  })

  it("names an episode or a range as Sonarr parses it", () => {
    assert.strictEqual(SafePath.episodeFile("The Office (US)", 1, 2, null, "mkv"), "The Office (US) - S01E02.mkv")
    assert.strictEqual(SafePath.episodeFile("Show", 1, 1, 2, "mkv"), "Show - S01E01-E02.mkv")
    assert.strictEqual(SafePath.episodeFile("Show", 12, 105, 105, "mp4"), "Show - S12E105.mp4")
    assert.strictEqual(SafePath.episodeFile("Show", 0, 3, 1, "ts"), "Show - S00E03.ts")
    assert.strictEqual(SafePath.episodeFile("Law & Order: SVU", 3, 4, null, "mkv"), "Law & Order - SVU - S03E04.mkv")
    const long = SafePath.episodeFile("日".repeat(500), 1, 1, null, "mkv")
    assert.isTrue(long.endsWith("日 - S01E01.mkv"))
    assert.isAtMost(bytes(long), 200)
  })

  it("are safe segments for any title", () => {
    fc.assert(
      fc.property(title, fc.option(fc.integer({ min: 0, max: 3000 })), fc.nat(99), fc.nat(999), (raw, year, s, e) => {
        const movie = SafePath.movieFile(raw, year, "mkv")
        assertSafe(movie)
        assert.strictEqual(SafePath.segment(movie), movie)
        const episode = SafePath.episodeFile(raw, s, e, e + 1, "mkv")
        assertSafe(episode)
        assert.strictEqual(SafePath.segment(episode), episode)
      }),
      { numRuns: 5_000 }
    )
  })
})

describe("SafePath.extension", () => {
  it("whitelists container extensions", () => {
    for (const ext of ["mkv", "mp4", "m4v", "avi", "ts", "mov", "mpg", "mpeg", "wmv", "flv", "webm"]) {
      assert.deepStrictEqual(SafePath.extension(ext), Option.some(ext))
    }
    assert.deepStrictEqual(SafePath.extension(".MKV"), Option.some("mkv"))
    assert.deepStrictEqual(SafePath.extension(" mp4 "), Option.some("mp4"))
    for (const raw of [null, undefined, "", ".", "exe", "m3u8", "mkv/../x", "mkv\u0000", "..mkv", "mkv?x=1", "sh"]) {
      assert.isTrue(Option.isNone(SafePath.extension(raw)), String(raw))
    }
  })
})
