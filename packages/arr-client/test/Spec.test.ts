import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Radarr, Sonarr } from "../src/index.js"
import { FakeRadarr, FakeSonarr } from "../src/Testing.js"
import { check, type JsonSchema, type Policy } from "./jsonSchema.js"
import * as World from "./world.js"

// The operations the fakes serve, copied from the specs in shared/contracts (with the schemas they reference) into
// test/fixtures by scripts/extract-arr-spec.mjs, so this runs on any clone.
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "fixtures")

interface Operation {
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string; readonly schema?: JsonSchema }>
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: JsonSchema }> }>
}
interface Spec {
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: { readonly schemas: Record<string, JsonSchema> }
}

const load = (app: "radarr" | "sonarr") => {
  const spec: Spec = JSON.parse(fs.readFileSync(path.join(fixtures, `${app}-v3.subset.json`), "utf8"))
  const policy: Policy = {
    resolve: (ref) => {
      const schema = spec.components.schemas[ref.replace("#/components/schemas/", "")]
      if (schema === undefined) throw new Error(`${ref} is not in the ${app} fixture`)
      return schema
    },
    // The *arr apps omit null fields and write dates as UTC without fractional seconds (STJUtcConverter).
    noNulls: true,
    dateTime: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    // A command's `body` is the command itself, with its own fields (movieId, path…) beyond the base class's.
    open: new Set(["body"])
  }
  const templates = Object.keys(spec.paths)
  const templateOf = (requestPath: string) =>
    templates.find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(requestPath))
  /** The spec's 200 schema of an operation (a POST that answers 201 has only a 200 in the spec). */
  const schemaOf = (method: string, requestPath: string) => {
    const template = templateOf(requestPath)
    if (template === undefined) throw new Error(`${requestPath} is not in the ${app} fixture`)
    const content = spec.paths[template]![method]!.responses["200"]!.content
    return content?.["application/json"]?.schema
  }
  return { spec, policy, templateOf, schemaOf }
}

const radarrSpec = load("radarr")
const sonarrSpec = load("sonarr")

type Server = { readonly url: string; readonly apiKey: string }

/** Requests `requestPath` and checks the answer against the spec; returns the body for further requests. */
const validated = (
  specOf: ReturnType<typeof load>,
  server: Server,
  requestPath: string,
  options: { readonly params?: Record<string, string>; readonly body?: unknown } = {}
) =>
  Effect.gen(function*() {
    const url = `${server.url}${requestPath}`
    const headers = { "x-api-key": server.apiKey }
    const request = options.body === undefined
      ? HttpClientRequest.get(url, { headers, urlParams: options.params ?? {} })
      : HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post(url, { headers }), options.body)
    const response = yield* HttpClient.execute(request)
    assert.include([200, 201], response.status, `${requestPath}: HTTP ${response.status}`)
    const body: unknown = yield* response.json
    const schema = specOf.schemaOf(options.body === undefined ? "get" : "post", requestPath)
    assert.isDefined(schema, `${requestPath}: the spec has no JSON schema`)
    const what = `${options.body === undefined ? "GET" : "POST"} ${requestPath} ${JSON.stringify(options.params ?? {})}`
    assert.deepStrictEqual(check(schema!, body, specOf.policy), [], what)
    // Loosely typed: the checker, not the compiler, says what the body holds.
    return body as any // eslint-disable-line @typescript-eslint/no-explicit-any
  }).pipe(Effect.scoped)

const Env = Layer.mergeAll(
  FakeRadarr.layer(World.radarr, { commandSteps: 1 }),
  FakeSonarr.layer(World.sonarr, { commandSteps: 1 }),
  NodeHttpClient.layerUndici
)

describe("the fakes against the Radarr and Sonarr OpenAPI specs", () => {
  layer(Env, { excludeTestServices: true })("responses", (it) => {
    it.effect("the checker catches wrong types, nulls, bad enums, bad dates and undeclared fields", () =>
      Effect.sync(() => {
        const movie: JsonSchema = { $ref: "#/components/schemas/MovieResource" }
        const good = { id: 1, title: "Alien", year: 1979, monitored: true, status: "released", added: "2025-01-01T00:00:00Z" }
        assert.deepStrictEqual(check(movie, good, radarrSpec.policy), [])
        assert.deepStrictEqual(
          check(movie, { ...good, id: 1.5, title: null, status: "out", added: "2025-01-01T00:00:00.000Z", extra: 1 }, radarrSpec.policy),
          [
            "$.id: expected integer, got number",
            "$.title: null (the *arr apps omit null fields)",
            "$.status: \"out\" is not one of [\"tba\",\"announced\",\"inCinemas\",\"released\",\"deleted\"]",
            "$.added: 2025-01-01T00:00:00.000Z is not a date as the *arr apps write them",
            "$.extra: not declared by the spec"
          ]
        )
        assert.deepStrictEqual(check(movie, { ...good, alternateTitles: [{ title: 7 }] }, radarrSpec.policy), [
          "$.alternateTitles[0].title: expected string, got number"
        ])
      }))

    it.effect("Radarr: every endpoint the fake serves", () =>
      Effect.gen(function*() {
        const fake = yield* FakeRadarr.Fake
        yield* fake.reset
        const check = (requestPath: string, options?: Parameters<typeof validated>[3]) =>
          validated(radarrSpec, fake, requestPath, options)
        yield* check("/ping")
        yield* check("/api")
        yield* check("/api/v3/system/status")
        yield* check("/api/v3/wanted/missing")
        yield* check("/api/v3/wanted/missing", { params: { pageSize: "3", page: "2", sortKey: "movieMetadata.year" } })
        yield* check("/api/v3/wanted/missing", { params: { monitored: "false", sortDirection: "default" } })
        const movies = yield* check("/api/v3/movie")
        for (const movie of movies) yield* check(`/api/v3/movie/${movie.id}`)
        yield* check("/api/v3/movie", { params: { tmdbId: "348" } })
        yield* check("/api/v3/rootfolder")
        yield* check("/api/v3/qualityprofile")
        yield* check("/api/v3/config/naming")
        for (const outcome of ["completed", "failed"] as const) {
          yield* fake.setCommandBehaviour({ outcome })
          for (const body of [
            { name: "RescanMovie", movieId: 12 },
            { name: "DownloadedMoviesScan", path: "/downloads/Alien.1979.1080p", importMode: "move" }
          ]) {
            const posted = yield* check("/api/v3/command", { body })
            for (let i = 0; i < 3; i++) yield* check(`/api/v3/command/${posted.id}`)
          }
        }
        yield* check("/api/v3/command")
      }))

    it.effect("Sonarr: every endpoint the fake serves", () =>
      Effect.gen(function*() {
        const fake = yield* FakeSonarr.Fake
        yield* fake.reset
        const check = (requestPath: string, options?: Parameters<typeof validated>[3]) =>
          validated(sonarrSpec, fake, requestPath, options)
        yield* check("/ping")
        yield* check("/api/v3/system/status")
        yield* check("/api/v3/wanted/missing")
        yield* check("/api/v3/wanted/missing", {
          params: { includeSeries: "true", pageSize: "2", sortKey: "series.sortTitle", sortDirection: "ascending" }
        })
        const series = yield* check("/api/v3/series")
        for (const s of series) {
          yield* check(`/api/v3/series/${s.id}`)
          const episodes = yield* check("/api/v3/episode", { params: { seriesId: String(s.id), includeSeries: "true" } })
          for (const e of episodes) yield* check(`/api/v3/episode/${e.id}`)
        }
        yield* check("/api/v3/series", { params: { tvdbId: "81189" } })
        yield* check("/api/v3/episode", { params: { seriesId: "7", seasonNumber: "1" } })
        yield* check("/api/v3/episode", { params: { episodeIds: "700" } })
        yield* check("/api/v3/rootfolder")
        yield* check("/api/v3/qualityprofile")
        yield* check("/api/v3/config/naming")
        for (const outcome of ["completed", "failed"] as const) {
          yield* fake.setCommandBehaviour({ outcome })
          for (const body of [
            { name: "RescanSeries", seriesId: 7 },
            { name: "DownloadedEpisodesScan", path: "/downloads/Dark.S01E01", importMode: "copy" }
          ]) {
            const posted = yield* check("/api/v3/command", { body })
            for (let i = 0; i < 3; i++) yield* check(`/api/v3/command/${posted.id}`)
          }
        }
        yield* check("/api/v3/command")
      }))

    it.effect("a large generated library validates too", () =>
      Effect.gen(function*() {
        const { radarr, sonarr } = World.large({ movies: 30, series: 3, episodes: 30 })
        const radarrFake = yield* FakeRadarr.make(radarr)
        const sonarrFake = yield* FakeSonarr.make(sonarr)
        yield* validated(radarrSpec, radarrFake, "/api/v3/movie")
        yield* validated(sonarrSpec, sonarrFake, "/api/v3/wanted/missing", { params: { includeSeries: "true" } })
        yield* validated(sonarrSpec, sonarrFake, "/api/v3/series")
      }).pipe(Effect.scoped))
  })

  layer(Env, { excludeTestServices: true })("requests", (it) => {
    it.scoped("the clients send only parameters the spec declares, with values of the declared types", () =>
      Effect.gen(function*() {
        const radarrFake = yield* FakeRadarr.Fake
        const sonarrFake = yield* FakeSonarr.Fake
        yield* radarrFake.reset
        yield* sonarrFake.reset
        const fast = { pollInterval: "10 millis" } as const
        const radarr = yield* Radarr.make(FakeRadarr.clientOptions(radarrFake, { ...fast, pageSize: 4 }))
        const sonarr = yield* Sonarr.make(FakeSonarr.clientOptions(sonarrFake, { ...fast, pageSize: 4 }))
        yield* radarr.status
        yield* Stream.runDrain(radarr.missing)
        yield* radarr.movies
        yield* radarr.movie(12)
        yield* radarr.movieByTmdbId(348)
        yield* radarr.rootFolders
        yield* radarr.qualityProfiles
        yield* radarr.naming
        yield* radarr.command({ name: "RescanMovie", movieId: 12 })
        yield* sonarr.status
        yield* Stream.runDrain(sonarr.missing)
        yield* sonarr.series
        yield* sonarr.seriesById(7)
        yield* sonarr.seriesByTvdbId(81189)
        yield* sonarr.episodes(7, { seasonNumber: 1 })
        yield* sonarr.rootFolders
        yield* sonarr.qualityProfiles
        yield* sonarr.naming
        yield* sonarr.command({ name: "RescanSeries", seriesId: 7 })
        for (const [specOf, fake] of [[radarrSpec, radarrFake], [sonarrSpec, sonarrFake]] as const) {
          const log = yield* fake.requests
          assert.isAbove(log.length, 10)
          for (const request of log) {
            const template = specOf.templateOf(request.path)
            assert.isDefined(template, request.path)
            const operation = specOf.spec.paths[template!]![request.method.toLowerCase()]
            assert.isDefined(operation, `${request.method} ${request.path}`)
            const declared = (operation!.parameters ?? []).filter((p) => p.in === "query")
            for (const [name, value] of Object.entries(request.query)) {
              const parameter = declared.find((p) => p.name === name)
              assert.isDefined(parameter, `${request.path}: ${name} is not a parameter of ${template}`)
              const type = parameter!.schema?.type
              const typed = type === "integer" ? Number(value) : type === "boolean" ? value === "true" : value
              assert.deepStrictEqual(check(parameter!.schema ?? {}, typed, specOf.policy), [], `${request.path}: ${name}=${value}`)
            }
          }
        }
      }))
  })
})
