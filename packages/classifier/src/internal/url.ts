/** Xtream stream URLs: `http://H/(movie|series|live)/U/P/<id>.<ext>` and the bare live form `http://H/U/P/<id>`. */
export interface UrlInfo {
  readonly type: "movie" | "series" | "live" | null
  readonly streamId: number | null
  readonly container: string | null
  /**
   * What the URL's form says when it has no Xtream path (`null` when it has one, or there is no URL):
   * `live` a live transport (`rtmp://`, `udp://`, a udpxy `/udp/` path, a bare `host:port`) or an audio stream;
   * `manifest` an adaptive-streaming manifest (`.m3u8`, `.mpd`); `ts` an MPEG transport stream, which Xtream
   * also serves films as; `file` a file container (`.mkv`, `.mp4`, `.avi`); `bare` no extension; `other` anything else.
   */
  readonly form: UrlForm | null
}

export type UrlForm = "live" | "manifest" | "ts" | "file" | "bare" | "other"

const EMPTY: UrlInfo = { type: null, streamId: null, container: null, form: null }
const TYPED = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(movie|movies|series|live|vod)\/[^/]+\/[^/]+\/(\d+)(?:\.([A-Za-z0-9]{1,5}))?(?:[?#].*)?$/i
const BARE = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/[^/]+\/[^/]+\/(\d+)(?:\.(ts|m3u8))?(?:[?#].*)?$/i
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i
const EXTENSION = /^[A-Za-z0-9]{2,5}$/
const LIVE_SCHEME = /^(?:rtmp[a-z]*|rtsp[a-z]*|rtp|udp|mms[a-z]?|srt|rist|igmp):/i
// udpxy / multicast relays (`http://h:4022/udp/239.0.0.1:1234`), and a server root with only a port (Icecast,
// Shoutcast `/;`): live by construction.
const RELAY = /^[a-z]+:\/\/[^/]+\/(?:udp|rtp)\/\d/i
const PORT_ONLY = /^[a-z]+:\/\/[^/?#]+:\d{2,5}\/?;?(?:[?#].*)?$/i
const AUDIO = new Set(["aac", "mp3", "ogg", "oga", "opus", "m4a", "flac", "wma", "pls"])
const MANIFEST = new Set(["m3u8", "m3u", "mpd", "f4m", "ism", "isml"])
const FILE = new Set(["mkv", "mp4", "avi", "mov", "wmv", "m4v", "mpg", "mpeg", "webm", "divx", "xvid", "vob", "iso", "flv", "3gp", "ogv", "rmvb", "m2ts", "mts", "asf"])

/** The last path segment of a URL or a local path, without query or fragment ("" when there is no path). */
const lastSegment = (u: string): string => {
  const a = AUTHORITY.exec(u)
  let p = a !== null ? u.slice(a[0].length) : u
  const q = p.search(/[?#]/)
  if (q >= 0) p = p.slice(0, q)
  return p.slice(Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\")) + 1)
}

const formOf = (u: string, segment: string, ext: string | null): UrlForm => {
  if (LIVE_SCHEME.test(u) || RELAY.test(u) || PORT_ONLY.test(u)) return "live"
  if (ext === null) return segment.length > 0 ? "bare" : "other"
  if (AUDIO.has(ext)) return "live"
  if (MANIFEST.has(ext)) return "manifest"
  if (ext === "ts") return "ts"
  if (FILE.has(ext)) return "file"
  return "other"
}

export const parseUrl = (url: string | null | undefined): UrlInfo => {
  if (!url) return EMPTY
  let u = url.trim()
  // Kodi request headers after the URL (`…/index.m3u8|User-Agent=Mozilla/5.0&Referer=…`) are not part of it.
  const bar = u.indexOf("|")
  if (bar > 0) u = u.slice(0, bar)
  let m = TYPED.exec(u)
  if (m !== null) {
    const t = m[1]!.toLowerCase()
    const type = t === "series" ? "series" : t === "live" ? "live" : "movie"
    return { type, streamId: Number(m[2]), container: m[3] !== undefined ? m[3].toLowerCase() : null, form: null }
  }
  m = BARE.exec(u)
  if (m !== null) return { type: "live", streamId: Number(m[1]), container: m[2] !== undefined ? m[2].toLowerCase() : null, form: null }
  // Any other URL or local path: the extension of its last path segment.
  const segment = lastSegment(u)
  const dot = segment.lastIndexOf(".")
  const ext = dot > 0 ? segment.slice(dot + 1) : ""
  const container = EXTENSION.test(ext) ? ext.toLowerCase() : null
  return { type: null, streamId: null, container, form: formOf(u, segment, container) }
}
