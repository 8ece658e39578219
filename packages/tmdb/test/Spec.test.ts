import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Tmdb } from "../src/index.js"
import { FakeTmdb } from "../src/Testing.js"
import { check, type JsonSchema, type Policy } from "./jsonSchema.js"
import { world } from "./world.js"

// The paths of TMDB's official spec that the fake serves, copied unchanged into the repository
// (test/fixtures/tmdb-v3.subset.json, by scripts/extract-tmdb-spec.mjs) so this runs on any clone.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const specFile = process.env["STALKEER_TMDB_SPEC"] ?? path.resolve(repoRoot, "packages/tmdb/test/fixtures/tmdb-v3.subset.json")
const available = fs.existsSync(specFile)
if (!available) console.warn(`TMDB spec tests skipped: ${specFile} not found (set STALKEER_TMDB_SPEC)`)

interface Parameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
  readonly schema?: JsonSchema
}
interface Operation {
  readonly parameters?: ReadonlyArray<Parameter>
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: JsonSchema }> }>
}
const spec: { readonly paths: Record<string, { readonly get: Operation }> } = available
  ? JSON.parse(fs.readFileSync(specFile, "utf8"))
  : { paths: {} }

const operation = (template: string) => spec.paths[template]!.get
const schemaOf = (template: string, status = "200") =>
  operation(template).responses[status]!.content!["application/json"]!.schema

// The spec declares no nullability, yet TMDB sends null for these (research/contracts.md §3).
const nullable = new Set([
  "poster_path",
  "backdrop_path",
  "imdb_id",
  "belongs_to_collection",
  "last_air_date",
  "last_episode_to_air",
  "air_date",
  "tvdb_id",
  "tvrage_id",
  "wikidata_id",
  "facebook_id",
  "instagram_id",
  "twitter_id",
  "freebase_mid",
  "freebase_id"
])
const strict: Policy = { nullable, complete: true, closed: true }
const appended = new Set(["external_ids", "alternative_titles", "translations"])
// Appended responses carry no `id` of their own.
const asAppended: Policy = { ...strict, optional: new Set(["id"]) }

const TEMPLATES = [
  "/3/search/movie",
  "/3/search/tv",
  "/3/movie/{movie_id}",
  "/3/tv/{series_id}",
  "/3/find/{external_id}"
]
const templateOf = (requestPath: string) =>
  TEMPLATES.find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(requestPath))

const get = (requestPath: string, params: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const fake = yield* FakeTmdb.Fake
    const query = new URLSearchParams({ ...params, api_key: fake.apiKey })
    const response = yield* HttpClient.get(`${fake.baseUrl.replace(/\/3$/, "")}${requestPath}?${query}`)
    // Loosely typed: the checker, not the compiler, says what the body holds.
    const body = (yield* response.json) as Readonly<Record<string, unknown>>
    return { status: response.status, body }
  }).pipe(Effect.scoped)

const assertValid = (schema: JsonSchema, value: unknown, policy: Policy, what: string) =>
  assert.deepStrictEqual(check(schema, value, policy), [], what)

const APPEND = { append_to_response: "external_ids,alternative_titles,translations" }

describe.skipIf(!available)("the fake against TMDB's OpenAPI spec", () => {
  layer(Layer.mergeAll(FakeTmdb.layer(world), NodeHttpClient.layerUndici))("responses", (it) => {
    it.effect("the checker catches wrong types, nulls, missing and undeclared fields", () =>
      Effect.sync(() => {
        const item = (schemaOf("/3/search/movie").properties!.results!.items)!
        const good = {
          adult: false,
          backdrop_path: null,
          genre_ids: [18],
          id: 550,
          original_language: "en",
          original_title: "Fight Club",
          overview: "",
          popularity: 73.4,
          poster_path: "/p.jpg",
          release_date: "1999-10-15",
          title: "Fight Club",
          video: false,
          vote_average: 8.4,
          vote_count: 26279
        }
        assert.deepStrictEqual(check(item, good, strict), [])
        assert.deepStrictEqual(check(item, { ...good, id: 1.5, title: null, extra: 1 }, strict), [
          "$.id: expected integer, got number",
          "$.title: null where the spec says string",
          "$.extra: not declared by the spec"
        ])
        const { vote_count: _, ...missing } = good
        assert.deepStrictEqual(check(item, missing, strict), ["$.vote_count: declared but missing"])
        assert.deepStrictEqual(check(item, { ...good, genre_ids: ["18"] }, strict), [
          "$.genre_ids[0]: expected integer, got string"
        ])
      }))

    it.effect("/3/search/movie and /3/search/tv: results, an empty page, every language", () =>
      Effect.gen(function*() {
        for (const params of [
          { query: "the lion king" },
          { query: "filler story", page: "2" },
          { query: "intouchables", language: "de-DE" },
          { query: "untitled project" },
          { query: "nothing at all" }
        ]) {
          const { body, status } = yield* get("/3/search/movie", params)
          assert.strictEqual(status, 200)
          assertValid(schemaOf("/3/search/movie"), body, strict, `search/movie ${JSON.stringify(params)}`)
        }
        for (const params of [{ query: "the office" }, { query: "game of thrones", language: "fr-FR" }, { query: "zz" }]) {
          const { body } = yield* get("/3/search/tv", params)
          assertValid(schemaOf("/3/search/tv"), body, strict, `search/tv ${JSON.stringify(params)}`)
        }
      }))

    it.effect("/3/movie/{movie_id} with external_ids, alternative_titles, translations appended", () =>
      Effect.gen(function*() {
        for (const id of [603, 238, 77338, 194, 999001]) {
          const { body } = yield* get(`/3/movie/${id}`, APPEND)
          assertValid(schemaOf("/3/movie/{movie_id}"), body, { ...strict, extra: appended }, `movie ${id}`)
          assertValid(schemaOf("/3/movie/{movie_id}/external_ids"), body.external_ids, asAppended, `movie ${id} ids`)
          assertValid(
            schemaOf("/3/movie/{movie_id}/alternative_titles"),
            body.alternative_titles,
            asAppended,
            `movie ${id} alternative titles`
          )
          assertValid(schemaOf("/3/movie/{movie_id}/translations"), body.translations, asAppended, `movie ${id} translations`)
        }
        const bare = yield* get("/3/movie/603")
        assertValid(schemaOf("/3/movie/{movie_id}"), bare.body, strict, "movie 603 without appends")
      }))

    it.effect("/3/tv/{series_id} with external_ids, alternative_titles, translations appended", () =>
      Effect.gen(function*() {
        for (const id of [1396, 2316, 2996, 60622, 1399]) {
          const { body } = yield* get(`/3/tv/${id}`, APPEND)
          assertValid(schemaOf("/3/tv/{series_id}"), body, { ...strict, extra: appended }, `tv ${id}`)
          assertValid(schemaOf("/3/tv/{series_id}/external_ids"), body.external_ids, asAppended, `tv ${id} ids`)
          assertValid(
            schemaOf("/3/tv/{series_id}/alternative_titles"),
            body.alternative_titles,
            asAppended,
            `tv ${id} alternative titles`
          )
          assertValid(schemaOf("/3/tv/{series_id}/translations"), body.translations, asAppended, `tv ${id} translations`)
        }
      }))

    it.effect("/3/find/{external_id}: movies, series (as search items plus media_type), nothing", () =>
      Effect.gen(function*() {
        const tvItem = schemaOf("/3/search/tv").properties!.results!.items!
        const lookups = [["tt0133093", "imdb_id"], ["tt0386676", "imdb_id"], ["81189", "tvdb_id"], ["tt0000001", "imdb_id"]]
        for (const [id, source] of lookups) {
          const { body } = yield* get(`/3/find/${id}`, { external_source: source! })
          assertValid(schemaOf("/3/find/{external_id}"), body, strict, `find ${id}`)
          // The spec leaves tv_results' items undescribed: they are search/tv items plus media_type.
          for (const item of body.tv_results as ReadonlyArray<unknown>) {
            assertValid(tvItem, item, { ...strict, extra: new Set(["media_type"]) }, `find ${id} tv item`)
          }
        }
      }))

    it.effect("the 401 body is the spec's (code 7)", () =>
      Effect.gen(function*() {
        const fake = yield* FakeTmdb.Fake
        const response = yield* HttpClient.get(`${fake.baseUrl}/movie/603`)
        assert.strictEqual(response.status, 401)
        assertValid(schemaOf("/3/authentication", "401"), yield* response.json, strict, "401 body")
      }))
  })

  layer(Layer.mergeAll(FakeTmdb.layer(world), NodeHttpClient.layerUndici), { excludeTestServices: true })("requests", (it) => {
    it.scoped("the client sends only parameters the spec declares (api_key aside), required ones included", () =>
      Effect.gen(function*() {
        const fake = yield* FakeTmdb.Fake
        yield* fake.reset
        const tmdb = yield* Tmdb.make(FakeTmdb.clientOptions(fake, { requestsPerSecond: Infinity }))
        yield* tmdb.searchMovie({ query: "the lion king", year: 1994, primaryReleaseYear: 1994, page: 1, language: "de-DE" })
        yield* tmdb.searchTv({ query: "the office", firstAirDateYear: 2001, year: 2002, page: 1 })
        yield* tmdb.movie(603, { language: "fr-FR" })
        yield* tmdb.tv(1396)
        yield* tmdb.find("tt0133093", "imdb_id")
        yield* tmdb.find("81189", "tvdb_id")
        const log = yield* fake.requests
        assert.strictEqual(log.length, 6)
        for (const request of log) {
          const template = templateOf(request.path)
          assert.isDefined(template, request.path)
          const declared = (operation(template!).parameters ?? []).filter((p) => p.in === "query")
          for (const [name, value] of Object.entries(request.query)) {
            const parameter = declared.find((p) => p.name === name)
            assert.isDefined(parameter, `${request.path}: ${name} is not a parameter of ${template}`)
            const type = parameter!.schema?.type
            const typed = type === "integer" ? Number(value) : type === "boolean" ? value === "true" : value
            assert.deepStrictEqual(check(parameter!.schema ?? {}, typed), [], `${request.path}: ${name}=${value}`)
          }
          for (const parameter of declared.filter((p) => p.required === true)) {
            assert.property(request.query, parameter.name, `${request.path}: required ${parameter.name} missing`)
          }
        }
      }))
  })
})
