/**
 * The TMDB identification of the catalogue's works (one per movie or series as the playlist names it: kind, title,
 * year), as `stalkeer enrich` records it, and the manual matches that override it (`stalkeer match set|clear`).
 * The id of an identification is the work's media id (an item's `mediaId` names its canonical work).
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { BadRequest, NotFound } from "../ApiError.js"
import { Authorization } from "../Authorization.js"
import { Id, Nullable, Page, paging } from "./Common.js"

export const WorkKind = Schema.Literal("movie", "series")

export const Status = Schema.Literal("identified", "ambiguous", "low-confidence", "not-found", "pending").annotations({
  description: "pending: not identified yet (or again at the next enrich, after a manual match was removed)"
})

export const IdentificationsQuery = Schema.Struct({
  status: Schema.optional(Status),
  kind: Schema.optional(WorkKind),
  ...paging
})
export type IdentificationsQuery = typeof IdentificationsQuery.Type

/** A TMDB work that identification weighed, with its score (0..1) against the work's names and year. */
export const Candidate = Schema.Struct({
  tmdbId: Schema.Int,
  title: Schema.String,
  year: Nullable(Schema.Int),
  score: Nullable(Schema.Number)
}).annotations({ identifier: "Candidate" })

export const ManualMatch = Schema.Struct({
  tmdbId: Schema.Int,
  /** Whether identification has applied it (at once when TMDB answered, else at the next enrich). */
  applied: Schema.Boolean
}).annotations({ identifier: "ManualMatch" })

export const Identification = Schema.Struct({
  id: Schema.Int,
  kind: WorkKind,
  /** The title as the playlist gives it. */
  title: Schema.String,
  year: Nullable(Schema.Int),
  status: Status,
  method: Nullable(Schema.Literal("search", "override", "external-id")),
  confidence: Nullable(Schema.Number),
  /** Why it was not identified (`ambiguous: …`, `no candidates`…), or null. */
  reason: Nullable(Schema.String),
  tmdbId: Nullable(Schema.Int),
  imdbId: Nullable(Schema.String),
  tvdbId: Nullable(Schema.Int),
  /** TMDB's title (in the configured language), original title and language, and year. */
  canonicalTitle: Nullable(Schema.String),
  originalTitle: Nullable(Schema.String),
  originalLanguage: Nullable(Schema.String),
  releaseYear: Nullable(Schema.Int),
  manualMatch: Nullable(ManualMatch),
  /** The work this one is joined to (same TMDB work, lower id), whose id the entries carry. */
  mergedInto: Nullable(Schema.Int),
  identifiedAt: Nullable(Schema.Date),
  /** The best candidates identification weighed, best first. */
  candidates: Schema.Array(Candidate)
}).annotations({ identifier: "Identification" })

export const IdentificationsPage = Page(Identification, "IdentificationsPage")

export const Match = Schema.Struct({
  tmdbId: Schema.Int.pipe(Schema.positive()).annotations({ description: "The TMDB id of the work it really is" }),
  kind: Schema.optional(WorkKind.annotations({
    description: "Check that the work is this kind (a TMDB id names a movie or a series)"
  }))
}).annotations({ identifier: "Match" })

export class Identifications extends HttpApiGroup.make("identifications")
  .add(
    HttpApiEndpoint.get("list", "/identifications")
      .setUrlParams(IdentificationsQuery)
      .addSuccess(IdentificationsPage)
      .annotate(OpenApi.Summary, "The works of the live catalogue with their identification, in id order, paged")
  )
  .add(
    HttpApiEndpoint.get("get", "/identifications/:id")
      .setPath(Schema.Struct({ id: Id }))
      .addSuccess(Identification)
      .addError(NotFound)
  )
  .add(
    HttpApiEndpoint.put("match", "/identifications/:id/match")
      .setPath(Schema.Struct({ id: Id }))
      .setPayload(Match)
      .addSuccess(Identification)
      .addError(BadRequest)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Match a work by hand (as `stalkeer match set`)")
      .annotate(
        OpenApi.Description,
        "The match wins over search and survives re-ingest and re-enrich. It is applied at once when TMDB is " +
          "configured and answers (manualMatch.applied), else by the next enrich."
      )
  )
  .add(
    HttpApiEndpoint.del("unmatch", "/identifications/:id/match")
      .setPath(Schema.Struct({ id: Id }))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Remove a manual match (as `stalkeer match clear`): the next enrich searches again")
  )
  .middleware(Authorization)
  .prefix("/api/v1")
{}
