/**
 * The downloads group: the store's queue (`Downloads`, `ProviderSlots.lift` on a retry, as the CLI does), and an
 * entry queued by hand through the workflows' own path (`Enqueue.movie` / `Enqueue.episode`: the same placement,
 * the same idempotent enqueue, the same wanted key as a plan's download).
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type { ArrResponse } from "@stalkeer/arr-client"
import type { StoreError } from "@stalkeer/store"
import { Downloads, Entries, ProviderSlots } from "@stalkeer/store"
import { Enqueue } from "@stalkeer/workflows"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Api } from "../Api.js"
import * as ApiError from "../ApiError.js"
import { ApiSettings } from "../ApiSettings.js"
import type { Download, EnqueueEpisodes, EnqueueMovie } from "../groups/Downloads.js"
import * as Failures from "./internal/failures.js"
import * as Wanted from "./Wanted.js"

const defaultPageSize = 50

/** A download as JSON: the store's row without its lease (holder, expiry) or the resume validator. */
export const downloadJson = (d: Downloads.Download): typeof Download.Type => ({
  id: d.id,
  state: d.state,
  title: d.title,
  arr: d.arr,
  arrItemId: d.arrItemId,
  wantedKey: d.wantedKey,
  providerId: d.providerId,
  entryKey: d.entryKey,
  extension: d.extension,
  targetPath: d.targetPath,
  importPath: d.importPath,
  attempts: d.attempts,
  maxAttempts: d.maxAttempts,
  nextAttemptAt: d.nextAttemptAt,
  durableBytes: d.durableBytes,
  totalBytes: d.totalBytes,
  lastError: d.lastError,
  lastErrorClass: d.lastErrorClass,
  importStatus: d.importStatus,
  importDetail: d.importDetail,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  startedAt: d.startedAt,
  completedAt: d.completedAt
})

/** The store refusing an action in the download's state (`InvalidInput`, its detail says the state) → 409. */
const refused = (operation: string, id: number) =>
(error: StoreError.StoreError): Effect.Effect<never, ApiError.Conflict | ApiError.NotFound | ApiError.Internal> =>
  error.reason === "InvalidInput"
    ? Effect.fail(new ApiError.Conflict({ message: error.detail ?? error.message }))
    : Failures.store(operation, { name: "download", id })(error)

const kinds: Record<string, string> = { movie: "a movie", series: "a series episode", live: "a live channel" }

const kindOf = (kind: string) => kinds[kind] ?? `of kind ${kind}`

/** The catalogue entry `id`, of `kind`, still listed by the provider: else 404, 400 or 409 naming `entryId`. */
const entryOf = (id: number, kind: "movie" | "series") =>
  Effect.gen(function*() {
    const entry = yield* Entries.get(id).pipe(
      Effect.catchTag("StoreError", (error): Effect.Effect<never, ApiError.NotFound | ApiError.Internal> =>
        error.reason === "NotFound"
          ? Effect.fail(
            new ApiError.NotFound({
              message: `entryId: no catalogue entry with id ${id}`,
              details: { resource: "entry", id: String(id) }
            })
          )
          : Failures.internal("reading a catalogue entry")(error))
    )
    if (entry.kind !== kind) {
      return yield* Effect.fail(ApiError.badRequest("entryId", `entry ${id} is ${kindOf(entry.kind)}, not ${kindOf(kind)}`))
    }
    if (entry.vanishedAt !== null) {
      return yield* Effect.fail(
        new ApiError.Conflict({
          message: `entryId: entry ${id} is no longer in the playlist (gone since ${entry.vanishedAt.toISOString()})`
        })
      )
    }
    return entry
  })

const answer = (outcome: Enqueue.Outcome): Effect.Effect<
  { readonly outcome: "queued" | "already-queued"; readonly download: typeof Download.Type },
  ApiError.Conflict
> => {
  switch (outcome._tag) {
    case "Queued":
      return Effect.succeed({ outcome: "queued" as const, download: downloadJson(outcome.download) })
    case "AlreadyQueued":
      return Effect.succeed({ outcome: "already-queued" as const, download: downloadJson(outcome.download) })
    case "Unplaceable":
      return Effect.fail(new ApiError.Conflict({ message: `not queued: ${outcome.reason}` }))
    case "Skipped":
      return Effect.dieMessage("an entry chosen by hand is never skipped")
  }
}

const enqueueMovie = (request: typeof EnqueueMovie.Type) =>
  Effect.gen(function*() {
    const settings = yield* ApiSettings
    const radarr = yield* Wanted.radarr
    const entry = yield* entryOf(request.entryId, "movie")
    yield* radarr.status
    const movie = yield* radarr.movie(request.movieId).pipe(
      Effect.catchIf(
        (error) => error.reason === "NotFound",
        () =>
          Effect.fail(
            new ApiError.NotFound({
              message: `movieId: Radarr has no movie with id ${request.movieId}`,
              details: { resource: "movie", id: String(request.movieId) }
            })
          )
      )
    )
    // The publish never replaces a file: a second one would only sit beside it.
    if (movie.hasFile) {
      return yield* Effect.fail(
        new ApiError.Conflict({ message: `movieId: Radarr already has a file for ${movie.title} (${movie.year})` })
      )
    }
    return yield* answer(yield* Enqueue.movie({ movie, entry, settings, force: request.force }))
  }).pipe(Effect.catchTag("ArrError", Wanted.arrFailure("radarr")))

const two = (n: number) => String(n).padStart(2, "0")

/** `S01E02`, `S01E03-E04`, for messages. */
const code = (season: number, first: number, last: number = first) =>
  `S${two(season)}E${two(first)}${last > first ? `-E${two(last)}` : ""}`

const enqueueEpisodes = (request: typeof EnqueueEpisodes.Type) =>
  Effect.gen(function*() {
    const settings = yield* ApiSettings
    const sonarr = yield* Wanted.sonarr
    const entry = yield* entryOf(request.entryId, "series")
    yield* sonarr.status
    const ids = [...new Set(request.episodeIds)]
    // Sonarr's own list of what it wants (monitored, aired, no file), read only as far as the last one asked for.
    const wanted = new Set(ids)
    const found = new Map((yield* sonarr.missing.pipe(
      Stream.filter((episode) => wanted.has(episode.id)),
      Stream.take(wanted.size),
      Stream.runCollect
    )).pipe(Chunk.map((episode) => [episode.id, episode] as const)))
    const unknown = ids.filter((id) => !found.has(id))
    if (unknown.length > 0) {
      return yield* Effect.fail(
        new ApiError.NotFound({
          message: `episodeIds: Sonarr wants no episode with id ${unknown.join(", ")} ` +
            "(not in its library, not monitored, not aired yet, or it has its file)",
          details: { resource: "episode", id: String(unknown[0]) }
        })
      )
    }
    const episodes = ids.map((id) => found.get(id)!).sort((a, b) =>
      a.seasonNumber - b.seasonNumber || a.episodeNumber - b.episodeNumber
    )
    const first = episodes[0]!
    if (episodes.some((e) => e.seriesId !== first.seriesId)) {
      return yield* Effect.fail(ApiError.badRequest("episodeIds", "the episodes are of several series: one file holds one series' episodes"))
    }
    if (episodes.some((e) => e.seasonNumber !== first.seasonNumber)) {
      return yield* Effect.fail(ApiError.badRequest("episodeIds", "the episodes are of several seasons: one file holds one season's episodes"))
    }
    yield* holds(request.entryId, entry, episodes)
    const series = first.series ?? (yield* sonarr.seriesById(first.seriesId))
    const naming = yield* sonarr.naming
    return yield* answer(yield* Enqueue.episode({ series, episode: first, entry, naming, settings, force: request.force }))
  }).pipe(Effect.catchTag("ArrError", Wanted.arrFailure("sonarr")))

/** Whether the entry holds every episode asked for (an entry that shows no episode number holds one). */
const holds = (
  id: number,
  entry: Enqueue.Entry,
  episodes: ReadonlyArray<ArrResponse.Episode>
): Effect.Effect<void, ApiError.BadRequest> => {
  const { episode: from, season } = entry
  if (season === null || from === null) {
    return episodes.length === 1
      ? Effect.void
      : Effect.fail(ApiError.badRequest("episodeIds", `entry ${id} shows no episode number: it holds one episode`))
  }
  const to = entry.episodeEnd ?? from
  const outside = episodes.filter((e) => e.seasonNumber !== season || e.episodeNumber < from || e.episodeNumber > to)
  if (outside.length === 0) return Effect.void
  return Effect.fail(ApiError.badRequest(
    "entryId",
    `entry ${id} holds ${code(season, from, to)}, not ${outside.map((e) => code(e.seasonNumber, e.episodeNumber)).join(", ")}`
  ))
}

export const layer = HttpApiBuilder.group(Api, "downloads", (handlers) =>
  handlers
    .handle("list", ({ urlParams }) =>
      Effect.gen(function*() {
        const page = urlParams.page ?? 1
        const pageSize = urlParams.pageSize ?? defaultPageSize
        const filter = { state: urlParams.state }
        const [records, total] = yield* Effect.all([
          Downloads.list({ ...filter, limit: pageSize, offset: (page - 1) * pageSize }),
          Downloads.count(filter)
        ], { concurrency: 2 })
        return { page, pageSize, totalRecords: total, records: records.map(downloadJson) }
      }).pipe(Effect.catchTag("StoreError", Failures.store("listing downloads"))))
    .handle("get", ({ path }) =>
      Downloads.get(path.id).pipe(
        Effect.map(downloadJson),
        Effect.catchTag("StoreError", Failures.store("reading a download", { name: "download", id: path.id }))
      ))
    .handle("enqueue", ({ payload }) =>
      (payload.arr === "radarr" ? enqueueMovie(payload) : enqueueEpisodes(payload)).pipe(
        Effect.catchTag("StoreError", Failures.store("queueing a download"))
      ))
    .handle("retry", ({ path }) =>
      Effect.gen(function*() {
        const download = yield* Downloads.retry(path.id)
        // As `stalkeer downloads retry`: a retry is the user saying "fixed it", so the provider's pause ends too.
        const lifted = yield* ProviderSlots.lift(download.providerId)
        return {
          download: downloadJson(download),
          liftedPause: Option.getOrNull(Option.map(lifted, (c) => ({ until: c.until, reason: c.reason })))
        }
      }).pipe(Effect.catchTag("StoreError", refused("retrying a download", path.id))))
    .handle("cancel", ({ path }) =>
      Downloads.cancel(path.id).pipe(
        Effect.map(downloadJson),
        Effect.catchTag("StoreError", refused("cancelling a download", path.id))
      )))
