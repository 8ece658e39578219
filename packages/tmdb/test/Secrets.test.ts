import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import { Tmdb } from "../src/index.js"
import { FakeTmdb } from "../src/Testing.js"
import { world } from "./world.js"

// Canaries: 32 hex digits like a real v3 key, and a JWT-looking v4 token.
const KEY = "c0ffee00c0ffee00c0ffee00c0ffee00"
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJjYW5hcnkiOiJ0b2tlbiJ9.c2VjcmV0LWNhbmFyeS1zaWduYXR1cmU"

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

const fast = { retry: { times: 2, base: "10 millis" }, timeout: "300 millis", requestsPerSecond: Infinity } as const

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("secrets", (it) => {
  it.scoped("the API key and the token never appear in errors, logs, spans or the fake's request log", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTmdb.make(world, { apiKey: KEY, accessToken: TOKEN })
      // A server that knows other secrets: the canaries are sent and refused (401).
      const other = yield* FakeTmdb.make(world)
      const seen: Array<string> = []
      let successes = 0
      for (const auth of ["apiKey", "accessToken"] as const) {
        const credentials = auth === "apiKey" ? { apiKey: Redacted.make(KEY) } : { accessToken: Redacted.make(TOKEN) }
        const tmdb = yield* Tmdb.make({ ...fast, baseUrl: fake.baseUrl, auth: credentials })
        const refused = yield* Tmdb.make({ ...fast, baseUrl: other.baseUrl, auth: credentials })
        const unreachable = yield* Tmdb.make({ ...fast, baseUrl: "http://127.0.0.1:9/3", auth: credentials })
        const scenarios: ReadonlyArray<readonly [FakeTmdb.Fault | null, Effect.Effect<unknown, unknown>]> = [
          [null, tmdb.searchMovie({ query: "The Matrix", year: 1999 })],
          [null, tmdb.movie(603)],
          [null, tmdb.tv(1396)],
          [null, tmdb.find("tt0133093", "imdb_id")],
          [null, tmdb.movie(1)],
          [null, tmdb.searchMovie({ query: "x", page: 0 })],
          [FakeTmdb.rateLimited(), tmdb.searchTv({ query: "Fargo" })],
          [FakeTmdb.rateLimited(600), tmdb.searchTv({ query: "Fargo" })],
          [FakeTmdb.status(500), tmdb.movie(238)],
          [FakeTmdb.status(503, { retryAfter: 0 }), tmdb.movie(238)],
          [FakeTmdb.garbage, tmdb.searchMovie({ query: "Fargo" })],
          [FakeTmdb.wrongShape, tmdb.searchMovie({ query: "Fargo" })],
          [FakeTmdb.hang, tmdb.searchMovie({ query: "Fargo" })],
          [FakeTmdb.reset, tmdb.tv(2316)],
          [null, refused.searchMovie({ query: "Fargo" })],
          [null, unreachable.searchMovie({ query: "Fargo" })]
        ]
        for (const [fault, scenario] of scenarios) {
          yield* fake.reset
          if (fault !== null) yield* fake.failNext(fault, { times: 10 })
          const { exit, spanNames, text } = yield* traces(scenario)
          if (Exit.isSuccess(exit)) successes++
          seen.push(...text)
          // The HTTP client's own span would carry the URL (and the key): it must not exist.
          assert.isFalse(spanNames.some((name) => name.startsWith("http.client")), spanNames.join(", "))
          seen.push(JSON.stringify(yield* fake.requests), JSON.stringify(yield* other.requests))
        }
      }
      // The canaries did reach the server (the successes prove it), and nowhere else.
      assert.strictEqual(successes, 8)
      assert.isTrue(seen.some((line) => line.includes("retry 1/2")), "the retries were logged")
      assert.isTrue(seen.some((line) => line.includes("span Tmdb.searchMovie")), "the spans were recorded")
      for (const line of seen) {
        assert.notInclude(line, KEY)
        assert.notInclude(line, TOKEN)
        assert.notInclude(line, "c0ffee00")
      }
    }))
})

layer(Layer.empty)("secrets in options", (it) => {
  it.effect("Redacted options print as <redacted>", () =>
    Effect.sync(() => {
      const options = { baseUrl: "http://x/3", auth: { apiKey: Redacted.make(KEY) } } satisfies Tmdb.Options
      assert.notInclude(JSON.stringify(options), KEY)
      assert.notInclude(String(options.auth.apiKey), KEY)
    }))
})
