import type { FakeTmdb } from "../src/Testing.js"

/** Real works (real ids), with the traps identification cares about, plus filler for pagination. */
export const world: FakeTmdb.World = {
  movies: [
    {
      id: 603,
      title: "The Matrix",
      releaseDate: "1999-03-31",
      releaseYears: [1999],
      popularity: 90.5,
      imdbId: "tt0133093",
      runtime: 136,
      originCountry: ["US"],
      alternativeTitles: [{ iso_3166_1: "BR", title: "Matrix" }],
      translations: [{ iso_639_1: "de", iso_3166_1: "DE", title: "Matrix", overview: "Der Hacker Neo…" }]
    },
    { id: 624860, title: "The Matrix Resurrections", releaseDate: "2021-12-16", popularity: 150, imdbId: "tt10838180" },
    { id: 8587, title: "The Lion King", releaseDate: "1994-06-24", popularity: 80, imdbId: "tt0110357" },
    { id: 420818, title: "The Lion King", releaseDate: "2019-07-12", popularity: 95, imdbId: "tt6105098" },
    {
      id: 77338,
      title: "The Intouchables",
      originalTitle: "Intouchables",
      originalLanguage: "fr",
      releaseDate: "2011-11-02",
      releaseYears: [2012],
      popularity: 60,
      imdbId: "tt1675434",
      originCountry: ["FR"],
      translations: [
        { iso_639_1: "de", iso_3166_1: "DE", title: "Ziemlich beste Freunde" },
        { iso_639_1: "fr", iso_3166_1: "FR", title: "Intouchables" }
      ]
    },
    {
      id: 194,
      title: "Amélie",
      originalTitle: "Le Fabuleux Destin d'Amélie Poulain",
      originalLanguage: "fr",
      releaseDate: "2001-04-25",
      popularity: 40,
      imdbId: "tt0211915",
      alternativeTitles: [{ iso_3166_1: "US", title: "Amelie from Montmartre", type: "" }]
    },
    {
      id: 238,
      title: "The Godfather",
      releaseDate: "1972-03-14",
      popularity: 100,
      imdbId: "tt0068646",
      collection: { id: 230, name: "The Godfather Collection" },
      translations: [
        { iso_639_1: "de", iso_3166_1: "DE", title: "Der Pate" },
        { iso_639_1: "fr", iso_3166_1: "FR", title: "Le Parrain" }
      ]
    },
    {
      id: 240,
      title: "The Godfather Part II",
      releaseDate: "1974-12-20",
      popularity: 70,
      imdbId: "tt0071562",
      collection: { id: 230, name: "The Godfather Collection" },
      translations: [{ iso_639_1: "de", iso_3166_1: "DE", title: "Der Pate 2" }]
    },
    { id: 530915, title: "1917", releaseDate: "2019-12-25", popularity: 50, imdbId: "tt8579674" },
    { id: 275, title: "Fargo", releaseDate: "1996-03-08", popularity: 30, imdbId: "tt0116282" },
    { id: 999001, title: "Untitled Project", releaseDate: "", popularity: 1, imdbId: null },
    ...Array.from({ length: 25 }, (_, i) => ({
      id: 900000 + i,
      title: `Filler Story ${i + 1}`,
      releaseDate: `2000-01-${String((i % 28) + 1).padStart(2, "0")}`,
      popularity: 25 - i
    }))
  ],
  tv: [
    {
      id: 1396,
      name: "Breaking Bad",
      firstAirDate: "2008-01-20",
      lastAirDate: "2013-09-29",
      originCountry: ["US"],
      popularity: 300,
      imdbId: "tt0903747",
      tvdbId: 81189,
      numberOfSeasons: 5,
      status: "Ended"
    },
    {
      id: 2316,
      name: "The Office",
      firstAirDate: "2005-03-24",
      lastAirDate: "2013-05-16",
      originCountry: ["US"],
      popularity: 200,
      imdbId: "tt0386676",
      tvdbId: 73244,
      alternativeTitles: [{ iso_3166_1: "US", title: "The Office (US)" }]
    },
    {
      id: 2996,
      name: "The Office",
      firstAirDate: "2001-07-09",
      lastAirDate: "2003-12-27",
      originCountry: ["GB"],
      popularity: 50,
      imdbId: "tt0290978",
      tvdbId: 78107,
      alternativeTitles: [{ iso_3166_1: "GB", title: "The Office (UK)" }]
    },
    {
      id: 60622,
      name: "Fargo",
      firstAirDate: "2014-04-15",
      originCountry: ["US"],
      popularity: 90,
      imdbId: "tt2802850",
      tvdbId: 269613,
      translations: [{ iso_639_1: "de", iso_3166_1: "DE", title: "Fargo" }]
    },
    {
      id: 1399,
      name: "Game of Thrones",
      firstAirDate: "2011-04-17",
      lastAirDate: "2019-05-19",
      originCountry: ["US"],
      popularity: 350,
      imdbId: "tt0944947",
      tvdbId: 121361,
      numberOfSeasons: 8,
      translations: [{ iso_639_1: "fr", iso_3166_1: "FR", title: "Le Trône de fer" }]
    }
  ]
}
