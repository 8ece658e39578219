/**
 * `COPY … FROM STDIN` of prepared bytes, inside the current transaction: how bulk writes reach the server.
 *
 * The two backends need two transports for the same statement and the same bytes:
 * - PostgreSQL (the default): the copy sub-protocol on the transaction's own node-postgres connection.
 *   `@effect/sql-pg` has no COPY API, so the connection is taken from the transaction
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

export interface Service {
  /**
   * Runs `statement` (`COPY <table> (<columns>) FROM STDIN`, text format) with `data` as its input, in the current
   * transaction. `data` must not be changed until the effect completes.
   */
  readonly copyFrom: (statement: string, data: Uint8Array) => Effect.Effect<void, SqlError>
}

/** What a node-postgres client passes to a submitted query: its wire connection. */
interface Wire {
  readonly query: (text: string) => void
  readonly sendCopyFromChunk: (chunk: Buffer) => void
  readonly endCopyFrom: () => void
}

/**
 * A COPY sent as one burst: the statement, the rows and CopyDone are written together instead of after the server's
 * CopyInResponse. Waiting for that reply needs the client's event loop free at that instant; while the ingest parsed
 * its next chunk the server sat idle (a COPY's time on the server grew by half). Sending ahead is what the protocol
 * allows for: a server that refuses the COPY itself drops the CopyData and CopyDone that follow.
 * A node-postgres `Submittable`: the client calls `submit` when the connection is free, then the `handle*` methods.
 */
class CopyIn {
  constructor(
    readonly text: string,
    private readonly data: Buffer,
    private readonly done: (error: unknown) => void
  ) {}
  submit(wire: Wire): void {
    wire.query(this.text)
    wire.sendCopyFromChunk(this.data)
    wire.endCopyFrom()
  }
  handleCopyInResponse(): void {
    // The rows are already on their way.
  }
  handleCommandComplete(): void {}
  handleReadyForQuery(): void {
    this.done(undefined)
  }
  // After an ErrorResponse the client forgets this query: ReadyForQuery is not passed on.
  handleError(error: unknown): void {
    this.done(error)
  }
}

/** The minimum of a node-postgres client that a copy needs. */
interface PgConnection {
  readonly query: (submittable: CopyIn) => unknown
}

const isPgConnection = (value: unknown): value is PgConnection =>
  typeof value === "object" && value !== null && "query" in value && typeof value.query === "function" &&
  "connection" in value

/** `@effect/sql-pg` keeps the transaction's node-postgres client as `pg` on its connection (not in its types). */
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
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      return Effect.async<void, SqlError>((resume) => {
        client.query(
          new CopyIn(statement, bytes, (error) =>
            resume(
              error === undefined ? Effect.void : Effect.fail(new SqlError({ cause: error, message: "Failed to copy rows" }))
            ))
        )
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
