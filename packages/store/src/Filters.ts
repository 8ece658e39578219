/**
 * Runtime filters (`stalkeer filters list|add|remove`), applied at ingest together with the config file's.
 *
 * A pattern is a JavaScript regular expression matched case-insensitively (`patternFlags`) against the entry's
 * group title or display name. For each field: when include patterns exist an entry must match one of them, and
 * an entry matching any exclude pattern is dropped.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Errors from "./internal/errors.js"
import { StoreError } from "./StoreError.js"

export type Field = "group" | "name"
export type Mode = "include" | "exclude"

export interface Filter {
  readonly id: number
  readonly field: Field
  readonly mode: Mode
  readonly pattern: string
  readonly createdAt: Date
}

export interface FilterInput {
  readonly field: Field
  readonly mode: Mode
  readonly pattern: string
}

/** Flags every filter pattern is compiled with. */
export const patternFlags = "i"

/** The compile error of a pattern, or `undefined` when it is valid. */
export const patternError = (pattern: string): string | undefined => {
  try {
    new RegExp(pattern, patternFlags)
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

const columns = `id, field, mode, pattern, created_at AS "createdAt"`

export const list: Effect.Effect<ReadonlyArray<Filter>, StoreError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<Filter>`SELECT ${sql.literal(columns)} FROM filters ORDER BY id`
}).pipe(Errors.query("Filters.list"), Effect.withSpan("Filters.list"))

/** One filter by id; `NotFound` when there is none. */
export const get = Effect.fn("Filters.get")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Filter>`SELECT ${sql.literal(columns)} FROM filters WHERE id = ${id}`.pipe(
    Errors.query("Filters.get")
  )
  if (row === undefined) {
    return yield* new StoreError({ reason: "NotFound", operation: "Filters.get", detail: `no filter with id ${id}` })
  }
  return row
})

/** Add a filter (adding an existing one returns it); an invalid pattern fails with `InvalidInput`. */
export const add = Effect.fn("Filters.add")(function*(input: FilterInput) {
  const invalid = input.pattern === "" ? "empty pattern" : patternError(input.pattern)
  if (invalid !== undefined) {
    return yield* new StoreError({
      reason: "InvalidInput",
      operation: "Filters.add",
      detail: `${input.mode} ${input.field} filter /${input.pattern}/: ${invalid}`
    })
  }
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Filter>`
    WITH inserted AS (
      INSERT INTO filters (field, mode, pattern) VALUES (${input.field}, ${input.mode}, ${input.pattern})
      ON CONFLICT (field, mode, pattern) DO NOTHING
      RETURNING ${sql.literal(columns)}
    )
    SELECT * FROM inserted
    UNION ALL
    SELECT ${sql.literal(columns)} FROM filters
    WHERE field = ${input.field} AND mode = ${input.mode} AND pattern = ${input.pattern}`.pipe(
    Errors.query("Filters.add")
  )
  return row!
})

/** Remove a filter by id; returns the removed filter, `NotFound` when there is none. */
export const remove = Effect.fn("Filters.remove")(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Filter>`DELETE FROM filters WHERE id = ${id} RETURNING ${sql.literal(columns)}`.pipe(
    Errors.query("Filters.remove")
  )
  if (row === undefined) {
    return yield* new StoreError({ reason: "NotFound", operation: "Filters.remove", detail: `no filter with id ${id}` })
  }
  return row
})
