/**
 * The one error family of `@stalkeer/store`. `SqlError`s are mapped to it at the module boundary, so callers never
 * see the driver's error types.
 */
import * as Schema from "effect/Schema"

export class StoreError extends Schema.TaggedError<StoreError>("@stalkeer/store/StoreError")("StoreError", {
  reason: Schema.Literal("Connection", "Migration", "SchemaTooNew", "Query", "NotFound", "InvalidInput"),
  /** What was being done, e.g. `"Runs.list"`. */
  operation: Schema.String,
  detail: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    const detail = this.detail === undefined ? "" : `: ${this.detail}`
    switch (this.reason) {
      case "Connection":
        return `Cannot reach the database (${this.operation})${detail}`
      case "Migration":
        return `Database migration failed${detail}`
      case "SchemaTooNew":
        return `The database schema is newer than this version of stalkeer understands${detail}. Upgrade stalkeer.`
      case "NotFound":
        return `Not found (${this.operation})${detail}`
      case "InvalidInput":
        return `Invalid input (${this.operation})${detail}`
      case "Query":
        return `Database query failed (${this.operation})${detail}`
    }
  }
}

export const isStoreError = (u: unknown): u is StoreError => u instanceof StoreError
