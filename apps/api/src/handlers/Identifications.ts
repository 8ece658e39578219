/**
 * The identifications group: the store's `Works`, and for a manual match what `stalkeer match set|clear` do — the
 * store's `setOverride` / `clearOverride`, then the `Enrich` workflow on that one work when TMDB is configured.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type { StoreError } from "@stalkeer/store"
import { Works } from "@stalkeer/store"
import { Tmdb } from "@stalkeer/tmdb"
import { Enrich } from "@stalkeer/workflows"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Api } from "../Api.js"
import * as ApiError from "../ApiError.js"
import { ApiSettings } from "../ApiSettings.js"
import type { Candidate, Identification } from "../groups/Identifications.js"
import * as Failures from "./internal/failures.js"

const defaultPageSize = 50

/** A candidate as `Enrich` stores it (`{ tmdbId, title, year, score }`); anything else is left out. */
const StoredCandidate = Schema.Struct({
  tmdbId: Schema.Int,
  title: Schema.String,
  year: Schema.optional(Schema.NullOr(Schema.Int)),
  score: Schema.optional(Schema.NullOr(Schema.Number))
})
const decodeCandidate = Schema.decodeUnknownOption(StoredCandidate)

const candidatesOf = (stored: ReadonlyArray<unknown>): Array<typeof Candidate.Type> =>
  stored.flatMap((c) =>
    Option.match(decodeCandidate(c), {
      onNone: () => [],
      onSome: (d) => [{ tmdbId: d.tmdbId, title: d.title, year: d.year ?? null, score: d.score ?? null }]
    })
  )

/** A work's identification as JSON. */
export const toJson = (w: Works.Review): typeof Identification.Type => ({
  id: w.id,
  kind: w.kind,
  title: w.title,
  year: w.year,
  status: w.status,
  method: w.method,
  confidence: w.confidence,
  reason: w.reason,
  tmdbId: w.tmdbId,
  imdbId: w.imdbId,
  tvdbId: w.tvdbId,
  canonicalTitle: w.canonicalTitle,
  originalTitle: w.originalTitle,
  originalLanguage: w.originalLanguage,
  releaseYear: w.releaseYear,
  manualMatch: w.overrideTmdbId === null ? null : { tmdbId: w.overrideTmdbId, applied: w.overrideApplied },
  mergedInto: w.mergedInto,
  identifiedAt: w.identifiedAt,
  candidates: candidatesOf(w.candidates)
})

/** The store's refusal of a manual match's kind is the client's 400 on `kind`; the rest as any store failure. */
const matchFailure = (id: number) =>
(error: StoreError.StoreError): Effect.Effect<never, ApiError.BadRequest | ApiError.NotFound | ApiError.Internal> =>
  error.reason === "InvalidInput"
    ? Effect.fail(ApiError.badRequest("kind", error.detail ?? error.message))
    : Failures.store("setting a manual match", { name: "identification", id })(error)

export const layer = HttpApiBuilder.group(Api, "identifications", (handlers) =>
  handlers
    .handle("list", ({ urlParams }) =>
      Effect.gen(function*() {
        const page = urlParams.page ?? 1
        const pageSize = urlParams.pageSize ?? defaultPageSize
        const query: Works.ReviewQuery = {
          kind: urlParams.kind,
          status: urlParams.status,
          limit: pageSize,
          offset: (page - 1) * pageSize
        }
        // The page and the count are independent reads: on PostgreSQL they run side by side on two connections.
        const [records, total] = yield* Effect.all([Works.list(query), Works.count(query)], { concurrency: 2 })
        return { page, pageSize, totalRecords: total, records: records.map(toJson) }
      }).pipe(Effect.catchTag("StoreError", Failures.store("listing identifications"))))
    .handle("get", ({ path }) =>
      Works.review(path.id).pipe(
        Effect.map(toJson),
        Effect.catchTag("StoreError", Failures.store("reading an identification", { name: "identification", id: path.id }))
      ))
    .handle("match", ({ path, payload }) =>
      Effect.gen(function*() {
        const settings = yield* ApiSettings
        const work = yield* Works.setOverride({ mediaId: path.id }, payload.tmdbId, payload.kind)
        // Applied at once when TMDB is configured and answers; else by the next `enrich` (as `stalkeer match set`).
        const tmdb = yield* Effect.serviceOption(Tmdb.Tmdb)
        if (Option.isSome(tmdb)) {
          yield* Enrich.run({ language: settings.tmdb.language, cacheTtlDays: settings.tmdb.cacheTtlDays, only: [work.id] }).pipe(
            Effect.provideService(Tmdb.Tmdb, tmdb.value),
            Effect.catchAll((error) => Effect.logWarning(`manual match of work #${work.id} not applied yet: ${error.message}`))
          )
        }
        return toJson(yield* Works.review(work.id))
      }).pipe(Effect.catchTag("StoreError", matchFailure(path.id))))
    .handle("unmatch", ({ path }) =>
      Works.clearOverride({ mediaId: path.id }).pipe(
        Effect.catchTag("StoreError", Failures.store("removing a manual match", { name: "identification", id: path.id })),
        Effect.flatMap((removed) =>
          removed
            ? Effect.void
            : Effect.fail(
              new ApiError.NotFound({
                message: `identification ${path.id} has no manual match`,
                details: { resource: "manual match", id: String(path.id) }
              })
            )
        )
      )))
