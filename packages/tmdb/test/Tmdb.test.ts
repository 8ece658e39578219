import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { Tmdb, TmdbError, TmdbResponse } from "../src/index.js"
import { FakeTmdb } from "../src/Testing.js"
import { world } from "./world.js"

/** Fast retries, no client-side rate limit: each test sets what it checks. */
const fast = { retry: { times: 3, base: "20 millis" }, timeout: "2 seconds", requestsPerSecond: Infinity } as const

type ClientOptions = Parameters<typeof FakeTmdb.clientOptions>[1]

/** A fresh fake state and a client of it. */
const setup = (options: ClientOptions = {}) =>
  Effect.gen(function*() {
    const fake = yield* FakeTmdb.Fake
    yield* fake.reset
    const tmdb = yield* Tmdb.make(FakeTmdb.clientOptions(fake, { ...fast, ...options }))
    return { fake, tmdb }
  })

const statuses = (fake: FakeTmdb.Server) => Effect.map(fake.requests, (log) => log.map((r) => r.status))

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const result = yield* effect
    return { result, millis: (yield* Clock.currentTimeMillis) - start }
  })

const assertOneLine = (error: TmdbError.TmdbError) => {
  assert.notInclude(error.message, "\n")
  assert.isTrue(error.message.length < 200, error.message)
}

const Env = Layer.mergeAll(FakeTmdb.layer(world), NodeHttpClient.layerUndici)

// Real time: Retry-After, backoff, timeouts and the rate limiter run against a real socket.
layer(Env, { excludeTestServices: true })("Tmdb", (it) => {
  it.scoped("searches movies: decoded, camelCase, sorted by relevance then popularity", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      const page = yield* tmdb.searchMovie({ query: "the lion king" })
      assert.deepStrictEqual(page.results.map((r) => [r.id, r.releaseDate]), [[420818, "2019-07-12"], [8587, "1994-06-24"]])
      assert.deepStrictEqual({ page: page.page, totalPages: page.totalPages, totalResults: page.totalResults }, {
        page: 1,
        totalPages: 1,
        totalResults: 2
      })
      const first = page.results[0]!
      assert.deepStrictEqual(
        { title: first.title, originalTitle: first.originalTitle, lang: first.originalLanguage, poster: first.posterPath },
        { title: "The Lion King", originalTitle: "The Lion King", lang: "en", poster: "/m420818.jpg" }
      )
      const byYear = yield* tmdb.searchMovie({ query: "The Lion King", year: 1994 })
      assert.deepStrictEqual(byYear.results.map((r) => r.id), [8587])
      const byPrimary = yield* tmdb.searchMovie({ query: "The Lion King", primaryReleaseYear: 2019 })
      assert.deepStrictEqual(byPrimary.results.map((r) => r.id), [420818])
      const unknownDate = yield* tmdb.searchMovie({ query: "untitled project" })
      assert.strictEqual(unknownDate.results[0]!.releaseDate, null)
      const log = yield* fake.requests
      assert.deepStrictEqual(log[0]!.query, { query: "the lion king", include_adult: "false", language: "en-US" })
      assert.deepStrictEqual(log[1]!.query.year, "1994")
      assert.deepStrictEqual(log[2]!.query.primary_release_year, "2019")
      assert.strictEqual(yield* tmdb.requests, 4)
    }))

  it.scoped("searches in a language and finds works by their translated titles", () =>
    Effect.gen(function*() {
      const { tmdb } = yield* setup({ language: "de-DE" })
      const page = yield* tmdb.searchMovie({ query: "Ziemlich beste Freunde" })
      assert.deepStrictEqual(page.results.map((r) => [r.id, r.title, r.originalTitle]), [
        [77338, "Ziemlich beste Freunde", "Intouchables"]
      ])
      const english = yield* tmdb.searchMovie({ query: "intouchables", language: "en-US" })
      assert.strictEqual(english.results[0]!.title, "The Intouchables")
    }))

  it.scoped("searches series", () =>
    Effect.gen(function*() {
      const { tmdb } = yield* setup()
      const page = yield* tmdb.searchTv({ query: "The Office" })
      assert.deepStrictEqual(page.results.map((r) => [r.id, r.firstAirDate, r.originCountry]), [
        [2316, "2005-03-24", ["US"]],
        [2996, "2001-07-09", ["GB"]]
      ])
      const uk = yield* tmdb.searchTv({ query: "The Office", firstAirDateYear: 2001 })
      assert.deepStrictEqual(uk.results.map((r) => r.id), [2996])
      assert.strictEqual(uk.results[0]!.originalName, "The Office")
    }))

  it.scoped("reads movie details with external ids, alternative titles and translations", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      const movie = yield* tmdb.movie(603)
      assert.strictEqual(movie.imdbId, "tt0133093")
      assert.deepStrictEqual(movie.externalIds, { imdbId: "tt0133093", tvdbId: null, wikidataId: null })
      assert.deepStrictEqual(movie.alternativeTitles, [{ country: "BR", title: "Matrix", type: null }])
      assert.deepStrictEqual(movie.translations.map((t) => [t.language, t.country, t.title]), [
        ["en", "US", "The Matrix"],
        ["de", "DE", "Matrix"]
      ])
      assert.deepStrictEqual([movie.runtime, movie.releaseDate, movie.collection], [136, "1999-03-31", null])
      const godfather = yield* tmdb.movie(238, { language: "de-DE" })
      assert.deepStrictEqual([godfather.title, godfather.originalTitle], ["Der Pate", "The Godfather"])
      assert.deepStrictEqual(godfather.collection, { id: 230, name: "The Godfather Collection" })
      const log = yield* fake.requests
      assert.deepStrictEqual(log.map((r) => [r.path, r.query.append_to_response, r.query.language]), [
        ["/3/movie/603", "external_ids,alternative_titles,translations", "en-US"],
        ["/3/movie/238", "external_ids,alternative_titles,translations", "de-DE"]
      ])
    }))

  it.scoped("reads series details with the TVDB id", () =>
    Effect.gen(function*() {
      const { tmdb } = yield* setup()
      const office = yield* tmdb.tv(2316)
      assert.deepStrictEqual([office.tvdbId, office.imdbId, office.firstAirDate, office.lastAirDate], [
        73244,
        "tt0386676",
        "2005-03-24",
        "2013-05-16"
      ])
      assert.deepStrictEqual(office.alternativeTitles, [{ country: "US", title: "The Office (US)", type: null }])
      const got = yield* tmdb.tv(1399, { language: "fr-FR" })
      assert.strictEqual(got.name, "Le Trône de fer")
      assert.deepStrictEqual(got.translations.map((t) => t.title), ["Game of Thrones", "Le Trône de fer"])
      assert.strictEqual(got.numberOfSeasons, 8)
    }))

  it.scoped("finds by IMDb and TVDB id; nothing is empty lists, not an error", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      const matrix = yield* tmdb.find("tt0133093", "imdb_id")
      assert.deepStrictEqual([matrix.movieResults.map((m) => m.id), matrix.tvResults], [[603], []])
      const breaking = yield* tmdb.find("81189", "tvdb_id")
      assert.deepStrictEqual([breaking.movieResults, breaking.tvResults.map((t) => t.name)], [[], ["Breaking Bad"]])
      const none = yield* tmdb.find("tt0000001", "imdb_id")
      assert.deepStrictEqual(none, { movieResults: [], tvResults: [] })
      assert.deepStrictEqual((yield* fake.requests)[0]!.query, { external_source: "imdb_id", language: "en-US" })
    }))

  it.scoped("tolerates nulls, missing fields and \"\" dates; only an id is required", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      yield* fake.failNext(FakeTmdb.body(JSON.stringify({
        page: 1,
        results: [
          { id: 1, title: null, original_title: "Original", release_date: "", popularity: null, poster_path: null },
          { id: 2 }
        ]
      })))
      const page = yield* tmdb.searchMovie({ query: "anything" })
      assert.deepStrictEqual(page.results[0], {
        id: 1,
        title: "Original",
        originalTitle: "Original",
        originalLanguage: null,
        releaseDate: null,
        overview: null,
        popularity: 0,
        voteCount: 0,
        voteAverage: 0,
        posterPath: null,
        adult: false
      })
      assert.deepStrictEqual([page.results[1]!.title, page.totalResults, page.totalPages], ["", 2, 0])
      yield* fake.failNext(FakeTmdb.body(JSON.stringify({ id: 7, external_ids: null, translations: { translations: null } })))
      const tv = yield* tmdb.tv(7)
      assert.deepStrictEqual([tv.name, tv.tvdbId, tv.imdbId, tv.translations, tv.alternativeTitles], [
        "",
        null,
        null,
        [],
        []
      ])
      yield* fake.failNext(FakeTmdb.body(JSON.stringify({ movie_results: null })))
      assert.deepStrictEqual(yield* tmdb.find("tt1", "imdb_id"), { movieResults: [], tvResults: [] })
    }))

  it.scoped("decoded values round-trip through JSON with their schemas (for a cache)", () =>
    Effect.gen(function*() {
      const { tmdb } = yield* setup()
      const movie = yield* tmdb.movie(77338)
      const stored = JSON.stringify(yield* Schema.encode(TmdbResponse.MovieDetails)(movie))
      assert.deepStrictEqual(yield* Schema.decodeUnknown(TmdbResponse.MovieDetails)(JSON.parse(stored)), movie)
      const page = yield* tmdb.searchTv({ query: "the office" })
      const again = yield* Schema.decodeUnknown(TmdbResponse.TvSearch)(JSON.parse(JSON.stringify(page)))
      assert.deepStrictEqual(again, page)
      assert.strictEqual(TmdbResponse.yearOf(movie.releaseDate), 2011)
      assert.strictEqual(TmdbResponse.yearOf(null), null)
    }))

  it.scoped("authenticates with the API key (query) or the access token (Bearer header)", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      yield* tmdb.searchMovie({ query: "1917" })
      const bearer = yield* Tmdb.make(FakeTmdb.clientOptions(fake, { ...fast, auth: "accessToken" }))
      const page = yield* bearer.searchMovie({ query: "1917" })
      assert.deepStrictEqual(page.results.map((r) => r.id), [530915])
      const log = yield* fake.requests
      assert.deepStrictEqual(log.map((r) => [r.auth, r.status]), [["apiKey", 200], ["bearer", 200]])
      for (const request of log) assert.notProperty(request.query, "api_key")
    }))

  it.scoped("401: Unauthorized at once, one line naming the key to check, fatal", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.Fake
      yield* fake.reset
      const wrongKey = yield* Tmdb.make({ ...fast, baseUrl: fake.baseUrl, auth: { apiKey: Redacted.make("0000") } })
      const error = yield* Effect.flip(wrongKey.searchMovie({ query: "Fargo" }))
      assert.deepStrictEqual([error.reason, error.status, error.tmdbCode, error.fatal], ["Unauthorized", 401, 7, true])
      assert.strictEqual(
        error.message,
        "TMDB refused the API key (HTTP 401 on /search/movie): check tmdb.api_key (STALKEER_TMDB_API_KEY)"
      )
      assertOneLine(error)
      assert.strictEqual(yield* fake.requestCount, 1)
      const wrongToken = yield* Tmdb.make({ ...fast, baseUrl: fake.baseUrl, auth: { accessToken: Redacted.make("eyJx") } })
      const tokenError = yield* Effect.flip(wrongToken.movie(603))
      assert.include(tokenError.message, "check tmdb.access_token (STALKEER_TMDB_ACCESS_TOKEN)")
      assert.strictEqual(yield* fake.requestCount, 2)
    }))

  it.scoped("404: NotFound, not retried", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      const error = yield* Effect.flip(tmdb.movie(1))
      assert.deepStrictEqual([error.reason, error.status, error.tmdbCode, error.path], ["NotFound", 404, 34, "/movie/1"])
      assert.strictEqual(error.message, "TMDB has nothing at /movie/1 (HTTP 404)")
      assert.isFalse(error.fatal)
      assert.strictEqual(yield* fake.requestCount, 1)
    }))

  it.scoped("other 4xx: Rejected with TMDB's message, not retried", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      const error = yield* Effect.flip(tmdb.searchMovie({ query: "Fargo", page: 501 }))
      assert.deepStrictEqual([error.reason, error.status, error.tmdbCode], ["Rejected", 400, 22])
      assert.include(error.message, "TMDB rejected /search/movie with HTTP 400: Invalid page: Pages start at 1")
      assert.strictEqual(yield* fake.requestCount, 1)
    }))

  it.scoped("429 with Retry-After: waits that long, then retries", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      yield* fake.failNext(FakeTmdb.rateLimited(1))
      const { millis, result } = yield* timed(tmdb.searchMovie({ query: "Fargo" }))
      assert.deepStrictEqual(result.results.map((r) => r.id), [275])
      assert.deepStrictEqual(yield* statuses(fake), [429, 200])
      assert.isAtLeast(millis, 990)
      const log = yield* fake.requests
      assert.isAtLeast(log[1]!.at - log[0]!.at, 990)
    }))

  it.scoped("429 without Retry-After: backs off, retries, and gives up after the policy's retries", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup({ retry: { times: 2, base: "50 millis" } })
      yield* fake.failNext(FakeTmdb.rateLimited())
      const { millis } = yield* timed(tmdb.searchTv({ query: "Fargo" }))
      assert.deepStrictEqual(yield* statuses(fake), [429, 200])
      assert.isAtLeast(millis, 40)
      assert.isBelow(millis, 900)

      yield* fake.reset
      yield* fake.failNext(FakeTmdb.rateLimited(), { times: 10 })
      const error = yield* Effect.flip(tmdb.searchTv({ query: "Fargo" }))
      assert.deepStrictEqual([error.reason, error.status, error.attempts], ["RateLimited", 429, 3])
      assert.strictEqual(error.message, "TMDB is rate-limiting requests (HTTP 429 on /search/tv) (gave up after 3 attempts)")
      assert.strictEqual(yield* fake.requestCount, 3)
    }))

  it.scoped("429 asking for longer than the policy waits: stops at once and says how long", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup({ retry: { times: 3, base: "20 millis", maxDelay: "5 seconds" } })
      yield* fake.failNext(FakeTmdb.rateLimited(120))
      const error = yield* Effect.flip(tmdb.searchMovie({ query: "Fargo" }))
      assert.deepStrictEqual([error.reason, error.retryAfterSeconds], ["RateLimited", 120])
      assert.include(error.message, "it asked to wait 120 s")
      assert.strictEqual(yield* fake.requestCount, 1)
    }))

  it.scoped("5xx then success: retried with backoff", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      yield* fake.failNext(FakeTmdb.status(500))
      yield* fake.failNext(FakeTmdb.status(503))
      const movie = yield* tmdb.movie(603)
      assert.strictEqual(movie.title, "The Matrix")
      assert.deepStrictEqual(yield* statuses(fake), [500, 503, 200])
      assert.strictEqual(yield* tmdb.requests, 3)
    }))

  it.scoped("5xx every time: Server after the retries, with the attempts made", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup({ retry: { times: 1, base: "10 millis" } })
      yield* fake.failNext(FakeTmdb.status(502), { times: 5 })
      const error = yield* Effect.flip(tmdb.tv(1396))
      assert.deepStrictEqual([error.reason, error.status, error.attempts], ["Server", 502, 2])
      assert.strictEqual(error.message, "TMDB failed with HTTP 502 on /tv/1396 (gave up after 2 attempts)")
    }))

  it.scoped("an undecodable body is InvalidResponse naming the endpoint, never the body", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      yield* fake.failNext(FakeTmdb.garbage)
      const notJson = yield* Effect.flip(tmdb.searchMovie({ query: "Fargo" }))
      assert.deepStrictEqual([notJson.reason, notJson.path, notJson.detail], [
        "InvalidResponse",
        "/search/movie",
        "the body is not JSON"
      ])
      assert.strictEqual(notJson.message, "TMDB answered /search/movie with an unexpected body: the body is not JSON")
      yield* fake.failNext(FakeTmdb.wrongShape)
      const wrong = yield* Effect.flip(tmdb.searchMovie({ query: "Fargo" }))
      assert.strictEqual(wrong.reason, "InvalidResponse")
      assert.match(wrong.detail ?? "", /^(page|results\[0\]\.id): Expected /)
      assert.notInclude(wrong.message, "\"one\"")
      assert.notInclude(wrong.message, "\"x\"")
      assertOneLine(wrong)
      assert.strictEqual(yield* fake.requestCount, 2)
    }))

  it.scoped("a hung request times out (Timeout), and a retry can still succeed", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup({ timeout: "300 millis", retry: { times: 0 } })
      yield* fake.failNext(FakeTmdb.hang)
      const { millis, result } = yield* timed(Effect.flip(tmdb.searchMovie({ query: "Fargo" })))
      assert.deepStrictEqual([result.reason, result.timeoutMillis], ["Timeout", 300])
      assert.strictEqual(result.message, "TMDB did not answer /search/movie within 300 ms")
      assert.isAtLeast(millis, 290)
      assert.isBelow(millis, 2000)

      const retrying = yield* Tmdb.make(FakeTmdb.clientOptions(fake, { ...fast, timeout: "300 millis" }))
      yield* fake.failNext(FakeTmdb.hang)
      const page = yield* retrying.searchMovie({ query: "Fargo" })
      assert.deepStrictEqual(page.results.map((r) => r.id), [275])
    }))

  it.scoped("network errors are retried, then Transport", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup({ retry: { times: 1, base: "10 millis" } })
      yield* fake.failNext(FakeTmdb.reset)
      assert.strictEqual((yield* tmdb.movie(603)).id, 603)
      yield* fake.failNext(FakeTmdb.reset, { times: 2 })
      const error = yield* Effect.flip(tmdb.movie(603))
      assert.deepStrictEqual([error.reason, error.attempts], ["Transport", 2])
      assert.match(error.message, /^Cannot reach TMDB for \/movie\/603: .+ \(gave up after 2 attempts\)$/)

      const closed = yield* Tmdb.make({
        ...fast,
        retry: { times: 0 },
        baseUrl: "http://127.0.0.1:9/3",
        auth: { apiKey: Redacted.make("k") }
      })
      const refused = yield* Effect.flip(closed.searchMovie({ query: "x" }))
      assert.strictEqual(refused.reason, "Transport")
      assert.include(refused.message, "ECONNREFUSED")
    }))

  it.scoped("faults limited to a path leave other endpoints alone", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup()
      yield* fake.failNext(FakeTmdb.status(500), { path: "/3/tv", times: 1 })
      yield* tmdb.movie(603)
      yield* tmdb.tv(1396)
      assert.deepStrictEqual((yield* fake.requests).map((r) => [r.path, r.status]), [
        ["/3/movie/603", 200],
        ["/3/tv/1396", 500],
        ["/3/tv/1396", 200]
      ])
    }))

  it.scoped("the rate limiter spaces requests across concurrent fibers (5/s: 11 requests take 2 s)", () =>
    Effect.gen(function*() {
      const { fake, tmdb } = yield* setup({ requestsPerSecond: 5 })
      const { millis } = yield* timed(
        Effect.forEach(Array.from({ length: 11 }), () => tmdb.searchMovie({ query: "Fargo" }), { concurrency: 11 })
      )
      assert.isAtLeast(millis, 1900)
      assert.isBelow(millis, 5000)
      const at = (yield* fake.requests).map((r) => r.at).sort((a, b) => a - b)
      const gaps = at.slice(1).map((t, i) => t - at[i]!)
      assert.isAtLeast(Math.min(...gaps), 150, `gaps ${gaps}`)
    }))

  it.scoped("one limiter is shared by two services built from it (makeLimiter + options.limiter)", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.Fake
      yield* fake.reset
      const limiter = yield* Tmdb.makeLimiter(5)
      const a = yield* Tmdb.make(FakeTmdb.clientOptions(fake, { ...fast, limiter }))
      const b = yield* Tmdb.make(FakeTmdb.clientOptions(fake, { ...fast, limiter, auth: "accessToken" }))
      const { millis } = yield* timed(Effect.all([
        Effect.forEach(Array.from({ length: 6 }), () => a.searchMovie({ query: "Fargo" }), { concurrency: 6 }),
        Effect.forEach(Array.from({ length: 5 }), () => b.searchTv({ query: "Fargo" }), { concurrency: 5 })
      ], { concurrency: 2 }))
      assert.isAtLeast(millis, 1900)
      assert.deepStrictEqual([yield* a.requests, yield* b.requests], [6, 5])
    }))

  it.scoped("a layer built once gives every consumer the same limiter", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.Fake
      yield* fake.reset
      const consumer = (n: number) =>
        Effect.flatMap(Tmdb.Tmdb, (tmdb) =>
          Effect.forEach(Array.from({ length: n }), () => tmdb.find("tt0133093", "imdb_id"), { concurrency: n }))
      const { millis } = yield* timed(
        Effect.all([consumer(6), consumer(5)], { concurrency: 2 }).pipe(
          Effect.provide(Tmdb.layer(FakeTmdb.clientOptions(fake, { ...fast, requestsPerSecond: 5 })))
        )
      )
      assert.isAtLeast(millis, 1900)
      assert.strictEqual(yield* fake.requestCount, 11)
    }))

  it.scoped("an unthrottled client meets the server's own limit: waits Retry-After and gets through", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.make(world, { rateLimit: 3 })
      const tmdb = yield* Tmdb.make(FakeTmdb.clientOptions(fake, { ...fast, retry: { times: 5, base: "20 millis" } }))
      const pages = yield* Effect.forEach(Array.from({ length: 5 }), () => tmdb.searchMovie({ query: "1917" }), {
        concurrency: 5
      })
      assert.strictEqual(pages.length, 5)
      const codes = yield* statuses(fake)
      assert.isTrue(codes.includes(429))
      assert.strictEqual(codes.filter((s) => s === 200).length, 5)
    }))

  it.scoped("no credentials: MissingCredentials saying what to set", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.Fake
      const error = yield* Effect.flip(Tmdb.make({ baseUrl: fake.baseUrl }))
      assert.strictEqual(error.reason, "MissingCredentials")
      assert.strictEqual(
        error.message,
        "no TMDB credentials: set tmdb.api_key (or tmdb.access_token) in the config file, or STALKEER_TMDB_API_KEY"
      )
      const settings = {
        baseUrl: fake.baseUrl,
        apiKey: Option.none(),
        accessToken: Option.none(),
        language: "en-US",
        requestsPerSecond: 20,
        cacheTtlDays: 30
      }
      const fromLayer = yield* Effect.flip(Layer.build(Tmdb.layerConfig(settings)))
      assert.isTrue(TmdbError.isTmdbError(fromLayer) && fromLayer.reason === "MissingCredentials")
    }))

  it.scoped("layerConfig takes the configuration's tmdb section (settings.tmdb); a token wins over a key", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.Fake
      yield* fake.reset
      const settings = {
        baseUrl: `${fake.baseUrl}/`,
        apiKey: Option.some(Redacted.make(fake.apiKey)),
        accessToken: Option.none(),
        language: "de-DE",
        requestsPerSecond: 50,
        cacheTtlDays: 30
      }
      const title = Effect.flatMap(Tmdb.Tmdb, (tmdb) => tmdb.searchMovie({ query: "intouchables" })).pipe(
        Effect.map((page) => page.results[0]!.title)
      )
      const german = yield* Effect.provide(title, Tmdb.layerConfig(settings, { retry: fast.retry }))
      assert.strictEqual(german, "Ziemlich beste Freunde")
      const both = { ...settings, accessToken: Option.some(Redacted.make(fake.accessToken)) }
      yield* Effect.provide(title, Tmdb.layerConfig(both))
      assert.deepStrictEqual((yield* fake.requests).map((r) => [r.path, r.auth]), [
        ["/3/search/movie", "apiKey"],
        ["/3/search/movie", "bearer"]
      ])
    }))

  it.scoped("layerConfig reads a Config of the section (as AppConfig.tmdb is)", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.Fake
      const config = Config.nested(
        Config.all({
          baseUrl: Config.string("base_url"),
          apiKey: Config.option(Config.redacted("api_key")),
          accessToken: Config.option(Config.redacted("access_token")),
          language: Config.string("language").pipe(Config.withDefault("en-US")),
          requestsPerSecond: Config.number("requests_per_second").pipe(Config.withDefault(20))
        }),
        "tmdb"
      )
      const provider = ConfigProvider.fromMap(new Map([["tmdb.base_url", fake.baseUrl], ["tmdb.api_key", fake.apiKey]]))
      const ids = yield* Effect.flatMap(Tmdb.Tmdb, (tmdb) => tmdb.searchTv({ query: "breaking bad" })).pipe(
        Effect.provide(Tmdb.layerConfig(config)),
        Effect.withConfigProvider(provider)
      )
      assert.deepStrictEqual(ids.results.map((r) => r.id), [1396])
      const missing = yield* Effect.flip(
        Effect.provide(Tmdb.Tmdb, Tmdb.layerConfig(config)).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["tmdb.base_url", fake.baseUrl]])))
        )
      )
      assert.isTrue(TmdbError.isTmdbError(missing) && missing.reason === "MissingCredentials")
    }))
})

layer(Layer.mergeAll(FakeTmdb.layer(world), FetchHttpClient.layer), { excludeTestServices: true })(
  "Tmdb with FetchHttpClient",
  (it) => {
    it.scoped("searches with a Bearer token and times out a hung request", () =>
      Effect.gen(function*() {
        const { fake, tmdb } = yield* setup({ auth: "accessToken", timeout: "300 millis", retry: { times: 0 } })
        const page = yield* tmdb.searchMovie({ query: "amelie" })
        assert.deepStrictEqual(page.results.map((r) => r.id), [194])
        yield* fake.failNext(FakeTmdb.hang)
        const error = yield* Effect.flip(tmdb.movie(194))
        assert.strictEqual(error.reason, "Timeout")
      }))
  }
)
