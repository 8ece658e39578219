/**
 * `GET /api/v1/events`: server-sent events of downloads and scheduled jobs (`Events`), one JSON object per event,
 * its `type` as the SSE event name. A comment line every 15 s keeps proxies from closing an idle stream.
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import { Authorization } from "../Authorization.js"

export class Events extends HttpApiGroup.make("events")
  .add(
    HttpApiEndpoint.get("stream", "/events")
      .addSuccess(HttpApiSchema.Text({ contentType: "text/event-stream" }))
      .annotate(OpenApi.Summary, "Server-sent events: download.started|progress|completed|failed, job.started|finished")
      .annotate(
        OpenApi.Description,
        "Each event is `event: <type>` and `data: <JSON>`; progress at most once a second per download. " +
          "Events are not stored: a client sees what happens from when it connects."
      )
  )
  .middleware(Authorization)
  .prefix("/api/v1")
{}
