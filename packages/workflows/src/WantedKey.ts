/**
 * What a download is for, as the queue's idempotency key (`downloads.wanted_key`): one job per wanted movie, per
 * wanted episode, or per file holding several episodes (a double episode is one file for two wanted episodes).
 */
import { SafePath } from "@stalkeer/downloader"

export type WantedKey =
  | { readonly _tag: "Movie"; readonly movieId: number }
  | { readonly _tag: "Episode"; readonly episodeId: number }
  | {
    readonly _tag: "Episodes"
    readonly seriesId: number
    readonly season: number
    readonly first: number
    readonly last: number
  }

/** `radarr:movie:1`, `sonarr:episode:7`, `sonarr:series:3:S01E01-E02`. */
export const format = (key: WantedKey): string => {
  switch (key._tag) {
    case "Movie":
      return `radarr:movie:${key.movieId}`
    case "Episode":
      return `sonarr:episode:${key.episodeId}`
    case "Episodes":
      return `sonarr:series:${key.seriesId}:${SafePath.episodeCode(key.season, key.first, key.last)}`
  }
}

/** The key's meaning; `undefined` for a key of another form (written by a later version, say). */
export const parse = (text: string): WantedKey | undefined => {
  let m = /^radarr:movie:(\d+)$/.exec(text)
  if (m !== null) return { _tag: "Movie", movieId: Number(m[1]) }
  m = /^sonarr:episode:(\d+)$/.exec(text)
  if (m !== null) return { _tag: "Episode", episodeId: Number(m[1]) }
  m = /^sonarr:series:(\d+):S(\d+)E(\d+)(?:-E(\d+))?$/.exec(text)
  if (m !== null) {
    const first = Number(m[3])
    return { _tag: "Episodes", seriesId: Number(m[1]), season: Number(m[2]), first, last: m[4] === undefined ? first : Number(m[4]) }
  }
  return undefined
}
