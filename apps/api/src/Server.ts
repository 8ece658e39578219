/**
 * The HTTP server of the API: every group's handlers, the API key, the OpenAPI document (`/api/openapi.json`) and
 * the docs page (`/api/docs`, Swagger UI with the document inline, so it works offline), bound to
 * `api.address:api.port` (loopback unless configured otherwise).
 *
 * One API-level middleware gives every failure the API's error shape: a request that does not decode becomes a 400
 * naming the field, an unknown route a 404, a body that is not JSON a 400 — where the platform's defaults would
 * answer in its own shapes or an empty body. It also puts the docs and the document behind the key (they are not
 * HttpApi groups, so the group middleware does not reach them).
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpApiSwagger from "@effect/platform/HttpApiSwagger"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type { Settings } from "@stalkeer/config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import type * as Redacted from "effect/Redacted"
import * as NodeHttp from "node:http"
import { Api } from "./Api.js"
import * as ApiError from "./ApiError.js"
import { ApiSettings } from "./ApiSettings.js"
import * as Authorization from "./Authorization.js"
import * as ActionsHandlers from "./handlers/Actions.js"
import * as CatalogueHandlers from "./handlers/Catalogue.js"
import * as DownloadsHandlers from "./handlers/Downloads.js"
import * as FiltersHandlers from "./handlers/Filters.js"
import * as IdentificationsHandlers from "./handlers/Identifications.js"
import * as EventsHandlers from "./handlers/Events.js"
import * as SystemHandlers from "./handlers/System.js"
import * as WantedHandlers from "./handlers/Wanted.js"

export const docsPath = "/api/docs"
export const openApiPath = "/api/openapi.json"

/**
 * A platform decode failure's issues as `{ field, message }`, one per field, the field being the path. Schema
 * reports a union member by member (`Expected "id", actual "x"`, `Expected "title", actual "x"`, … and
 * `Expected undefined` for an optional key): those read as one line, `expected one of "id", "title"…; got "x"`.
 */
const issuesOf = (error: HttpApiError.HttpApiDecodeError): ReadonlyArray<{ readonly field: string; readonly message: string }> => {
  const byField = new Map<string, Array<string>>()
  for (const issue of error.issues) {
    const field = issue.path.length === 0 ? "request" : issue.path.map(String).join(".")
    if (issue.message.startsWith("Expected undefined,")) continue
    byField.set(field, [...(byField.get(field) ?? []), issue.message])
  }
  return [...byField].map(([field, messages]) => {
    const literals = messages.map((m) => /^Expected ("[^"]*"), actual (.*)$/s.exec(m))
    if (messages.length > 1 && literals.every((m) => m !== null)) {
      return { field, message: `expected one of ${literals.map((m) => m![1]).join(", ")}; got ${literals[0]![2]}` }
    }
    return { field, message: messages[0]! }
  })
}

const shapeErrors = (key: Redacted.Redacted) => {
  const verify = Authorization.verifier(key)
  return HttpApiBuilder.middleware(Api, (app) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const path = request.url.split("?")[0]!
    if (path === openApiPath || path === docsPath) {
      // The groups' key check, for the two routes the platform adds. Search params are parsed per route, after
      // this middleware: read the query string here.
      const query = new URLSearchParams(request.url.slice(path.length + 1)).get("apikey")
      yield* verify(request.headers["x-api-key"], query ?? undefined)
    }
    return yield* app
  }).pipe(
    // The platform's failures come through untyped (an `HttpApp` hides its errors): told apart by their tag.
    Effect.catchAll((error: unknown): Effect.Effect<never, ApiError.BadRequest | ApiError.NotFound | ApiError.Unauthorized, HttpServerRequest.HttpServerRequest> => {
      if (Predicate.isTagged(error, "HttpApiDecodeError")) {
        const issues = issuesOf(error as HttpApiError.HttpApiDecodeError)
        const first = issues[0]
        return Effect.fail(
          new ApiError.BadRequest({
            message: first === undefined ? "the request is not valid" : `${first.field}: ${first.message}`,
            details: { issues }
          })
        )
      }
      if (Predicate.isTagged(error, "RouteNotFound")) {
        return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
          Effect.fail(new ApiError.NotFound({ message: `no route ${request.method} ${request.url.split("?")[0]}` })))
      }
      if (Predicate.isTagged(error, "RequestError")) {
        const reason = (error as HttpServerError.RequestError).reason
        return Effect.fail(ApiError.badRequest("body", reason === "Decode" ? "not valid JSON" : "could not be read"))
      }
      return Effect.fail(error as ApiError.Unauthorized)
    }),
    // The platform reads a JSON body with `orDie`: a body that is not JSON arrives as a defect.
    Effect.catchSomeDefect((defect) =>
      Predicate.isTagged(defect, "RequestError")
        ? Option.some(Effect.fail(ApiError.badRequest("body", "not valid JSON")))
        : Option.none()
    )
  ))
}

export interface Options {
  readonly settings: Settings.Settings
  readonly key: Redacted.Redacted
}

/** The API's handlers (no server): for `HttpApiBuilder.serve` or a test's `HttpApiBuilder.toWebHandler`. */
export const api = (options: Options) =>
  HttpApiBuilder.api(Api).pipe(
    Layer.provide([SystemHandlers.pingLayer, SystemHandlers.layer, CatalogueHandlers.layer, WantedHandlers.layer, DownloadsHandlers.layer, EventsHandlers.layer, ActionsHandlers.layer, FiltersHandlers.layer, IdentificationsHandlers.layer]),
    Layer.provide(Authorization.layer(options.key)),
    Layer.provide(Layer.succeed(ApiSettings, options.settings))
  )

/**
 * Everything but the listening socket: routes, docs, error shapes. Needs the database (`SqlClient`) and the
 * optional clients (`Clients.layer`) in its context.
 */
export const routes = (options: Options) =>
  HttpApiBuilder.serve().pipe(
    Layer.provide(HttpApiSwagger.layer({ path: docsPath })),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: openApiPath })),
    Layer.provide(shapeErrors(options.key)),
    Layer.provide(api(options))
  )

/** The server on `api.address:api.port` (port 0: any free port, for tests); logs the address it listens on. */
export const layer = (options: Options) =>
  routes(options).pipe(
    HttpServer.withLogAddress,
    Layer.provide(NodeHttpServer.layer(NodeHttp.createServer, {
      host: options.settings.api.address,
      port: options.settings.api.port
    }))
  )
