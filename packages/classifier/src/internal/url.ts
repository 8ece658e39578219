/** Xtream stream URLs: `http://H/(movie|series|live)/U/P/<id>.<ext>` and the bare live form `http://H/U/P/<id>`. */
export interface UrlInfo {
  readonly type: "movie" | "series" | "live" | null
  readonly streamId: number | null
  readonly container: string | null
}

const EMPTY: UrlInfo = { type: null, streamId: null, container: null }
const TYPED = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(movie|movies|series|live|vod)\/[^/]+\/[^/]+\/(\d+)(?:\.([A-Za-z0-9]{1,5}))?(?:[?#].*)?$/i
const BARE = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/[^/]+\/[^/]+\/(\d+)(?:\.(ts|m3u8))?(?:[?#].*)?$/i
// Any other URL: the extension of the last path segment, if there is a path.
const EXT = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(?:[^?#]*\/)?[^/?#]+\.([A-Za-z0-9]{2,5})(?:[?#].*)?$/i

export const parseUrl = (url: string | null | undefined): UrlInfo => {
  if (!url) return EMPTY
  const u = url.trim()
  let m = TYPED.exec(u)
  if (m !== null) {
    const t = m[1]!.toLowerCase()
    const type = t === "series" ? "series" : t === "live" ? "live" : "movie"
    return { type, streamId: Number(m[2]), container: m[3] !== undefined ? m[3].toLowerCase() : null }
  }
  m = BARE.exec(u)
  if (m !== null) return { type: "live", streamId: Number(m[1]), container: m[2] !== undefined ? m[2].toLowerCase() : null }
  const e = EXT.exec(u)
  return e !== null ? { type: null, streamId: null, container: e[1]!.toLowerCase() } : EMPTY
}
