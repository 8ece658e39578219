import * as HttpClient from "@effect/platform/HttpClient"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as ApiError from "../src/ApiError.js"
import * as Support from "./Support.js"

layer(Support.layer(), { timeout: "120 seconds", excludeTestServices: true })("catalogue", (it) => {
  it.effect("items: filtered, sorted and paged, with the total; stream URLs masked", () =>
    Effect.gen(function*() {
      yield* Support.catalogue
      const client = yield* Support.client
      const all = yield* client.catalogue.items({ urlParams: {} })
      assert.strictEqual(all.totalRecords, 7)
      assert.strictEqual(all.page, 1)
      assert.strictEqual(all.pageSize, 50)
      const movies = yield* client.catalogue.items({
        urlParams: { kind: "movie", sortKey: "year", sortDirection: "descending", pageSize: 2, page: 1 }
      })
      assert.strictEqual(movies.totalRecords, 4)
      assert.deepStrictEqual(movies.records.map((r) => r.year), [1995, 1979])
      const next = yield* client.catalogue.items({
        urlParams: { kind: "movie", sortKey: "year", sortDirection: "descending", pageSize: 2, page: 2 }
      })
      assert.deepStrictEqual(next.records.map((r) => r.year), [1972, 1972])
      const ids = new Set([...movies.records, ...next.records].map((r) => r.id))
      assert.strictEqual(ids.size, 4, "pages never overlap")
      const beyond = yield* client.catalogue.items({ urlParams: { kind: "movie", pageSize: 2, page: 3 } })
      assert.deepStrictEqual(beyond.records, [])
      assert.strictEqual(beyond.totalRecords, 4)
      const search = yield* client.catalogue.items({ urlParams: { search: "pate" } })
      assert.deepStrictEqual(search.records.map((r) => r.title), ["Der Pate"])
      for (const record of all.records) {
        assert.notInclude(record.url, Support.CANARY)
        assert.notInclude(record.url, "canary-user")
      }
    }))

  it.effect("item by id, and 404 naming the id", () =>
    Effect.gen(function*() {
      yield* Support.catalogue
      const client = yield* Support.client
      const page = yield* client.catalogue.items({ urlParams: { search: "heat" } })
      const item = yield* client.catalogue.item({ path: { id: page.records[0]!.id } })
      assert.strictEqual(item.title, "Heat")
      assert.strictEqual(item.year, 1995)
      const missing = yield* Effect.flip(client.catalogue.item({ path: { id: 999999 } }))
      assert.instanceOf(missing, ApiError.NotFound)
      assert.strictEqual(missing.message, "no item with id 999999")
    }))

  it.effect("stats and runs", () =>
    Effect.gen(function*() {
      yield* Support.catalogue
      const client = yield* Support.client
      const stats = yield* client.catalogue.stats()
      assert.strictEqual(stats.entries, 7)
      assert.strictEqual(stats.kinds["movie"], 4)
      assert.isNotNull(stats.lastRun)
      const runs = yield* client.catalogue.runs({ urlParams: {} })
      assert.strictEqual(runs.length, 1)
      assert.strictEqual(runs[0]!.status, "succeeded")
      assert.instanceOf(runs[0]!.startedAt, Date)
      const run = yield* client.catalogue.run({ path: { id: runs[0]!.id } })
      assert.strictEqual(run.counts.total, 7)
      const missing = yield* Effect.flip(client.catalogue.run({ path: { id: 4242 } }))
      assert.instanceOf(missing, ApiError.NotFound)
    }))

  it.effect("bad input: 400 naming the field, in the API's error shape", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const get = (url: string) =>
        Effect.flatMap(http.get(url, { headers: { "X-Api-Key": Support.KEY } }), (r) =>
          Effect.map(r.json, (body) => ({ status: r.status, body: body as { error: string; message: string; details?: unknown } })))
      const cases: ReadonlyArray<[string, string]> = [
        ["/api/v1/items?pageSize=1000", "pageSize"],
        ["/api/v1/items?pageSize=0", "pageSize"],
        ["/api/v1/items?page=abc", "page"],
        ["/api/v1/items?sortKey=password", "sortKey"],
        ["/api/v1/items?sortDirection=up", "sortDirection"],
        ["/api/v1/items?kind=film", "kind"],
        ["/api/v1/items?year=1.5", "year"],
        ["/api/v1/items?unidentified=maybe", "unidentified"],
        ["/api/v1/items/abc", "id"],
        ["/api/v1/items/-3", "id"],
        ["/api/v1/runs?limit=100000", "limit"]
      ]
      for (const [url, field] of cases) {
        const { body, status } = yield* get(url)
        assert.strictEqual(status, 400, url)
        assert.strictEqual(body.error, "BadRequest", url)
        assert.isTrue(body.message.startsWith(`${field}: `), `${url}: ${body.message}`)
        assert.notInclude(body.message, "\n", url)
      }
      const unknown = yield* get("/api/v1/nothing-here")
      assert.strictEqual(unknown.status, 404)
      assert.deepStrictEqual(unknown.body, { error: "NotFound", message: "no route GET /api/v1/nothing-here" })
    }))
})
