/**
 * What the TMDB endpoints answer, decoded and normalised: camelCase fields, `null` for anything TMDB left out,
 * sent as `null` or as `""` (unknown dates), and the appended `external_ids`, `alternative_titles` and
 * `translations` of a details response flattened into plain fields and arrays.
 *
 * These schemas describe the decoded values, so they also round-trip through JSON as they are (a cache can store
 * a value with `Schema.encode` and read it back with `Schema.decodeUnknown`). The wire formats live in
 * `internal/wire.ts`.
 */
import * as Schema from "effect/Schema"

const NullableString = Schema.NullOr(Schema.String)
const NullableNumber = Schema.NullOr(Schema.Number)

/** A movie as `/search/movie` and `/find` list it. */
export const MovieResult = Schema.Struct({
  id: Schema.Number,
  /** In the requested language when TMDB has a translation, else the default (English) title. */
  title: Schema.String,
  originalTitle: NullableString,
  /** ISO 639-1, e.g. `fr`. */
  originalLanguage: NullableString,
  /** `YYYY-MM-DD`; `null` when TMDB has no date. */
  releaseDate: NullableString,
  overview: NullableString,
  popularity: Schema.Number,
  voteCount: Schema.Number,
  voteAverage: Schema.Number,
  posterPath: NullableString,
  adult: Schema.Boolean
})
export interface MovieResult extends Schema.Schema.Type<typeof MovieResult> {}

/** A series as `/search/tv` and `/find` list it. */
export const TvResult = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  originalName: NullableString,
  originalLanguage: NullableString,
  /** `YYYY-MM-DD`; `null` when TMDB has no date. */
  firstAirDate: NullableString,
  /** ISO 3166-1 codes, e.g. `["GB"]`. */
  originCountry: Schema.Array(Schema.String),
  overview: NullableString,
  popularity: Schema.Number,
  voteCount: Schema.Number,
  voteAverage: Schema.Number,
  posterPath: NullableString,
  adult: Schema.Boolean
})
export interface TvResult extends Schema.Schema.Type<typeof TvResult> {}

/** One page of search results (20 per page; pages 1..500). */
export const SearchPage = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({
    page: Schema.Number,
    totalPages: Schema.Number,
    totalResults: Schema.Number,
    results: Schema.Array(item)
  })
export interface SearchPage<A> {
  readonly page: number
  readonly totalPages: number
  readonly totalResults: number
  readonly results: ReadonlyArray<A>
}

export const MovieSearch = SearchPage(MovieResult)
export const TvSearch = SearchPage(TvResult)

/** Another title a work is known by in a country (`alternative_titles`). */
export const AlternativeTitle = Schema.Struct({
  /** ISO 3166-1, e.g. `DE`. */
  country: Schema.String,
  title: Schema.String,
  /** TMDB's free-text kind, e.g. `working title`; `null` when empty. */
  type: NullableString
})
export interface AlternativeTitle extends Schema.Schema.Type<typeof AlternativeTitle> {}

/** The title of a work in one language and country (`translations`). */
export const Translation = Schema.Struct({
  /** ISO 639-1, e.g. `de`. */
  language: Schema.String,
  /** ISO 3166-1, e.g. `DE`. */
  country: Schema.String,
  /** The translated title (a series' translated name); `null` when the translation has none. */
  title: NullableString,
  overview: NullableString
})
export interface Translation extends Schema.Schema.Type<typeof Translation> {}

export const ExternalIds = Schema.Struct({
  imdbId: NullableString,
  /** Series only. */
  tvdbId: NullableNumber,
  wikidataId: NullableString
})
export interface ExternalIds extends Schema.Schema.Type<typeof ExternalIds> {}

/** `/movie/{id}` with `append_to_response=external_ids,alternative_titles,translations`. */
export const MovieDetails = Schema.Struct({
  id: Schema.Number,
  title: Schema.String,
  originalTitle: NullableString,
  originalLanguage: NullableString,
  releaseDate: NullableString,
  overview: NullableString,
  popularity: Schema.Number,
  voteCount: Schema.Number,
  /** Minutes; `null` when unknown. */
  runtime: NullableNumber,
  /** `Released`, `In Production`, …; `null` when absent. */
  status: NullableString,
  originCountry: Schema.Array(Schema.String),
  /** `tt…`: the details' own `imdb_id`, else the one in `external_ids`. */
  imdbId: NullableString,
  /** The collection a film belongs to (sequels share one). */
  collection: Schema.NullOr(Schema.Struct({ id: Schema.Number, name: NullableString })),
  externalIds: ExternalIds,
  alternativeTitles: Schema.Array(AlternativeTitle),
  translations: Schema.Array(Translation)
})
export interface MovieDetails extends Schema.Schema.Type<typeof MovieDetails> {}

/** `/tv/{id}` with `append_to_response=external_ids,alternative_titles,translations`. */
export const TvDetails = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  originalName: NullableString,
  originalLanguage: NullableString,
  firstAirDate: NullableString,
  lastAirDate: NullableString,
  overview: NullableString,
  popularity: Schema.Number,
  voteCount: Schema.Number,
  /** `Returning Series`, `Ended`, …; `null` when absent. */
  status: NullableString,
  /** `Scripted`, `Miniseries`, …; `null` when absent. */
  type: NullableString,
  originCountry: Schema.Array(Schema.String),
  numberOfSeasons: NullableNumber,
  numberOfEpisodes: NullableNumber,
  /** From `external_ids`. */
  imdbId: NullableString,
  /** From `external_ids`. */
  tvdbId: NullableNumber,
  externalIds: ExternalIds,
  alternativeTitles: Schema.Array(AlternativeTitle),
  translations: Schema.Array(Translation)
})
export interface TvDetails extends Schema.Schema.Type<typeof TvDetails> {}

/** `/find/{external_id}`: what TMDB knows under an IMDb or TVDB id (empty arrays when nothing). */
export const FindResult = Schema.Struct({
  movieResults: Schema.Array(MovieResult),
  tvResults: Schema.Array(TvResult)
})
export interface FindResult extends Schema.Schema.Type<typeof FindResult> {}

/** The year of a TMDB date (`YYYY-MM-DD`), or `null`. */
export const yearOf = (date: string | null): number | null => {
  const match = date === null ? null : /^(\d{4})/.exec(date)
  return match === null ? null : Number(match[1])
}

/**
 * Every schema above as one value, e.g. to decode a cached answer: `Schemas.MovieDetails`. The published
 * declarations drop a value that shares its name with a type (`MovieDetails`) from the `TmdbResponse` namespace,
 * so TypeScript consumers of the built package reach the schemas here.
 */
export const Schemas = {
  MovieResult,
  TvResult,
  MovieSearch,
  TvSearch,
  AlternativeTitle,
  Translation,
  ExternalIds,
  MovieDetails,
  TvDetails,
  FindResult
} as const
