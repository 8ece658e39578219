import * as HttpClient from "@effect/platform/HttpClient"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { Events } from "../src/Events.js"
import * as Support from "./Support.js"

const decoder = new TextDecoder()

layer(Support.layer(), { timeout: "60 seconds", excludeTestServices: true })("events", (it) => {
  it.scoped("a text/event-stream of what is published, each event named by its type", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const events = yield* Events
      const response = yield* http.get("/api/v1/events", { headers: { "X-Api-Key": Support.KEY } })
      assert.strictEqual(response.status, 200)
      assert.strictEqual(response.headers["content-type"], "text/event-stream")
      assert.strictEqual(response.headers["cache-control"], "no-cache")
      // Published until seen: the subscription starts with the response's body, a moment after the headers.
      const publisher = yield* Effect.fork(
        events.publish({
          type: "download.failed",
          download: { id: 7, title: "Heat (1995)", arr: "radarr" },
          error: "the provider refused the stream (404)",
          retrying: false
        }).pipe(Effect.repeat(Schedule.spaced("50 millis")))
      )
      let text = ""
      yield* response.stream.pipe(
        Stream.map((bytes) => decoder.decode(bytes)),
        Stream.takeUntil((chunk) => (text += chunk).includes("event: download.failed")),
        Stream.runDrain
      )
      yield* Fiber.interrupt(publisher)
      assert.isTrue(text.startsWith("retry: 5000\n"))
      const frame = text.slice(text.indexOf("event: download.failed"))
      const data = frame.split("\n")[1]!
      assert.isTrue(data.startsWith("data: "))
      assert.deepStrictEqual(JSON.parse(data.slice("data: ".length)), {
        type: "download.failed",
        download: { id: 7, title: "Heat (1995)", arr: "radarr" },
        error: "the provider refused the stream (404)",
        retrying: false
      })
    }))

  it.effect("needs the key", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      assert.strictEqual((yield* http.get("/api/v1/events")).status, 401)
      assert.strictEqual((yield* http.get("/api/v1/events", { headers: { "X-Api-Key": "wrong" } })).status, 401)
    }))
})
