/**
 * `COPY … FROM STDIN` of prepared bytes, inside the current transaction: how bulk writes reach the server.
 *
 * The two backends need two transports for the same statement and the same bytes:
 * - PostgreSQL (the default): the copy sub-protocol on the transaction's own `pg` connection, through
 *   `pg-copy-streams`. `@effect/sql-pg` has no COPY API, so the connection is taken from the transaction
 *   (`SqlClient.TransactionConnection`); outside a transaction there is none to join and the call dies.
 * - The embedded PGlite: its socket server does not speak the copy sub-protocol ("protocol synchronization was
 *   lost"), so `Database.layerEmbedded` provides `layerPglite`, which hands the bytes to PGlite in-process as
 *   `/dev/blob`. PGlite has one session, so the COPY runs inside the transaction the socket client opened.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { from as copyFrom } from "pg-copy-streams"

export interface Service {
  /**
   * Runs `statement` (`COPY <table> (<columns>) FROM STDIN`, text format) with `data` as its input, in the current
   * transaction. `data` must not be changed until the effect completes.
   */
  readonly copyFrom: (statement: string, data: Uint8Array) => Effect.Effect<void, SqlError>
}

/** The minimum of a `pg` client that a copy needs. */
interface PgConnection {
  readonly query: (query: ReturnType<typeof copyFrom>) => ReturnType<typeof copyFrom>
}

const isPgConnection = (value: unknown): value is PgConnection =>
  typeof value === "object" && value !== null && "query" in value && typeof value.query === "function" &&
  "connection" in value

/** `@effect/sql-pg` keeps the transaction's `pg` client as `pg` on its connection object (not in its types). */
const pgClientOf = (connection: unknown): PgConnection | undefined =>
  typeof connection === "object" && connection !== null && "pg" in connection && isPgConnection(connection.pg)
    ? connection.pg
    : undefined

const pgCopy: Service = {
  copyFrom: (statement, data) =>
    Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (transaction) => {
      const client = Option.isSome(transaction) ? pgClientOf(transaction.value[0]) : undefined
      if (client === undefined) {
        return Effect.dieMessage(
          "BulkCopy: COPY needs a transaction on a node-postgres connection (use it inside sql.withTransaction)"
        )
      }
      return Effect.async<void, SqlError>((resume) => {
        const stream = client.query(copyFrom(statement))
        const fail = (cause: unknown) =>
          resume(Effect.fail(new SqlError({ cause, message: "Failed to copy rows" })))
        stream.once("error", fail)
        stream.once("finish", () => {
          stream.off("error", fail)
          resume(Effect.void)
        })
        stream.end(data)
      })
    })
}

/** How bulk rows reach the database; PostgreSQL's copy protocol unless a layer provides another. */
export class BulkCopy extends Context.Reference<BulkCopy>()("@stalkeer/store/BulkCopy", {
  defaultValue: (): Service => pgCopy
}) {}

/** The part of a PGlite instance the embedded transport uses. */
export interface Pglite {
  readonly query: (query: string, params?: Array<unknown>, options?: { blob?: Blob }) => Promise<unknown>
}

/** The embedded database's transport: `COPY … FROM '/dev/blob'` in PGlite's own (single) session. */
export const layerPglite = (db: Pglite): Layer.Layer<BulkCopy> =>
  Layer.succeed(BulkCopy, {
    copyFrom: (statement, data) =>
      Effect.tryPromise({
        try: () => db.query(statement.replace(/FROM STDIN\b/, "FROM '/dev/blob'"), [], { blob: new Blob([data]) }),
        catch: (cause) => new SqlError({ cause, message: "Failed to copy rows" })
      }).pipe(Effect.asVoid)
  })
