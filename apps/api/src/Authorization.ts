/**
 * The API key, as Radarr and Sonarr take theirs: the `X-Api-Key` header or the `apikey` query parameter. Every group
 * but `ping` carries this middleware.
 *
 * Both places are declared (so the OpenAPI document lists both schemes), but either scheme's handler reads the
 * request itself: the answer can then say whether the key was missing or wrong, which the per-scheme decoding alone
 * cannot tell apart. Keys are compared in constant time (SHA-256 digests of equal length, `timingSafeEqual`).
 */
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as NodeCrypto from "node:crypto"
import { Unauthorized } from "./ApiError.js"

export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("@stalkeer/api/Authorization", {
  failure: Unauthorized,
  security: {
    header: HttpApiSecurity.apiKey({ in: "header", key: "X-Api-Key" }),
    query: HttpApiSecurity.apiKey({ in: "query", key: "apikey" })
  }
}) {}

const digest = (text: string) => NodeCrypto.createHash("sha256").update(text, "utf8").digest()

/** Whether a given string is `key`, in time that does not depend on where they differ; its digest computed once. */
export const matcher = (key: Redacted.Redacted) => {
  const expected = digest(Redacted.value(key))
  return (given: string): boolean => NodeCrypto.timingSafeEqual(expected, digest(given))
}

const missing = new Unauthorized({
  message: "missing API key: send it in the X-Api-Key header or the apikey query parameter"
})
const wrong = new Unauthorized({ message: "wrong API key" })

/**
 * The check of a request for `key`: the header if present (a wrong header is not rescued by the query), else the
 * `apikey` query parameter. Shared by the groups' middleware and the docs routes (`Server`).
 */
export const verifier = (key: Redacted.Redacted) => {
  const isKey = matcher(key)
  return (header: string | undefined, query: string | undefined): Effect.Effect<void, Unauthorized> => {
    const given = header !== undefined && header !== "" ? header : query
    if (given === undefined || given === "") return Effect.fail(missing)
    return isKey(given) ? Effect.void : Effect.fail(wrong)
  }
}

/** The middleware for `key`. */
export const layer = (key: Redacted.Redacted): Layer.Layer<Authorization> => {
  const verify = verifier(key)
  const check = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = yield* HttpServerRequest.ParsedSearchParams
    const query = params["apikey"]
    return yield* verify(request.headers["x-api-key"], typeof query === "string" ? query : undefined)
  })
  return Layer.succeed(Authorization, { header: () => check, query: () => check })
}
