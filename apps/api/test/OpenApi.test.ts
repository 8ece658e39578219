import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as OpenApi from "@effect/platform/OpenApi"
import { Validator } from "@seriousme/openapi-schema-validator"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Api } from "../src/Api.js"
import * as Support from "./Support.js"

type Spec = { readonly openapi: string; readonly paths: Record<string, Record<string, unknown>> }

/** Every operation of the document, as `METHOD /path` with each `{param}` filled in. */
const operations = (spec: Spec) =>
  Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "1") }))
  )

/** The resources issue 16 asks the API to cover; each must have at least one route. */
const required = [
  "/api/v1/health", "/api/v1/items", "/api/v1/items/{id}", "/api/v1/stats", "/api/v1/filters", "/api/v1/runs",
  "/api/v1/identifications", "/api/v1/actions", "/api/v1/events"
]

layer(Support.layer(), { timeout: "60 seconds", excludeTestServices: true })("OpenAPI and the key", (it) => {
  it.effect("the document is valid OpenAPI 3, served behind the key, and lists every route of the definition", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const response = yield* http.get(`/api/openapi.json?apikey=${Support.KEY}`)
      assert.strictEqual(response.status, 200)
      const spec = (yield* response.json) as Spec
      assert.isTrue(spec.openapi.startsWith("3."))
      const result = yield* Effect.promise(() => new Validator().validate(spec as never))
      assert.isTrue(result.valid, JSON.stringify(result.errors))
      // The same operations as the definition (none excluded, none added).
      const defined = new Set<string>()
      for (const group of Object.values(Api.groups)) {
        for (const endpoint of Object.values(group.endpoints)) {
          defined.add(`${endpoint.method} ${endpoint.path.replace(/:(\w+)/g, "{$1}")}`)
        }
      }
      const documented = new Set(Object.entries(spec.paths).flatMap(([p, m]) => Object.keys(m).map((x) => `${x.toUpperCase()} ${p}`)))
      assert.deepStrictEqual([...documented].sort(), [...defined].sort())
      for (const path of required) assert.property(spec.paths, path)
      // The same document as the one a client can build without a server.
      assert.deepStrictEqual(spec, JSON.parse(JSON.stringify(OpenApi.fromApi(Api))))
      const schemes = (spec as unknown as { components: { securitySchemes: Record<string, { in: string; name: string }> } })
        .components.securitySchemes
      assert.deepStrictEqual(Object.values(schemes).map((s) => `${s.in}:${s.name}`).sort(), ["header:X-Api-Key", "query:apikey"])
    }))

  it.effect("the docs page renders the document (Swagger UI inline, no network needed)", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const response = yield* http.get(`/api/docs?apikey=${Support.KEY}`)
      assert.strictEqual(response.status, 200)
      assert.include(response.headers["content-type"], "text/html")
      const html = yield* response.text
      assert.include(html, "SwaggerUIBundle")
      assert.include(html, "\"/api/v1/items\"")
      // Nothing fetched from elsewhere: the UI's script and styles are in the page.
      assert.notMatch(html, /<script[^>]+src=/)
      assert.notMatch(html, /<link[^>]+href=/)
    }))

  it.effect("every route but /ping answers 401 without the key and with a wrong one, in the error shape", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const spec = (yield* Effect.flatMap(http.get(`/api/openapi.json?apikey=${Support.KEY}`), (r) => r.json)) as Spec
      const routes = [
        ...operations(spec).filter((o) => o.path !== "/ping"),
        { method: "GET", path: "/api/openapi.json" },
        { method: "GET", path: "/api/docs" }
      ]
      assert.isAbove(routes.length, 10)
      for (const { method, path } of routes) {
        for (const [label, key] of [["missing", undefined], ["wrong", "not-the-key"], ["wrong in query", "?"]] as const) {
          let request = HttpClientRequest.make(method as "GET")(key === "?" ? `${path}?apikey=nope` : path)
          if (key !== undefined && key !== "?") request = HttpClientRequest.setHeader(request, "X-Api-Key", key)
          if (method !== "GET" && method !== "DELETE") request = HttpClientRequest.bodyUnsafeJson(request, {})
          const response = yield* http.execute(request)
          assert.strictEqual(response.status, 401, `${method} ${path} (${label} key)`)
          const body = (yield* response.json) as { error: string; message: string }
          assert.strictEqual(body.error, "Unauthorized", `${method} ${path}`)
          assert.include(body.message, label === "missing" ? "missing API key" : "wrong API key", `${method} ${path}`)
        }
      }
      const ping = yield* http.get("/ping")
      assert.strictEqual(ping.status, 200)
      assert.deepStrictEqual(yield* ping.json, { status: "OK" })
    }))

  it.effect("the key is accepted in the header and in the query", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      assert.strictEqual((yield* http.get("/api/v1/stats", { headers: { "X-Api-Key": Support.KEY } })).status, 200)
      assert.strictEqual((yield* http.get(`/api/v1/stats?apikey=${Support.KEY}`)).status, 200)
      // A wrong header is not rescued by a right query value: the header is what the client meant.
      assert.strictEqual((yield* http.get(`/api/v1/stats?apikey=${Support.KEY}`, { headers: { "X-Api-Key": "x" } })).status, 401)
    }))
})
