import { assert, describe, it } from "@effect/vitest"
import type { Classification, ClassifyInput } from "../src/Classification.js"
import * as Classifier from "../src/Classifier.js"

const MOVIE = "http://h.example:8080/movie/u/p/101.mkv"
const SERIES = "http://h.example:8080/series/u/p/202.mp4"
const LIVE = "http://h.example:8080/live/u/p/303.ts"

const c = (name: string, extra: Partial<ClassifyInput> = {}): Classification => Classifier.classify({ name, ...extra })
const movie = (name: string, groupTitle?: string) => c(name, { url: MOVIE, groupTitle })
const episode = (name: string, groupTitle?: string) => c(name, { url: SERIES, groupTitle })

describe("kind", () => {
  it("follows the Xtream URL path first", () => {
    assert.strictEqual(c("Anything", { url: MOVIE }).kind, "movie")
    assert.strictEqual(c("Anything S01E01", { url: SERIES }).kind, "series")
    assert.strictEqual(c("Anything", { url: LIVE }).kind, "live")
    assert.strictEqual(c("Anything", { url: "http://h.example:8080/u/p/4242" }).kind, "live")
  })
  it("then tvg-type, then the group title, then the name", () => {
    assert.strictEqual(c("Heat (1995)", { attributes: { "tvg-type": "series" } }).kind, "series")
    assert.strictEqual(c("Heat (1995)", { groupTitle: "FR| SÉRIES NETFLIX" }).kind, "series")
    assert.strictEqual(c("Heat (1995)", { groupTitle: "EN| ACTION MOVIES" }).kind, "movie")
    assert.strictEqual(c("Dark S01E02").kind, "series")
    assert.strictEqual(c("Heat (1995)").kind, "movie")
  })
  it("never makes 24/7 channels, sports events or separators movies", () => {
    assert.strictEqual(c("24/7 Friends").kind, "live")
    assert.strictEqual(c("EVENT 003 | pitchlive: 2026 Oklahoma vs Lima (2026-11-10 07:15:00)").kind, "live")
    const sep = c("#### UK GENERAL HD/4K ####", { groupTitle: "UK| MOVIES" })
    assert.strictEqual(sep.kind, "live")
    assert.strictEqual(sep.title, null)
    assert.strictEqual(c("━━━━ RU ━━━━").title, null)
    assert.strictEqual(c("▃ ▅ ▆ █ UK GENERAL █ ▆ ▅ ▃", { url: LIVE }).title, null)
  })
})

describe("kind without an Xtream path (ordinary and public live-TV playlists)", () => {
  const HLS = "https://cdn.example.com/skycinemaaction/index.m3u8"
  const kind = (name: string, extra: Partial<ClassifyInput> = {}) => c(name, extra).kind

  it("channel attributes make a channel, whatever the group says", () => {
    for (const attributes of [{ "tvg-chno": "101" }, { catchup: "default", "catchup-days": "7" }, { "catchup-days": "3" }, { "tvg-shift": "1" }, { "tvg-rec": "3" }, { radio: "true" }]) {
      assert.strictEqual(kind("Heat", { groupTitle: "Movies", url: "http://h.example/play/12", attributes }), "live", JSON.stringify(attributes))
    }
  })

  it("channel-like names in film and series channel categories are channels, not films", () => {
    const cases: ReadonlyArray<readonly [string, string, string, Record<string, string>]> = [
      ["Sky Cinema Action HD", "Movies", HLS, { "tvg-id": "SkyCinemaAction.uk" }],
      ["Sky Cinema Action HD", "Movies", HLS, {}],
      ["Film4 +1", "Movies", "http://h.example:8000/film4.ts", {}],
      ["Movies 24", "Movies;Entertainment", "http://h.example/play/881", { "tvg-id": "Movies24.us" }],
      ["Cinema Classics 1990", "Movies", HLS, { "tvg-id": "CinemaClassics.us" }],
      ["CNN International (1080p) [Geo-blocked]", "News;Entertainment", HLS, {}],
      ["Kino Polska (576p)", "Filmy", "https://h.example/kino/master.m3u8?token=x", { "tvg-id": "KinoPolska.pl@SD" }],
      ["UK| SKY CINEMA THRILLER (BACKUP) HD", "UK| MOVIES", "http://h.example:8080/12359.ts", {}],
      ["Sky Atlantic (720p)", "Series", HLS, { "tvg-id": "SkyAtlantic.uk" }],
      ["DE: Sky Cinema Action FHD", "DE| FILM & SERIEN", "http://h.example:8080/33431.ts", {}],
      ["E24", "Business", "http://h.example/play/59347", {}]
    ]
    for (const [name, groupTitle, url, attributes] of cases) {
      const k = kind(name, { groupTitle, url, attributes })
      assert.notInclude(["movie", "series"], k, `${name} [${groupTitle}] ${url}`)
    }
    assert.strictEqual(kind("Sky Cinema Action HD", { groupTitle: "Movies", url: HLS, attributes: { "tvg-id": "SkyCinemaAction.uk" } }), "live")
  })

  it("a film needs positive evidence: a year, a file container, a poster, or a film category with nothing against it", () => {
    assert.strictEqual(kind("Heat (1995)", { groupTitle: "Movies", url: "https://h.example/vod/heat/index.m3u8" }), "movie")
    assert.strictEqual(kind("Heat", { url: "http://h.example/files/heat.mkv" }), "movie")
    assert.strictEqual(kind("Heat", { url: "/srv/media/films/Heat.mkv" }), "movie")
    assert.strictEqual(c("Heat", { url: "C:\\Videos\\Heat.mp4" }).container, "mp4")
    assert.strictEqual(kind("Heat", { groupTitle: "EN| ACTION", url: "http://h.example/123", attributes: { "tvg-logo": "https://image.tmdb.org/t/p/w600_and_h900_bestv2/abc.jpg" } }), "movie")
    assert.strictEqual(kind("Heat FHD", { groupTitle: "FR: FILMS - Action", url: "http://h.example/123.mkv" }), "movie")
    assert.strictEqual(kind("Point (1993) 4K", { groupTitle: "JP| ANIME MOVIES アニメ映画", url: "http://h.example/209439.mp4" }), "movie")
    assert.strictEqual(kind("Dark S01E02", { url: "https://h.example/vod/dark/index.m3u8" }), "series")
    assert.strictEqual(kind("Heat", { groupTitle: "FR| SÉRIES NETFLIX", url: "http://h.example/55.mp4" }), "series")
  })

  it("says unknown, never movie, when the evidence is even", () => {
    assert.strictEqual(kind("Sky Atlantic"), "unknown")
    assert.strictEqual(kind("Starz HD", { groupTitle: "US| PREMIUM MOVIES", url: "http://h.example/18232.ts" }), "unknown")
    assert.strictEqual(kind("The Blue Plan 4K MULTI", { groupTitle: "FR| FILMS 4K UHD", url: "http://h.example/125435" }), "unknown")
    const r = c("Starz HD", { groupTitle: "US| PREMIUM MOVIES", url: "http://h.example/18232.ts" })
    assert.isAtMost(r.confidence, 0.3)
    assert.include(r.reasons, "kind:unsure")
  })

  it("radio stations and live transports are live", () => {
    assert.strictEqual(kind("Radio Cinema Classics", { groupTitle: "Movies", url: "https://icecast.example.com/live.mp3" }), "live")
    assert.strictEqual(kind("Jazz FM", { url: "https://stream.radio.example/high.aac" }), "live")
    assert.strictEqual(kind("Classic Hits 101.5", { groupTitle: "Pop", url: "http://s3.shoutcast.example:8010/;" }), "live")
    assert.strictEqual(kind("Kiss 96.2", { groupTitle: "Music", url: "http://10.0.0.7:8000" }), "live")
    assert.strictEqual(kind("Smooth 1990", { groupTitle: "Film", url: "https://radio.example/1/listen", attributes: { radio: "true" } }), "live")
    assert.strictEqual(kind("Heat (1995)", { url: "rtmp://h.example/live/heat" }), "live")
    assert.strictEqual(kind("Canal 5", { url: "udp://@239.1.1.1:1234" }), "live")
    assert.strictEqual(kind("Canal 5", { url: "http://192.168.1.2:4022/udp/239.0.0.1:1234" }), "live")
  })

  it("reads the URL before a Kodi |User-Agent= suffix", () => {
    const xtream = c("Heat (1995)", { url: "http://h.example:8080/movie/u/p/77.mkv|User-Agent=VLC/3.0.20 LibVLC/3.0.20" })
    assert.strictEqual(xtream.kind, "movie")
    assert.strictEqual(xtream.container, "mkv")
    assert.strictEqual(xtream.streamId, 77)
    const live = c("Cinema Classics", { groupTitle: "Movies", url: "https://h.example/cc/index.m3u8|User-Agent=Mozilla/5.0 (Windows NT 10.0)&Referer=https://h.example/" })
    assert.strictEqual(live.kind, "live")
    assert.strictEqual(live.container, "m3u8")
  })
})

describe("title: language and country prefixes in all their forms", () => {
  const forms: ReadonlyArray<readonly [string, string]> = [
    ["FR - Le Caire (2019)", "fr"],
    ["|FR| Le Caire (2019)", "fr"],
    ["FR| Le Caire (2019)", "fr"],
    ["FR: Le Caire (2019)", "fr"],
    ["[EN] Le Caire (2019)", "en"],
    ["(FR) Le Caire (2019)", "fr"],
    ["┃FR┃ Le Caire (2019)", "fr"],
    ["||TR|| Le Caire (2019)", "tr"],
    ["VOD FR | Le Caire (2019)", "fr"],
    ["VOD FR - Le Caire (2019)", "fr"],
    ["ENG - Le Caire (2019)", "en"],
    ["|it| Le Caire (2019)", "it"],
    ["lAR| Le Caire (2019)", "ar"],
    ["|FR-4K HDR10+| Le Caire (2019)", "fr"]
  ]
  for (const [name, lang] of forms) {
    it(name, () => {
      const r = movie(name)
      assert.strictEqual(r.title, "Le Caire")
      assert.strictEqual(r.year, 2019)
      assert.strictEqual(r.language, lang)
    })
  }
})

describe("title: platform and quality prefixes", () => {
  const forms: ReadonlyArray<readonly [string, string | null, string | null]> = [
    ["NF - Spartan (2016)", "NF", null],
    ["D+ - Spartan (2016)", "D+", null],
    ["AMZ - Spartan (2016)", "AMZ", null],
    ["4K-NF - Spartan (2016)", "NF", "2160p"],
    ["4K - Spartan (2016)", null, "2160p"],
    ["HD : Spartan (2016)", null, "720p"],
    ["4K -SC- Spartan (2016)", null, "2160p"],
    ["TOP - Spartan (2016)", null, null],
    ["A+ Spartan (2016)", null, null]
  ]
  for (const [name, platform, resolution] of forms) {
    it(name, () => {
      const r = movie(name)
      assert.strictEqual(r.title, "Spartan")
      assert.strictEqual(r.platform, platform)
      assert.strictEqual(r.resolution, resolution)
    })
  }
  it("does not take a title's own head for a prefix", () => {
    assert.strictEqual(episode("NCIS : Los Angeles S01 E01").title, "NCIS : Los Angeles")
    assert.strictEqual(movie("OSS 117 : Le Caire, nid d'espions (2006)").title, "OSS 117 : Le Caire, nid d'espions")
  })
})

describe("title: quality and language tags anywhere", () => {
  const forms: ReadonlyArray<readonly [string, Partial<Classification>]> = [
    ["Le Caire (2019) (FHD MULTI)", { resolution: "1080p", multiAudio: true, year: 2019 }],
    ["Le Caire (FHD VOSTFR)", { resolution: "1080p", subtitles: "fr", language: null }],
    ["Le Caire (2019) FHD MULTI", { resolution: "1080p", multiAudio: true }],
    ["Le Caire 4K (2019)", { resolution: "2160p", year: 2019 }],
    ["Le Caire UHD HDR HEVC", { resolution: "2160p" }],
    ["Le Caire [2019] [FHD]", { resolution: "1080p", year: 2019 }],
    ["Le Caire (2019) VF", { language: "fr" }],
    ["Le Caire (2019) VFF", { language: "fr" }],
    ["Le Caire (2019) SUBT AR", { subtitles: "ar", language: null }],
    ["Le Caire (2019) LATINO", { language: "es" }],
    ["Le Caire (2019) (ES)", { language: "es" }],
    ["Le Caire (2019) [MULTI-SUB]", { subtitles: "multi" }],
    ["Le Caire (2019) FULL HD", { resolution: "1080p" }],
    ["Le Caire (2019) SD", { resolution: "480p" }],
    ["★ Le Caire (2019) ★", {}],
    ["🔥 Le Caire (2019) 🎬", {}],
    ["Le.Caire.2019.1080p.WEB-DL.x264-GRP", { resolution: "1080p", year: 2019 }],
    ["le.caire.german.2019.", { language: "de", year: 2019 }],
    ["Le Caire (2019) [4K HDR10+ Dolby A/V]", { resolution: "2160p" }],
    ["Le Caire (2019) [HDCAM]", { resolution: null }],
    ["Le Caire | 2019 | 6.4", { year: 2019, resolution: null }],
    ["Le Caire (MULTI) FHD 2019 PART 2", { year: 2019, resolution: "1080p", multiAudio: true }]
  ]
  for (const [name, expected] of forms) {
    it(name, () => {
      const r = movie(name)
      assert.strictEqual(r.title?.toLowerCase(), "le caire")
      for (const [k, v] of Object.entries(expected)) assert.deepStrictEqual(r[k as keyof Classification], v, k)
    })
  }
})

describe("title: keeps titles that are numbers or contain tag-like words", () => {
  const titles: ReadonlyArray<readonly [string, string, number | null]> = [
    ["1917 (2019)", "1917", 2019],
    ["2012 (2009) FHD", "2012", 2009],
    ["1917", "1917", null],
    ["Se7en (1995)", "Se7en", 1995],
    ["Blade Runner 2049 (2017)", "Blade Runner 2049", 2017],
    ["Blade Runner 2049 4K", "Blade Runner 2049", null],
    ["The SD Card (2020)", "The SD Card", 2020],
    ["Alien³ (1992)", "Alien³", 1992],
    ["WALL·E (2008)", "WALL·E", 2008],
    ["Thunderbolts* (2025)", "Thunderbolts*", 2025],
    ["Crazy, Stupid, Love. (2011)", "Crazy, Stupid, Love.", 2011],
    ["How to Sell Drugs Online (Fast) (2019)", "How to Sell Drugs Online (Fast)", 2019],
    ["EN| 2081 Strange Box", "2081 Strange Box", null],
    ["|FR| 1913 Good Daughter (2007)", "1913 Good Daughter", 2007],
    ["1952 (EN) 4K 2013", "1952", 2013],
    ["EN - Brooklyn 2020 2018 FHD", "Brooklyn 2020", 2018]
  ]
  for (const [name, title, year] of titles) {
    it(name, () => {
      const r = movie(name)
      assert.strictEqual(r.title, title)
      assert.strictEqual(r.year, year)
    })
  }
  it("keeps numeric series titles", () => {
    assert.strictEqual(episode("9-1-1 S01 E01").title, "9-1-1")
    assert.strictEqual(episode("1899 S01 E02").title, "1899")
    assert.strictEqual(episode("24 S03E04").title, "24")
    assert.strictEqual(episode("11.22.63 S01 E05").title, "11.22.63")
  })
})

describe("title: country codes after unusual separators (issue 17)", () => {
  const forms: ReadonlyArray<readonly [string, string, string]> = [
    ["NO ▎ Kon-Tiki", "Kon-Tiki", "no"],
    ["NO▎Kon-Tiki", "Kon-Tiki", "no"],
    ["NO ▏ Kon-Tiki", "Kon-Tiki", "no"],
    ["▎NO▎ Kon-Tiki", "Kon-Tiki", "no"],
    ["AL │ Kon-Tiki", "Kon-Tiki", "sq"],
    ["SQ - Kon-Tiki", "Kon-Tiki", "sq"],
    ["SQ – Kon-Tiki", "Kon-Tiki", "sq"],
    ["SQ — Kon-Tiki", "Kon-Tiki", "sq"],
    ["SQ‒Kon-Tiki", "Kon-Tiki", "sq"],
    ["DE ┃ Kon-Tiki", "Kon-Tiki", "de"],
    ["FR ❘ Kon-Tiki", "Kon-Tiki", "fr"],
    ["NL ｜ Kon-Tiki", "Kon-Tiki", "nl"],
    ["IT ¦ Kon-Tiki", "Kon-Tiki", "it"],
    ["PL ‖ Kon-Tiki", "Kon-Tiki", "pl"],
    ["ES • Kon-Tiki", "Kon-Tiki", "es"],
    ["DE · Kon-Tiki", "Kon-Tiki", "de"],
    ["EN ‐ Kon-Tiki", "Kon-Tiki", "en"],
    ["FR—Kon-Tiki", "Kon-Tiki", "fr"],
    ["SK ► Kon-Tiki", "Kon-Tiki", "sk"],
    ["MK | Kon-Tiki", "Kon-Tiki", "mk"]
  ]
  for (const [name, title, lang] of forms) {
    it(name, () => {
      const r = movie(`${name} (2012)`)
      assert.strictEqual(r.title, title)
      assert.strictEqual(r.year, 2012)
      assert.strictEqual(r.language, lang)
    })
  }
  it("still reads a lone ambiguous code before a dash as the title's head, and keeps hyphenated heads", () => {
    assert.strictEqual(movie("NO - Country for Old Men (2007)").title, "NO - Country for Old Men")
    assert.strictEqual(movie("NO – Country for Old Men (2007)").title, "NO – Country for Old Men")
    assert.strictEqual(movie("X-Men (2000)").title, "X-Men")
    assert.strictEqual(movie("WALL·E (2008)").title, "WALL·E")
    assert.strictEqual(episode("NCIS : Los Angeles S01 E01").title, "NCIS : Los Angeles")
  })
  it("reads a series after an unusual separator", () => {
    const r = episode("SQ ▎ Some Series S01E02")
    assert.strictEqual(r.title, "Some Series")
    assert.strictEqual(r.language, "sq")
    assert.strictEqual(r.season, 1)
    assert.strictEqual(r.episode, 2)
  })
})

describe("title: zero-padded franchise index before the title (issue 17)", () => {
  const forms: ReadonlyArray<readonly [string, string, number | null]> = [
    ["007 - Goldfinger", "Goldfinger", null],
    ["007: Goldfinger", "Goldfinger", null],
    ["007 – Goldfinger (1964)", "Goldfinger", 1964],
    ["EN - 007 - Goldfinger (1964)", "Goldfinger", 1964],
    ["01 - Harry Potter and the Philosopher's Stone (2001)", "Harry Potter and the Philosopher's Stone", 2001],
    ["003 ▎ Moonraker", "Moonraker", null],
    ["02 – 1984 (1984)", "1984", 1984],
    ["03: 2001: A Space Odyssey (1968)", "2001: A Space Odyssey", 1968]
  ]
  for (const [name, title, year] of forms) {
    it(name, () => {
      const r = movie(name)
      assert.strictEqual(r.title, title)
      assert.strictEqual(r.year, year)
    })
  }
  it("never touches a number that is the title or part of it", () => {
    const keep: ReadonlyArray<readonly [string, string]> = [
      ["1917", "1917"],
      ["300", "300"],
      ["2012", "2012"],
      ["1984 (1984)", "1984"],
      ["2001: A Space Odyssey", "2001: A Space Odyssey"],
      ["2001: A Space Odyssey (1968)", "2001: A Space Odyssey"],
      ["300: Rise of an Empire (2014)", "300: Rise of an Empire"],
      ["9 to 5", "9 to 5"],
      ["3 Idiots", "3 Idiots"],
      ["21 Jump Street (2012)", "21 Jump Street"],
      ["007", "007"],
      ["00 Schneider (1994)", "00 Schneider"]
    ]
    for (const [name, title] of keep) assert.strictEqual(movie(name).title, title, name)
    assert.strictEqual(episode("24: Legacy S01E01").title, "24: Legacy")
  })
  it("leaves live channel numbers and kick-off times alone", () => {
    assert.strictEqual(c("00:30 Miami X Alsace").title, "00:30 Miami X Alsace")
    assert.strictEqual(c("00:30 Miami X Alsace", { url: MOVIE }).title, "00:30 Miami X Alsace")
  })
})

describe("title: subtitle-language prefixes (issue 17)", () => {
  const forms: ReadonlyArray<readonly [string, string]> = [
    ["EN-SUBS - Whiplash", "en"],
    ["EN SUBS - Whiplash", "en"],
    ["NL SUBS | Whiplash", "nl"],
    ["SUB EN - Whiplash", "en"],
    ["SUBS NL ▎ Whiplash", "nl"],
    ["[EN SUB] Whiplash", "en"],
    ["MULTI-SUB - Whiplash", "multi"],
    ["MULTI-SUBS | Whiplash", "multi"]
  ]
  for (const [name, subs] of forms) {
    it(name, () => {
      const r = movie(`${name} (2014)`)
      assert.strictEqual(r.title, "Whiplash")
      assert.strictEqual(r.year, 2014)
      assert.strictEqual(r.subtitles, subs)
      assert.strictEqual(r.multiAudio, false)
    })
  }
  it("a subtitle language is not the audio language; an audio prefix before it still is", () => {
    assert.strictEqual(movie("EN-SUBS - Whiplash (2014)").language, null)
    // Many subtitle languages say nothing of the audio: a category's code still names it.
    assert.strictEqual(movie("MULTI-SUB - Whiplash (2014)", "|EN| MOVIES").language, "en")
    const r = movie("FR | EN SUBS - Whiplash (2014)")
    assert.strictEqual(r.title, "Whiplash")
    assert.strictEqual(r.subtitles, "en")
  })
})

describe("title: a trailing 3D is the format only with evidence (issue 17)", () => {
  const forms: ReadonlyArray<readonly [string, string, number | null, string | undefined]> = [
    ["Step Up 3D", "Step Up 3D", null, undefined],
    ["Step Up 3D (2010)", "Step Up 3D", 2010, undefined],
    ["EN - My Bloody Valentine 3D (2009)", "My Bloody Valentine 3D", 2009, undefined],
    // One word before it: the 3D release of that film.
    ["Avatar 3D", "Avatar", null, undefined],
    // Other format evidence: a stereo layout, a resolution, a year before it, a 3D prefix or category.
    ["Avatar (2009) 3D HSBS", "Avatar", 2009, undefined],
    ["Avatar 3D HSBS", "Avatar", null, undefined],
    ["Avatar The Way of Water 3D H-OU (2022)", "Avatar The Way of Water", 2022, undefined],
    ["Avatar The Way of Water 3D FHD", "Avatar The Way of Water", null, undefined],
    ["Avatar The Way of Water 2022 3D", "Avatar The Way of Water", 2022, undefined],
    ["Avatar The Way of Water (3D) (2022)", "Avatar The Way of Water", 2022, undefined],
    ["3D-DE - Avatar The Way of Water 3D (2022)", "Avatar The Way of Water", 2022, undefined],
    ["Avatar The Way of Water 3D (2022)", "Avatar The Way of Water", 2022, "|EN| 3D MOVIES"],
    ["Step Up 3D (2010)", "Step Up 3D", 2010, "|EN| MOVIES"]
  ]
  for (const [name, title, year, group] of forms) {
    it(`${name}${group === undefined ? "" : ` in ${group}`}`, () => {
      const r = movie(name, group)
      assert.strictEqual(r.title, title)
      assert.strictEqual(r.year, year)
    })
  }
})

describe("year forms", () => {
  const forms: ReadonlyArray<readonly [string, number]> = [
    ["Heat (1995)", 1995],
    ["Heat [1995]", 1995],
    ["Heat - 1995", 1995],
    ["Heat 1995 FHD", 1995],
    ["Heat.1995.1080p.BluRay.x264-GRP", 1995],
    ["Heat (1995", 1995],
    ["Heat [1995)", 1995],
    ["Heat -1995", 1995],
    ["Heat | 1995 | 7.9", 1995]
  ]
  for (const [name, year] of forms) {
    it(name, () => {
      const r = movie(name)
      assert.strictEqual(r.title, "Heat")
      assert.strictEqual(r.year, year)
    })
  }
})

describe("season and episode", () => {
  const forms: ReadonlyArray<readonly [string, number | null, number]> = [
    ["Dark S01E02", 1, 2],
    ["Dark S01 E02", 1, 2],
    ["Dark S1 E2", 1, 2],
    ["Dark 1x02", 1, 2],
    ["Dark T01E02", 1, 2],
    ["Dark Saison 1 Épisode 2", 1, 2],
    ["Dark - Saison 1 - Épisode 2", 1, 2],
    ["Dark Season 1 Episode 2", 1, 2],
    ["Dark Season 1 Ep 2", 1, 2],
    ["Dark Temporada 1 Capítulo 2", 1, 2],
    ["Dark Staffel 1 Folge 2", 1, 2],
    ["Dark Сезон 1 Серия 2", 1, 2],
    ["Dark Sezon 1 Bölüm 2", 1, 2],
    ["Dark 12. Bölüm (2. Sezon)", 2, 12],
    ["Dark 12. Bölüm", null, 12],
    ["Dark S02E123", 2, 123],
    ["Dark S01E1071", 1, 1071],
    ["Dark E1071", null, 1071],
    ["Dark - 0112", null, 112],
    ["Dark - S01E08 - 38", 1, 8],
    ["Dark (2017) (US) S02 E01", 2, 1]
  ]
  for (const [name, season, ep] of forms) {
    it(name, () => {
      const r = episode(name)
      assert.strictEqual(r.title, "Dark")
      assert.strictEqual(r.season, season)
      assert.strictEqual(r.episode, ep)
    })
  }
  it("Arabic: مسلسل X الحلقة 12", () => {
    const r = episode("مسلسل الأرض والماء الحلقة 12")
    assert.strictEqual(r.title, "الأرض والماء")
    assert.strictEqual(r.season, null)
    assert.strictEqual(r.episode, 12)
  })
  it("Arabic with a season: X الموسم 2 الحلقة 5", () => {
    const r = episode("الأرض والماء الموسم 2 الحلقة 5")
    assert.strictEqual(r.title, "الأرض والماء")
    assert.strictEqual(r.season, 2)
    assert.strictEqual(r.episode, 5)
  })
  it("ranges E01-E02", () => {
    for (const name of ["Dark S01E01-E02", "Dark S01E01E02", "Dark S01E01-02"]) {
      const r = episode(name)
      assert.strictEqual(r.episode, 1, name)
      assert.strictEqual(r.episodeEnd, 2, name)
    }
    assert.strictEqual(episode("Dark S01E01").episodeEnd, undefined)
  })
  it("never reads a resolution like 1920x1080 as an episode", () => {
    const r = episode("Dark 1920x1080 S01E03")
    assert.strictEqual(r.season, 1)
    assert.strictEqual(r.episode, 3)
    const m = c("Dark 1920x1080")
    assert.strictEqual(m.season, null)
    assert.strictEqual(m.episode, null)
  })
  it("keeps a 1x02-shaped number that belongs to the title", () => {
    const r = episode("Red Road 3x12 S01 E04")
    assert.strictEqual(r.title, "Red Road 3x12")
    assert.strictEqual(r.episode, 4)
  })
})

describe("language, subtitles and groups", () => {
  it("takes the language from the group when the name has none", () => {
    assert.strictEqual(movie("Le Caire (2019)", "FR: FILMS - Action").language, "fr")
    assert.strictEqual(movie("Le Caire (2019)", "|EN| 4K MOVIES").language, "en")
    assert.strictEqual(movie("Le Caire (2019)", "VOD - NEW ADDED [EN]").language, "en")
    assert.strictEqual(movie("Le Caire (2019)", "Movies: Action").language, "en")
  })
  it("resolution comes from the name only", () => {
    assert.strictEqual(movie("Le Caire (2019)", "|EN| 4K MOVIES").resolution, null)
  })
  it("an original-with-subtitles tag means no audio language", () => {
    const r = movie("FR - Le Caire (2019) VOSTFR")
    assert.strictEqual(r.language, null)
    assert.strictEqual(r.subtitles, "fr")
  })
  it("multi-audio keeps the audio language", () => {
    const r = movie("FR: Le Caire (2019) (FHD MULTI)")
    assert.strictEqual(r.language, "fr")
    assert.strictEqual(r.multiAudio, true)
  })
})

describe("live channels", () => {
  const live = (name: string, groupTitle?: string) => c(name, { url: LIVE, groupTitle })
  it("strips country, quality and backup markers", () => {
    assert.strictEqual(live("UK: BBC One FHD").title, "BBC One")
    assert.strictEqual(live("|UK| BBC ONE LONDON UHD").resolution, "2160p")
    assert.strictEqual(live("UK: GB News +1 FHD").title, "GB News")
    assert.strictEqual(live("||TR|| TV 8,5 HD").title, "TV 8,5")
    assert.strictEqual(live("UK: Al Jazeera English VIP FHD").title, "Al Jazeera English")
    assert.strictEqual(live("UK| SKY SPORTS ARENA PLUS HD  (50 FPS)  (Super Cup 2026™)").title, "SKY SPORTS ARENA")
    assert.strictEqual(live("UK: BBC One FHD").language, "en")
    assert.strictEqual(live("UK: BBC One FHD").year, null)
  })
  it("reads stream id and container", () => {
    const r = live("UK: BBC One FHD")
    assert.strictEqual(r.streamId, 303)
    assert.strictEqual(r.container, "ts")
    const bare = c("X", { url: "http://h.example/u/p/4242" })
    assert.strictEqual(bare.streamId, 4242)
    assert.strictEqual(bare.container, null)
  })
})

describe("normalizeTitle", () => {
  const { normalizeTitle } = Classifier
  it("folds case, diacritics, punctuation and &/and", () => {
    assert.strictEqual(normalizeTitle("Amélie"), normalizeTitle("AMELIE"))
    assert.strictEqual(normalizeTitle("Fast & Furious"), normalizeTitle("Fast and Furious"))
    assert.strictEqual(normalizeTitle("Mission: Impossible – Fallout"), "mission impossible fallout")
    assert.strictEqual(normalizeTitle("L’été de Gérard"), normalizeTitle("L'Été de Gérard"))
    assert.strictEqual(normalizeTitle("Alien³"), "alien3")
  })
  it("never turns a numeric title into an empty string", () => {
    for (const t of ["1917", "2012", "24", "3%", "9-1-1", "11.22.63", "★", "?"]) {
      assert.isAbove(normalizeTitle(t).length, 0, t)
    }
    assert.strictEqual(normalizeTitle("1917"), "1917")
    assert.strictEqual(normalizeTitle("9-1-1"), "9 1 1")
  })
  it("is idempotent", () => {
    for (const t of ["Amélie & Nino", "WALL·E", "Se7en", "Brat 2", "기생충", "Брат 2", "ولاد رزق 3: القاضية", "★", "3%"]) {
      assert.strictEqual(normalizeTitle(normalizeTitle(t)), normalizeTitle(t), t)
    }
  })
})

describe("Classifier.behaviour", () => {
  it("is the classifier's answers on its probe names, stable within a build", () => {
    assert.strictEqual(Classifier.behaviour(), Classifier.behaviour())
    const answers = JSON.parse(Classifier.behaviour()) as Array<[Classification, string | null]>
    assert.isAbove(answers.length, 10)
    assert.deepStrictEqual(answers[0]![0], Classifier.classify({
      name: "FR - Le Fabuleux Destin d'Amélie Poulain (2001) (FHD MULTI)",
      url: "http://h/movie/u/p/1.mkv"
    }))
  })
})

describe("entries without a usable name", () => {
  it("have no title rather than an empty one, and low confidence", () => {
    for (const name of ["", "   ", "★ ★"]) {
      const c = Classifier.classify({ name, url: "http://h/movie/u/p/9.mp4" })
      assert.strictEqual(c.kind, "movie", JSON.stringify(name))
      assert.isNull(c.title, JSON.stringify(name))
      assert.isAtMost(c.confidence, 0.2)
    }
  })
})
