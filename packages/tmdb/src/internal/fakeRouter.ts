/**
 * The fake TMDB's world and its answers: what each endpoint of `FakeTmdb` serves, in TMDB's JSON shapes (every
 * field the spec declares, `null` where TMDB sends null), and TMDB's error bodies.
 */
import * as Search from "./fakeSearch.js"

/** Another title in a country, as TMDB's `alternative_titles` lists it. */
export interface AlternativeTitle {
  readonly iso_3166_1: string
  readonly title: string
  readonly type?: string | undefined
}

/** The title (a series' name) in a language and country, as TMDB's `translations` lists it. */
export interface Translation {
  readonly iso_639_1: string
  readonly iso_3166_1: string
  readonly title: string
  readonly overview?: string | undefined
}

export interface Movie {
  readonly id: number
  /** The default (en-US) title. */
  readonly title: string
  /** Default: `title`. */
  readonly originalTitle?: string | undefined
  /** ISO 639-1 (default `en`). */
  readonly originalLanguage?: string | undefined
  /** The primary release, `YYYY-MM-DD`; `""` or absent when unknown. */
  readonly releaseDate?: string | undefined
  /** Years of other (regional) releases: `year` matches them too, `primary_release_year` does not. */
  readonly releaseYears?: ReadonlyArray<number> | undefined
  readonly popularity?: number | undefined
  readonly voteCount?: number | undefined
  readonly imdbId?: string | null | undefined
  readonly alternativeTitles?: ReadonlyArray<AlternativeTitle> | undefined
  readonly translations?: ReadonlyArray<Translation> | undefined
  readonly overview?: string | undefined
  readonly runtime?: number | undefined
  readonly originCountry?: ReadonlyArray<string> | undefined
  readonly collection?: { readonly id: number; readonly name: string } | undefined
  readonly genreIds?: ReadonlyArray<number> | undefined
}

export interface Tv {
  readonly id: number
  /** The default (en-US) name. */
  readonly name: string
  /** Default: `name`. */
  readonly originalName?: string | undefined
  readonly originalLanguage?: string | undefined
  /** `YYYY-MM-DD`; `""` or absent when unknown. */
  readonly firstAirDate?: string | undefined
  /** `YYYY-MM-DD`; a `year` search matches any year from the first to the last air date. */
  readonly lastAirDate?: string | undefined
  /** ISO 3166-1, e.g. `["GB"]`. */
  readonly originCountry?: ReadonlyArray<string> | undefined
  readonly popularity?: number | undefined
  readonly voteCount?: number | undefined
  readonly imdbId?: string | null | undefined
  readonly tvdbId?: number | null | undefined
  readonly alternativeTitles?: ReadonlyArray<AlternativeTitle> | undefined
  readonly translations?: ReadonlyArray<Translation> | undefined
  readonly overview?: string | undefined
  readonly numberOfSeasons?: number | undefined
  readonly numberOfEpisodes?: number | undefined
  readonly status?: string | undefined
  readonly genreIds?: ReadonlyArray<number> | undefined
}

export interface World {
  readonly movies?: ReadonlyArray<Movie> | undefined
  readonly tv?: ReadonlyArray<Tv> | undefined
}

const PER_PAGE = 20
const MAX_PAGE = 500
const MESSAGES: Record<number, string> = {
  5: "Invalid parameters: Your request parameters are incorrect.",
  6: "Invalid id: The pre-requisite id is invalid or not found.",
  7: "Invalid API key: You must be granted a valid key.",
  9: "Service offline: This service is temporarily offline, try again later.",
  11: "Internal error: Something went wrong, contact TMDB.",
  22: "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
  24: "Your request to the backend server timed out. Try again.",
  25: "Your request count (#) is over the allowed limit of (40).",
  34: "The resource you requested could not be found."
}
export const CODE_OF_STATUS: Record<number, number> = { 401: 7, 404: 34, 422: 5, 429: 25, 500: 11, 503: 9, 504: 24, 400: 22 }
const SOURCES = ["imdb_id", "facebook_id", "instagram_id", "tvdb_id", "tiktok_id", "twitter_id", "wikidata_id", "youtube_id"]

export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>>
}

export const errorBody = (code: number) => ({ success: false, status_code: code, status_message: MESSAGES[code] ?? "Error." })
export const fail = (status: number, code: number): Answer => ({ status, body: errorBody(code) })
const ok = (body: unknown): Answer => ({ status: 200, body })

const yearOf = (date: string | undefined): number | undefined => {
  const match = date === undefined ? null : /^(\d{4})/.exec(date)
  return match === null ? undefined : Number(match[1])
}

/** The title in `language` (`de-DE`: that language and country, else that language), if the world has one. */
const translated = (
  translations: ReadonlyArray<Translation> | undefined,
  language: string
): Translation | undefined => {
  const [lang, country] = language.split("-")
  const usable = (translations ?? []).filter((t) => t.iso_639_1 === lang && t.title.trim() !== "")
  return usable.find((t) => t.iso_3166_1 === country) ?? usable[0]
}

/** TMDB's `translations` always list the default (en-US) one. */
const withDefault = (translations: ReadonlyArray<Translation> | undefined, title: string, overview: string) =>
  (translations ?? []).some((t) => t.iso_639_1 === "en" && t.iso_3166_1 === "US")
    ? translations ?? []
    : [{ iso_639_1: "en", iso_3166_1: "US", title, overview }, ...(translations ?? [])]

const LANGUAGE_NAMES: Record<string, readonly [string, string]> = {
  en: ["English", "English"],
  de: ["German", "Deutsch"],
  fr: ["French", "Français"],
  es: ["Spanish", "Español"],
  it: ["Italian", "Italiano"],
  nl: ["Dutch", "Nederlands"],
  pt: ["Portuguese", "Português"],
  ja: ["Japanese", "日本語"],
  ko: ["Korean", "한국어/조선말"]
}
const languageNames = (code: string) => LANGUAGE_NAMES[code] ?? [code, code]

const movieItem = (m: Movie, language: string) => {
  const translation = translated(m.translations, language)
  return {
    adult: false,
    backdrop_path: null,
    genre_ids: [...(m.genreIds ?? [])],
    id: m.id,
    original_language: m.originalLanguage ?? "en",
    original_title: m.originalTitle ?? m.title,
    overview: translation?.overview ?? m.overview ?? "",
    popularity: m.popularity ?? 0,
    poster_path: `/m${m.id}.jpg`,
    release_date: m.releaseDate ?? "",
    title: translation?.title ?? m.title,
    video: false,
    vote_average: 0,
    vote_count: m.voteCount ?? 0
  }
}

const tvItem = (t: Tv, language: string) => {
  const translation = translated(t.translations, language)
  return {
    adult: false,
    backdrop_path: null,
    genre_ids: [...(t.genreIds ?? [])],
    id: t.id,
    origin_country: [...(t.originCountry ?? [])],
    original_language: t.originalLanguage ?? "en",
    original_name: t.originalName ?? t.name,
    overview: translation?.overview ?? t.overview ?? "",
    popularity: t.popularity ?? 0,
    poster_path: `/t${t.id}.jpg`,
    first_air_date: t.firstAirDate ?? "",
    name: translation?.title ?? t.name,
    vote_average: 0,
    vote_count: t.voteCount ?? 0
  }
}

const translationItems = (
  translations: ReadonlyArray<Translation>,
  key: "title" | "name",
  extra: Record<string, unknown>
) =>
  translations.map((t) => {
    const [english, native] = languageNames(t.iso_639_1)
    return {
      iso_3166_1: t.iso_3166_1,
      iso_639_1: t.iso_639_1,
      name: native,
      english_name: english,
      data: { [key]: t.title, overview: t.overview ?? "", homepage: "", tagline: "", ...extra }
    }
  })

const spokenLanguage = (code: string) => {
  const [english, native] = languageNames(code)
  return { english_name: english, iso_639_1: code, name: native }
}

const movieDetails = (m: Movie, language: string, append: ReadonlySet<string>) => {
  const item = movieItem(m, language)
  const body: Record<string, unknown> = {
    adult: false,
    backdrop_path: null,
    belongs_to_collection: m.collection === undefined
      ? null
      : { id: m.collection.id, name: m.collection.name, poster_path: null, backdrop_path: null },
    budget: 0,
    genres: (m.genreIds ?? []).map((id) => ({ id, name: `Genre ${id}` })),
    homepage: "",
    id: m.id,
    imdb_id: m.imdbId ?? null,
    origin_country: [...(m.originCountry ?? [])],
    original_language: item.original_language,
    original_title: item.original_title,
    overview: item.overview,
    popularity: item.popularity,
    poster_path: item.poster_path,
    production_companies: [],
    production_countries: (m.originCountry ?? []).map((c) => ({ iso_3166_1: c, name: c })),
    release_date: item.release_date,
    revenue: 0,
    runtime: m.runtime ?? 0,
    spoken_languages: [spokenLanguage(item.original_language)],
    status: "Released",
    tagline: "",
    title: item.title,
    video: false,
    vote_average: 0,
    vote_count: item.vote_count
  }
  if (append.has("external_ids")) {
    body.external_ids = {
      imdb_id: m.imdbId ?? null,
      wikidata_id: null,
      facebook_id: null,
      instagram_id: null,
      twitter_id: null
    }
  }
  if (append.has("alternative_titles")) {
    body.alternative_titles = {
      titles: (m.alternativeTitles ?? []).map((t) => ({ iso_3166_1: t.iso_3166_1, title: t.title, type: t.type ?? "" }))
    }
  }
  if (append.has("translations")) {
    body.translations = {
      translations: translationItems(withDefault(m.translations, m.title, m.overview ?? ""), "title", { runtime: 0 })
    }
  }
  return body
}

const tvDetails = (t: Tv, language: string, append: ReadonlySet<string>) => {
  const item = tvItem(t, language)
  const body: Record<string, unknown> = {
    adult: false,
    backdrop_path: null,
    created_by: [],
    episode_run_time: [],
    first_air_date: item.first_air_date,
    genres: (t.genreIds ?? []).map((id) => ({ id, name: `Genre ${id}` })),
    homepage: "",
    id: t.id,
    in_production: t.status === undefined || t.status === "Returning Series",
    languages: [item.original_language],
    last_air_date: t.lastAirDate ?? null,
    last_episode_to_air: null,
    name: item.name,
    next_episode_to_air: null,
    networks: [],
    number_of_episodes: t.numberOfEpisodes ?? 0,
    number_of_seasons: t.numberOfSeasons ?? 0,
    origin_country: item.origin_country,
    original_language: item.original_language,
    original_name: item.original_name,
    overview: item.overview,
    popularity: item.popularity,
    poster_path: item.poster_path,
    production_companies: [],
    production_countries: (t.originCountry ?? []).map((c) => ({ iso_3166_1: c, name: c })),
    seasons: Array.from({ length: t.numberOfSeasons ?? 0 }, (_, i) => ({
      air_date: null,
      episode_count: 0,
      id: t.id * 100 + i + 1,
      name: `Season ${i + 1}`,
      overview: "",
      poster_path: null,
      season_number: i + 1,
      vote_average: 0
    })),
    spoken_languages: [spokenLanguage(item.original_language)],
    status: t.status ?? "Returning Series",
    tagline: "",
    type: "Scripted",
    vote_average: 0,
    vote_count: item.vote_count
  }
  if (append.has("external_ids")) {
    body.external_ids = {
      imdb_id: t.imdbId ?? null,
      freebase_mid: null,
      freebase_id: null,
      tvdb_id: t.tvdbId ?? null,
      tvrage_id: null,
      wikidata_id: null,
      facebook_id: null,
      instagram_id: null,
      twitter_id: null
    }
  }
  if (append.has("alternative_titles")) {
    body.alternative_titles = {
      results: (t.alternativeTitles ?? []).map((a) => ({ iso_3166_1: a.iso_3166_1, title: a.title, type: a.type ?? "" }))
    }
  }
  if (append.has("translations")) {
    body.translations = { translations: translationItems(withDefault(t.translations, t.name, t.overview ?? ""), "name", {}) }
  }
  return body
}

/** A page of `items` (only its items rendered), or 400 code 22 for a page outside 1..500. */
const paginate = <A>(items: ReadonlyArray<A>, rawPage: string | null, render: (item: A) => unknown): Answer => {
  const page = rawPage === null ? 1 : /^\d+$/.test(rawPage) ? Number(rawPage) : NaN
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) return fail(400, 22)
  return ok({
    page,
    results: items.slice((page - 1) * PER_PAGE, page * PER_PAGE).map(render),
    total_pages: Math.max(1, Math.ceil(items.length / PER_PAGE)),
    total_results: items.length
  })
}

const yearParam = (raw: string | null): number | undefined =>
  raw !== null && /^\d{4}$/.test(raw.trim()) ? Number(raw.trim()) : undefined

/** Answers a GET of `path` (e.g. `/3/search/movie`) from `world`, once authorised. */
export const makeRouter = (world: World) => {
  const movies = world.movies ?? []
  const series = world.tv ?? []
  const moviesById = new Map(movies.map((m) => [m.id, m]))
  const seriesById = new Map(series.map((t) => [t.id, t]))
  const names = (work: Movie | Tv, title: string, original: string | undefined) => [
    title,
    original ?? "",
    ...(work.alternativeTitles ?? []).map((a) => a.title),
    ...(work.translations ?? []).map((t) => t.title)
  ]
  const movieIndex = Search.makeIndex(movies, (m) => ({
    id: m.id,
    popularity: m.popularity ?? 0,
    names: names(m, m.title, m.originalTitle)
  }))
  const seriesIndex = Search.makeIndex(series, (t) => ({
    id: t.id,
    popularity: t.popularity ?? 0,
    names: names(t, t.name, t.originalName)
  }))

  return (path: string, query: URLSearchParams): Answer => {
    const language = query.get("language") ?? "en-US"
    const append = new Set((query.get("append_to_response") ?? "").split(",").map((s) => s.trim()).filter(Boolean))

    if (path === "/3/search/movie" || path === "/3/search/tv") {
      const text = query.get("query")
      if (text === null) return fail(422, 5)
      if (path === "/3/search/movie") {
        const year = yearParam(query.get("year"))
        const primary = yearParam(query.get("primary_release_year"))
        const found = Search.search(movieIndex, text, (m) => {
          const released = yearOf(m.releaseDate)
          if (primary !== undefined && released !== primary) return false
          return year === undefined || released === year || (m.releaseYears ?? []).includes(year)
        })
        return paginate(found, query.get("page"), (m) => movieItem(m, language))
      }
      const firstAir = yearParam(query.get("first_air_date_year"))
      const year = yearParam(query.get("year"))
      const found = Search.search(seriesIndex, text, (t) => {
        const first = yearOf(t.firstAirDate)
        if (firstAir !== undefined && first !== firstAir) return false
        if (year === undefined) return true
        const last = yearOf(t.lastAirDate) ?? first
        return first !== undefined && last !== undefined && first <= year && year <= last
      })
      return paginate(found, query.get("page"), (t) => tvItem(t, language))
    }

    const details = /^\/3\/(movie|tv)\/([^/]+)$/.exec(path)
    if (details !== null) {
      const [, kind, rawId] = details
      if (!/^\d+$/.test(rawId!)) return fail(404, 6)
      const id = Number(rawId)
      if (kind === "movie") {
        const movie = moviesById.get(id)
        return movie === undefined ? fail(404, 34) : ok(movieDetails(movie, language, append))
      }
      const tv = seriesById.get(id)
      return tv === undefined ? fail(404, 34) : ok(tvDetails(tv, language, append))
    }

    const find = /^\/3\/find\/([^/]+)$/.exec(path)
    if (find !== null) {
      const source = query.get("external_source")
      if (source === null || !SOURCES.includes(source)) return fail(422, 5)
      const externalId = decodeURIComponent(find[1]!)
      const movieResults = source === "imdb_id" ? movies.filter((m) => m.imdbId === externalId) : []
      const tvResults = source === "imdb_id"
        ? series.filter((t) => t.imdbId === externalId)
        : source === "tvdb_id"
        ? series.filter((t) => t.tvdbId !== undefined && t.tvdbId !== null && String(t.tvdbId) === externalId)
        : []
      return ok({
        movie_results: movieResults.map((m) => ({ ...movieItem(m, language), media_type: "movie" })),
        person_results: [],
        tv_results: tvResults.map((t) => ({ ...tvItem(t, language), media_type: "tv" })),
        tv_episode_results: [],
        tv_season_results: []
      })
    }

    return fail(404, 34)
  }
}
