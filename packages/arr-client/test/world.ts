/**
 * The libraries of the fake Radarr and Sonarr in these tests, in the *arr wire shapes (partial, as the fakes accept
 * them), and a generator of large ones.
 */
import type { FakeRadarr, FakeSonarr } from "../src/Testing.js"

/**
 * Missing by `wanted/missing` (monitored, year > 0, no file), by sort title: Alien, Casablanca, Das Boot, Dune: Part
 * Three (announced, not available), Heat, Le Samouraï, The Thing. Radarr < 5.6 (the client's filter, which also
 * wants `isAvailable`): the same without Dune.
 */
export const radarr: FakeRadarr.Library = {
  movies: [
    {
      id: 12,
      title: "Alien",
      year: 1979,
      tmdbId: 348,
      imdbId: "tt0078748",
      alternateTitles: [{ title: "Alien - Das unheimliche Wesen aus einer fremden Welt" }]
    },
    { id: 13, title: "Aliens", year: 1986, tmdbId: 679, movieFileId: 40 },
    { id: 14, title: "Dune: Part Three", year: 2026, tmdbId: 1170608, status: "announced", isAvailable: false },
    { id: 15, title: "Brazil", year: 1985, tmdbId: 68, monitored: false },
    { id: 16, title: "Untitled Project", year: 0, tmdbId: 999001, status: "tba", isAvailable: false },
    { id: 17, title: "Casablanca", year: 1942, tmdbId: 289 },
    { id: 18, title: "Das Boot", originalTitle: "Das Boot", year: 1981, tmdbId: 387 },
    { id: 19, title: "Heat", year: 1995, tmdbId: 949, inCinemas: "1995-12-15T00:00:00.000Z" },
    { id: 20, title: "Le Samouraï", year: 1967, tmdbId: 5511, alternateTitles: ["The Godson", { title: "Der eiskalte Engel" }] },
    { id: 21, title: "The Thing", year: 1982, tmdbId: 1091, qualityProfileId: 4 },
    { id: 22, title: "Zodiac", year: 2007, tmdbId: 1949, hasFile: true }
  ],
  rootFolders: [{ id: 1, path: "/movies", freeSpace: 512000000000 }, { id: 2, path: "/movies-4k", accessible: false }],
  naming: { renameMovies: true }
}

export const radarrMissing = ["Alien", "Casablanca", "Das Boot", "Dune: Part Three", "Heat", "Le Samouraï", "The Thing"]
export const radarrMissingLegacy = ["Alien", "Casablanca", "Das Boot", "Heat", "Le Samouraï", "The Thing"]

/**
 * Missing (monitored episode of a monitored series, aired, season ≥ 1, no file), oldest first: Breaking Bad S01E02,
 * S01E03, then Dark S01E01–E03. Not missing: a file, a special, the future, an unmonitored episode, an unmonitored
 * series.
 */
export const sonarr: FakeSonarr.Library = {
  series: [
    {
      id: 7,
      title: "Breaking Bad",
      year: 2008,
      tvdbId: 81189,
      tmdbId: 1396,
      imdbId: "tt0903747",
      status: "ended",
      runtime: 47,
      alternateTitles: [{ title: "Breaking Bad (2008)", seasonNumber: -1 }]
    },
    { id: 8, title: "The Office (UK)", year: 2001, tvdbId: 78107, monitored: false },
    { id: 9, title: "Dark", year: 2017, tvdbId: 334824, tmdbId: 70523, seasonFolder: false, seriesType: "standard" }
  ],
  episodes: [
    { id: 500, seriesId: 7, seasonNumber: 1, episodeNumber: 1, title: "Pilot", airDateUtc: "2008-01-21T03:00:00Z", episodeFileId: 900 },
    { id: 501, seriesId: 7, seasonNumber: 1, episodeNumber: 2, title: "Cat's in the Bag...", airDateUtc: "2008-01-28T03:00:00Z", tvdbId: 349232 },
    { id: 502, seriesId: 7, seasonNumber: 1, episodeNumber: 3, airDateUtc: "2008-02-11T03:00:00.000Z" },
    { id: 503, seriesId: 7, seasonNumber: 1, episodeNumber: 4, airDateUtc: "2008-02-18T03:00:00Z", monitored: false },
    { id: 504, seriesId: 7, seasonNumber: 0, episodeNumber: 1, title: "Special", airDateUtc: "2009-02-17T03:00:00Z" },
    { id: 505, seriesId: 7, seasonNumber: 6, episodeNumber: 1, title: "Future", airDateUtc: "2099-01-01T00:00:00Z" },
    { id: 600, seriesId: 8, seasonNumber: 1, episodeNumber: 1, airDateUtc: "2001-07-09T21:00:00Z" },
    { id: 700, seriesId: 9, seasonNumber: 1, episodeNumber: 1, title: "Secrets", airDateUtc: "2017-12-01T08:00:00Z", absoluteEpisodeNumber: 1 },
    { id: 701, seriesId: 9, seasonNumber: 1, episodeNumber: 2, title: "Lies", airDateUtc: "2017-12-01T09:00:00Z" },
    { id: 702, seriesId: 9, seasonNumber: 1, episodeNumber: 3, title: "Past and Present", airDateUtc: "2017-12-01T10:00:00Z" }
  ]
}

export const sonarrMissing = [501, 502, 700, 701, 702]

/** `movies` movies, a third missing; `series` series of `episodes / series` episodes, a quarter missing. */
export const large = (counts: { readonly movies: number; readonly series: number; readonly episodes: number }) => {
  const movies = Array.from({ length: counts.movies }, (_, i): FakeRadarr.MovieResource => ({
    id: i + 1,
    title: `Movie ${String(i + 1).padStart(5, "0")}`,
    year: 1950 + (i % 70),
    tmdbId: 100000 + i,
    ...(i % 3 === 0 ? {} : { movieFileId: i + 1 })
  }))
  const perSeries = Math.ceil(counts.episodes / counts.series)
  const series = Array.from({ length: counts.series }, (_, i): FakeSonarr.SeriesResource => ({
    id: i + 1,
    title: `Series ${i + 1}`,
    tvdbId: 200000 + i
  }))
  const episodes = Array.from({ length: counts.episodes }, (_, i): FakeSonarr.EpisodeResource => ({
    id: i + 1,
    seriesId: Math.floor(i / perSeries) + 1,
    seasonNumber: 1 + Math.floor((i % perSeries) / 10),
    episodeNumber: 1 + (i % 10),
    airDateUtc: new Date(Date.UTC(2000, 0, 1) + i * 3_600_000).toISOString(),
    ...(i % 4 === 0 ? {} : { episodeFileId: i + 1 })
  }))
  return { radarr: { movies } satisfies FakeRadarr.Library, sonarr: { series, episodes } satisfies FakeSonarr.Library }
}
