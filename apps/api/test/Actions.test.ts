import * as HttpClient from "@effect/platform/HttpClient"
import { assert, layer } from "@effect/vitest"
import { Schedules } from "@stalkeer/store"
import * as Testing from "@stalkeer/store/testing"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ApiError from "../src/ApiError.js"
import * as Support from "./Support.js"

layer(Support.layer({ STALKEER_SCHEDULE_PLAYLIST: "2 hours" }), { timeout: "60 seconds", excludeTestServices: true })("actions", (it) => {
  it.effect("lists the four jobs with their intervals; only configured ones are on a schedule", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const client = yield* Support.client
      const jobs = yield* client.actions.list()
      assert.deepStrictEqual(jobs.map((j) => [j.name, j.intervalSeconds, j.running, j.runs]), [
        ["playlist", 7200, false, 0],
        ["enrich", null, false, 0],
        ["radarr", null, false, 0],
        ["sonarr", null, false, 0]
      ])
    }))

  it.effect("POST runs a job now: 202 with the request recorded; 409 while it runs; 503 when not configured", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const client = yield* Support.client
      const accepted = yield* client.actions.run({ path: { name: "playlist" } })
      assert.strictEqual(accepted.name, "playlist")
      assert.instanceOf(accepted.requestedAt, Date)
      const stored = yield* Schedules.get("playlist")
      assert.isTrue(Option.isSome(stored) && stored.value.requestedAt !== null)

      // Another process runs it now.
      const lease = yield* Schedules.acquire("playlist", { holder: "nas:4242", leaseFor: "1 minute", interval: "2 hours" })
      assert.isTrue(Option.isSome(lease))
      const busy = yield* Effect.flip(client.actions.run({ path: { name: "playlist" } }))
      assert.instanceOf(busy, ApiError.Conflict)
      assert.include(busy.message, "playlist is running")
      assert.include(busy.message, "nas:4242")

      const off = yield* Effect.flip(client.actions.run({ path: { name: "radarr" } }))
      assert.instanceOf(off, ApiError.Unavailable)
      assert.strictEqual(off.message, "radarr is not configured: set radarr.url and radarr.api_key")
      assert.deepStrictEqual(off.details, { service: "radarr" })
      assert.isTrue(Option.isNone(yield* Schedules.get("radarr")), "nothing recorded for a job that cannot run")
    }))

  it.effect("an unknown job is a 400 naming the field", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const response = yield* http.post("/api/v1/actions/reboot", { headers: { "X-Api-Key": Support.KEY } })
      assert.strictEqual(response.status, 400)
      const body = (yield* response.json) as { error: string; message: string }
      assert.strictEqual(body.error, "BadRequest")
      assert.match(body.message, /^name: expected one of "playlist", "enrich", "radarr", "sonarr"; got "reboot"$/)
    }))
})
