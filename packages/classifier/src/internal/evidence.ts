/**
 * The kind of an entry whose URL has no Xtream path (ordinary and public live-TV playlists), from the evidence
 * around its name. Channel attributes and live transports decide at once; otherwise film/episode evidence and
 * channel evidence are weighed, and a tie is `unknown`. A channel typed as a film could later be matched to a
 * film and downloaded, so a film needs positive evidence and never wins by default.
 */
import type { Kind } from "../Classification.js"
import type { GroupInfo } from "./group.js"
import type { UrlInfo } from "./url.js"

type Attributes = Readonly<Record<string, string>> | undefined

// Only channels carry these: an EPG channel number, catch-up or timeshift settings, a recording window.
const CHANNEL_ATTRIBUTES = ["tvg-chno", "catchup", "catchup-days", "catchup-source", "catchup-type", "timeshift", "tvg-shift", "tvg-rec", "tvg-timeshift"]

/** The entry carries an attribute only channels or radio stations have (`tvg-chno`, `catchup`, `radio="true"`, …). */
export const hasChannelAttributes = (attributes: Attributes): boolean => {
  if (attributes === undefined) return false
  for (const key of CHANNEL_ATTRIBUTES) {
    const v = attributes[key]
    if (v !== undefined && v.trim().length > 0) return true
  }
  const radio = attributes["radio"]
  return radio !== undefined && /^(?:true|1|yes)$/i.test(radio.trim())
}

const NO_ID = /^(?:0|-|null|none|n\/a)?$/i
const IMDB_ID = /^tt\d{5,}$/
// EPG ids in the iptv-org form: `BBCOne.uk`, `CNNInternational.us@Europe`.
const EPG_ID = /^[^\s.@]+(?:\.[^\s.@]+)*\.[a-z]{2}(?:@[\p{L}\p{N}_-]+)?$/iu
// Poster and artwork hosts of film/series databases.
const POSTER = /image\.tmdb\.org|themoviedb\.org|media-amazon\.com\/images\/M\/|\/\/(?:www\.)?imdb\.com\/|thetvdb\.com|fanart\.tv/i
// Timeshift (`Film4 +1`) and backup feeds are channel conventions.
const TIMESHIFT = /(?:^|\s)\+\d{1,2}(?=\s|$)|\bBACKUP\b/i
// Broadcast words in a name (`Sky Cinema Action`, `Film4`, `Movies 24`, `TV3`): a film title without a year
// rarely has them, and they are what tells a channel from a film inside a film-category channel group.
const CHANNEL_WORD = /(?<![\p{L}\p{N}])(?:TV|Channel|Kanal|Canal|Cha[iî]ne|Network|Radio|FM|News|Sports?|Cin[eé]ma|Cine|Kino|Movies?|Films?)\d{0,3}(?![\p{L}])/iu

export interface Verdict {
  readonly kind: Kind
  readonly reason: string
}

/**
 * Weighs a name with no decisive marker. `episode`: a season/episode marker (`marked`) or only an absolute
 * number (`absolute`); `year` as read by the title parser (`strong` in brackets or after a dash, else `bare`).
 */
export const weigh = (
  name: string,
  attributes: Attributes,
  url: UrlInfo,
  group: GroupInfo,
  episode: "marked" | "absolute" | null,
  year: "strong" | "bare" | null
): Verdict => {
  let vod = 0
  let channel = 0
  if (episode === "marked") vod += 4
  else if (episode === "absolute") vod += 2
  if (year === "strong") vod += 3
  // A bare number that reads as a year is weaker outside a film category (`Retro 1990`, `Hits 2000`).
  else if (year === "bare") vod += group.vod ? 2 : 1
  if (group.vod) vod += 1
  switch (url.form) {
    case "file":
      vod += 3
      break
    case "manifest":
      channel += 2
      break
    case "ts":
    case "bare":
    case "other":
      channel += 1
      break
  }
  const id = attributes?.["tvg-id"]?.trim()
  if (id !== undefined && !NO_ID.test(id)) {
    if (IMDB_ID.test(id)) vod += 2
    else channel += EPG_ID.test(id) ? 3 : 2
  }
  const logo = attributes?.["tvg-logo"]
  if (logo !== undefined && logo.length > 0 && POSTER.test(logo)) vod += 2
  if (TIMESHIFT.test(name)) channel += 2
  else if (year !== "strong" && episode === null && CHANNEL_WORD.test(name)) channel += 1

  if (vod > channel) return { kind: episode !== null || group.kind === "series" ? "series" : "movie", reason: "kind:vod-evidence" }
  if (channel > vod && channel >= 2) return { kind: "live", reason: "kind:channel-evidence" }
  // A name with no film evidence at all, in a category that does not name films or series, with a stream URL.
  if (vod === 0 && channel >= 1 && !group.vod) return { kind: "live", reason: "kind:channel-evidence" }
  return { kind: "unknown", reason: "kind:unsure" }
}
