/**
 * How a library's failure becomes an API error: "not found" from the store is the client's 404; anything else is
 * logged in full (the log is the operator's) and answered with a 500 that names only the operation.
 */
import { StoreError } from "@stalkeer/store"
import * as Effect from "effect/Effect"
import * as ApiError from "../../ApiError.js"
import type { Internal, NotFound } from "../../ApiError.js"

/** Logs `error` and answers 500. Its message goes to the log only: library messages may name paths and hosts. */
export const internal = (operation: string) => (error: unknown) =>
  Effect.zipRight(
    Effect.logError(`${operation} failed`, error),
    Effect.fail(new ApiError.Internal({ message: `${operation} failed; the service log has the details` }))
  )

/** A store failure: `NotFound` → 404 naming `resource` and `id`; others → 500. */
export const store = (operation: string, resource?: { readonly name: string; readonly id: string | number }) =>
(error: StoreError.StoreError): Effect.Effect<never, NotFound | Internal> =>
  error.reason === "NotFound" && resource !== undefined
    ? Effect.fail(ApiError.notFound(resource.name, resource.id))
    : internal(operation)(error)
