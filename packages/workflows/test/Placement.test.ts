import { assert, describe, it } from "@effect/vitest"
import type { ArrResponse } from "@stalkeer/arr-client"
import * as Either from "effect/Either"
import * as Placement from "../src/Placement.js"

const movie = (overrides: Partial<ArrResponse.Movie> = {}): ArrResponse.Movie => ({
  id: 1,
  title: "Alien",
  originalTitle: null,
  sortTitle: null,
  year: 1979,
  tmdbId: 348,
  imdbId: null,
  path: "/movies/Alien (1979)",
  rootFolderPath: "/movies",
  folderName: null,
  monitored: true,
  hasFile: false,
  movieFileId: 0,
  isAvailable: true,
  status: "released",
  qualityProfileId: 1,
  alternateTitles: [],
  ...overrides
})

const series = (overrides: Partial<ArrResponse.Series> = {}): ArrResponse.Series => ({
  id: 7,
  title: "Breaking Bad",
  sortTitle: null,
  year: 2008,
  tvdbId: 81189,
  tmdbId: 1396,
  imdbId: null,
  path: "/tv/Breaking Bad",
  rootFolderPath: "/tv",
  seasonFolder: true,
  monitored: true,
  seriesType: "standard",
  status: null,
  alternateTitles: [],
  ...overrides
})

const naming = { seasonFolderFormat: "Season {season}", specialsFolderFormat: "Specials" }

describe("Placement", () => {
  it("a movie: its Radarr folder, Title (Year).ext, staging in the root; mapped to this machine's path", () => {
    const placed = Either.getOrThrow(Placement.movie(movie(), "mkv", [{ remote: "/movies", local: "/srv/media/movies" }]))
    assert.deepStrictEqual(placed, {
      target: "/srv/media/movies/Alien (1979)/Alien (1979).mkv",
      staging: "/srv/media/movies/.stalkeer-partial",
      remote: "/movies/Alien (1979)/Alien (1979).mkv",
      extension: "mkv"
    })
  })

  it("an episode: the season folder as the naming config formats it, specials, a double episode", () => {
    const e = (season: number, episode: number, end: number | null = null, format = naming) =>
      Either.getOrThrow(Placement.episode(series(), { seasonNumber: season, episodeNumber: episode }, end, "mp4", format, [])).target
    assert.strictEqual(e(1, 2), "/tv/Breaking Bad/Season 1/Breaking Bad - S01E02.mp4")
    assert.strictEqual(e(1, 1, 2), "/tv/Breaking Bad/Season 1/Breaking Bad - S01E01-E02.mp4")
    assert.strictEqual(e(0, 3), "/tv/Breaking Bad/Specials/Breaking Bad - S00E03.mp4")
    assert.strictEqual(e(2, 1, null, { ...naming, seasonFolderFormat: "S{season:00}" }), "/tv/Breaking Bad/S02/Breaking Bad - S02E01.mp4")
    const flat = Either.getOrThrow(Placement.episode(series({ seasonFolder: false }), { seasonNumber: 1, episodeNumber: 2 }, null, "mkv", naming, []))
    assert.strictEqual(flat.target, "/tv/Breaking Bad/Breaking Bad - S01E02.mkv")
  })

  it("hostile titles and folders stay under the root; an unknown container or no folder is refused", () => {
    const evil = Either.getOrThrow(Placement.movie(movie({ title: "../../etc/passwd", path: "/movies/../../etc" }), "mkv", []))
    assert.isTrue(evil.target.startsWith("/movies/"))
    assert.notInclude(evil.target, "/../")
    assert.deepStrictEqual(Placement.movie(movie(), "exe", []), Either.left({ _tag: "NoExtension" }))
    assert.deepStrictEqual(Placement.movie(movie({ path: null }), "mkv", []), Either.left({ _tag: "NoFolder" }))
  })

  it("path mappings: the longest remote prefix wins, whole segments only", () => {
    const mappings = [{ remote: "/data", local: "/mnt/a" }, { remote: "/data/movies", local: "/mnt/b" }]
    assert.strictEqual(Placement.toLocal("/data/movies/X", mappings), "/mnt/b/X")
    assert.strictEqual(Placement.toLocal("/data/tv/X", mappings), "/mnt/a/tv/X")
    assert.strictEqual(Placement.toLocal("/database/X", mappings), "/database/X")
  })
})
