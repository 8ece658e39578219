/**
 * Playlist sources. A provider is identified by its configured name, so its identity (and that of its entries)
 * survives a password change. `base_url` is credential-free; credentials stay in the config, as `Redacted`.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Errors from "./internal/errors.js"
import { StoreError } from "./StoreError.js"

export interface Provider {
  readonly id: number
  readonly name: string
  /** `scheme://host[:port]` without credentials, when known. */
  readonly baseUrl: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface EnsureInput {
  readonly name: string
  /** Credential-free base URL; `null`/omitted keeps the stored one. */
  readonly baseUrl?: string | null | undefined
}

const columns = `id, name, base_url AS "baseUrl", created_at AS "createdAt", updated_at AS "updatedAt"`

/** Create the provider, or update its base URL; returns the stored row. */
export const ensure = Effect.fn("Providers.ensure")(function*(input: EnsureInput) {
  if (input.name.trim() === "") {
    return yield* new StoreError({ reason: "InvalidInput", operation: "Providers.ensure", detail: "empty name" })
  }
  const sql = yield* SqlClient.SqlClient
  const baseUrl = input.baseUrl ?? null
  const [row] = yield* sql<Provider>`
    INSERT INTO providers (name, base_url) VALUES (${input.name}, ${baseUrl})
    ON CONFLICT (name) DO UPDATE SET
      base_url = COALESCE(EXCLUDED.base_url, providers.base_url),
      updated_at = CASE WHEN EXCLUDED.base_url IS DISTINCT FROM providers.base_url AND EXCLUDED.base_url IS NOT NULL
        THEN now() ELSE providers.updated_at END
    RETURNING ${sql.literal(columns)}`.pipe(Errors.query("Providers.ensure"))
  return row!
})

export const list: Effect.Effect<ReadonlyArray<Provider>, StoreError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<Provider>`SELECT ${sql.literal(columns)} FROM providers ORDER BY name`
}).pipe(Errors.query("Providers.list"), Effect.withSpan("Providers.list"))

export const findByName = Effect.fn("Providers.findByName")(function*(name: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<Provider>`SELECT ${sql.literal(columns)} FROM providers WHERE name = ${name}`.pipe(
    Errors.query("Providers.findByName")
  )
  return Option.fromNullable(rows[0])
})
