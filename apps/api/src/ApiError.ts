/**
 * Every error the API answers with: a status and one JSON shape, `{ "error", "message", "details"? }`, as a client
 * of an *arr-style API expects — `error` says what kind of failure it is, `message` is one line a person can act
 * on, `details` names the field or the object concerned. No stack trace, secret or stream URL ever goes in one.
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

/** What a bad request got wrong: the field, and each problem found in it. */
export const Issue = Schema.Struct({
  /** Where in the request: `pageSize`, `id`, `pattern`, `body`… */
  field: Schema.String,
  message: Schema.String
})

export class BadRequest extends Schema.Class<BadRequest>("BadRequest")({
  error: Schema.tag("BadRequest"),
  message: Schema.String,
  details: Schema.optional(Schema.Struct({ issues: Schema.Array(Issue) }))
}, HttpApiSchema.annotations({ status: 400, description: "A query value, path parameter or body is not valid" })) {}

export class Unauthorized extends Schema.Class<Unauthorized>("Unauthorized")({
  error: Schema.tag("Unauthorized"),
  message: Schema.String
}, HttpApiSchema.annotations({ status: 401, description: "The API key is missing or wrong" })) {}

export class NotFound extends Schema.Class<NotFound>("NotFound")({
  error: Schema.tag("NotFound"),
  message: Schema.String,
  details: Schema.optional(Schema.Struct({ resource: Schema.String, id: Schema.optional(Schema.String) }))
}, HttpApiSchema.annotations({ status: 404, description: "No such route, or no object with this id" })) {}

export class Conflict extends Schema.Class<Conflict>("Conflict")({
  error: Schema.tag("Conflict"),
  message: Schema.String
}, HttpApiSchema.annotations({ status: 409, description: "The object is not in a state that allows this" })) {}

/** A service the request needs (Radarr, Sonarr, TMDB) is not configured or cannot be reached. */
export class Unavailable extends Schema.Class<Unavailable>("Unavailable")({
  error: Schema.tag("Unavailable"),
  message: Schema.String,
  details: Schema.optional(Schema.Struct({ service: Schema.String }))
}, HttpApiSchema.annotations({ status: 503, description: "A service this request needs is not configured or down" })) {}

/** Anything unexpected; the service's log has what went wrong, the response only says where to look. */
export class Internal extends Schema.Class<Internal>("Internal")({
  error: Schema.tag("Internal"),
  message: Schema.String
}, HttpApiSchema.annotations({ status: 500, description: "An unexpected failure; the service log says more" })) {}

export const badRequest = (field: string, message: string) =>
  new BadRequest({ message: `${field}: ${message}`, details: { issues: [{ field, message }] } })

export const notFound = (resource: string, id: string | number) =>
  new NotFound({ message: `no ${resource} with id ${id}`, details: { resource, id: String(id) } })
