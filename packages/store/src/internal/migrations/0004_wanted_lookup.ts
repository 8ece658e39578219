/**
 * Planning downloads (`stalkeer radarr|sonarr`) looks works up by the ids Radarr and Sonarr know them by: the TMDB
 * id has its index since 0003; IMDb ids (movies) and TVDB ids (series) get theirs here. Entries are then reached
 * through the listing index (kind, title key, year).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

const statements = [
  `CREATE INDEX media_imdb ON media (kind, imdb_id) WHERE imdb_id IS NOT NULL`,
  `CREATE INDEX media_tvdb ON media (kind, tvdb_id) WHERE tvdb_id IS NOT NULL`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
