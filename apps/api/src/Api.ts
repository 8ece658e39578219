/**
 * The whole HTTP API as one `HttpApi` value: the server implements it (`Server`), the OpenAPI document and the docs
 * page are generated from it, and any TypeScript client derives a typed client from it:
 *
 * ```ts
 * const client = yield* HttpApiClient.make(Api.Api, { baseUrl: "http://127.0.0.1:8080" })
 * const page = yield* client.catalogue.items({ urlParams: { kind: "movie", pageSize: 20 } })
 * ```
 *
 * Every route but `/ping` needs the API key; errors have one shape (`ApiError`).
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as OpenApi from "@effect/platform/OpenApi"
import { BadRequest, Internal, NotFound, Unauthorized } from "./ApiError.js"
import { Actions } from "./groups/Actions.js"
import { Catalogue } from "./groups/Catalogue.js"
import { Downloads } from "./groups/Downloads.js"
import { Filters } from "./groups/Filters.js"
import { Identifications } from "./groups/Identifications.js"
import { Events } from "./groups/Events.js"
import { Ping, System } from "./groups/System.js"
import { Wanted } from "./groups/Wanted.js"

export class Api extends HttpApi.make("stalkeer")
  .add(Ping)
  .add(System)
  .add(Catalogue)
  .add(Wanted)
  .add(Downloads)
  .add(Events)
  .add(Actions)
  .add(Filters)
  .add(Identifications)
  // Every route may answer these: a request that does not decode, no or a wrong key, an unknown route, a failure.
  .addError(BadRequest)
  .addError(Unauthorized)
  .addError(NotFound)
  .addError(Internal)
  .annotateContext(OpenApi.annotations({
    title: "Stalkeer",
    version: "1",
    description: "The catalogue of an IPTV provider, matched to what Radarr and Sonarr want, and the downloads that " +
      "fill the library. Authenticate with the X-Api-Key header (or the apikey query parameter)."
  }))
{}
