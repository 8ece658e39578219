/**
 * The pure, synchronous classifier: what a playlist entry is (movie, series episode, live channel),
 * its clean title, year, season/episode, resolution, languages and platform.
 *
 * @example
 * classify({ name: "FR - Le Caire (2019) (FHD MULTI)", url: "http://h/movie/u/p/12.mkv" })
 * // { kind: "movie", title: "Le Caire", year: 2019, resolution: "1080p", language: "fr", multiAudio: true, … }
 */
import type { Classification, ClassifyInput, Kind } from "./Classification.js"
import { findEpisode } from "./internal/episode.js"
import { hasChannelAttributes, weigh } from "./internal/evidence.js"
import { groupInfo } from "./internal/group.js"
import { normalizeTitle as normalizeTitleImpl } from "./internal/normalize.js"
import { skipIndex, stripPrefixes } from "./internal/prefix.js"
import { newMarks } from "./internal/tags.js"
import { parseTitle, readTail } from "./internal/title.js"
import { parseUrl } from "./internal/url.js"

/** A configured group-title rule: entries whose group matches `pattern` are of `kind`. */
export interface GroupKindRule {
  readonly pattern: RegExp
  readonly kind: Kind
  /** When true the rule beats the URL path and `tvg-type`; otherwise it only beats the built-in group heuristics. */
  readonly override?: boolean | undefined
}

/** Compiled rules for `classify`. Build them from strings (with validation) through `ClassifierService`. */
export interface Rules {
  readonly groupKinds: ReadonlyArray<GroupKindRule>
  /** Extra language/country prefix codes, upper-case code → ISO 639-1 (`{ "VL": "nl" }`). */
  readonly languageCodes: ReadonlyMap<string, string> | null
}

export const defaultRules: Rules = { groupKinds: [], languageCodes: null }

/** Matching key: case, diacritics, punctuation and `&`/`and` folded. Never empty for a non-blank title. */
export const normalizeTitle = (title: string): string => normalizeTitleImpl(title)

const WS = /\s+/g
const NEEDS_COLLAPSE = /\s\s|[\t\r\n\u00a0]|^\s|\s$/
const SEPARATOR = /^\s*(?:[#=━─═▃▄▅▆▇█▬*~◆■]\s*){3,}|(?:\s*[#=━─═▃▄▅▆▇█▬*~◆■]){3,}\s*$/u
// Trailing decorations (`… VOSTFR 🔥`, `★`): emoji, symbols, invisible format characters.
const TRAILING_DECORATION = /[\s\p{So}\p{Cf}\p{Co}\uFE0F★☆•]+$/u
const SCENE_CANDIDATE = /^[^\s]+$/
const DOTS = /[._]/g
const SUB_SUFFIX = /_sub$/i
const EVENT_FEED = /^(?:\(?EVT\b|EVENT\b|PPV\b|\d{1,2}:\d{2}\b)|\bvs\.?\s.*\(\d{4}-\d{2}-\d{2}|\bGAME PASS\b|\bNBA PASS\b|\bSUNDAY TICKET\b/iu
const TWENTY_FOUR_SEVEN = /24\s*\/\s*7|\b24H\b/iu
const TVG_TYPE: Record<string, Kind> = { movie: "movie", movies: "movie", vod: "movie", series: "series", serie: "series", live: "live", tv: "live" }

const isSeparatorChar = (c: number): boolean =>
  c === 35 || c === 61 || c === 42 || c === 126 || (c >= 0x2500 && c <= 0x25ff)

const hasTwoDots = (s: string): boolean => {
  const first = s.indexOf(".")
  return first >= 0 && s.indexOf(".", first + 1) >= 0
}

/** Classifies one playlist entry. Pure and synchronous; `rules` defaults to none. */
export const classify = (input: ClassifyInput, rules: Rules = defaultRules): Classification => {
  const reasons: Array<string> = []
  const tvg = input.tvgName
  const raw = tvg != null && tvg.trim().length > 0 ? tvg : input.name ?? ""
  let s = NEEDS_COLLAPSE.test(raw) ? raw.replace(WS, " ").trim() : raw
  if (s.length > 0 && s.charCodeAt(s.length - 1) > 0x2000) s = s.replace(TRAILING_DECORATION, "")
  const url = parseUrl(input.url)
  const group = groupInfo(input.groupTitle)
  const marks = newMarks(rules.languageCodes)
  marks.stereo = group.stereo

  // Kind from the strongest evidence first.
  let kind: Kind | null = null
  let kindFromName = false
  for (const r of rules.groupKinds) {
    if (r.override === true && input.groupTitle != null && r.pattern.test(input.groupTitle)) {
      kind = r.kind
      reasons.push("kind:rule-override")
      break
    }
  }
  if (kind === null && url.type !== null) {
    kind = url.type
    reasons.push(url.type === "movie" ? "kind:url-movie" : url.type === "series" ? "kind:url-series" : "kind:url-live")
  }
  if (kind === null) {
    const t = input.attributes?.["tvg-type"]
    const k = t !== undefined ? TVG_TYPE[t.toLowerCase()] : undefined
    if (k !== undefined) {
      kind = k
      reasons.push("kind:tvg-type")
    }
  }
  if (kind === null && input.groupTitle != null) {
    for (const r of rules.groupKinds) {
      if (r.override !== true && r.pattern.test(input.groupTitle)) {
        kind = r.kind
        reasons.push("kind:rule")
        break
      }
    }
  }

  const separator = s.length > 2 && (isSeparatorChar(s.charCodeAt(0)) || isSeparatorChar(s.charCodeAt(s.length - 1))) && SEPARATOR.test(s)
  if (separator && kind !== "movie" && kind !== "series") {
    reasons.push("separator")
    return result("live", null, null, null, null, undefined, marks, group, false, url, 0.9, reasons)
  }
  // Without an Xtream path: only channels carry channel attributes or come over live transports, and a live
  // category decides. A film or series category is only one piece of evidence, weighed below: film-category
  // channel groups (`Movies`, `UK| CINEMA`) hold channels.
  if (kind === null) {
    const reason = liveWithoutPath(input, url, group)
    if (reason !== null) {
      kind = "live"
      reasons.push(reason)
    }
  }

  let start = stripPrefixes(s, marks)
  // Scene style (`T.2019.1080p.WEB-DL`): no spaces, words joined by dots.
  if (hasTwoDots(s) && SCENE_CANDIDATE.test(start === 0 ? s : s.slice(start))) {
    s = s.slice(0, start) + s.slice(start).replace(DOTS, " ").trim()
    reasons.push("scene")
  }
  if (s.length > 4 && s.charCodeAt(s.length - 4) === 95 && SUB_SUFFIX.test(s)) {
    s = s.slice(0, -4)
    marks.subs = ""
  }

  if (kind === null) {
    if (TWENTY_FOUR_SEVEN.test(s) || EVENT_FEED.test(s)) kind = "live"
  }
  // A zero-padded index after the prefixes (`EN - 007 - Goldfinger`) numbers a film or an episode in a collection.
  if (kind !== "live") start = skipIndex(s, start)

  const rest = start === 0 ? s : s.slice(start)
  let ep: ReturnType<typeof findEpisode> = null
  if (kind === null) {
    ep = episodeWithoutPath(rest, group)
    const verdict = weighName(s, start, ep, input, url, group, marks)
    kind = verdict.kind
    kindFromName = true
    reasons.push(verdict.reason)
  } else {
    ep = kind === "movie" || kind === "live" ? null : findEpisode(rest, kind === "series")
  }

  if (kind === "live") {
    const event = EVENT_FEED.test(s)
    if (event) {
      reasons.push("event")
      // An event feed's title is its whole name (teams, times, dates), less trailing quality markers.
      const t = parseTitle(s, 0, s.length, "live", marks, false, false)
      return result("live", t.title.length > 0 ? t.title : s, null, null, null, undefined, marks, group, true, url, 0.8, reasons)
    }
    const t = parseTitle(s, start, s.length, "live", marks)
    return result("live", t.title.length > 0 ? t.title : s, null, null, null, undefined, marks, group, false, url, kindFromName ? 0.6 : 0.9, reasons)
  }

  let title: string
  if (ep !== null) {
    const t = parseTitle(s, start, start + ep.start, "vod", marks, false)
    readTail(s, start + ep.end, s.length, marks)
    title = t.title
  } else {
    title = parseTitle(s, start, s.length, "vod", marks).title
  }
  if (title.length === 0) title = rest.trim()
  const confidence = kind === "unknown" ? 0.3 : kindFromName ? 0.6 : title.length > 0 ? 0.9 : 0.5
  return result(
    kind,
    title,
    marks.year,
    ep !== null ? ep.season : null,
    ep !== null ? ep.episode : null,
    ep !== null && ep.episodeEnd !== null ? ep.episodeEnd : undefined,
    marks,
    group,
    false,
    url,
    confidence,
    reasons
  )
}

// The kind decisions for entries without an Xtream path live outside `classify`, which stays small for the
// common Xtream case.

/** Live without weighing anything: channel attributes, a live transport or audio stream, a live category. */
const liveWithoutPath = (input: ClassifyInput, url: ReturnType<typeof parseUrl>, group: ReturnType<typeof groupInfo>): string | null =>
  hasChannelAttributes(input.attributes)
    ? "kind:channel-attributes"
    : url.form === "live"
    ? "kind:live-url"
    : group.kind === "live"
    ? "kind:group-live"
    : null

const episodeWithoutPath = (rest: string, group: ReturnType<typeof groupInfo>): ReturnType<typeof findEpisode> => {
  // Episode markers are not looked for in a film category (`Red Road 3x12 (2019)` there is a film).
  const ep = group.kind === "movie" ? null : findEpisode(rest, group.kind === "series")
  // A marker with no title before it is the whole name (`E24`, a channel), not an episode of something.
  return ep !== null && rest.slice(0, ep.start).trim().length === 0 ? null : ep
}

const weighName = (
  s: string,
  start: number,
  ep: ReturnType<typeof findEpisode>,
  input: ClassifyInput,
  url: ReturnType<typeof parseUrl>,
  group: ReturnType<typeof groupInfo>,
  marks: ReturnType<typeof newMarks>
) => {
  let year: "strong" | "bare" | null = null
  if (ep === null) {
    // Read on a copy: the title is parsed for real once the kind is known.
    const probe = { ...marks }
    const t = parseTitle(s, start, s.length, "vod", probe)
    if (probe.year !== null) year = t.strongYear ? "strong" : "bare"
  }
  return weigh(s, input.attributes, url, group, ep === null ? null : ep.absolute === true ? "absolute" : "marked", year)
}

const result = (
  kind: Kind,
  title: string | null,
  year: number | null,
  season: number | null,
  episode: number | null,
  episodeEnd: number | undefined,
  marks: ReturnType<typeof newMarks>,
  group: ReturnType<typeof groupInfo>,
  event: boolean,
  url: ReturnType<typeof parseUrl>,
  confidence: number,
  reasons: Array<string>
): Classification => {
  // Audio language: an original-with-subtitles tag means no dubbed audio is marked.
  const subs = marks.subs === "" ? (marks.prefixLang ?? group.lang) : marks.subs
  let language: string | null
  if (marks.subs !== null && marks.subs !== "multi") language = null
  else if (marks.prefixLang !== null) language = marks.prefixLang
  else if (marks.tagLang !== null) language = marks.tagLang
  // `MULTI-SUB` alone says nothing of the audio, so the section's language is not assumed either.
  else if (marks.subs === "multi" && group.implicit) language = null
  // Event feeds carry no marker of their own: only a category that names a language gives one.
  else if (event) language = group.implicit ? null : group.lang
  // Live categories only name a language with a code or a language word, never implicitly.
  else if (kind === "live") language = group.implicit ? null : group.lang
  // A subtitled category only names its language with a code (`AR:SUBT …`); word-only ones give none.
  else if (group.asian || (group.subtitled && group.implicit)) language = null
  else language = group.lang
  // A name with nothing left once markers are peeled off (or no name at all) has no title, not an empty one.
  const untitled = title !== null && title.trim() === ""
  const out: Classification = {
    kind,
    title: untitled ? null : title,
    year: kind === "live" ? null : year,
    season,
    episode,
    resolution: marks.resolution,
    language,
    multiAudio: marks.multi,
    subtitles: subs,
    platform: marks.platform,
    country: kind === "live" ? null : marks.country,
    container: url.container,
    streamId: url.streamId,
    confidence: untitled ? Math.min(confidence, 0.2) : confidence,
    reasons: untitled ? [...reasons, "untitled"] : reasons
  }
  return episodeEnd !== undefined ? { ...out, episodeEnd } : out
}

/**
 * Names that exercise every rule family. `behaviour` is what the classifier answers on them, so a rule change that
 * alters any of these answers changes it without anyone remembering to bump a number.
 */
const PROBES: ReadonlyArray<ClassifyInput> = [
  { name: "FR - Le Fabuleux Destin d'Amélie Poulain (2001) (FHD MULTI)", url: "http://h/movie/u/p/1.mkv" },
  { name: "|EN| Blade Runner 2049 (2017) 4K", groupTitle: "|EN| 4K MOVIES", url: "http://h/movie/u/p/2.mp4" },
  { name: "NF - Glass Onion: A Knives Out Mystery (2022)", groupTitle: "Movies | Netflix" },
  { name: "Oppenheimer.2023.1080p.WEB-DL.x264-GRP", groupTitle: "EN: MOVIES" },
  { name: "WALL·E (2008) (FHD VOSTFR)", groupTitle: "FR: FILMS - Animation" },
  { name: "|AR| Se7en (1995) 720p SUBT AR", groupTitle: "AR:SUBT أفلام مترجمة" },
  { name: "1917 | 2019 | 8.1", groupTitle: "VOD - NEW ADDED [EN]" },
  { name: "|VO|STFR| Mon miroir (1999)", url: "http://h/movie/u/p/3.mkv" },
  { name: "4K-AR - A Son in Venice", url: "http://h/movie/u/p/4.mkv" },
  { name: "EN - Band of Brothers S01 E06", groupTitle: "EN: SERIES", url: "http://h/series/u/p/5.mkv" },
  { name: "9-1-1 1x02", url: "http://h/series/u/p/6.mp4" },
  { name: "DE - Dark Staffel 2 Folge 3", url: "http://h/series/u/p/7.mkv" },
  { name: "AR - مسلسل Al Hayba الحلقة 12", url: "http://h/series/u/p/8.mp4" },
  { name: "TR| Kuruluş Osman 12. Bölüm (2. Sezon)", url: "http://h/series/u/p/9.mp4" },
  { name: "The Office (US) S02E01-E02 FHD", url: "http://h/series/u/p/10.mkv" },
  { name: "UK: BBC One FHD", groupTitle: "UK| GENERAL ᴴᴰ/ᴿᴬᵂ", url: "http://h/live/u/p/11.ts" },
  { name: "#### UK SPORTS ####", groupTitle: "UK| SPORTS", url: "http://h/live/u/p/12.ts" },
  { name: "24/7 The Simpsons", groupTitle: "EN| 24/7", url: "http://h/u/p/13" },
  { name: "", url: "http://h/movie/u/p/14.mp4" },
  // Unusual separators, a franchise index, a subtitle prefix, a 3D that belongs to the title.
  { name: "NO ▎ Kon-Tiki (2012)", url: "http://h/movie/u/p/18.mkv" },
  { name: "EN - 007 - Goldfinger (1964)", url: "http://h/movie/u/p/19.mkv" },
  { name: "EN-SUBS - Whiplash (2014)", url: "http://h/movie/u/p/20.mkv" },
  { name: "Step Up 3D (2010)", url: "http://h/movie/u/p/21.mkv" },
  // Without an Xtream path: channel evidence against film evidence, radio, a Kodi header suffix, an even case.
  { name: "Sky Cinema Action (1080p) [Geo-blocked]", groupTitle: "Movies;Entertainment", url: "https://c.example/sca/index.m3u8", attributes: { "tvg-id": "SkyCinemaAction.uk" } },
  { name: "Film4 +1", groupTitle: "Filme", url: "http://c.example:8000/15.ts" },
  { name: "Heat (1995)", groupTitle: "Movies", url: "https://c.example/vod/16/index.m3u8|User-Agent=Mozilla/5.0" },
  { name: "Jazz FM", groupTitle: "Music", url: "https://icecast.example/live.aac", attributes: { radio: "true" } },
  { name: "Starz HD", groupTitle: "US| PREMIUM MOVIES", url: "http://c.example/17" }
]

let cachedBehaviour: string | undefined

/**
 * The classifier's answers (and title keys) on fixed probe names, as canonical JSON. Equal strings mean equal
 * behaviour on the probes: stores hash it into a version they keep with each classified row, to know when a new
 * release must re-classify what they kept.
 */
export const behaviour = (): string =>
  cachedBehaviour ??= JSON.stringify(PROBES.map((input) => {
    const c = classify(input)
    return [c, c.title === null ? null : normalizeTitle(c.title)]
  }))
