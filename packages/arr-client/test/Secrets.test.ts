import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import { Radarr, Sonarr } from "../src/index.js"
import { FakeRadarr, FakeSonarr } from "../src/Testing.js"
import * as World from "./world.js"

// A canary: 32 hex digits like a real *arr key.
const KEY = "c0ffee00c0ffee00c0ffee00c0ffee00"

/** Everything an effect leaves behind in text: its error (every way it prints), its logs and its spans. */
const traces = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const text: Array<string> = []
    const logger = Logger.make(({ annotations, cause, logLevel, message, spans }) => {
      text.push(`${logLevel.label} ${JSON.stringify(message)} ${JSON.stringify([...annotations])} ${[...spans]}`)
      if (!Cause.isEmpty(cause)) text.push(Cause.pretty(cause))
    })
    const base = yield* Effect.tracer
    const spanNames: Array<string> = []
    const tracer = Tracer.make({
      context: (f, fiber) => base.context(f, fiber),
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = base.span(name, parent, context, links, startTime, kind, options)
        spanNames.push(name)
        const end = span.end.bind(span)
        span.end = (endTime, exit) => {
          text.push(`span ${name} ${JSON.stringify([...span.attributes])}`)
          if (Exit.isFailure(exit)) text.push(Cause.pretty(exit.cause))
          end(endTime, exit)
        }
        return span
      }
    })
    const exit = yield* Effect.exit(
      effect.pipe(
        Effect.withTracer(tracer),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
    )
    if (Exit.isFailure(exit)) {
      text.push(Cause.pretty(exit.cause))
      for (const error of Cause.failures(exit.cause)) {
        text.push(String(error), JSON.stringify(error), (error as Error).message ?? "", (error as Error).stack ?? "")
      }
    }
    return { exit, text, spanNames }
  })

const fast = {
  retry: { times: 2, base: "10 millis" },
  timeout: "300 millis",
  pollInterval: "10 millis",
  commandTimeout: "200 millis"
} as const

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("secrets", (it) => {
  it.scoped("the API key never appears in errors, logs, spans or the fakes' request logs", () =>
    Effect.gen(function*() {
      const radarrFake = yield* FakeRadarr.make(World.radarr, { apiKey: KEY })
      const sonarrFake = yield* FakeSonarr.make(World.sonarr, { apiKey: KEY, includeSeries: "ignore" })
      // Servers that know another key: the canary is sent and refused (401).
      const otherRadarr = yield* FakeRadarr.make(World.radarr)
      const otherSonarr = yield* FakeSonarr.make(World.sonarr)
      const apiKey = Redacted.make(KEY)
      const radarr = yield* Radarr.make({ ...fast, url: radarrFake.url, apiKey, pageSize: 3 })
      const sonarr = yield* Sonarr.make({ ...fast, url: sonarrFake.url, apiKey, pageSize: 2 })
      const refusedRadarr = yield* Radarr.make({ ...fast, url: otherRadarr.url, apiKey })
      const refusedSonarr = yield* Sonarr.make({ ...fast, url: otherSonarr.url, apiKey })
      const wrongApp = yield* Radarr.make({ ...fast, url: sonarrFake.url, apiKey })
      const unreachable = yield* Radarr.make({ ...fast, url: "http://127.0.0.1:9", apiKey })
      // A server that echoes the key in its messages (a proxy, a debug build).
      const echo = JSON.stringify({ message: `BadRequest: apikey=${KEY} is not valid for /api/v3/movie?apikey=${KEY}` })

      type Scenario = readonly [
        FakeRadarr.Server | FakeSonarr.Server | null,
        FakeRadarr.Fault | null,
        Effect.Effect<unknown, unknown>
      ]
      const scenarios: ReadonlyArray<Scenario> = [
        [null, null, radarr.status],
        [null, null, Stream.runCollect(radarr.missing)],
        [null, null, radarr.movie(999)],
        [null, null, radarr.command({ name: "RescanMovie", movieId: 12 })],
        [null, null, sonarr.status],
        [null, null, Stream.runCollect(sonarr.missing)],
        [null, null, sonarr.seriesById(99)],
        [null, null, sonarr.command({ name: "DownloadedEpisodesScan", path: "/downloads/x" })],
        [radarrFake, FakeRadarr.status(500), radarr.movies],
        [radarrFake, FakeRadarr.status(400, { body: echo }), radarr.movies],
        [sonarrFake, FakeSonarr.status(502, { body: echo }), sonarr.series],
        [radarrFake, FakeRadarr.garbage, radarr.naming],
        [sonarrFake, FakeSonarr.wrongShape, Stream.runCollect(sonarr.missing)],
        [radarrFake, FakeRadarr.hang, radarr.rootFolders],
        [sonarrFake, FakeSonarr.reset, sonarr.qualityProfiles],
        [null, null, refusedRadarr.status],
        [null, null, Stream.runCollect(refusedSonarr.missing)],
        [null, null, wrongApp.status],
        [null, null, unreachable.movies]
      ]
      const seen: Array<string> = []
      let successes = 0
      for (const outcome of ["completed", "failed", "never"] as const) {
        for (const fake of [radarrFake, sonarrFake]) {
          yield* fake.reset
          yield* fake.setCommandBehaviour(
            outcome === "never" ? { steps: Infinity } : { outcome, steps: 1 }
          )
        }
        for (const [server, fault, scenario] of scenarios) {
          if (server !== null && fault !== null) yield* server.failNext(fault, { times: 10 })
          const { exit, spanNames, text } = yield* traces(scenario)
          if (Exit.isSuccess(exit)) successes++
          seen.push(...text)
          // The HTTP client's own span would carry the request: it must not exist.
          assert.isFalse(spanNames.some((name) => name.startsWith("http.client")), spanNames.join(", "))
          if (server !== null) yield* server.reset
        }
        for (const fake of [radarrFake, sonarrFake, otherRadarr, otherSonarr]) {
          seen.push(JSON.stringify(yield* fake.requests), JSON.stringify(yield* fake.commands))
        }
      }
      // The canary did reach the servers (the successes prove it), and nowhere else.
      assert.strictEqual(successes, 3 * 4 + 2)
      assert.isTrue(seen.some((line) => line.includes("retry 1/2")), "the retries were logged")
      assert.isTrue(seen.some((line) => line.includes("span Radarr.movie")), "the spans were recorded")
      assert.isTrue(seen.some((line) => line.includes("apikey=***")), "the echoed key was scrubbed")
      for (const line of seen) {
        assert.notInclude(line, KEY)
        assert.notInclude(line, "c0ffee00")
      }
    }))

  it.scoped("a command's failure message is scrubbed of the key", () =>
    Effect.gen(function*() {
      const fake = yield* FakeRadarr.make(World.radarr, { apiKey: KEY, commandOutcome: "failed", commandSteps: 0 })
      const radarr = yield* Radarr.make({ ...fast, ...FakeRadarr.clientOptions(fake) })
      const error = yield* Effect.flip(radarr.command({ name: "DownloadedMoviesScan", path: `/downloads/${KEY}` }))
      assert.strictEqual(error.reason, "CommandFailed")
      assert.include(error.message, "/downloads/***")
      assert.notInclude(error.message, KEY)
    }))

  it.effect("Redacted options print as <redacted>", () =>
    Effect.sync(() => {
      const options = { url: "http://h:7878", apiKey: Redacted.make(KEY) } satisfies Radarr.Options
      assert.notInclude(JSON.stringify(options), KEY)
      assert.notInclude(String(options.apiKey), KEY)
    }))
})
