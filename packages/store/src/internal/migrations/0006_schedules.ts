/**
 * The service's scheduled jobs (`stalkeer serve`: playlist, enrich, radarr, sonarr), shared by every process on the
 * database.
 *
 * - `schedule_jobs`: one row per job, created on its first use. A process runs a job only while it holds the row's
 *   lease; taking it increments `token`, which every later write presents, so a process whose lease expired and was
 *   taken over changes nothing. `requested_at` is a run asked for now (the API), cleared by the run that serves it.
 *
 * All times come from the database's clock, so several machines agree.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

const statements = [
  `CREATE TABLE schedule_jobs (
    name text COLLATE "C" PRIMARY KEY,
    holder text,
    token bigint NOT NULL DEFAULT 0,
    lease_expires_at timestamptz,
    requested_at timestamptz,
    last_started_at timestamptz,
    last_finished_at timestamptz,
    last_status text CHECK (last_status IN ('succeeded', 'failed', 'interrupted')),
    last_error text,
    runs integer NOT NULL DEFAULT 0
  )`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) {
    yield* sql.unsafe(statement)
  }
})
