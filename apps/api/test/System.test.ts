import * as HttpClient from "@effect/platform/HttpClient"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Support from "./Support.js"

const refused = { STALKEER_RADARR_URL: "http://127.0.0.1:9", STALKEER_RADARR_API_KEY: "RadarrCanaryKey42" }

layer(Support.layer(refused), { timeout: "60 seconds", excludeTestServices: true })("health", (it) => {
  it.effect("each dependency in one line: the database answers, a refused Radarr says so at once, the rest not configured", () =>
    Effect.gen(function*() {
      const client = yield* Support.client
      const health = yield* client.system.health()
      assert.isFalse(health.ok)
      const byName = Object.fromEntries(health.checks.map((c) => [c.name, c]))
      assert.deepStrictEqual([byName.database!.configured, byName.database!.ok], [true, true])
      assert.deepStrictEqual([byName.radarr!.configured, byName.radarr!.ok], [true, false])
      // Asked once, not through the client's retries ("… (gave up after 4 attempts)").
      assert.strictEqual(byName.radarr!.message, "Cannot reach Radarr at 127.0.0.1:9: ECONNREFUSED")
      // The provider (Support's base URL is 127.0.0.1:9): a TCP connection, refused; no request, no credential.
      assert.deepStrictEqual([byName.provider!.configured, byName.provider!.ok], [true, false])
      assert.strictEqual(byName.provider!.message, "127.0.0.1:9: ECONNREFUSED")
      assert.deepStrictEqual([byName.sonarr!.configured, byName.tmdb!.configured], [false, false])
      const text = JSON.stringify(health)
      assert.notInclude(text, "RadarrCanaryKey42")
      assert.notInclude(text, Support.CANARY)
    }))

  it.effect("/ping needs no key", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const response = yield* http.get("/ping")
      assert.deepStrictEqual([response.status, yield* response.json], [200, { status: "OK" }])
    }))
})
