/**
 * The download queue, as `stalkeer downloads list|show|retry|cancel` has it — paged, newest first — and a catalogue
 * entry queued by hand for a wanted movie or episode. What is fetched is only ever named by a catalogue entry's id:
 * no URL is accepted, and none is answered.
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { Conflict, NotFound, Unavailable } from "../ApiError.js"
import { Authorization } from "../Authorization.js"
import { Id, Page, paging } from "./Common.js"

export const State = Schema.Literal("queued", "running", "retry-wait", "completed", "failed", "cancelled")

export const DownloadsQuery = Schema.Struct({
  state: Schema.optional(State),
  ...paging
})
export type DownloadsQuery = typeof DownloadsQuery.Type

/** A download: the queue's row without its lease (token, holder, expiry) or resume validator. */
export const Download = Schema.Struct({
  id: Schema.Int,
  state: State,
  /** What it is for, as people read it: `Alien (1979)`, `Breaking Bad S01E02`. */
  title: Schema.String,
  arr: Schema.Literal("radarr", "sonarr"),
  /** Radarr's movie id, or Sonarr's series id (what is rescanned once the file is in place). */
  arrItemId: Schema.Int,
  /** The wanted item, the queue's key: `radarr:movie:1`, `sonarr:episode:7`, `sonarr:series:3:S01E01-E02`. */
  wantedKey: Schema.String,
  providerId: Schema.Int,
  /** The catalogue entry fetched, e.g. `xtream:movie:123`. */
  entryKey: Schema.String,
  extension: Schema.NullOr(Schema.String),
  /** The file, as Stalkeer writes it. */
  targetPath: Schema.String,
  /** The file as Radarr/Sonarr see it. */
  importPath: Schema.NullOr(Schema.String),
  /** Attempts started, a running one included. */
  attempts: Schema.Int,
  maxAttempts: Schema.Int,
  nextAttemptAt: Schema.Date,
  /** Bytes safely on disk, where the next attempt resumes. */
  durableBytes: Schema.Number,
  totalBytes: Schema.NullOr(Schema.Number),
  lastError: Schema.NullOr(Schema.String),
  lastErrorClass: Schema.NullOr(Schema.String),
  importStatus: Schema.NullOr(Schema.Literal("pending", "requested", "completed", "failed")),
  importDetail: Schema.NullOr(Schema.String),
  createdAt: Schema.Date,
  updatedAt: Schema.Date,
  /** When its latest attempt started. */
  startedAt: Schema.NullOr(Schema.Date),
  completedAt: Schema.NullOr(Schema.Date)
}).annotations({ identifier: "Download" })

export const DownloadsPage = Page(Download, "DownloadsPage")

/** The provider's pause a retry lifted: a retry is the user saying "fixed it". */
export const LiftedPause = Schema.Struct({ until: Schema.Date, reason: Schema.String })

export const Retried = Schema.Struct({
  download: Download,
  liftedPause: Schema.NullOr(LiftedPause)
}).annotations({ identifier: "RetriedDownload" })

const PositiveInt = Schema.Int.pipe(Schema.positive())

/** A field the request does not know is refused, not ignored: a `url` must never look accepted. */
const exact = { onExcessProperty: "error" } as const

/** The entry to fetch for a Radarr movie. */
export const EnqueueMovie = Schema.Struct({
  arr: Schema.Literal("radarr"),
  /** Radarr's id of the movie. */
  movieId: PositiveInt,
  /** The catalogue entry (an item's `id`), a movie. */
  entryId: PositiveInt,
  /** Queue again what was completed, failed or cancelled before (as the CLI's `--force`). */
  force: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "EnqueueMovie", parseOptions: exact })

/** The entry to fetch for Sonarr episodes: one, or those a multi-episode entry holds (one season of one series). */
export const EnqueueEpisodes = Schema.Struct({
  arr: Schema.Literal("sonarr"),
  /** Sonarr's ids of the wanted episodes. */
  episodeIds: Schema.Array(PositiveInt).pipe(Schema.minItems(1), Schema.maxItems(50)),
  /** The catalogue entry (an item's `id`), a series episode. */
  entryId: PositiveInt,
  force: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "EnqueueEpisodes", parseOptions: exact })

export const EnqueueRequest = Schema.Union(EnqueueMovie, EnqueueEpisodes)
export type EnqueueRequest = typeof EnqueueRequest.Type

/** 201: a new download (or an ended one queued again with `force`). */
export const Queued = Schema.Struct({
  outcome: Schema.Literal("queued"),
  download: Download
}).annotations({ identifier: "Queued", ...HttpApiSchema.annotations({ status: 201 }) })

/** 200: the wanted item was queued before; its download is returned untouched (whatever its entry). */
export const AlreadyQueued = Schema.Struct({
  outcome: Schema.Literal("already-queued"),
  download: Download
}).annotations({ identifier: "AlreadyQueued" })

const path = Schema.Struct({ id: Id })

export class Downloads extends HttpApiGroup.make("downloads")
  .add(
    HttpApiEndpoint.get("list", "/downloads")
      .setUrlParams(DownloadsQuery)
      .addSuccess(DownloadsPage)
      .annotate(OpenApi.Summary, "The downloads, newest first, paged")
  )
  .add(
    HttpApiEndpoint.get("get", "/downloads/:id")
      .setPath(path)
      .addSuccess(Download)
      .addError(NotFound)
  )
  .add(
    HttpApiEndpoint.post("enqueue", "/downloads")
      .setPayload(EnqueueRequest)
      .addSuccess(Queued)
      .addSuccess(AlreadyQueued)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Unavailable)
      .annotate(
        OpenApi.Summary,
        "Queue a catalogue entry for a wanted movie or episode, placed as Radarr/Sonarr expect; once per wanted item"
      )
  )
  .add(
    HttpApiEndpoint.post("retry", "/downloads/:id/retry")
      .setPath(path)
      .addSuccess(Retried)
      .addError(NotFound)
      .addError(Conflict)
      .annotate(OpenApi.Summary, "Queue a failed, cancelled or waiting download again, and lift its provider's pause")
  )
  .add(
    HttpApiEndpoint.post("cancel", "/downloads/:id/cancel")
      .setPath(path)
      .addSuccess(Download)
      .addError(NotFound)
      .addError(Conflict)
      .annotate(OpenApi.Summary, "Cancel a queued, waiting or running download (its partial file is kept)")
  )
  .middleware(Authorization)
  .prefix("/api/v1")
{}
