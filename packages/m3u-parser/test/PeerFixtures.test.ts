/**
 * The situations covered by the test fixtures of iptv-playlist-parser (the most-used npm parser), rewritten here as
 * our own small playlists: the same shapes, our own data. Each expected entry lists the fields that parser reports
 * (name, tvg id/name/logo, group, referrer, user agent, URL, line), with our answer. Where we answer differently
 * on purpose, the expectation says so:
 * - `group`: `groupTitle` is the `group-title` attribute; an `#EXTGRP` is kept beside it in `extGroup` (that parser
 *   lets `#EXTGRP` replace the group title).
 * - `name` is trimmed (that parser keeps the space of `#EXTINF: -1, name`).
 * - `url` loses a Kodi `|User-Agent=…` suffix; the headers it held are on the entry (that parser keeps the suffix
 *   in the URL and also reads the headers).
 */
import { assert, describe, it } from "@effect/vitest"
import { parseM3u } from "../src/Promise.js"
import type { PlaylistEntry } from "../src/Promise.js"

interface Expected {
  readonly line: number
  readonly name: string
  readonly tvgId?: string
  readonly tvgName?: string
  readonly tvgLogo?: string
  readonly group?: string
  readonly extGroup?: string
  readonly referrer?: string
  readonly userAgent?: string
  readonly url: string
}

const fields = (e: PlaylistEntry) => ({
  line: e.line,
  name: e.name,
  tvgId: e.tvgId,
  tvgName: e.tvgName,
  tvgLogo: e.tvgLogo,
  group: e.groupTitle,
  extGroup: e.extGroup,
  referrer: e.referrer,
  userAgent: e.userAgent,
  url: e.url
})

const expected = (x: Expected) => ({
  line: x.line,
  name: x.name,
  tvgId: x.tvgId ?? null,
  tvgName: x.tvgName ?? null,
  tvgLogo: x.tvgLogo ?? null,
  group: x.group ?? null,
  extGroup: x.extGroup ?? null,
  referrer: x.referrer ?? null,
  userAgent: x.userAgent ?? null,
  url: x.url
})

const UA_DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
const UA_PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"

const cases: ReadonlyArray<{
  readonly name: string
  readonly playlist: ReadonlyArray<string>
  readonly header: Readonly<Record<string, string>>
  readonly entries: ReadonlyArray<Expected>
  readonly warnings: ReadonlyArray<string>
}> = [
  {
    name: "indented lines, a logo with a comma, #EXTGRP and #EXTVLCOPT, relative URLs, decorative text, odd names",
    playlist: [
      "#EXTM3U x-tvg-url=\"http://epg.example/guide.xml.gz\"",
      "  #EXTINF:-1 tvg-ID=\"One.ex\" tvg-name=\"One\" tvg-logo=\"http://img.example/a.png,b.png\" tvg-url=\"http://epg.example/one.xml\" group-title=\"Music\",Channel One (test)",
      "  #EXTGRP:Мультфильмы",
      "  #EXTVLCOPT:http-referrer=http://player.example/embed/",
      `  #EXTVLCOPT:http-user-agent=${UA_DESKTOP}`,
      "  http://live.example/hls/one/index.m3u8",
      "  #EXTINF:12 tvg-id=\"Two.ex\",Channel Two",
      "two/chunklist.m3u8",
      "",
      "~~~~~~~~~~~~~~ nowhere ~~~~~~~~~~~~~~",
      "#EXTM3U",
      "#EXTINF:1,->[ ☆ ÇAĞRI ☆ ]<-",
      "",
      "http://vod.example:8080/films/three.mp4",
      "#EXTINF:1 tvg-shift=\"+2\" catchup=\"shift\" catchup-days=\"5\" catchup-source=\"https://cu.example/x.m3u8?utc=1&lutc=2\",Four HD",
      "https://cdn.example/live/ab(c)d'e(f)/index.m3u8",
      "#EXTINF: -1, comma,in the name",
      "http://gw.example/q?to=https://other.example/Ñandú/live",
      "#EXTINF: -1 tvg-name=\"Once, Twice and Thrice\",Once, Twice and Thrice",
      "film.m3u8"
    ],
    header: { "x-tvg-url": "http://epg.example/guide.xml.gz" },
    entries: [
      {
        line: 2,
        name: "Channel One (test)",
        tvgId: "One.ex",
        tvgName: "One",
        tvgLogo: "http://img.example/a.png,b.png",
        group: "Music", // theirs: "Мультфильмы"
        extGroup: "Мультфильмы",
        referrer: "http://player.example/embed/",
        userAgent: UA_DESKTOP,
        url: "http://live.example/hls/one/index.m3u8"
      },
      { line: 7, name: "Channel Two", tvgId: "Two.ex", url: "two/chunklist.m3u8" },
      { line: 12, name: "->[ ☆ ÇAĞRI ☆ ]<-", url: "http://vod.example:8080/films/three.mp4" },
      { line: 15, name: "Four HD", url: "https://cdn.example/live/ab(c)d'e(f)/index.m3u8" },
      // theirs: " comma,in the name"
      { line: 17, name: "comma,in the name", url: "http://gw.example/q?to=https://other.example/Ñandú/live" },
      { line: 19, name: "Once, Twice and Thrice", tvgName: "Once, Twice and Thrice", url: "film.m3u8" }
    ],
    warnings: ["StrayText@10"]
  },
  {
    name: "a decorative line between the header and the first entry",
    playlist: ["#EXTM3U", "######## ------ ######## not a comment", "==========kenya==========",
      "#EXTINF:-1,Kenya 1", "http://tv.example/ke1/index.m3u8"],
    header: {},
    entries: [{ line: 4, name: "Kenya 1", url: "http://tv.example/ke1/index.m3u8" }],
    warnings: ["StrayText@3"]
  },
  {
    name: "a user-agent attribute, twice the same entry, and a url-tvg header",
    playlist: [
      "#EXTM3U url-tvg=\"http://epg.example/all.xml.gz\"",
      `#EXTINF:-1 tvg-id="Farm.br" user-agent="${UA_PHONE}" group-title="Rural",Farm TV`,
      "https://farm.example/playlist.m3u8",
      `#EXTINF:-1 tvg-id="Farm.br" user-agent="${UA_PHONE}" group-title="Rural",Farm TV`,
      "https://farm.example/playlist.m3u8"
    ],
    header: { "url-tvg": "http://epg.example/all.xml.gz" },
    entries: [2, 4].map((line) => ({
      line,
      name: "Farm TV",
      tvgId: "Farm.br",
      group: "Rural",
      userAgent: UA_PHONE,
      url: "https://farm.example/playlist.m3u8"
    })),
    warnings: []
  },
  {
    name: "Kodi: comments, #KODIPROP lines and a lower-case user-agent suffix",
    playlist: [
      "#EXTM3U x-tvg-url=\"https://epg.example/pt.xml.gz\"",
      "",
      "# A list made for Kodi.",
      "",
      "#EXTINF:-1 group-title=\"TV\" tvg-id=\"um.pt\" tvg-logo=\"https://img.example/um.png\",Canal Um",
      "#KODIPROP:inputstream=inputstream.adaptive",
      "#KODIPROP:inputstream.adaptive.manifest_type=hls",
      "https://live.example/um/playlist.m3u8|user-agent=Player/1.2 (Linux;Android 12) Exo/2.18"
    ],
    header: { "x-tvg-url": "https://epg.example/pt.xml.gz" },
    entries: [{
      line: 5,
      name: "Canal Um",
      tvgId: "um.pt",
      tvgLogo: "https://img.example/um.png",
      group: "TV",
      userAgent: "Player/1.2 (Linux;Android 12) Exo/2.18",
      url: "https://live.example/um/playlist.m3u8" // theirs keeps "|user-agent=…"
    }],
    warnings: []
  },
  {
    name: "pipe suffixes: user agent and referrer, and a suffix beside #EXTVLCOPT",
    playlist: [
      "#EXTM3U",
      "#EXTINF:30 tvg-id=\"Sport\",Sport",
      `http://10.0.0.7:8080/v/abc/video.mp4|User-Agent=${UA_DESKTOP}&Referer=http://site.example/embed-1.html`,
      "#EXTINF:600 tvg-id=\"News\",News",
      `#EXTVLCOPT:http-user-agent=${UA_PHONE}`,
      "http://news.example:8999/v/n/video.mp4|Referer=http://site.example/blank.html"
    ],
    header: {},
    entries: [
      {
        line: 2,
        name: "Sport",
        tvgId: "Sport",
        referrer: "http://site.example/embed-1.html",
        userAgent: UA_DESKTOP,
        url: "http://10.0.0.7:8080/v/abc/video.mp4"
      },
      {
        line: 4,
        name: "News",
        tvgId: "News",
        referrer: "http://site.example/blank.html",
        userAgent: UA_PHONE,
        url: "http://news.example:8999/v/n/video.mp4"
      }
    ],
    warnings: []
  },
  {
    name: "a quoted #EXTVLCOPT user agent and #EXTGRP",
    playlist: [
      "#EXTM3U",
      "#EXTINF:0 tvg-name=\"Probe\" group-title=\"Fun\",Probe Channel",
      "#EXTGRP:Info",
      "#EXTVLCOPT:http-user-agent=\"Dalvik/2.1.0 (Linux; U; Android 7.1.2;)\"",
      "http://probe.example/iptv/key/1/index.m3u8"
    ],
    header: {},
    entries: [{
      line: 2,
      name: "Probe Channel",
      tvgName: "Probe",
      group: "Fun", // theirs: "Info"
      extGroup: "Info",
      userAgent: "Dalvik/2.1.0 (Linux; U; Android 7.1.2;)",
      url: "http://probe.example/iptv/key/1/index.m3u8"
    }],
    warnings: []
  }
]

describe("the situations of iptv-playlist-parser's fixtures", () => {
  for (const c of cases) {
    it(c.name, () => {
      const playlist = parseM3u(c.playlist.join("\r\n") + "\r\n")
      assert.deepStrictEqual(playlist.header?.attributes, c.header)
      assert.deepStrictEqual(playlist.entries.map(fields), c.entries.map(expected))
      assert.deepStrictEqual(playlist.warnings.map((w) => `${w.kind}@${w.line}`), c.warnings)
    })
  }
})
