/**
 * The catalogue's entries as `items` and the API show them: the query, and the one public JSON shape of an item
 * (camelCase, as the *arr apps write theirs), with the stream URL masked — the stored template never holds a
 * credential, and the placeholders are not shown either.
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import { StreamUrl } from "@stalkeer/m3u-parser"
import { Entries } from "@stalkeer/store"
import type { StoreError } from "@stalkeer/store"
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"

export type Query = Entries.Query

/** An item as JSON. Dates are ISO 8601 strings. */
export interface ItemJson {
  readonly id: number
  readonly kind: string
  readonly title: string | null
  readonly year: number | null
  readonly season: number | null
  readonly episode: number | null
  readonly episodeEnd: number | null
  readonly resolution: string | null
  readonly language: string | null
  readonly subtitles: string | null
  readonly platform: string | null
  readonly groupTitle: string | null
  readonly name: string
  /** The stream URL with the account masked (`***`). */
  readonly url: string
  readonly mediaId: number | null
  /** The identification of its work (null until `enrich` identifies it, and for live channels). */
  readonly tmdbId: number | null
  readonly imdbId: string | null
  readonly tvdbId: number | null
  /** 0..1: how sure the identification is (1 for a manual match). */
  readonly matchConfidence: number | null
  /** `search`, `override` (a manual match) or `external-id`. */
  readonly matchMethod: string | null
  readonly firstSeenAt: string
  readonly updatedAt: string
}

export const toJson = (item: Entries.Item): ItemJson => ({
  id: item.id,
  kind: item.kind,
  title: item.title,
  year: item.year,
  season: item.season,
  episode: item.episode,
  episodeEnd: item.episodeEnd,
  resolution: item.resolution,
  language: item.language,
  subtitles: item.subtitles,
  platform: item.platform,
  groupTitle: item.groupTitle,
  name: item.name,
  url: StreamUrl.maskTemplate(item.urlTemplate),
  mediaId: item.mediaId,
  tmdbId: item.tmdbId,
  imdbId: item.imdbId,
  tvdbId: item.tvdbId,
  matchConfidence: item.matchConfidence,
  matchMethod: item.matchMethod,
  firstSeenAt: item.firstSeenAt.toISOString(),
  updatedAt: item.updatedAt.toISOString()
})

/** The live entries matching `query`, read through a cursor: memory stays flat whatever the limit. */
export const stream = (query: Query): Stream.Stream<Entries.Item, StoreError.StoreError, SqlClient.SqlClient> =>
  Entries.stream(query)

/** How many live entries match `query`, whatever its limit. */
export const count = (query: Query): Effect.Effect<number, StoreError.StoreError, SqlClient.SqlClient> =>
  Entries.count(query)
