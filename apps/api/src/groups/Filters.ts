/**
 * The stored include/exclude filters (`stalkeer filters list|add|remove`), applied at the next ingest together with
 * the config file's (which are not listed here: they are changed in the file). A pattern is a JavaScript regular
 * expression matched case-insensitively against an entry's group title or display name.
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { BadRequest, NotFound } from "../ApiError.js"
import { Authorization } from "../Authorization.js"
import { Id } from "./Common.js"

export const Field = Schema.Literal("group", "name").annotations({
  description: "What the pattern is matched against: the group title or the display name"
})

export const Mode = Schema.Literal("include", "exclude").annotations({
  description: "include: keep only entries matching an include pattern (of this field); exclude: drop matching entries"
})

export const Filter = Schema.Struct({
  id: Schema.Int,
  field: Field,
  mode: Mode,
  pattern: Schema.String,
  createdAt: Schema.Date
}).annotations({ identifier: "Filter" })

export const NewFilter = Schema.Struct({
  field: Field,
  mode: Mode,
  pattern: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(1000)).annotations({
    description: "A JavaScript regular expression, matched case-insensitively"
  })
}).annotations({ identifier: "NewFilter" })

export class Filters extends HttpApiGroup.make("filters")
  .add(
    HttpApiEndpoint.get("list", "/filters")
      .addSuccess(Schema.Array(Filter))
      .annotate(OpenApi.Summary, "The stored filters, by id")
  )
  .add(
    HttpApiEndpoint.post("add", "/filters")
      .setPayload(NewFilter)
      .addSuccess(Filter, { status: 201 })
      .addError(BadRequest)
      .annotate(OpenApi.Summary, "Add a filter (adding one that exists answers it); it applies from the next ingest")
  )
  .add(
    HttpApiEndpoint.get("get", "/filters/:id")
      .setPath(Schema.Struct({ id: Id }))
      .addSuccess(Filter)
      .addError(NotFound)
  )
  .add(
    HttpApiEndpoint.del("remove", "/filters/:id")
      .setPath(Schema.Struct({ id: Id }))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Remove a filter; it stops applying from the next ingest")
  )
  .middleware(Authorization)
  .prefix("/api/v1")
{}
