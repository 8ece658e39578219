import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import { FakeRadarr, FakeSonarr } from "@stalkeer/arr-client/testing"
import { Settings } from "@stalkeer/config"
import * as Testing from "@stalkeer/store/testing"
import { Tmdb } from "@stalkeer/tmdb"
import { FakeTmdb } from "@stalkeer/tmdb/testing"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Choice from "../src/Choice.js"
import * as Enrich from "../src/Enrich.js"
import * as Plans from "../src/Plans.js"
import * as Process from "../src/Process.js"

const world: FakeTmdb.World = {
  movies: [
    {
      id: 238,
      title: "The Godfather",
      releaseDate: "1972-03-14",
      popularity: 90,
      imdbId: "tt0068646",
      translations: [{ iso_639_1: "de", iso_3166_1: "DE", title: "Der Pate" }]
    },
    { id: 1091, title: "The Thing", releaseDate: "1982-06-25", popularity: 40, imdbId: "tt0084787" },
    { id: 60935, title: "The Thing", releaseDate: "2011-10-12", popularity: 30, imdbId: "tt0905372" },
    { id: 841, title: "Dune", releaseDate: "1984-12-14", popularity: 30, imdbId: "tt0087182" },
    { id: 438631, title: "Dune", releaseDate: "2021-09-15", popularity: 90, imdbId: "tt1160419" },
    { id: 275, title: "Fargo", releaseDate: "1996-03-08", popularity: 30, imdbId: "tt0116282" }
  ],
  tv: [
    { id: 2316, name: "The Office", firstAirDate: "2005-03-24", originCountry: ["US"], popularity: 200, imdbId: "tt0386676", tvdbId: 73244 },
    { id: 2996, name: "The Office", firstAirDate: "2001-07-09", originCountry: ["GB"], popularity: 40, imdbId: "tt0290978", tvdbId: 78107 },
    { id: 60622, name: "Fargo", firstAirDate: "2014-04-15", originCountry: ["US"], popularity: 50, imdbId: "tt2802850", tvdbId: 269613 },
    { id: 19885, name: "Sherlock", firstAirDate: "2010-07-25", originCountry: ["GB"], popularity: 60, imdbId: "tt1475582", tvdbId: 176941 },
    { id: 70523, name: "Dark", firstAirDate: "2017-12-01", originCountry: ["DE"], popularity: 60, imdbId: "tt5753856", tvdbId: 334824 }
  ]
}

let n = 0
const line = (kind: "movie" | "series", group: string, name: string) =>
  `#EXTINF:-1 group-title="${group}",${name}\nhttp://panel.test/${kind}/u/p/${++n}.mkv\n`

// Stream ids follow the order below: 1, 2, 3…
const PLAYLIST = "#EXTM3U\n" + [
  line("movie", "DE| FILME", "DE - Der Pate (1972) 1080p"), // 1
  line("movie", "EN| MOVIES", "EN - The Godfather (1972) 720p"), // 2
  line("movie", "TR| FILM", "TR - The Godfather (1972) 2160p"), // 3
  line("movie", "EN| MOVIES", "EN - The Thing (2011)"), // 4: only the remake
  line("movie", "EN| MOVIES", "Heat (1995) 4K"), // 5: not in TMDB's world: the title fallback
  line("movie", "EN| MOVIES", "EN - Fargo (1996)"), // 6
  line("series", "EN| SERIES", "EN - Fargo (2014) S01E01"), // 7
  line("series", "EN| SERIES", "EN - Sherlock S01E01-E02"), // 8
  line("series", "EN| SERIES", "EN - Sherlock S02E01"), // 9
  line("series", "FR| SERIES", "FR - The Office (US) S02E03"), // 10
  line("series", "EN| SERIES", "EN - The Office (US) S02E03 1080p"), // 11
  line("series", "TR| DIZI", "TR - The Office (US) S02E04"), // 12
  line("series", "EN| SERIES", "EN - Dark S01E01 CAM"), // 13
  line("movie", "EN| MOVIES", "EN - Dune (2021)"), // 14
  line("movie", "EN| MOVIES", "EN - The Godfather (1972) CAM") // 15
].join("")

const radarrLibrary: FakeRadarr.Library = {
  movies: [
    { id: 1, title: "The Godfather", year: 1972, tmdbId: 238, imdbId: "tt0068646", monitored: true, hasFile: false, isAvailable: true },
    { id: 2, title: "The Thing", year: 1982, tmdbId: 1091, imdbId: "tt0084787", monitored: true, hasFile: false, isAvailable: true },
    { id: 3, title: "Heat", year: 1995, tmdbId: 949, imdbId: "tt0113277", monitored: true, hasFile: false, isAvailable: true },
    { id: 4, title: "Fargo", year: 1996, tmdbId: 275, imdbId: "tt0116282", monitored: true, hasFile: false, isAvailable: true },
    { id: 5, title: "Dune", year: 1984, tmdbId: 841, imdbId: "tt0087182", monitored: true, hasFile: false, isAvailable: true },
    // Announced: Radarr lists it as missing, but it is not available yet.
    { id: 7, title: "The Godfather Part IV", year: 2031, tmdbId: 9999999, monitored: true, hasFile: false, isAvailable: false, status: "announced" },
    // Has its file: not wanted.
    { id: 6, title: "Dune", year: 2021, tmdbId: 438631, monitored: true, hasFile: true, movieFileId: 60, isAvailable: true }
  ]
}

const aired = "2020-01-01T00:00:00Z"
const sonarrLibrary: FakeSonarr.Library = {
  series: [
    { id: 1, title: "The Office (US)", year: 2005, tvdbId: 73244, tmdbId: 2316, monitored: true },
    { id: 2, title: "Fargo", year: 2014, tvdbId: 269613, tmdbId: 60622, monitored: true },
    { id: 3, title: "Sherlock", year: 2010, tvdbId: 176941, tmdbId: 19885, monitored: true },
    { id: 4, title: "Dark", year: 2017, tvdbId: 334824, tmdbId: 70523, monitored: true }
  ],
  episodes: [
    { id: 11, seriesId: 1, seasonNumber: 2, episodeNumber: 3, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 12, seriesId: 1, seasonNumber: 2, episodeNumber: 4, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 21, seriesId: 2, seasonNumber: 1, episodeNumber: 1, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 31, seriesId: 3, seasonNumber: 1, episodeNumber: 2, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 32, seriesId: 3, seasonNumber: 1, episodeNumber: 3, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 41, seriesId: 4, seasonNumber: 1, episodeNumber: 1, airDateUtc: aired, monitored: true, hasFile: false }
  ]
}

const StoreLive = Testing.layerConfig()

/** The playlist ingested and identified against the fake TMDB. */
const catalogue = Effect.gen(function*() {
  yield* Testing.reset
  const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))
  yield* Process.run({
    settings: yield* Settings.load({ env: { HOME: "/nonexistent-home" } }),
    source: { label: "test", size: undefined, stream: Stream.make(new TextEncoder().encode(PLAYLIST)) },
    database
  })
  const tmdb = yield* FakeTmdb.make(world)
  yield* Enrich.run({ language: "en-US", cacheTtlDays: 30 }).pipe(
    Effect.provide(Tmdb.layer(FakeTmdb.clientOptions(tmdb, { requestsPerSecond: Infinity })))
  )
})

const preferences: Choice.Preferences = {
  languages: ["en", "de"],
  resolutions: ["1080p", "2160p", "720p", "480p"],
  exclude: [/\bCAM\b/iu]
}

const plan7 = (plans: ReadonlyArray<Plans.MoviePlan>) => plans.find((p) => p.movie.id === 7)!

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

const byId = <P extends Plans.Plan>(plans: ReadonlyArray<P>, id: (plan: P) => number) =>
  new Map(plans.map((plan) => [id(plan), plan]))

layer(Layer.mergeAll(StoreLive, NodeContext.layer, NodeHttpClient.layerUndici), { timeout: "120 seconds", excludeTestServices: true })("Plans", (it) => {
  it.scoped("movies: by TMDB id in the preferred language and resolution; never a remake, a series or a live channel", () =>
    Effect.gen(function*() {
      yield* catalogue
      const server = yield* FakeRadarr.make(radarrLibrary)
      const plans = yield* collect(Plans.movies({ preferences })).pipe(
        Effect.provide(Radarr.layer(FakeRadarr.clientOptions(server)))
      )
      assert.deepStrictEqual(plans.map((p) => p.movie.id).sort(), [1, 2, 3, 4, 5, 7])
      assert.deepStrictEqual(plan7(plans).choice.reasons, ["not available yet in Radarr (announced)"])
      const plan = byId(plans, (p) => p.movie.id)

      const godfather = plan.get(1)!.choice
      assert.strictEqual(godfather.decision, "download")
      // en and de are allowed (en first): the English 720p beats the German 1080p; Turkish and CAM are ruled out.
      assert.strictEqual(godfather.entry!.streamId, "2")
      assert.strictEqual(godfather.reasons[0], "tmdb id 238")
      assert.include(godfather.reasons, "language en allowed")
      const rejected = new Map(godfather.rejected.map((r) => [r.candidate.streamId, r.reasons.join("; ")]))
      assert.strictEqual(rejected.get("3"), "language tr not allowed")
      assert.strictEqual(rejected.get("15"), "excluded by /\\bCAM\\b/")
      assert.strictEqual(rejected.get("1"), "language de ranks after en")
      assert.isAtLeast(godfather.confidence, 0.85)

      // Only the 2011 remake is in the catalogue: nothing for the 1982 film.
      assert.strictEqual(plan.get(2)!.choice.skip, "not-in-catalogue")
      // Heat is unknown to TMDB: its exact title and year, flagged as a fallback.
      const heat = plan.get(3)!.choice
      assert.strictEqual(heat.entry!.streamId, "5")
      assert.strictEqual(heat.confidence, Choice.FALLBACK_CONFIDENCE)
      assert.include(heat.reasons, "fallback: same title and year (work not identified)")
      // The film Fargo, not the series.
      assert.strictEqual(plan.get(4)!.choice.entry!.streamId, "6")
      // Dune 1984 is wanted, the catalogue has Dune 2021.
      assert.strictEqual(plan.get(5)!.choice.skip, "not-in-catalogue")

      const json = Plans.movieJson(plan.get(1)!)
      assert.deepStrictEqual(
        { ...json, reasons: undefined, rejected: undefined },
        {
          kind: "movie",
          radarrId: 1,
          tmdbId: 238,
          imdbId: "tt0068646",
          title: "The Godfather",
          year: 1972,
          decision: "download",
          entry: {
            key: "xtream:movie:2",
            streamId: "2",
            name: "EN - The Godfather (1972) 720p",
            group: "EN| MOVIES",
            resolution: "720p",
            language: "en"
          },
          confidence: godfather.confidence,
          reasons: undefined,
          skip: null,
          rejected: undefined
        }
      )
      assert.notInclude(JSON.stringify(plans.map(Plans.toJson)), "panel.test")

      const summary = plans.reduce(Plans.tally, Plans.emptySummary)
      assert.deepStrictEqual(summary, {
        wanted: 6,
        planned: 3,
        skipped: { "not-available": 1, "not-in-catalogue": 2, language: 0, excluded: 0, unsure: 0 }
      })
      // --limit
      const two = yield* collect(Plans.movies({ preferences, limit: 2 })).pipe(
        Effect.provide(Radarr.layer(FakeRadarr.clientOptions(server)))
      )
      assert.strictEqual(two.length, 2)
    }))

  it.scoped("episodes: same season and episode of the series found by TVDB id; a double episode holds both", () =>
    Effect.gen(function*() {
      yield* catalogue
      const server = yield* FakeSonarr.make(sonarrLibrary)
      const sonarr = Sonarr.layer(FakeSonarr.clientOptions(server))
      const plans = yield* collect(Plans.episodes({ preferences })).pipe(Effect.provide(sonarr))
      const plan = byId(plans, (p) => p.episode.id)
      assert.strictEqual(plans.length, 6)

      const office = plan.get(11)!.choice
      assert.strictEqual(office.entry!.streamId, "11")
      assert.strictEqual(office.reasons[0], "tvdb id 73244 S02E03")
      assert.deepStrictEqual(office.rejected.map((r) => r.reasons[0]), ["language fr not allowed"])
      // Only in Turkish.
      assert.strictEqual(plan.get(12)!.choice.skip, "language")
      // The series Fargo's episode, not the film.
      assert.strictEqual(plan.get(21)!.choice.entry!.streamId, "7")
      // S01E02 only inside S01E01-E02.
      const double = plan.get(31)!.choice
      assert.strictEqual(double.entry!.streamId, "8")
      assert.include(double.reasons, "S01E01-E02 holds E02")
      // S01E03: the catalogue has S02E01 only.
      assert.strictEqual(plan.get(32)!.choice.skip, "not-in-catalogue")
      // Dark S01E01 exists only as a CAM.
      assert.strictEqual(plan.get(41)!.choice.skip, "excluded")

      const json = Plans.episodeJson(plan.get(11)!)
      assert.deepStrictEqual(
        [json.kind, json.sonarrEpisodeId, json.seriesId, json.tvdbId, json.tmdbId, json.series, json.season, json.episode],
        ["episode", 11, 1, 73244, 2316, "The Office (US)", 2, 3]
      )

      // --series, by id and by title.
      const sherlock = yield* Plans.findSeries("sherlock").pipe(Effect.provide(sonarr))
      assert.strictEqual(sherlock.id, 3)
      const only = yield* collect(Plans.episodes({ preferences, seriesId: sherlock.id })).pipe(Effect.provide(sonarr))
      assert.deepStrictEqual(only.map((p) => p.episode.id), [31, 32])
      assert.strictEqual((yield* Plans.findSeries("2").pipe(Effect.provide(sonarr))).title, "Fargo")
      assert.strictEqual((yield* Plans.findSeries("99").pipe(Effect.provide(sonarr), Effect.flip)).message, "Sonarr has no series \"99\": give its Sonarr id or its title")
      const missing = yield* Plans.findSeries("Lost").pipe(Effect.provide(sonarr), Effect.flip)
      assert.strictEqual(missing.message, "Sonarr has no series \"Lost\": give its Sonarr id or its title")
    }))
})
