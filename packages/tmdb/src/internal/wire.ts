/**
 * TMDB's wire formats (snake_case, as served) and their transformations into the `TmdbResponse` values.
 *
 * Only `id` is required. Every other field may be missing or `null` — TMDB omits fields and sends `null` freely,
 * and sends `""` for an unknown date — so one odd result never fails a whole search. Excess fields are ignored.
 */
import * as Schema from "effect/Schema"
import * as TmdbResponse from "../TmdbResponse.js"

const str = Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
const num = Schema.optionalWith(Schema.NullOr(Schema.Number), { default: () => null })
const bool = Schema.optionalWith(Schema.NullOr(Schema.Boolean), { default: () => null })
const list = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.optionalWith(Schema.Array(item), { nullable: true, default: () => [] })
const nested = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/** `""` is TMDB's unknown date or title. */
const blank = (s: string | null): string | null => (s === null || s.trim() === "" ? null : s)

const MovieResultWire = Schema.Struct({
  id: Schema.Number,
  title: str,
  original_title: str,
  original_language: str,
  release_date: str,
  overview: str,
  popularity: num,
  vote_count: num,
  vote_average: num,
  poster_path: str,
  adult: bool
})

const TvResultWire = Schema.Struct({
  id: Schema.Number,
  name: str,
  original_name: str,
  original_language: str,
  first_air_date: str,
  origin_country: list(Schema.String),
  overview: str,
  popularity: num,
  vote_count: num,
  vote_average: num,
  poster_path: str,
  adult: bool
})

export const MovieResult = Schema.transform(MovieResultWire, TmdbResponse.MovieResult, {
  strict: true,
  decode: (w) => ({
    id: w.id,
    title: blank(w.title) ?? w.original_title ?? "",
    originalTitle: w.original_title,
    originalLanguage: blank(w.original_language),
    releaseDate: blank(w.release_date),
    overview: w.overview,
    popularity: w.popularity ?? 0,
    voteCount: w.vote_count ?? 0,
    voteAverage: w.vote_average ?? 0,
    posterPath: w.poster_path,
    adult: w.adult ?? false
  }),
  encode: (m) => ({
    id: m.id,
    title: m.title,
    original_title: m.originalTitle,
    original_language: m.originalLanguage,
    release_date: m.releaseDate ?? "",
    overview: m.overview,
    popularity: m.popularity,
    vote_count: m.voteCount,
    vote_average: m.voteAverage,
    poster_path: m.posterPath,
    adult: m.adult
  })
})

export const TvResult = Schema.transform(TvResultWire, TmdbResponse.TvResult, {
  strict: true,
  decode: (w) => ({
    id: w.id,
    name: blank(w.name) ?? w.original_name ?? "",
    originalName: w.original_name,
    originalLanguage: blank(w.original_language),
    firstAirDate: blank(w.first_air_date),
    originCountry: w.origin_country,
    overview: w.overview,
    popularity: w.popularity ?? 0,
    voteCount: w.vote_count ?? 0,
    voteAverage: w.vote_average ?? 0,
    posterPath: w.poster_path,
    adult: w.adult ?? false
  }),
  encode: (t) => ({
    id: t.id,
    name: t.name,
    original_name: t.originalName,
    original_language: t.originalLanguage,
    first_air_date: t.firstAirDate ?? "",
    origin_country: t.originCountry,
    overview: t.overview,
    popularity: t.popularity,
    vote_count: t.voteCount,
    vote_average: t.voteAverage,
    poster_path: t.posterPath,
    adult: t.adult
  })
})

const page = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.transform(
    Schema.Struct({ page: num, total_pages: num, total_results: num, results: list(item) }),
    TmdbResponse.SearchPage(Schema.typeSchema(item)),
    {
      strict: true,
      decode: (w) => ({
        page: w.page ?? 1,
        totalPages: w.total_pages ?? 0,
        totalResults: w.total_results ?? w.results.length,
        results: w.results
      }),
      encode: (p) => ({ page: p.page, total_pages: p.totalPages, total_results: p.totalResults, results: p.results })
    }
  )

export const MovieSearch = page(MovieResult)
export const TvSearch = page(TvResult)

const AlternativeTitleWire = Schema.Struct({ iso_3166_1: str, title: str, type: str })
const TranslationWire = Schema.Struct({
  iso_639_1: str,
  iso_3166_1: str,
  data: nested(Schema.Struct({ title: str, name: str, overview: str }))
})
const ExternalIdsWire = Schema.Struct({ imdb_id: str, tvdb_id: num, wikidata_id: str })
type ExternalIdsWire = typeof ExternalIdsWire.Type
// A movie's list is `titles`, a series' `results`.
const AlternativeTitlesWire = Schema.Struct({
  titles: list(AlternativeTitleWire),
  results: list(AlternativeTitleWire)
})
const TranslationsWire = Schema.Struct({ translations: list(TranslationWire) })

const externalIds = (w: ExternalIdsWire | null): TmdbResponse.ExternalIds => ({
  imdbId: blank(w?.imdb_id ?? null),
  tvdbId: w?.tvdb_id ?? null,
  wikidataId: blank(w?.wikidata_id ?? null)
})

const alternativeTitles = (
  w: typeof AlternativeTitlesWire.Type | null
): ReadonlyArray<TmdbResponse.AlternativeTitle> =>
  [...(w?.titles ?? []), ...(w?.results ?? [])].flatMap((t) => {
    const title = blank(t.title)
    return title === null ? [] : [{ country: t.iso_3166_1 ?? "", title, type: blank(t.type) }]
  })

const translations = (
  w: typeof TranslationsWire.Type | null,
  kind: "movie" | "tv"
): ReadonlyArray<TmdbResponse.Translation> =>
  (w?.translations ?? []).map((t) => ({
    language: t.iso_639_1 ?? "",
    country: t.iso_3166_1 ?? "",
    title: blank((kind === "movie" ? t.data?.title : t.data?.name) ?? null),
    overview: blank(t.data?.overview ?? null)
  }))

const encodeExternalIds = (e: TmdbResponse.ExternalIds) => ({
  imdb_id: e.imdbId,
  tvdb_id: e.tvdbId,
  wikidata_id: e.wikidataId
})
const encodeAlternativeTitles = (titles: ReadonlyArray<TmdbResponse.AlternativeTitle>, key: "titles" | "results") => ({
  titles: [] as Array<typeof AlternativeTitleWire.Type>,
  results: [] as Array<typeof AlternativeTitleWire.Type>,
  [key]: titles.map((t) => ({ iso_3166_1: t.country, title: t.title, type: t.type ?? "" }))
})
const encodeTranslations = (list: ReadonlyArray<TmdbResponse.Translation>, kind: "movie" | "tv") => ({
  translations: list.map((t) => ({
    iso_639_1: t.language,
    iso_3166_1: t.country,
    data: {
      title: kind === "movie" ? t.title ?? "" : null,
      name: kind === "tv" ? t.title ?? "" : null,
      overview: t.overview
    }
  }))
})

const MovieDetailsWire = Schema.Struct({
  id: Schema.Number,
  title: str,
  original_title: str,
  original_language: str,
  release_date: str,
  overview: str,
  popularity: num,
  vote_count: num,
  runtime: num,
  status: str,
  origin_country: list(Schema.String),
  imdb_id: str,
  belongs_to_collection: nested(Schema.Struct({ id: Schema.Number, name: str })),
  external_ids: nested(ExternalIdsWire),
  alternative_titles: nested(AlternativeTitlesWire),
  translations: nested(TranslationsWire)
})

export const MovieDetails = Schema.transform(MovieDetailsWire, TmdbResponse.MovieDetails, {
  strict: true,
  decode: (w) => {
    const ids = externalIds(w.external_ids)
    return {
      id: w.id,
      title: blank(w.title) ?? w.original_title ?? "",
      originalTitle: w.original_title,
      originalLanguage: blank(w.original_language),
      releaseDate: blank(w.release_date),
      overview: w.overview,
      popularity: w.popularity ?? 0,
      voteCount: w.vote_count ?? 0,
      runtime: w.runtime,
      status: blank(w.status),
      originCountry: w.origin_country,
      imdbId: blank(w.imdb_id) ?? ids.imdbId,
      collection: w.belongs_to_collection,
      externalIds: ids,
      alternativeTitles: alternativeTitles(w.alternative_titles),
      translations: translations(w.translations, "movie")
    }
  },
  encode: (m) => ({
    id: m.id,
    title: m.title,
    original_title: m.originalTitle,
    original_language: m.originalLanguage,
    release_date: m.releaseDate ?? "",
    overview: m.overview,
    popularity: m.popularity,
    vote_count: m.voteCount,
    runtime: m.runtime,
    status: m.status,
    origin_country: m.originCountry,
    imdb_id: m.imdbId,
    belongs_to_collection: m.collection,
    external_ids: encodeExternalIds(m.externalIds),
    alternative_titles: encodeAlternativeTitles(m.alternativeTitles, "titles"),
    translations: encodeTranslations(m.translations, "movie")
  })
})

const TvDetailsWire = Schema.Struct({
  id: Schema.Number,
  name: str,
  original_name: str,
  original_language: str,
  first_air_date: str,
  last_air_date: str,
  overview: str,
  popularity: num,
  vote_count: num,
  status: str,
  type: str,
  origin_country: list(Schema.String),
  number_of_seasons: num,
  number_of_episodes: num,
  external_ids: nested(ExternalIdsWire),
  alternative_titles: nested(AlternativeTitlesWire),
  translations: nested(TranslationsWire)
})

export const TvDetails = Schema.transform(TvDetailsWire, TmdbResponse.TvDetails, {
  strict: true,
  decode: (w) => {
    const ids = externalIds(w.external_ids)
    return {
      id: w.id,
      name: blank(w.name) ?? w.original_name ?? "",
      originalName: w.original_name,
      originalLanguage: blank(w.original_language),
      firstAirDate: blank(w.first_air_date),
      lastAirDate: blank(w.last_air_date),
      overview: w.overview,
      popularity: w.popularity ?? 0,
      voteCount: w.vote_count ?? 0,
      status: blank(w.status),
      type: blank(w.type),
      originCountry: w.origin_country,
      numberOfSeasons: w.number_of_seasons,
      numberOfEpisodes: w.number_of_episodes,
      imdbId: ids.imdbId,
      tvdbId: ids.tvdbId,
      externalIds: ids,
      alternativeTitles: alternativeTitles(w.alternative_titles),
      translations: translations(w.translations, "tv")
    }
  },
  encode: (t) => ({
    id: t.id,
    name: t.name,
    original_name: t.originalName,
    original_language: t.originalLanguage,
    first_air_date: t.firstAirDate ?? "",
    last_air_date: t.lastAirDate,
    overview: t.overview,
    popularity: t.popularity,
    vote_count: t.voteCount,
    status: t.status,
    type: t.type,
    origin_country: t.originCountry,
    number_of_seasons: t.numberOfSeasons,
    number_of_episodes: t.numberOfEpisodes,
    external_ids: encodeExternalIds(t.externalIds),
    alternative_titles: encodeAlternativeTitles(t.alternativeTitles, "results"),
    translations: encodeTranslations(t.translations, "tv")
  })
})

export const FindResult = Schema.transform(
  Schema.Struct({ movie_results: list(MovieResult), tv_results: list(TvResult) }),
  TmdbResponse.FindResult,
  {
    strict: true,
    decode: (w) => ({ movieResults: w.movie_results, tvResults: w.tv_results }),
    encode: (f) => ({ movie_results: f.movieResults, tv_results: f.tvResults })
  }
)

/** TMDB's error body: `{"success":false,"status_code":34,"status_message":"…"}`. */
export const ErrorBody = Schema.Struct({
  status_code: Schema.optional(Schema.Number),
  status_message: Schema.optional(Schema.String)
})
