/**
 * The catalogue: playlist entries (items) with the CLI's filters, a whitelist of sort keys and *arr-style paging
 * (`page`, `pageSize`, `sortKey`, `sortDirection` → `totalRecords`, `records`), one item, the summary and the
 * ingest runs.
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { NotFound } from "../ApiError.js"
import { Authorization } from "../Authorization.js"
import { Id, IntFromString, Nullable, paging } from "./Common.js"

export const sortKeys = ["id", "title", "year", "kind", "resolution", "language", "group", "added", "updated"] as const

export const Kind = Schema.Literal("movie", "series", "live", "unknown")

export const ItemsQuery = Schema.Struct({
  kind: Schema.optional(Kind),
  /** Case-insensitive substring of the title or the name. */
  search: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  year: Schema.optional(IntFromString.pipe(Schema.between(1870, 2200))),
  /** Case-insensitive substring of the group title. */
  group: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  language: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Za-z]{2,3}$/))),
  resolution: Schema.optional(Schema.Literal("2160p", "1080p", "720p", "480p")),
  /** Only movies and series that TMDB has not identified. */
  unidentified: Schema.optional(Schema.BooleanFromString),
  tmdbId: Schema.optional(IntFromString.pipe(Schema.positive())),
  sortKey: Schema.optional(Schema.Literal(...sortKeys)),
  sortDirection: Schema.optional(Schema.Literal("ascending", "descending")),
  ...paging
})
export type ItemsQuery = typeof ItemsQuery.Type

/** An item: the one JSON shape of `stalkeer items --json` (`Items.toJson`), dates as ISO 8601 strings. */
export const Item = Schema.Struct({
  id: Schema.Int,
  kind: Schema.String,
  title: Nullable(Schema.String),
  year: Nullable(Schema.Int),
  season: Nullable(Schema.Int),
  episode: Nullable(Schema.Int),
  episodeEnd: Nullable(Schema.Int),
  resolution: Nullable(Schema.String),
  language: Nullable(Schema.String),
  subtitles: Nullable(Schema.String),
  platform: Nullable(Schema.String),
  groupTitle: Nullable(Schema.String),
  name: Schema.String,
  url: Schema.String.annotations({ description: "The stream URL with the account masked (***)" }),
  mediaId: Nullable(Schema.Int),
  tmdbId: Nullable(Schema.Int),
  imdbId: Nullable(Schema.String),
  tvdbId: Nullable(Schema.Int),
  matchConfidence: Nullable(Schema.Number),
  matchMethod: Nullable(Schema.String),
  firstSeenAt: Schema.String,
  updatedAt: Schema.String
}).annotations({ identifier: "Item" })

export const ItemsPage = Schema.Struct({
  page: Schema.Int,
  pageSize: Schema.Int,
  sortKey: Schema.String,
  sortDirection: Schema.Literal("ascending", "descending"),
  totalRecords: Schema.Int,
  records: Schema.Array(Item)
}).annotations({ identifier: "ItemsPage" })

export const RunCounts = Schema.Struct({
  total: Schema.Int,
  added: Schema.Int,
  changed: Schema.Int,
  revived: Schema.Int,
  unchanged: Schema.Int,
  vanished: Schema.Int,
  removed: Schema.Int,
  filtered: Schema.Int,
  warnings: Schema.Int,
  duplicates: Schema.Int,
  byKind: Schema.Record({ key: Schema.String, value: Schema.Int })
})

export const Run = Schema.Struct({
  id: Schema.Int,
  providerName: Schema.String,
  /** Where the playlist came from, with any credential masked. */
  source: Schema.String,
  status: Schema.Literal("running", "succeeded", "failed", "interrupted", "refused"),
  startedAt: Schema.Date,
  finishedAt: Nullable(Schema.Date),
  counts: RunCounts,
  error: Nullable(Schema.String)
}).annotations({ identifier: "Run" })

const Counts = Schema.Record({ key: Schema.String, value: Schema.Int })

export const Stats = Schema.Struct({
  entries: Schema.Int,
  vanished: Schema.Int,
  kinds: Counts,
  resolutions: Counts,
  languages: Counts,
  topGroups: Schema.Array(Schema.Struct({ group: Schema.String, count: Schema.Int })),
  media: Schema.Struct({ movies: Schema.Int, series: Schema.Int, episodes: Schema.Int }),
  lastRun: Nullable(Run)
}).annotations({ identifier: "Stats" })

export const RunsQuery = Schema.Struct({
  limit: Schema.optional(IntFromString.pipe(Schema.between(1, 500)))
})

export class Catalogue extends HttpApiGroup.make("catalogue")
  .add(
    HttpApiEndpoint.get("items", "/items")
      .setUrlParams(ItemsQuery)
      .addSuccess(ItemsPage)
      .annotate(OpenApi.Summary, "Entries of the catalogue, filtered, sorted and paged")
  )
  .add(
    HttpApiEndpoint.get("item", "/items/:id")
      .setPath(Schema.Struct({ id: Id }))
      .addSuccess(Item)
      .addError(NotFound)
  )
  .add(HttpApiEndpoint.get("stats", "/stats").addSuccess(Stats))
  .add(HttpApiEndpoint.get("runs", "/runs").setUrlParams(RunsQuery).addSuccess(Schema.Array(Run)))
  .add(
    HttpApiEndpoint.get("run", "/runs/:id")
      .setPath(Schema.Struct({ id: Id }))
      .addSuccess(Run)
      .addError(NotFound)
  )
  .middleware(Authorization)
  .prefix("/api/v1")
{}
