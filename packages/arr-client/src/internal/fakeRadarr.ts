/**
 * The fake Radarr's library and its endpoints: partial `MovieResource`s completed into what Radarr would send, and
 * the routes of `/api/v3` over them.
 */
import * as Fake from "./fakeServer.js"

type Loose<T> = { readonly [K in keyof T]?: T[K] | null | undefined } & { readonly [field: string]: unknown }

/** A movie in Radarr's wire shape (`MovieResource`); every field may be left out. Unknown fields pass through. */
export type MovieResource = Loose<{
  id: number
  title: string
  originalTitle: string
  sortTitle: string
  year: number
  tmdbId: number
  imdbId: string
  path: string
  rootFolderPath: string
  folderName: string
  monitored: boolean
  hasFile: boolean
  movieFileId: number
  isAvailable: boolean
  status: string
  minimumAvailability: string
  qualityProfileId: number
  inCinemas: string
  digitalRelease: string
  physicalRelease: string
  lastSearchTime: string
  alternateTitles: ReadonlyArray<Loose<{ title: string }> | string>
}>

export type RootFolderResource = Loose<{ id: number; path: string; accessible: boolean; freeSpace: number }>
export type QualityProfileResource = Loose<{ id: number; name: string }>
export type NamingResource = Loose<{
  renameMovies: boolean
  replaceIllegalCharacters: boolean
  colonReplacementFormat: string
  standardMovieFormat: string
  movieFolderFormat: string
}>

export interface Library {
  readonly movies: ReadonlyArray<MovieResource>
  /** Default: `/movies`. */
  readonly rootFolders?: ReadonlyArray<RootFolderResource> | undefined
  /** Default: `Any` (1) and `HD-1080p` (4). */
  readonly qualityProfiles?: ReadonlyArray<QualityProfileResource> | undefined
  /** Merged over Radarr's defaults. */
  readonly naming?: NamingResource | undefined
}

type Resource = Record<string, unknown>

/** A completed movie: the resource as served, and the values the routes filter and sort on. */
interface Movie {
  readonly id: number
  readonly tmdbId: number
  readonly resource: Resource
}

const ENGLISH = { id: 1, name: "English" }

const completeMovie = (input: MovieResource, index: number): Movie => {
  const id = Fake.num(input.id) ?? index + 1
  const title = Fake.str(input.title) ?? `Movie ${id}`
  const year = Fake.num(input.year) ?? 0
  const tmdbId = Fake.num(input.tmdbId) ?? 0
  const movieFile = input.movieFile as { readonly id?: unknown } | null | undefined
  // Radarr derives `hasFile` from the file; a library that says only `hasFile: true` gets a file id.
  const movieFileId = Fake.num(input.movieFileId) ?? Fake.num(movieFile?.id) ?? (input.hasFile === true ? 100000 + id : 0)
  const rootFolderPath = Fake.str(input.rootFolderPath) ?? "/movies"
  const path = Fake.str(input.path) ?? `${rootFolderPath}/${Fake.folderOf(title, year)}`
  const alternateTitles = (input.alternateTitles ?? []).map((t, i) => {
    const item = typeof t === "string" ? { title: t } : t
    const text = Fake.str(item.title) ?? ""
    return { id: id * 100 + i, sourceType: "tmdb", movieMetadataId: id, cleanTitle: Fake.cleanTitleOf(text), ...Fake.present(item) }
  })
  const resource: Resource = {
    id,
    title,
    originalTitle: title,
    originalLanguage: ENGLISH,
    secondaryYearSourceId: 0,
    sortTitle: Fake.sortTitleOf(title),
    sizeOnDisk: 0,
    status: "released",
    overview: "",
    images: [],
    year,
    qualityProfileId: 1,
    monitored: true,
    minimumAvailability: "released",
    isAvailable: true,
    runtime: 0,
    cleanTitle: Fake.cleanTitleOf(title),
    tmdbId,
    titleSlug: `${Fake.slugOf(title)}-${tmdbId}`,
    rootFolderPath,
    path,
    folderName: path,
    genres: [],
    keywords: [],
    tags: [],
    added: "2025-01-01T00:00:00Z",
    ratings: {},
    popularity: 0,
    statistics: { movieFileCount: movieFileId > 0 ? 1 : 0, sizeOnDisk: 0, releaseGroups: [] },
    ...Fake.present(input),
    alternateTitles,
    movieFileId,
    hasFile: movieFileId > 0
  }
  for (const key of ["inCinemas", "digitalRelease", "physicalRelease", "releaseDate", "lastSearchTime", "added"]) {
    if (key in resource) resource[key] = Fake.normalizeDate(resource[key])
  }
  return { id, tmdbId, resource }
}

export const DEFAULT_NAMING = {
  id: 1,
  renameMovies: false,
  replaceIllegalCharacters: true,
  colonReplacementFormat: "smart",
  standardMovieFormat: "{Movie Title} ({Release Year}) {Quality Full}",
  movieFolderFormat: "{Movie Title} ({Release Year})"
}

export const qualityProfiles = (items: ReadonlyArray<QualityProfileResource>, withLanguage: boolean) =>
  items.map((p, i) => ({
    id: i + 1,
    name: `Profile ${i + 1}`,
    upgradeAllowed: false,
    cutoff: 1,
    items: [],
    minFormatScore: 0,
    cutoffFormatScore: 0,
    minUpgradeFormatScore: 0,
    formatItems: [],
    ...(withLanguage ? { language: ENGLISH } : {}),
    ...Fake.present(p)
  }))

export const rootFolders = (items: ReadonlyArray<RootFolderResource>) =>
  items.map((r, i) => ({ id: i + 1, path: "/", accessible: true, freeSpace: 512_000_000_000, unmappedFolders: [], ...Fake.present(r) }))

const PROFILES: ReadonlyArray<QualityProfileResource> = [{ id: 1, name: "Any" }, { id: 4, name: "HD-1080p" }]

const MISSING: Fake.Paging<Movie> = {
  keys: {
    "movieMetadata.sortTitle": (m) => Fake.str(m.resource.sortTitle),
    "movieMetadata.year": (m) => Fake.num(m.resource.year),
    "movieMetadata.inCinemas": (m) => Fake.str(m.resource.inCinemas),
    "movieMetadata.digitalRelease": (m) => Fake.str(m.resource.digitalRelease),
    "movieMetadata.physicalRelease": (m) => Fake.str(m.resource.physicalRelease),
    "movies.lastSearchTime": (m) => Fake.str(m.resource.lastSearchTime)
  },
  defaultKey: "movieMetadata.sortTitle",
  defaultDirection: "ascending",
  id: (m) => m.id
}

/** Radarr gained `/api/v3/wanted/missing` in 5.6. */
export const hasWantedMissing = (version: string): boolean => Fake.versionAtLeast(version, "5.6")

export const makeRouter = (library: Library, version: () => string) => {
  const movies = library.movies.map(completeMovie)
  const byId = new Map(movies.map((m) => [m.id, m]))
  const folders = rootFolders(library.rootFolders ?? [{ id: 1, path: "/movies" }])
  const profiles = qualityProfiles(library.qualityProfiles ?? PROFILES, true)
  const naming = { ...DEFAULT_NAMING, ...Fake.present(library.naming ?? {}) }

  /** What a rescan found in the movie's folder: a file (an id for it) or none. */
  const setFile = (id: number, present: boolean) => {
    const index = movies.findIndex((m) => m.id === id)
    const movie = movies[index]
    if (movie === undefined) return
    const movieFileId = present ? (Fake.num(movie.resource.movieFileId) || 100000 + id) : 0
    const next: Movie = {
      ...movie,
      resource: {
        ...movie.resource,
        movieFileId,
        hasFile: movieFileId > 0,
        statistics: { movieFileCount: movieFileId > 0 ? 1 : 0, sizeOnDisk: 0, releaseGroups: [] }
      }
    }
    movies[index] = next
    byId.set(id, next)
  }

  const route = (request: Fake.Request): Fake.Answer | undefined => {
    const { method, path, query } = request
    if (method !== "GET") return undefined
    switch (path) {
      case "/api/v3/wanted/missing": {
        if (!hasWantedMissing(version())) return Fake.noRoute
        const monitored = Fake.boolParam(query, "monitored", true)
        const missing = movies.filter((m) =>
          m.resource.movieFileId === 0 && (Fake.num(m.resource.year) ?? 0) > 0 && m.resource.monitored === monitored
        )
        return Fake.page(missing, query, MISSING, (m) => m.resource)
      }
      case "/api/v3/movie": {
        const tmdbId = query.get("tmdbId")
        if (tmdbId === null) return Fake.ok(movies.map((m) => m.resource))
        return Fake.ok(movies.filter((m) => String(m.tmdbId) === tmdbId).slice(0, 1).map((m) => m.resource))
      }
      case "/api/v3/rootfolder":
        return Fake.ok(folders)
      case "/api/v3/qualityprofile":
        return Fake.ok(profiles)
      case "/api/v3/config/naming":
        return Fake.ok(naming)
    }
    const one = /^\/api\/v3\/movie\/([^/]+)$/.exec(path)
    if (one !== null) {
      const movie = byId.get(Fake.idOf(one[1]) ?? Number.NaN)
      return movie === undefined ? Fake.notFound("Radarr") : Fake.ok(movie.resource)
    }
    return undefined
  }
  const pathOf = (id: number): string | undefined => Fake.str(byId.get(id)?.resource.path)
  const ids = (): Array<number> => movies.map((m) => m.id)
  return { route, setFile, pathOf, ids }
}
