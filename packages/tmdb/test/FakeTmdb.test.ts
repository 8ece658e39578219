import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { FakeTmdb } from "../src/Testing.js"
import { world } from "./world.js"

type Auth = "apiKey" | "bearer" | "none"

interface Item {
  readonly id: number
  readonly title?: string
  readonly media_type?: string
}

/** The fields these tests read, of any answer. */
interface Body {
  readonly page?: number
  readonly total_pages?: number
  readonly total_results?: number
  readonly results: ReadonlyArray<Item>
  readonly status_code?: number
  readonly name?: string
  readonly original_name?: string
  readonly imdb_id?: string | null
  readonly external_ids?: { readonly tvdb_id: number | null }
  readonly alternative_titles?: {
    readonly titles?: ReadonlyArray<{ readonly title: string }>
    readonly results?: ReadonlyArray<unknown>
  }
  readonly translations?: { readonly translations: ReadonlyArray<{ readonly data: { readonly name?: string } }> }
  readonly tv_results?: ReadonlyArray<Item>
}

/** A raw request to the fake: status, headers and parsed body. */
const call = (path: string, params: Record<string, string> = {}, auth: Auth = "apiKey") =>
  Effect.gen(function*() {
    const fake = yield* FakeTmdb.Fake
    const query = new URLSearchParams(params)
    if (auth === "apiKey") query.set("api_key", fake.apiKey)
    const url = `${fake.baseUrl.replace(/\/3$/, "")}${path}?${query}`
    const response = yield* HttpClient.get(url, {
      headers: auth === "bearer" ? { authorization: `Bearer ${fake.accessToken}` } : {}
    })
    const text = yield* response.text
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as Body }
  }).pipe(Effect.scoped)

const ids = (body: Body) => body.results.map((r) => r.id)

const Env = Layer.mergeAll(FakeTmdb.layer(world), NodeHttpClient.layerUndici)

layer(Env, { excludeTestServices: true })("FakeTmdb", (it) => {
  it.effect("search ignores case, accents and punctuation, and matches every name of a work", () =>
    Effect.gen(function*() {
      const amelie = [
        "AMELIE",
        "amélie",
        "Le fabuleux destin d'Amélie Poulain",
        "le fabuleux destin d amelie poulain",
        "amelie from montmartre"
      ]
      for (const query of amelie) {
        assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query })).body), [194], query)
      }
      // Translated titles are searched whatever the language asked for.
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "ziemlich beste freunde" })).body), [77338])
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "Der Pate" })).body), [238, 240])
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "Der Pate 2" })).body), [240])
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "The Godfather Part" })).body), [240])
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "the office" })).body), [])
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "1917" })).body), [530915])
      assert.deepStrictEqual(ids((yield* call("/3/search/tv", { query: "The Office (US)" })).body), [2316])
      assert.deepStrictEqual(ids((yield* call("/3/search/tv", { query: "the office us" })).body), [2316])
    }))

  it.effect("results go by relevance (equal, starts with, contains), then popularity", () =>
    Effect.gen(function*() {
      // The Matrix Resurrections is more popular; The Matrix matches exactly.
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "The Matrix" })).body), [603, 624860])
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "matrix" })).body), [603, 624860])
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "resurrections matrix" })).body), [624860])
      // Same title: the more popular first.
      assert.deepStrictEqual(ids((yield* call("/3/search/movie", { query: "the lion king" })).body), [420818, 8587])
      assert.deepStrictEqual(ids((yield* call("/3/search/tv", { query: "the office" })).body), [2316, 2996])
    }))

  it.effect("year filters: year (any release), primary_release_year, first_air_date_year, tv year", () =>
    Effect.gen(function*() {
      const movie = (params: Record<string, string>) =>
        Effect.map(call("/3/search/movie", { query: "intouchables", ...params }), (r) => ids(r.body))
      assert.deepStrictEqual(yield* movie({ year: "2011" }), [77338])
      assert.deepStrictEqual(yield* movie({ year: "2012" }), [77338])
      assert.deepStrictEqual(yield* movie({ primary_release_year: "2012" }), [])
      assert.deepStrictEqual(yield* movie({ primary_release_year: "2011" }), [77338])
      const tv = (params: Record<string, string>) =>
        Effect.map(call("/3/search/tv", { query: "the office", ...params }), (r) => ids(r.body))
      assert.deepStrictEqual(yield* tv({ first_air_date_year: "2001" }), [2996])
      assert.deepStrictEqual(yield* tv({ first_air_date_year: "2005" }), [2316])
      assert.deepStrictEqual(yield* tv({ year: "2010" }), [2316])
      assert.deepStrictEqual(yield* tv({ year: "2002" }), [2996])
    }))

  it.effect("pages of 20, pages 1..500 (else 400 code 22), query required (422)", () =>
    Effect.gen(function*() {
      const first = yield* call("/3/search/movie", { query: "filler story" })
      const { body } = first
      assert.deepStrictEqual(
        [first.status, body.page, body.total_pages, body.total_results, body.results.length],
        [200, 1, 2, 25, 20]
      )
      const second = yield* call("/3/search/movie", { query: "filler story", page: "2" })
      assert.deepStrictEqual(ids(second.body), [900020, 900021, 900022, 900023, 900024])
      const beyond = yield* call("/3/search/movie", { query: "filler story", page: "3" })
      assert.deepStrictEqual([beyond.status, beyond.body.results], [200, []])
      for (const page of ["0", "501", "abc", "1.5"]) {
        const bad = yield* call("/3/search/movie", { query: "filler story", page })
        assert.strictEqual(bad.status, 400, page)
        assert.deepStrictEqual<unknown>(bad.body, {
          success: false,
          status_code: 22,
          status_message: "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."
        })
      }
      const noQuery = yield* call("/3/search/tv", {})
      assert.deepStrictEqual([noQuery.status, noQuery.body.status_code], [422, 5])
      const empty = yield* call("/3/search/tv", { query: "  " })
      assert.deepStrictEqual([empty.status, empty.body.total_results, empty.body.total_pages], [200, 0, 1])
    }))

  it.effect("language picks the translation (language-country, then language), else the default title", () =>
    Effect.gen(function*() {
      const title = (language: string) =>
        Effect.map(call("/3/search/movie", { query: "intouchables", language }), (r) => r.body.results[0]!.title)
      assert.strictEqual(yield* title("de-DE"), "Ziemlich beste Freunde")
      assert.strictEqual(yield* title("de-AT"), "Ziemlich beste Freunde")
      assert.strictEqual(yield* title("fr-FR"), "Intouchables")
      assert.strictEqual(yield* title("it-IT"), "The Intouchables")
      const details = yield* call("/3/tv/1399", { language: "fr-FR" })
      assert.strictEqual(details.body.name, "Le Trône de fer")
      assert.strictEqual(details.body.original_name, "Game of Thrones")
    }))

  it.effect("details append what is asked for, and only that", () =>
    Effect.gen(function*() {
      const bare = yield* call("/3/movie/603")
      assert.deepStrictEqual(
        ["external_ids", "alternative_titles", "translations"].map((k) => k in bare.body),
        [false, false, false]
      )
      const full = yield* call("/3/tv/2316", { append_to_response: "external_ids,alternative_titles,translations" })
      assert.deepStrictEqual(full.body.external_ids?.tvdb_id, 73244)
      assert.deepStrictEqual(full.body.alternative_titles?.results, [
        { iso_3166_1: "US", title: "The Office (US)", type: "" }
      ])
      assert.deepStrictEqual(full.body.translations?.translations[0]!.data.name, "The Office")
      const movie = yield* call("/3/movie/194", { append_to_response: "alternative_titles" })
      assert.deepStrictEqual(movie.body.alternative_titles?.titles?.[0]!.title, "Amelie from Montmartre")
      assert.strictEqual(movie.body.imdb_id, "tt0211915")
    }))

  it.effect("unknown ids are 404 code 34 (code 6 when not a number); find answers 200 with empty lists", () =>
    Effect.gen(function*() {
      const missing = yield* call("/3/movie/42")
      assert.deepStrictEqual<unknown>([missing.status, missing.body], [404, {
        success: false,
        status_code: 34,
        status_message: "The resource you requested could not be found."
      }])
      assert.deepStrictEqual([(yield* call("/3/tv/abc")).status, (yield* call("/3/tv/abc")).body.status_code], [404, 6])
      assert.strictEqual((yield* call("/3/configuration")).status, 404)
      const none = yield* call("/3/find/tt0000001", { external_source: "imdb_id" })
      assert.deepStrictEqual<unknown>([none.status, none.body], [200, {
        movie_results: [],
        person_results: [],
        tv_results: [],
        tv_episode_results: [],
        tv_season_results: []
      }])
      const fargo = yield* call("/3/find/tt2802850", { external_source: "imdb_id" })
      assert.deepStrictEqual(fargo.body.tv_results?.map((t) => [t.id, t.media_type]), [
        [60622, "tv"]
      ])
      assert.strictEqual((yield* call("/3/find/tt2802850", {})).status, 422)
      assert.strictEqual((yield* call("/3/find/tt2802850", { external_source: "netflix" })).status, 422)
    }))

  it.effect("auth: api_key or Bearer, else 401 code 7; the log keeps no api_key", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.Fake
      yield* fake.reset
      assert.strictEqual((yield* call("/3/movie/603", {}, "apiKey")).status, 200)
      assert.strictEqual((yield* call("/3/movie/603", {}, "bearer")).status, 200)
      const none = yield* call("/3/movie/603", {}, "none")
      assert.deepStrictEqual<unknown>([none.status, none.body], [401, {
        success: false,
        status_code: 7,
        status_message: "Invalid API key: You must be granted a valid key."
      }])
      const wrong = yield* call("/3/movie/603", { api_key: "nope" }, "none")
      assert.strictEqual(wrong.status, 401)
      const log = yield* fake.requests
      assert.deepStrictEqual(log.map((r) => [r.method, r.path, r.auth, r.status]), [
        ["GET", "/3/movie/603", "apiKey", 200],
        ["GET", "/3/movie/603", "bearer", 200],
        ["GET", "/3/movie/603", "none", 401],
        ["GET", "/3/movie/603", "apiKey", 401]
      ])
      assert.notInclude(JSON.stringify(log), fake.apiKey)
      assert.notInclude(JSON.stringify(log), fake.accessToken)
      assert.strictEqual(yield* fake.requestCount, 4)
    }))

  it.effect("faults: in order, counted, limited to a path; 429 carries Retry-After when asked", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.Fake
      yield* fake.reset
      yield* fake.failNext(FakeTmdb.rateLimited(7), { times: 2, path: "/3/search" })
      yield* fake.failNext(FakeTmdb.status(503))
      const details = yield* call("/3/movie/603")
      assert.strictEqual(details.status, 503)
      assert.strictEqual(details.body.status_code, 9)
      const limited = yield* call("/3/search/movie", { query: "x" })
      assert.deepStrictEqual([limited.status, limited.headers["retry-after"], limited.body.status_code], [429, "7", 25])
      assert.strictEqual((yield* call("/3/search/tv", { query: "x" })).status, 429)
      assert.strictEqual((yield* call("/3/search/tv", { query: "x" })).status, 200)
      yield* fake.failNext(FakeTmdb.rateLimited())
      assert.strictEqual((yield* call("/3/movie/603")).headers["retry-after"], undefined)
      yield* fake.failNext(FakeTmdb.status(500), { path: /^\/3\/tv\/\d+$/ })
      assert.strictEqual((yield* call("/3/movie/603")).status, 200)
      assert.strictEqual((yield* call("/3/tv/1396")).status, 500)
    }))

  it.scoped("rateLimit: 429 with Retry-After 1 beyond that many requests in a second", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.make(world, { rateLimit: 3 })
      const statuses: Array<number> = []
      for (let i = 0; i < 5; i++) {
        const response = yield* HttpClient.get(`${fake.baseUrl}/movie/603?api_key=${fake.apiKey}`)
        statuses.push(response.status)
        if (response.status === 429) assert.strictEqual(response.headers["retry-after"], "1")
      }
      assert.deepStrictEqual(statuses, [200, 200, 200, 429, 429])
    }))
})
