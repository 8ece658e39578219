import * as HttpClient from "@effect/platform/HttpClient"
import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Filters } from "@stalkeer/store"
import * as Testing from "@stalkeer/store/testing"
import { Process } from "@stalkeer/workflows"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as ApiError from "../src/ApiError.js"
import * as Support from "./Support.js"

const send = Support.send


/** `Support.PLAYLIST` ingested again, without emptying the database first (the stored filters stay). */
const ingest = Effect.gen(function*() {
  const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))
  return yield* Process.run({
    settings: yield* Support.settings(),
    source: { label: "test", size: undefined, stream: Stream.make(new TextEncoder().encode(Support.PLAYLIST)) },
    database
  })
})

layer(Support.layer(), { timeout: "120 seconds", excludeTestServices: true })("filters", (it) => {
  it.effect("add, list, get and remove; a stored filter applies at the next ingest", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const client = yield* Support.client
      assert.deepStrictEqual(yield* client.filters.list(), [])
      const cam = yield* client.filters.add({ payload: { field: "name", mode: "exclude", pattern: "\\bCAM\\b" } })
      assert.deepStrictEqual([cam.field, cam.mode, cam.pattern], ["name", "exclude", "\\bCAM\\b"])
      assert.instanceOf(cam.createdAt, Date)
      const again = yield* client.filters.add({ payload: { field: "name", mode: "exclude", pattern: "\\bCAM\\b" } })
      assert.strictEqual(again.id, cam.id, "adding an existing filter answers it")
      const german = yield* client.filters.add({ payload: { field: "group", mode: "exclude", pattern: "^DE\\|" } })
      const list = yield* client.filters.list()
      assert.deepStrictEqual(list.map((f) => [f.id, f.field, f.mode, f.pattern]), [
        [cam.id, "name", "exclude", "\\bCAM\\b"],
        [german.id, "group", "exclude", "^DE\\|"]
      ])
      assert.deepStrictEqual(yield* client.filters.get({ path: { id: german.id } }), german)

      // The store has them: the next ingest drops the German film.
      yield* ingest
      const items = yield* client.catalogue.items({ urlParams: {} })
      assert.strictEqual(items.totalRecords, 6)
      assert.notInclude(items.records.map((r) => r.title), "Der Pate")

      yield* client.filters.remove({ path: { id: cam.id } })
      assert.deepStrictEqual((yield* client.filters.list()).map((f) => f.id), [german.id])
      const gone = yield* Effect.flip(client.filters.get({ path: { id: cam.id } }))
      assert.instanceOf(gone, ApiError.NotFound)
      assert.strictEqual(gone.message, `no filter with id ${cam.id}`)
      const twice = yield* Effect.flip(client.filters.remove({ path: { id: cam.id } }))
      assert.instanceOf(twice, ApiError.NotFound)
      assert.strictEqual(twice.message, `no filter with id ${cam.id}`)
    }))

  it.effect("statuses: 201 for an added filter, 204 for a removed one, 404 in the API's shape", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const added = yield* send("POST", "/api/v1/filters", {
        key: Support.KEY,
        body: JSON.stringify({ field: "group", mode: "include", pattern: "^EN" })
      })
      assert.strictEqual(added.status, 201)
      const id = (added.body as unknown as { readonly id: number }).id
      const removed = yield* send("DELETE", `/api/v1/filters/${id}`, { key: Support.KEY })
      assert.deepStrictEqual([removed.status, removed.text], [204, ""])
      const missing = yield* send("DELETE", `/api/v1/filters/${id}`, { key: Support.KEY })
      assert.deepStrictEqual({ status: missing.status, body: missing.body }, {
        status: 404,
        body: { error: "NotFound", message: `no filter with id ${id}`, details: { resource: "filter", id: String(id) } }
      })
      const unknown = yield* send("GET", "/api/v1/filters/4242", { key: Support.KEY })
      assert.strictEqual(unknown.status, 404)
      assert.strictEqual(unknown.body!.message, "no filter with id 4242")
    }))

  it.effect("bad input: 400 naming the field; an invalid pattern with the store's own message; nothing stored", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const post = (body: string) => send("POST", "/api/v1/filters", { key: Support.KEY, body })
      const cases: ReadonlyArray<[string, Effect.Effect<Support.Answer, unknown, HttpClient.HttpClient>, string]> = [
        ["field not group|name", post(JSON.stringify({ field: "title", mode: "include", pattern: "x" })), "field"],
        ["field missing", post(JSON.stringify({ mode: "include", pattern: "x" })), "field"],
        ["mode not include|exclude", post(JSON.stringify({ field: "group", mode: "keep", pattern: "x" })), "mode"],
        ["pattern missing", post(JSON.stringify({ field: "group", mode: "include" })), "pattern"],
        ["pattern empty", post(JSON.stringify({ field: "group", mode: "include", pattern: "" })), "pattern"],
        ["pattern not a string", post(JSON.stringify({ field: "group", mode: "include", pattern: 3 })), "pattern"],
        ["pattern too long", post(JSON.stringify({ field: "group", mode: "include", pattern: "x".repeat(1001) })), "pattern"],
        ["get: id not a number", send("GET", "/api/v1/filters/abc", { key: Support.KEY }), "id"],
        ["get: id 0", send("GET", "/api/v1/filters/0", { key: Support.KEY }), "id"],
        ["remove: id negative", send("DELETE", "/api/v1/filters/-1", { key: Support.KEY }), "id"],
        ["remove: id fractional", send("DELETE", "/api/v1/filters/1.5", { key: Support.KEY }), "id"]
      ]
      for (const [name, request, field] of cases) {
        const { body, status } = yield* request
        assert.strictEqual(status, 400, name)
        assert.strictEqual(body!.error, "BadRequest", name)
        assert.isTrue(body.message!.startsWith(`${field}: `), `${name}: ${body.message}`)
        assert.notInclude(body.message!, "\n", name)
      }
      // A body that is not JSON is refused before anything is decoded (its shape: the test below).
      assert.strictEqual((yield* post("{\"field\": \"group\", ")).status, 400)

      const invalid = yield* post(JSON.stringify({ field: "name", mode: "exclude", pattern: "([a-z" }))
      const expected = Filters.patternError("([a-z")!
      assert.isString(expected)
      assert.deepStrictEqual({ status: invalid.status, body: invalid.body }, {
        status: 400,
        body: {
          error: "BadRequest",
          message: `pattern: ${expected}`,
          details: { issues: [{ field: "pattern", message: expected }] }
        }
      })
      const listed = yield* send("GET", "/api/v1/filters", { key: Support.KEY })
      assert.deepStrictEqual(listed.body, [] as unknown, "no bad request stored a filter")
    }))

  // The platform reads a JSON body with `Effect.orDie`: Server.ts maps that defect to the API's 400.
  it.effect("malformed JSON: 400 in the API's error shape, naming the body", () =>
    Effect.gen(function*() {
      const malformed = yield* send("POST", "/api/v1/filters", { key: Support.KEY, body: "{\"field\": \"group\", " })
      assert.deepStrictEqual({ status: malformed.status, body: malformed.body }, {
        status: 400,
        body: {
          error: "BadRequest",
          message: "body: not valid JSON",
          details: { issues: [{ field: "body", message: "not valid JSON" }] }
        }
      })
    }))

  it.effect("every route answers 401 without the key and with a wrong one, and does nothing", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const client = yield* Support.client
      const kept = yield* client.filters.add({ payload: { field: "group", mode: "exclude", pattern: "^XXX" } })
      const body = JSON.stringify({ field: "name", mode: "include", pattern: "EN" })
      const routes: ReadonlyArray<[method: "GET" | "POST" | "DELETE", url: string, body?: string]> = [
        ["GET", "/api/v1/filters"],
        ["POST", "/api/v1/filters", body],
        ["GET", `/api/v1/filters/${kept.id}`],
        ["DELETE", `/api/v1/filters/${kept.id}`]
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
      assert.deepStrictEqual((yield* client.filters.list()).map((f) => f.id), [kept.id])
    }))
})
