/**
 * Identification (`stalkeer enrich`, `stalkeer match`). A `media` row stays what the ingest makes it — one work as
 * the playlist names it (kind, normalised title, year) — and now also records what TMDB says that work is. Rows of
 * one TMDB work (`Le Parrain`, `Der Pate`, `The Godfather`, all 1972) share it through `merged_into`: the lowest id
 * among them is the canonical row, the others point to it, and every entry links to the canonical row.
 *
 * `tmdb_cache` keeps TMDB answers (never a credential: the request text holds the endpoint and its parameters
 * only) until `expires_at`, so a re-run asks nothing it already knows.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

const statements = [
  `ALTER TABLE media
    ADD COLUMN canonical_title text,
    ADD COLUMN original_language text,
    ADD COLUMN release_year integer,
    ADD COLUMN match_status text CHECK (match_status IN ('identified', 'ambiguous', 'low-confidence', 'not-found')),
    ADD COLUMN match_method text CHECK (match_method IN ('search', 'override', 'external-id')),
    ADD COLUMN match_confidence real,
    ADD COLUMN match_reason text,
    ADD COLUMN match_candidates jsonb,
    ADD COLUMN identified_at timestamptz,
    ADD COLUMN override_tmdb_id integer,
    ADD COLUMN merged_into integer REFERENCES media (id)`,
  `CREATE INDEX media_tmdb ON media (kind, tmdb_id) WHERE tmdb_id IS NOT NULL`,
  `CREATE INDEX media_merged ON media (merged_into) WHERE merged_into IS NOT NULL`,
  `CREATE TABLE tmdb_cache (
    request text COLLATE "C" PRIMARY KEY,
    status integer NOT NULL,
    body jsonb,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
  )`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
