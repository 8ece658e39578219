import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Candidates from "../src/Candidates.js"
import * as Ingestion from "../src/Ingestion.js"
import * as Providers from "../src/Providers.js"
import * as Runs from "../src/Runs.js"
import * as Works from "../src/Works.js"
import { reset, row, StoreLive } from "./utils.js"

const ingest = (rows: ReadonlyArray<Ingestion.Row>) =>
  Effect.gen(function*() {
    const provider = yield* Providers.ensure({ name: "p", baseUrl: "http://panel.test" })
    const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
    return yield* Ingestion.write({ providerId: provider.id, runId, rows: Stream.fromIterable(rows), gracePeriod: 86_400_000 })
  })

const film = (id: number, title: string, year: number | null, language = "en") =>
  row(id, { title, titleKey: title.toLowerCase(), year, name: `${title} (${year})`, language })

const episode = (
  id: number,
  title: string,
  season: number,
  number: number,
  options: { readonly end?: number; readonly year?: number | null; readonly language?: string } = {}
) =>
  row(id, {
    key: `xtream:series:${id}`,
    urlTemplate: `http://panel.test/series/{username}/{password}/${id}.mkv`,
    streamType: "series",
    kind: "series",
    title,
    titleKey: title.toLowerCase(),
    year: options.year ?? null,
    season,
    episode: number,
    episodeEnd: options.end ?? null,
    language: options.language ?? "en",
    name: `${title} S${season}E${number}`
  })

const identify = (kind: "movie" | "series", title: string, year: number | null, ids: {
  readonly tmdbId: number
  readonly imdbId?: string
  readonly tvdbId?: number
}) =>
  Effect.gen(function*() {
    const work = (yield* Works.pending({ ttlDays: 30, kind })).find((w) => w.title === title && w.year === year)
    assert.isDefined(work, `${kind} ${title} (${year}) is pending`)
    yield* Works.record(work!.id, {
      status: "identified",
      method: "search",
      confidence: 0.93,
      reason: null,
      candidates: [{ tmdbId: ids.tmdbId, title }],
      tmdbId: ids.tmdbId,
      imdbId: ids.imdbId ?? null,
      tvdbId: ids.tvdbId ?? null,
      canonicalTitle: title,
      originalTitle: title,
      originalLanguage: "en",
      releaseYear: year
    })
  })

const movie = (query: Partial<Candidates.MovieQuery>): Candidates.MovieQuery => ({
  tmdbId: null,
  imdbId: null,
  titleKeys: [],
  year: 0,
  ...query
})

const keys = (candidates: ReadonlyArray<Candidates.Candidate>) => candidates.map((c) => c.key).sort()

layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("Candidates", (it) => {
  it.effect("a movie is found by its TMDB id, in every language its work was identified in; live entries never", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest([
        film(1, "The Godfather", 1972),
        film(2, "Der Pate", 1972, "de"),
        film(3, "The Godfather", 1972),
        row(4, { kind: "live", key: "xtream:live:4", title: "The Godfather", titleKey: "the godfather", year: 1972 })
      ])
      yield* identify("movie", "The Godfather", 1972, { tmdbId: 238, imdbId: "tt0068646" })
      yield* identify("movie", "Der Pate", 1972, { tmdbId: 238, imdbId: "tt0068646" })
      const [found, none] = yield* Candidates.movies([movie({ tmdbId: 238 }), movie({ tmdbId: 239 })])
      assert.deepStrictEqual(keys(found!), ["xtream:movie:1", "xtream:movie:2", "xtream:movie:3"])
      assert.isTrue(found!.every((c) => c.via === "tmdb" && Math.abs(c.matchConfidence! - 0.93) < 1e-6))
      assert.deepStrictEqual(none, [])
      assert.strictEqual(found!.find((c) => c.key === "xtream:movie:2")!.language, "de")
    }))

  it.effect("the IMDb id answers when the TMDB id does not; the title fallback only on works not identified", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest([
        film(1, "Alien", 1979),
        film(2, "Heat", 1995),
        film(3, "Heat", 1986),
        film(4, "Dune", 1984)
      ])
      yield* identify("movie", "Alien", 1979, { tmdbId: 9999, imdbId: "tt0078748" })
      yield* identify("movie", "Dune", 1984, { tmdbId: 841 })
      const [alien, heat, dune, thing] = yield* Candidates.movies([
        movie({ tmdbId: 348, imdbId: "tt0078748", titleKeys: ["alien"], year: 1979 }),
        movie({ tmdbId: 949, titleKeys: ["heat"], year: 1995 }),
        // Identified as another work: the title fallback never takes it.
        movie({ tmdbId: 438631, titleKeys: ["dune"], year: 1984 }),
        movie({ tmdbId: 1091, titleKeys: ["the thing"], year: 1982 })
      ])
      assert.deepStrictEqual(alien!.map((c) => [c.key, c.via]), [["xtream:movie:1", "imdb"]])
      // The same title in another year (a remake) is not the wanted movie.
      assert.deepStrictEqual(heat!.map((c) => [c.key, c.via, c.matchConfidence]), [["xtream:movie:2", "title", null]])
      assert.deepStrictEqual(dune, [])
      assert.deepStrictEqual(thing, [])
    }))

  it.effect("a series is found by TVDB id, else TMDB id, else a title that respects the year of same-name series", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest([
        episode(1, "Breaking Bad", 1, 2),
        episode(2, "Breaking Bad", 1, 2, { year: 2008, language: "de" }),
        episode(3, "Doctor Who", 1, 1, { year: 2005 }),
        episode(4, "Doctor Who", 1, 1, { year: 1963 }),
        episode(5, "Doctor Who", 1, 2),
        episode(6, "Dark", 1, 1),
        episode(7, "Lost", 1, 1, { year: 2004 })
      ])
      yield* identify("series", "Breaking Bad", null, { tmdbId: 1396, tvdbId: 81189 })
      yield* identify("series", "Breaking Bad", 2008, { tmdbId: 1396, tvdbId: 81189 })
      const [bb, who, dark, lost] = yield* Candidates.series([
        { tvdbId: 81189, tmdbId: 1396, titleKeys: ["breaking bad"], year: 2008 },
        { tvdbId: 78804, tmdbId: 57243, titleKeys: ["doctor who"], year: 2005 },
        { tvdbId: 1, tmdbId: 70523, titleKeys: ["dark"], year: 2017 },
        { tvdbId: 2, tmdbId: 4607, titleKeys: ["lost"], year: 2010 }
      ])
      assert.strictEqual(bb!.via, "tvdb")
      assert.strictEqual(bb!.workIds.length, 2)
      // Doctor Who shows 2005 and 1963: only the 2005 rows; the yearless one could be either.
      assert.strictEqual(who!.via, "title")
      assert.strictEqual(who!.workIds.length, 1)
      assert.isFalse(who!.yearless)
      // Nothing else is called Dark: the yearless work is taken, and flagged.
      assert.deepStrictEqual([dark!.via, dark!.yearless], ["title", true])
      // Lost (2004) is not a series of 2010.
      assert.isNull(lost)

      const [s1e2, s0e2, s2e2, doctor] = yield* Candidates.episodes([
        { workIds: bb!.workIds, via: bb!.via, season: 1, episode: 2 },
        { workIds: bb!.workIds, via: bb!.via, season: 0, episode: 2 },
        { workIds: bb!.workIds, via: bb!.via, season: 2, episode: 2 },
        { workIds: who!.workIds, via: who!.via, season: 1, episode: 1 }
      ])
      assert.deepStrictEqual(keys(s1e2!), ["xtream:series:1", "xtream:series:2"])
      assert.deepStrictEqual(s0e2, [])
      assert.deepStrictEqual(s2e2, [])
      assert.deepStrictEqual(keys(doctor!), ["xtream:series:3"])
    }))

  it.effect("a double episode holds each of its episodes; season 0 matches only season 0", () =>
    Effect.gen(function*() {
      yield* reset
      yield* ingest([
        episode(1, "Sherlock", 1, 1, { end: 2 }),
        episode(2, "Sherlock", 0, 1),
        episode(3, "Sherlock", 2, 1)
      ])
      yield* identify("series", "Sherlock", null, { tmdbId: 19885, tvdbId: 176941 })
      const [sherlock] = yield* Candidates.series([{ tvdbId: 176941, tmdbId: 19885, titleKeys: [], year: 2010 }])
      const episodes = yield* Candidates.episodes([1, 2, 3].map((n) => ({
        workIds: sherlock!.workIds,
        via: sherlock!.via,
        season: 1,
        episode: n
      })).concat([{ workIds: sherlock!.workIds, via: sherlock!.via, season: 0, episode: 1 }]))
      assert.deepStrictEqual(episodes.map(keys), [
        ["xtream:series:1"],
        ["xtream:series:1"],
        [],
        ["xtream:series:2"]
      ])
      assert.deepStrictEqual([episodes[0]![0]!.episode, episodes[0]![0]!.episodeEnd], [1, 2])
    }))

  it.effect("a large ingest refreshes the planner's statistics (the embedded database has no autovacuum)", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const analyzed = sql<{ readonly n: number }>`
        SELECT count(*)::integer AS n FROM pg_class WHERE relname IN ('media', 'playlist_entries') AND reltuples > 0`
      yield* sql`ANALYZE playlist_entries, media`
      assert.strictEqual((yield* analyzed)[0]!.n, 0)
      yield* ingest(Array.from({ length: 1200 }, (_, i) => film(i + 1, `Film ${i + 1}`, 2000 + (i % 20))))
      assert.strictEqual((yield* analyzed)[0]!.n, 2)
    }))
})
