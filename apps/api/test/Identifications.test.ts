import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import { Tmdb } from "@stalkeer/tmdb"
import { FakeTmdb } from "@stalkeer/tmdb/testing"
import { Enrich } from "@stalkeer/workflows"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ApiError from "../src/ApiError.js"
import * as Support from "./Support.js"

/** What the fake TMDB knows: `Support.PLAYLIST`'s films (Alien by another name), and two series called The Office. */
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
    { id: 949, title: "Heat", releaseDate: "1995-12-15", popularity: 50, imdbId: "tt0113277" },
    // Alien, under a title no search for "Alien" finds: only a manual match names it.
    { id: 348, title: "Le Huitième Passager", releaseDate: "1979-05-25", popularity: 1, imdbId: "tt0078748" }
  ],
  tv: [
    { id: 2316, name: "The Office", firstAirDate: "2005-03-24", originCountry: ["US"], popularity: 200, imdbId: "tt0386676", tvdbId: 73244 },
    { id: 2996, name: "The Office", firstAirDate: "2001-07-09", originCountry: ["GB"], popularity: 40, imdbId: "tt0290978", tvdbId: 78107 }
  ]
}

const send = Support.send


/** `stalkeer enrich` against the fake TMDB, from the test (not through the API). */
const enrich = Effect.gen(function*() {
  const fake = yield* FakeTmdb.Fake
  return yield* Enrich.run({ language: "en-US", cacheTtlDays: 30 }).pipe(
    Effect.provide(Tmdb.layer(FakeTmdb.clientOptions(fake, { requestsPerSecond: Infinity }))),
    Effect.provide(NodeHttpClient.layerUndici)
  )
})

/** The works of `Support.PLAYLIST` by title, through the API. */
const works = Effect.gen(function*() {
  const client = yield* Support.client
  const page = yield* client.identifications.list({ urlParams: {} })
  return new Map(page.records.map((r) => [r.title, r]))
})

/** The server with the fake TMDB configured (`tmdb.base_url`, `tmdb.api_key`), and the fake in the context. */
const withTmdb = Support.layer(
  Effect.map(FakeTmdb.Fake, (fake) => ({ STALKEER_TMDB_BASE_URL: fake.baseUrl, STALKEER_TMDB_API_KEY: fake.apiKey }))
).pipe(Layer.provideMerge(FakeTmdb.layer(world)))

layer(withTmdb, { timeout: "120 seconds", excludeTestServices: true })("identifications", (it) => {
  it.effect("list: the live works with their identification, by status and kind, paged with the total", () =>
    Effect.gen(function*() {
      yield* Support.catalogue
      const client = yield* Support.client
      const before = yield* client.identifications.list({ urlParams: {} })
      assert.strictEqual(before.totalRecords, 5)
      assert.deepStrictEqual(before.records.map((r) => [r.status, r.tmdbId, r.candidates]), Array(5).fill(["pending", null, []]))
      assert.strictEqual((yield* client.identifications.list({ urlParams: { status: "pending" } })).totalRecords, 5)

      yield* enrich
      const all = yield* client.identifications.list({ urlParams: {} })
      assert.deepStrictEqual([all.page, all.pageSize, all.totalRecords], [1, 50, 5])
      assert.deepStrictEqual(all.records.map((r) => [r.title, r.year, r.kind, r.status]), [
        ["The Godfather", 1972, "movie", "identified"],
        ["Heat", 1995, "movie", "identified"],
        ["Der Pate", 1972, "movie", "identified"],
        ["Alien", 1979, "movie", "not-found"],
        ["The Office", null, "series", "ambiguous"]
      ])
      const ids = all.records.map((r) => r.id)
      assert.deepStrictEqual(ids, [...ids].sort((a, b) => a - b), "in id order")

      const titles = (urlParams: Parameters<typeof client.identifications.list>[0]["urlParams"]) =>
        Effect.map(client.identifications.list({ urlParams }), (p) => [p.totalRecords, p.records.map((r) => r.title)])
      assert.deepStrictEqual(yield* titles({ status: "identified" }), [3, ["The Godfather", "Heat", "Der Pate"]])
      assert.deepStrictEqual(yield* titles({ status: "ambiguous" }), [1, ["The Office"]])
      assert.deepStrictEqual(yield* titles({ status: "not-found", kind: "movie" }), [1, ["Alien"]])
      assert.deepStrictEqual(yield* titles({ status: "not-found", kind: "series" }), [0, []])
      assert.deepStrictEqual(yield* titles({ status: "low-confidence" }), [0, []])
      assert.deepStrictEqual(yield* titles({ status: "pending" }), [0, []])
      assert.deepStrictEqual(yield* titles({ kind: "series" }), [1, ["The Office"]])

      const pages = yield* Effect.forEach([1, 2, 3, 4], (page) => client.identifications.list({ urlParams: { pageSize: 2, page } }))
      assert.deepStrictEqual(pages.map((p) => [p.page, p.pageSize, p.totalRecords, p.records.length]), [
        [1, 2, 5, 2], [2, 2, 5, 2], [3, 2, 5, 1], [4, 2, 5, 0]
      ])
      assert.deepStrictEqual(pages.flatMap((p) => p.records.map((r) => r.id)), ids, "pages never overlap nor skip")
      const movies = yield* client.identifications.list({ urlParams: { kind: "movie", pageSize: 3, page: 2 } })
      assert.deepStrictEqual([movies.totalRecords, movies.records.map((r) => r.title)], [4, ["Alien"]])
    }))

  it.effect("get: what TMDB says, the candidates weighed, the row a name is joined to; 404 for an unknown id", () =>
    Effect.gen(function*() {
      yield* Support.catalogue
      yield* enrich
      const client = yield* Support.client
      const byTitle = yield* works
      const godfather = byTitle.get("The Godfather")!
      const pate = yield* client.identifications.get({ path: { id: byTitle.get("Der Pate")!.id } })
      assert.deepStrictEqual(pate, byTitle.get("Der Pate")!, "one shape in the list and alone")
      assert.deepStrictEqual(
        [pate.status, pate.method, pate.confidence, pate.tmdbId, pate.imdbId, pate.tvdbId, pate.canonicalTitle, pate.releaseYear],
        ["identified", "search", 1, 238, "tt0068646", null, "The Godfather", 1972]
      )
      assert.strictEqual(pate.mergedInto, godfather.id)
      assert.isNull(godfather.mergedInto)
      assert.isNull(pate.manualMatch)
      assert.isNull(pate.reason)
      assert.instanceOf(pate.identifiedAt, Date)
      assert.deepStrictEqual(pate.candidates, [{ tmdbId: 238, title: "Der Pate", year: 1972, score: 1 }])
      // The catalogue's entries of both names carry the canonical row's id.
      const items = yield* client.catalogue.items({ urlParams: { tmdbId: 238 } })
      assert.deepStrictEqual(items.records.map((r) => r.mediaId), [godfather.id, godfather.id])

      const office = yield* client.identifications.get({ path: { id: byTitle.get("The Office")!.id } })
      assert.deepStrictEqual([office.kind, office.status, office.tmdbId], ["series", "ambiguous", null])
      assert.strictEqual(office.reason, "ambiguous: 2 candidates within margin")
      assert.deepStrictEqual(office.candidates.map((c) => [c.tmdbId, c.year]), [[2316, 2005], [2996, 2001]])
      const alien = yield* client.identifications.get({ path: { id: byTitle.get("Alien")!.id } })
      assert.deepStrictEqual([alien.status, alien.reason, alien.candidates], ["not-found", "no candidates", []])

      const missing = yield* Effect.flip(client.identifications.get({ path: { id: 999999 } }))
      assert.instanceOf(missing, ApiError.NotFound)
      assert.strictEqual(missing.message, "no identification with id 999999")
    }))

  it.effect("match: applied at once through the configured TMDB, as `stalkeer match set`; cleared back to search", () =>
    Effect.gen(function*() {
      yield* Support.catalogue
      yield* enrich
      const fake = yield* FakeTmdb.Fake
      yield* fake.reset
      const client = yield* Support.client
      const byTitle = yield* works
      const officeId = byTitle.get("The Office")!.id

      const office = yield* client.identifications.match({ path: { id: officeId }, payload: { tmdbId: 2316 } })
      assert.deepStrictEqual(
        [office.status, office.method, office.confidence, office.tmdbId, office.imdbId, office.tvdbId, office.releaseYear],
        ["identified", "override", 1, 2316, "tt0386676", 73244, 2005]
      )
      assert.deepStrictEqual(office.manualMatch, { tmdbId: 2316, applied: true })
      assert.deepStrictEqual(yield* client.identifications.get({ path: { id: officeId } }), office)
      const episodes = yield* client.catalogue.items({ urlParams: { tmdbId: 2316 } })
      assert.strictEqual(episodes.totalRecords, 2)
      assert.deepStrictEqual(episodes.records.map((r) => r.tvdbId), [73244, 73244])

      // A work TMDB knows under another name; the kind checked as `--kind` does.
      const alien = yield* client.identifications.match({
        path: { id: byTitle.get("Alien")!.id },
        payload: { tmdbId: 348, kind: "movie" }
      })
      assert.deepStrictEqual([alien.status, alien.tmdbId, alien.canonicalTitle], ["identified", 348, "Le Huitième Passager"])
      assert.deepStrictEqual(alien.manualMatch, { tmdbId: 348, applied: true })
      // The Office's details were in the cache (enrich weighed them); these were not: the server asked its TMDB.
      assert.isTrue((yield* fake.requests).some((r) => r.path === "/3/movie/348" && r.status === 200), "asked TMDB")

      // An id TMDB does not know: recorded, refused by identification with the reason.
      const heatId = byTitle.get("Heat")!.id
      const heat = yield* client.identifications.match({ path: { id: heatId }, payload: { tmdbId: 777 } })
      assert.deepStrictEqual([heat.status, heat.method, heat.tmdbId], ["not-found", "override", null])
      assert.strictEqual(heat.reason, "manual match: TMDB has no movie 777")
      assert.deepStrictEqual(heat.manualMatch, { tmdbId: 777, applied: false })

      // The wrong kind: 400 on `kind`, nothing changed.
      const wrongKind = yield* Effect.flip(client.identifications.match({ path: { id: heatId }, payload: { tmdbId: 2316, kind: "series" } }))
      assert.instanceOf(wrongKind, ApiError.BadRequest)
      assert.isTrue(wrongKind.message.startsWith("kind: that is a movie, not a series"), wrongKind.message)
      assert.deepStrictEqual((yield* client.identifications.get({ path: { id: heatId } })).manualMatch, { tmdbId: 777, applied: false })

      // Cleared: pending, searched again at the next enrich.
      yield* client.identifications.unmatch({ path: { id: officeId } })
      const cleared = yield* client.identifications.get({ path: { id: officeId } })
      assert.deepStrictEqual([cleared.status, cleared.manualMatch], ["pending", null])
      const twice = yield* Effect.flip(client.identifications.unmatch({ path: { id: officeId } }))
      assert.instanceOf(twice, ApiError.NotFound)
      assert.strictEqual(twice.message, `identification ${officeId} has no manual match`)
      yield* enrich
      assert.strictEqual((yield* client.identifications.get({ path: { id: officeId } })).status, "ambiguous")

      const unknownSet = yield* Effect.flip(client.identifications.match({ path: { id: 999999 }, payload: { tmdbId: 1 } }))
      assert.instanceOf(unknownSet, ApiError.NotFound)
      assert.strictEqual(unknownSet.message, "no identification with id 999999")
      const unknownClear = yield* Effect.flip(client.identifications.unmatch({ path: { id: 999999 } }))
      assert.instanceOf(unknownClear, ApiError.NotFound)
      assert.strictEqual(unknownClear.message, "no identification with id 999999")
    }))

  it.effect("bad input: 400 naming the field, in the API's error shape", () =>
    Effect.gen(function*() {
      yield* Support.catalogue
      const id = (yield* works).get("Heat")!.id
      const key = Support.KEY
      const put = (body: string, path = `/api/v1/identifications/${id}/match`) => send("PUT", path, { key, body })
      const cases: ReadonlyArray<[string, Effect.Effect<Support.Answer, unknown, HttpClient.HttpClient>, string]> = [
        ["status unknown", send("GET", "/api/v1/identifications?status=done", { key }), "status"],
        ["status in capitals", send("GET", "/api/v1/identifications?status=Identified", { key }), "status"],
        ["kind live", send("GET", "/api/v1/identifications?kind=live", { key }), "kind"],
        ["page 0", send("GET", "/api/v1/identifications?page=0", { key }), "page"],
        ["page not a number", send("GET", "/api/v1/identifications?page=x", { key }), "page"],
        ["pageSize 0", send("GET", "/api/v1/identifications?pageSize=0", { key }), "pageSize"],
        ["pageSize above 500", send("GET", "/api/v1/identifications?pageSize=501", { key }), "pageSize"],
        ["pageSize fractional", send("GET", "/api/v1/identifications?pageSize=2.5", { key }), "pageSize"],
        ["get: id not a number", send("GET", "/api/v1/identifications/abc", { key }), "id"],
        ["get: id 0", send("GET", "/api/v1/identifications/0", { key }), "id"],
        ["match: id negative", put(JSON.stringify({ tmdbId: 238 }), "/api/v1/identifications/-2/match"), "id"],
        ["match: tmdbId missing", put(JSON.stringify({})), "tmdbId"],
        ["match: tmdbId a string", put(JSON.stringify({ tmdbId: "238" })), "tmdbId"],
        ["match: tmdbId 0", put(JSON.stringify({ tmdbId: 0 })), "tmdbId"],
        ["match: tmdbId fractional", put(JSON.stringify({ tmdbId: 1.5 })), "tmdbId"],
        ["match: kind live", put(JSON.stringify({ tmdbId: 238, kind: "live" })), "kind"],
        ["unmatch: id not a number", send("DELETE", "/api/v1/identifications/x/match", { key }), "id"]
      ]
      for (const [name, request, field] of cases) {
        const { body, status } = yield* request
        assert.strictEqual(status, 400, name)
        assert.strictEqual(body!.error, "BadRequest", name)
        assert.isTrue(body.message!.startsWith(`${field}: `), `${name}: ${body.message}`)
        assert.notInclude(body.message!, "\n", name)
      }
      // Not JSON: refused before anything is decoded (its body's shape: see Filters.test.ts).
      assert.strictEqual((yield* put("{\"tmdbId\": ")).status, 400)
      const heat = yield* (yield* Support.client).identifications.get({ path: { id } })
      assert.isNull(heat.manualMatch, "no bad request set a match")
    }))

  it.effect("every route answers 401 without the key and with a wrong one, and changes nothing", () =>
    Effect.gen(function*() {
      yield* Support.catalogue
      const client = yield* Support.client
      const byTitle = yield* works
      const heat = byTitle.get("Heat")!.id
      const alien = byTitle.get("Alien")!.id
      yield* client.identifications.match({ path: { id: alien }, payload: { tmdbId: 348 } })
      const routes: ReadonlyArray<[method: "GET" | "PUT" | "DELETE", url: string, body?: string]> = [
        ["GET", "/api/v1/identifications"],
        ["GET", "/api/v1/identifications?status=pending&kind=movie&page=1&pageSize=10"],
        ["GET", `/api/v1/identifications/${heat}`],
        ["PUT", `/api/v1/identifications/${heat}/match`, JSON.stringify({ tmdbId: 238 })],
        ["DELETE", `/api/v1/identifications/${alien}/match`]
      ]
      for (const [method, url, payload] of routes) {
        const options = payload === undefined ? { key: null } : { key: null, body: payload }
        const missing = yield* send(method, url, options)
        assert.strictEqual(missing.status, 401, `${method} ${url} without a key`)
        assert.strictEqual(missing.body!.error, "Unauthorized")
        assert.include(missing.body!.message, "missing API key")
        const wrong = yield* send(method, url, { ...options, key: "not-the-key" })
        assert.deepStrictEqual({ status: wrong.status, body: wrong.body }, { status: 401, body: { error: "Unauthorized", message: "wrong API key" } }, `${method} ${url}`)
      }
      assert.isNull((yield* client.identifications.get({ path: { id: heat } })).manualMatch)
      assert.deepStrictEqual((yield* client.identifications.get({ path: { id: alien } })).manualMatch, { tmdbId: 348, applied: true })
    }))
})

layer(Support.layer().pipe(Layer.provideMerge(FakeTmdb.layer(world))), { timeout: "120 seconds", excludeTestServices: true })(
  "identifications without TMDB",
  (it) => {
    it.effect("match: recorded, and applied by the next enrich (as `stalkeer match set` without TMDB)", () =>
      Effect.gen(function*() {
        yield* Support.catalogue
        const fake = yield* FakeTmdb.Fake
        yield* fake.reset
        const client = yield* Support.client
        const id = (yield* works).get("Alien")!.id
        const set = yield* client.identifications.match({ path: { id }, payload: { tmdbId: 348 } })
        assert.deepStrictEqual([set.status, set.tmdbId, set.manualMatch], ["pending", null, { tmdbId: 348, applied: false }])
        assert.strictEqual(yield* fake.requestCount, 0, "TMDB is not configured: nothing asked")
        yield* enrich
        const applied = yield* client.identifications.get({ path: { id } })
        assert.deepStrictEqual([applied.status, applied.method, applied.tmdbId], ["identified", "override", 348])
        assert.deepStrictEqual(applied.manualMatch, { tmdbId: 348, applied: true })
      }))
  }
)
