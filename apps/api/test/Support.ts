/**
 * The API's test harness: the real server (`Server.routes`) on an ephemeral loopback port over the test database
 * (`@stalkeer/store/testing`: PGlite, or a scratch PostgreSQL database when `DATABASE_URL` is set), a typed client
 * derived from the definition that sends the key, and a raw client that sends whatever a test wants.
 */
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import { FakeRadarr, FakeSonarr } from "@stalkeer/arr-client/testing"
import { Settings } from "@stalkeer/config"
import * as Testing from "@stalkeer/store/testing"
import { Clients, Process } from "@stalkeer/workflows"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as NodeHttp from "node:http"
import { Api } from "../src/Api.js"
import * as Events from "../src/Events.js"
import * as Server from "../src/Server.js"

export const KEY = "0123456789abcdef0123456789abcdef"

/** A password that must never appear in a response or a log line. */
export const CANARY = "Canary-Pa55word-7f3e"

export const env = {
  HOME: "/nonexistent-home",
  STALKEER_PROVIDER_BASE_URL: "http://127.0.0.1:9",
  STALKEER_PROVIDER_USERNAME: "canary-user",
  STALKEER_PROVIDER_PASSWORD: CANARY
}

export const settings = (extra: Record<string, string> = {}) => Settings.load({ env: { ...env, ...extra } })

/**
 * The server (routes and listening socket) and an `HttpClient` whose requests go to it, over a test database. The
 * database and the platform's services are in the context too, for a test to seed data. `extra` variables are added
 * to the settings' environment; an effect gives them once a service they name runs (`arrEnv`).
 */
export const layer = <R = never>(
  extra: Record<string, string> | Effect.Effect<Record<string, string>, never, R> = {}
) => {
  // Variables known only once something has started (a fake Radarr's port): an effect, run before the server's layer.
  const variables = Effect.isEffect(extra) ? extra : Effect.succeed(extra)
  const server = Layer.unwrapEffect(Effect.map(Effect.flatMap(variables, settings), (s) =>
    Server.routes({ settings: s, key: Redacted.make(KEY) }).pipe(
      Layer.provide(Clients.layer(s)),
      Layer.provideMerge(NodeHttpServer.layer(NodeHttp.createServer, { host: "127.0.0.1", port: 0 }))
    )))
  return HttpServer.layerTestClient.pipe(
    Layer.provideMerge(server),
    Layer.provide(NodeHttpClient.layerUndici),
    Layer.provideMerge(Layer.mergeAll(Testing.layerConfig({ prefix: "stalkeer_api_test" }), NodeContext.layer, Events.layer))
  )
}

/** What a raw request got back: the status, the JSON body (`{}` when empty) and its text. */
export interface Answer {
  readonly status: number
  readonly body: { readonly error?: string; readonly message?: string; readonly details?: unknown; readonly [k: string]: unknown }
  readonly text: string
}

/**
 * A raw request, for what the typed client cannot send: no key (`key: null`) or a wrong one (default: `KEY`), a
 * body as text (malformed JSON, unknown fields).
 */
export const send = (
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  options: { readonly key?: string | null; readonly body?: string } = {}
) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(url)
    const key = options.key === undefined ? KEY : options.key
    if (key !== null) request = HttpClientRequest.setHeader(request, "X-Api-Key", key)
    if (options.body !== undefined) request = HttpClientRequest.bodyText(request, options.body, "application/json")
    const response = yield* http.execute(request)
    const text = yield* response.text
    return { status: response.status, body: text === "" ? {} : JSON.parse(text), text } as Answer
  })

/** The typed client, sending the key in the `X-Api-Key` header. */
export const client = HttpApiClient.make(Api, {
  transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("X-Api-Key", KEY))
})

let n = 0
const entry = (kind: "movie" | "series", group: string, name: string) =>
  `#EXTINF:-1 group-title="${group}",${name}\nhttp://127.0.0.1:9/${kind}/canary-user/${CANARY}/${++n}.mkv\n`

export const PLAYLIST = "#EXTM3U\n" + [
  entry("movie", "EN| Movies", "EN - The Godfather (1972) 1080p"),
  entry("movie", "EN| Movies", "EN - Heat (1995) 720p"),
  entry("movie", "DE| Filme", "DE - Der Pate (1972) 2160p"),
  entry("movie", "EN| Movies", "EN - Alien (1979)"),
  entry("series", "EN| Series", "EN - The Office S01 E01"),
  entry("series", "EN| Series", "EN - The Office S01 E02")
].join("") + "#EXTINF:-1 tvg-id=\"bbc1\" group-title=\"UK| News\",BBC One HD\nhttp://127.0.0.1:9/live/canary-user/" + CANARY + "/99.ts\n"

/** An emptied database with `playlist` ingested. */
export const ingest = (playlist: string) =>
  Effect.gen(function*() {
    yield* Testing.reset
    const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))
    yield* Process.run({
      settings: yield* settings(),
      source: { label: "test", size: undefined, stream: Stream.make(new TextEncoder().encode(playlist)) },
      database
    })
  })

/** An emptied database with `PLAYLIST` ingested. */
export const catalogue = ingest(PLAYLIST)

/**
 * The variables that point the server's settings at the fake Radarr and Sonarr in the context
 * (`@stalkeer/arr-client/testing`): `layer(arrEnv).pipe(Layer.provideMerge(fakes))` starts them first.
 */
export const arrEnv = Effect.gen(function*() {
  const radarr = yield* FakeRadarr.Fake
  const sonarr = yield* FakeSonarr.Fake
  return {
    STALKEER_RADARR_URL: radarr.url,
    STALKEER_RADARR_API_KEY: radarr.apiKey,
    STALKEER_SONARR_URL: sonarr.url,
    STALKEER_SONARR_API_KEY: sonarr.apiKey
  }
})
