/**
 * The download queue and the provider's connection limit, shared by every process on one database.
 *
 * - `downloads`: one row per wanted movie or episode (`wanted_key` makes enqueueing idempotent). A worker claims a
 *   due row with `FOR NO KEY UPDATE SKIP LOCKED` and gets a lease token from `download_lease_tokens`; every later
 *   write presents it, so a worker whose lease was taken over (or whose job was cancelled) changes nothing.
 * - `provider_slots`: one row per connection an account allows, created on demand. A connection is counted from
 *   its request to its socket's close plus a release delay, strictly across machines: a slot row is held or not.
 * - `provider_health` / `provider_denials`: an account's cooldown after refusals, and the recent refusals counted
 *   towards one.
 *
 * All times come from the database's clock, so several machines agree.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

const statements = [
  // Lease tokens of downloads and of slots: only ever increase, so an older holder's token never matches again.
  `CREATE SEQUENCE download_lease_tokens`,
  `CREATE TABLE downloads (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id integer NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    entry_key text COLLATE "C" NOT NULL,
    wanted_key text COLLATE "C" NOT NULL UNIQUE,
    arr text NOT NULL CHECK (arr IN ('radarr', 'sonarr')),
    arr_item_id integer NOT NULL,
    title text NOT NULL,
    extension text,
    target_path text NOT NULL,
    import_path text,
    state text NOT NULL DEFAULT 'queued'
      CHECK (state IN ('queued', 'running', 'retry-wait', 'completed', 'failed', 'cancelled')),
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 8 CHECK (max_attempts > 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    durable_bytes bigint NOT NULL DEFAULT 0,
    total_bytes bigint,
    etag text,
    lease_token bigint,
    lease_owner text,
    lease_expires_at timestamptz,
    last_error text,
    last_error_class text,
    import_status text CHECK (import_status IN ('pending', 'requested', 'completed', 'failed')),
    import_detail text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    completed_at timestamptz
  )`,
  // What a claim scans: due jobs in order. Small, since finished rows leave it.
  `CREATE INDEX downloads_due ON downloads (next_attempt_at, id) WHERE state IN ('queued', 'retry-wait')`,
  // What the rescue of expired leases scans.
  `CREATE INDEX downloads_running ON downloads (lease_expires_at) WHERE state = 'running'`,
  `CREATE INDEX downloads_provider ON downloads (provider_id)`,
  // `download_id` is informational (who holds the connection), not a foreign key: a slot may outlive its job row,
  // and a key lock would make slot writes wait on a claim's row lock.
  `CREATE TABLE provider_slots (
    provider_id integer NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    slot integer NOT NULL CHECK (slot >= 0),
    download_id integer,
    lease_token bigint,
    holder text,
    expires_at timestamptz,
    released_at timestamptz,
    PRIMARY KEY (provider_id, slot)
  )`,
  `CREATE TABLE provider_health (
    provider_id integer PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
    cooldown_until timestamptz,
    cooldown_level integer NOT NULL DEFAULT 0,
    reason text,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE provider_denials (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id integer NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT now(),
    reason text
  )`,
  `CREATE INDEX provider_denials_recent ON provider_denials (provider_id, at)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
