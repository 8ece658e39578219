/**
 * The service's jobs (playlist refresh + ingest, enrichment, Radarr sync, Sonarr sync): their state, and asking
 * for a run now. A run asked for is taken by the scheduler of whichever `serve` process gets to it first; the
 * answer is 202 (accepted), and `GET /api/v1/events` reports when it starts and ends.
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { Conflict, Unavailable } from "../ApiError.js"
import { Authorization } from "../Authorization.js"

export const JobName = Schema.Literal("playlist", "enrich", "radarr", "sonarr")

export const Job = Schema.Struct({
  name: JobName,
  /** Seconds between runs; null: only when asked for (not configured, or an interval of zero). */
  intervalSeconds: Schema.NullOr(Schema.Number),
  running: Schema.Boolean,
  holder: Schema.NullOr(Schema.String),
  lastStartedAt: Schema.NullOr(Schema.Date),
  lastFinishedAt: Schema.NullOr(Schema.Date),
  lastStatus: Schema.NullOr(Schema.Literal("succeeded", "failed", "interrupted")),
  lastError: Schema.NullOr(Schema.String),
  requestedAt: Schema.NullOr(Schema.Date),
  /** When it runs next on its schedule (null when only on request). */
  nextRunAt: Schema.NullOr(Schema.Date),
  runs: Schema.Int
}).annotations({ identifier: "Job" })

export class Actions extends HttpApiGroup.make("actions")
  .add(HttpApiEndpoint.get("list", "/actions").addSuccess(Schema.Array(Job)))
  .add(
    HttpApiEndpoint.post("run", "/actions/:name")
      .setPath(Schema.Struct({ name: JobName }))
      .addSuccess(Job.pipe(HttpApiSchema.withEncoding({ kind: "Json" })), { status: 202 })
      .addError(Conflict)
      .addError(Unavailable)
      .annotate(OpenApi.Summary, "Run a job now (409 while it runs, 503 when its service is not configured)")
  )
  .middleware(Authorization)
  .prefix("/api/v1")
{}
