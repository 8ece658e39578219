import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { M3u } from "../src/index.js"
import { eventsOf, kinds } from "./fixtures.js"

const entriesOf = (text: string) => Effect.map(eventsOf(`#EXTM3U\n${text}\n`), (all) => all.filter(M3u.isEntry))

describe("request headers", () => {
  it.effect("#EXTINF attributes: user-agent, http-user-agent, referrer and their spellings", () =>
    Effect.gen(function*() {
      const [a, b, c] = yield* entriesOf([
        "#EXTINF:-1 tvg-id=\"a\" user-agent=\"Agent A (X; Y)\" referrer=\"http://ref/a\",A",
        "http://h/a.m3u8",
        "#EXTINF:-1 http-user-agent=\"Agent B\" http-referer=\"http://ref/b\",B",
        "http://h/b.m3u8",
        "#EXTINF:-1 HTTP-REFERRER=\"http://ref/c\",C",
        "http://h/c.m3u8"
      ].join("\n"))
      assert.deepStrictEqual([a!.userAgent, a!.referrer], ["Agent A (X; Y)", "http://ref/a"])
      assert.deepStrictEqual(a!.headers, { "user-agent": "Agent A (X; Y)", referer: "http://ref/a" })
      assert.deepStrictEqual([b!.userAgent, b!.referrer], ["Agent B", "http://ref/b"])
      assert.deepStrictEqual([c!.userAgent, c!.referrer], [null, "http://ref/c"])
      assert.strictEqual(a!.attributes["user-agent"], "Agent A (X; Y)") // the attribute itself is still there
    }))

  it.effect("the Kodi URL suffix: the URL loses it, the entry gains the headers (percent-decoded)", () =>
    Effect.gen(function*() {
      const [a, b] = yield* entriesOf([
        "#EXTINF:-1,A",
        "http://h:8080/d/x/video.mp4|User-Agent=Mozilla%2F5.0%20(Kodi)&Referer=http://ref/a&Origin=http://o&Cookie=k=v",
        "#EXTINF:-1,B",
        "https://h/live/index.m3u8 | referer=http://ref/b"
      ].join("\n"))
      assert.strictEqual(a!.url, "http://h:8080/d/x/video.mp4")
      assert.deepStrictEqual(a!.headers, {
        "user-agent": "Mozilla/5.0 (Kodi)",
        referer: "http://ref/a",
        origin: "http://o",
        cookie: "k=v"
      })
      assert.deepStrictEqual([a!.userAgent, a!.referrer], ["Mozilla/5.0 (Kodi)", "http://ref/a"])
      assert.strictEqual(b!.url, "https://h/live/index.m3u8")
      assert.strictEqual(b!.referrer, "http://ref/b")
    }))

  it.effect("a `|` that does not start `Name=Value` pairs stays in the URL; a bad %-escape stays as written", () =>
    Effect.gen(function*() {
      const [a, b] = yield* entriesOf("#EXTINF:-1,A\nhttp://h/a?x=1|2\n#EXTINF:-1,B\nhttp://h/b|User-Agent=100%\n")
      assert.strictEqual(a!.url, "http://h/a?x=1|2")
      assert.deepStrictEqual(a!.headers, {})
      assert.strictEqual(b!.url, "http://h/b")
      assert.strictEqual(b!.userAgent, "100%")
    }))

  it.effect("#KODIPROP lines are kept, and their header lists read", () =>
    Effect.gen(function*() {
      const [a, b] = yield* entriesOf([
        "#EXTINF:-1,A",
        "#KODIPROP:inputstream=inputstream.adaptive",
        "#KODIPROP:inputstream.adaptive.manifest_type=mpd",
        "#KODIPROP:inputstream.adaptive.stream_headers=User-Agent=Kodi%2F21&Referer=http://ref/k",
        "http://h/a.mpd",
        "#EXTINF:-1,B",
        "http://h/b.mpd"
      ].join("\n"))
      assert.deepStrictEqual(a!.kodiProps, {
        "inputstream": "inputstream.adaptive",
        "inputstream.adaptive.manifest_type": "mpd",
        "inputstream.adaptive.stream_headers": "User-Agent=Kodi%2F21&Referer=http://ref/k"
      })
      assert.deepStrictEqual(a!.headers, { "user-agent": "Kodi/21", referer: "http://ref/k" })
      assert.deepStrictEqual(b!.kodiProps, {}) // directives apply to the next URL only
      assert.deepStrictEqual(b!.headers, {})
    }))

  it.effect("#EXTVLCOPT values lose their surrounding quotes", () =>
    Effect.gen(function*() {
      const [a] = yield* entriesOf([
        "#EXTINF:0,A",
        "#EXTVLCOPT:http-user-agent=\"Dalvik/2.1.0 (Linux; U; Android 9)\"",
        "#EXTVLCOPT:http-referrer='http://ref/'",
        "http://h/a.m3u8"
      ].join("\n"))
      assert.strictEqual(a!.userAgent, "Dalvik/2.1.0 (Linux; U; Android 9)")
      assert.strictEqual(a!.referrer, "http://ref/")
      assert.strictEqual(a!.vlcOptions["http-user-agent"], "Dalvik/2.1.0 (Linux; U; Android 9)")
    }))

  it.effect("#EXTHTTP JSON headers; a line that is not a JSON object adds nothing", () =>
    Effect.gen(function*() {
      const [a, b] = yield* entriesOf([
        "#EXTINF:-1,A",
        "#EXTHTTP:{\"User-Agent\":\"TiviMate\",\"Cookie\":\"s=1\",\"n\":2}",
        "http://h/a.ts",
        "#EXTINF:-1,B",
        "#EXTHTTP:{not json",
        "http://h/b.ts"
      ].join("\n"))
      assert.deepStrictEqual(a!.headers, { "user-agent": "TiviMate", cookie: "s=1" })
      assert.deepStrictEqual(b!.headers, {})
    }))

  it.effect("precedence: URL suffix, then #EXTHTTP, #EXTVLCOPT, #KODIPROP, then #EXTINF attributes", () =>
    Effect.gen(function*() {
      const all = (ua: ReadonlyArray<"suffix" | "http" | "vlc" | "kodi" | "attr">) =>
        [
          `#EXTINF:-1 ${ua.includes("attr") ? "user-agent=\"attr\" referrer=\"r-attr\"" : ""},N`,
          ...(ua.includes("kodi") ? ["#KODIPROP:inputstream.adaptive.stream_headers=User-Agent=kodi&Origin=o-kodi"] : []),
          ...(ua.includes("vlc") ? ["#EXTVLCOPT:http-user-agent=vlc"] : []),
          ...(ua.includes("http") ? ["#EXTHTTP:{\"User-Agent\":\"http\"}"] : []),
          `http://h/x.ts${ua.includes("suffix") ? "|User-Agent=suffix" : ""}`
        ].join("\n")
      const agent = (ua: ReadonlyArray<"suffix" | "http" | "vlc" | "kodi" | "attr">) =>
        Effect.map(entriesOf(all(ua)), ([e]) => e!.userAgent)
      assert.strictEqual(yield* agent(["suffix", "http", "vlc", "kodi", "attr"]), "suffix")
      assert.strictEqual(yield* agent(["http", "vlc", "kodi", "attr"]), "http")
      assert.strictEqual(yield* agent(["vlc", "kodi", "attr"]), "vlc")
      assert.strictEqual(yield* agent(["kodi", "attr"]), "kodi")
      assert.strictEqual(yield* agent(["attr"]), "attr")
      // Each header is decided on its own: the referrer and origin come from wherever they are given.
      const [e] = yield* entriesOf(all(["suffix", "kodi", "attr"]))
      assert.deepStrictEqual(e!.headers, { "user-agent": "suffix", origin: "o-kodi", referer: "r-attr" })
    }))
})

describe("lines that are not URLs", () => {
  it.effect("decorative text is a StrayText warning, and the pending #EXTINF waits for the next URL", () =>
    Effect.gen(function*() {
      const all = yield* eventsOf([
        "#EXTM3U",
        "=========== sudan ===========",
        "#EXTINF:-1,A",
        "*** Sports ***",
        "",
        "http://h/a.ts",
        "Just a title"
      ].join("\n"))
      assert.deepStrictEqual(kinds(all), ["header", "StrayText@2", "StrayText@4", "entry@3", "StrayText@7"])
      const [a] = all.filter(M3u.isEntry)
      assert.deepStrictEqual([a!.name, a!.url], ["A", "http://h/a.ts"])
    }))

  it.effect("URLs with any scheme, absolute and relative paths, and file names are locations", () =>
    Effect.gen(function*() {
      const locations = [
        "rtmp://h/live/a",
        "udp:@239.0.0.1:1234",
        "rtsp:h/x",
        "/srv/media/a b.ts",
        "stream/chunklist.m3u8",
        "..\\media\\b.mkv",
        "C:\\Films\\Mon film.mkv",
        "movie.m3u8",
        "clip.mp4?t=1"
      ]
      const entries = yield* entriesOf(locations.map((l, i) => `#EXTINF:-1,${i}\n${l}`).join("\n"))
      assert.deepStrictEqual(entries.map((e) => e.url), locations)
      const stray = ["=====", "Sport: live", "Mr. Bean", "Channel 5", "..."]
      const all = yield* eventsOf(`#EXTM3U\n${stray.join("\n")}\n`)
      assert.deepStrictEqual(kinds(all), ["header", "StrayText@2", "StrayText@3", "StrayText@4", "StrayText@5",
        "StrayText@6"])
    }))
})
