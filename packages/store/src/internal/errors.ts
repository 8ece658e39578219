import { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import { StoreError } from "../StoreError.js"

/** The driver's own message, without the statement text or parameters (they may hold user data). */
export const describe = (error: unknown): string => {
  const cause = error instanceof SqlError ? error.cause : error
  if (typeof cause === "object" && cause !== null && "message" in cause && typeof cause.message === "string") {
    return cause.message
  }
  return error instanceof SqlError ? error.message : String(error)
}

/** Map `SqlError` to `StoreError { reason: "Query" }` at a module boundary. */
export const query = (operation: string) => <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, SqlError> | StoreError, R> =>
  Effect.mapError(self, (error) =>
    error instanceof SqlError
      ? new StoreError({ reason: "Query", operation, detail: describe(error), cause: error })
      : error as Exclude<E, SqlError>)
