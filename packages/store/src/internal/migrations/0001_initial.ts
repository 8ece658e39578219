/**
 * The first schema. Shipped migrations are never edited: later changes go in new files.
 *
 * Written for PostgreSQL 12+ (the embedded PGlite is 18): no `NULLS NOT DISTINCT`, so nullable parts of natural
 * keys go through `COALESCE` in expression indexes.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

const statements = [
  // One row per playlist source. Credentials never live here: the config supplies them at request time.
  `CREATE TABLE providers (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    base_url text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  // Canonical works. External ids are filled by a later enrichment stage. Key columns use the "C" collation:
  // byte-wise comparison, several times cheaper to index than a locale's, and keys are never shown sorted.
  `CREATE TABLE media (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text COLLATE "C" NOT NULL CHECK (kind IN ('movie', 'series', 'episode')),
    parent_id integer REFERENCES media (id) ON DELETE CASCADE,
    title text NOT NULL,
    title_key text COLLATE "C" NOT NULL,
    original_title text,
    year integer,
    season integer,
    episode integer,
    tmdb_id integer,
    tvdb_id integer,
    imdb_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'episode') = (parent_id IS NOT NULL)),
    CHECK (kind <> 'episode' OR (season IS NOT NULL AND episode IS NOT NULL))
  )`,
  `CREATE UNIQUE INDEX media_work_key ON media (kind, title_key, (COALESCE(year, 0))) WHERE kind <> 'episode'`,
  `CREATE UNIQUE INDEX media_episode_key ON media (parent_id, season, episode) WHERE kind = 'episode'`,
  // No foreign keys here on purpose: their per-row triggers doubled the cost of a 200k-entry ingest. The store's
  // writer is the only writer; it deletes a provider's entries itself and never deletes media.
  `CREATE TABLE playlist_entries (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id integer NOT NULL,
    entry_key text COLLATE "C" NOT NULL,
    url_template text NOT NULL,
    stream_type text,
    stream_id bigint,
    extension text,
    tvg_id text,
    tvg_name text,
    tvg_logo text,
    group_title text,
    name text NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}',
    kind text NOT NULL,
    title text,
    title_key text COLLATE "C",
    year integer,
    season integer,
    episode integer,
    episode_end integer,
    resolution text,
    language text,
    subtitles text,
    platform text,
    confidence real NOT NULL,
    media_id integer,
    -- Hash of the entry's credential-free source fields and the classifier version (computed by the ingest):
    -- an entry whose hash is unchanged is neither re-classified nor sent again. NULL: never skipped.
    raw_hash bigint,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    vanished_at timestamptz
  )`,
  // The only index on the hot path. Listing and stats filters (kind, year, language, resolution, ILIKE on
  // title/group) are low-selectivity or substring matches: a sequential scan of the catalogue beats an index
  // for them, and every index costs on each ingest. Later stages add the indexes their queries need.
  `CREATE UNIQUE INDEX playlist_entries_key ON playlist_entries (provider_id, entry_key)`,
  `CREATE INDEX playlist_entries_vanished ON playlist_entries (provider_id, vanished_at) WHERE vanished_at IS NOT NULL`,
  `CREATE TABLE filters (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    field text NOT NULL CHECK (field IN ('group', 'name')),
    mode text NOT NULL CHECK (mode IN ('include', 'exclude')),
    pattern text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (field, mode, pattern)
  )`,
  `CREATE TABLE ingest_runs (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id integer NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    source text NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'refused')),
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    total integer NOT NULL DEFAULT 0,
    added integer NOT NULL DEFAULT 0,
    changed integer NOT NULL DEFAULT 0,
    revived integer NOT NULL DEFAULT 0,
    unchanged integer NOT NULL DEFAULT 0,
    vanished integer NOT NULL DEFAULT 0,
    removed integer NOT NULL DEFAULT 0,
    filtered integer NOT NULL DEFAULT 0,
    malformed integer NOT NULL DEFAULT 0,
    duplicates integer NOT NULL DEFAULT 0,
    by_kind jsonb NOT NULL DEFAULT '{}',
    error text
  )`,
  `CREATE INDEX ingest_runs_provider_started ON ingest_runs (provider_id, started_at DESC)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
