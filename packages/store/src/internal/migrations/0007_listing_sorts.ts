/**
 * The API lists the catalogue sorted by what a user clicks on. Besides the default order (0002's listing index),
 * the two sorts a library view uses most get an index each, over live entries only, so a page is read from the
 * index instead of sorting every matching row: recently added (both directions: the column is never null, so the
 * index is scanned backwards for the other one) and newest year first (years descending, then the yearless).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

const statements = [
  `CREATE INDEX playlist_entries_added ON playlist_entries (kind, first_seen_at, id) WHERE vanished_at IS NULL`,
  `CREATE INDEX playlist_entries_year ON playlist_entries (kind, year DESC NULLS LAST, id DESC) WHERE vanished_at IS NULL`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
