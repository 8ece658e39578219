/**
 * The download worker (`stalkeer worker`, and what `stalkeer radarr|sonarr` run after enqueueing): claims queued
 * downloads, fetches each within the provider's connection limit, publishes the file, and tells Radarr/Sonarr.
 *
 * - A job is claimed with a lease (`Downloads.claim`); a connection slot is taken before the request starts
 *   (`ProviderSlots.acquire`: strict across every process sharing the database) and released when the transfer
 *   ends, however it ends. A heartbeat keeps both; a lost lease (another worker rescued the job) interrupts the
 *   transfer, and every write presents the lease token, so a stalled worker cannot overwrite newer progress.
 * - Progress is recorded only after an fsync (`Download.run`'s checkpoints), so a crash resumes from a true offset.
 * - Failures by class: transfer → retried later with backoff; item (404, an error page, a placeholder) → failed,
 *   and a denial; account (401, 403, 429, 458, 509) → the provider cools down for every worker; fatal → failed.
 * - The URL is rebuilt from the stored template with the configured credentials only here, and never leaves the
 *   transfer: errors and logs carry none.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Path from "@effect/platform/Path"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import type { Settings } from "@stalkeer/config"
import { DiskSpace, Download } from "@stalkeer/downloader"
import { StreamUrl } from "@stalkeer/m3u-parser"
import { Downloads, Entries, ProviderSlots } from "@stalkeer/store"
import type { StoreError } from "@stalkeer/store"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Credentials from "./Credentials.js"
import * as WantedKey from "./WantedKey.js"

export type Event =
  | { readonly _tag: "Started"; readonly download: Downloads.Download }
  | { readonly _tag: "Progress"; readonly download: Downloads.Download; readonly progress: Download.Progress }
  | { readonly _tag: "Completed"; readonly download: Downloads.Download; readonly imported: string }
  | { readonly _tag: "Failed"; readonly download: Downloads.Download; readonly error: string; readonly retrying: boolean }

export interface Options {
  readonly settings: Settings.Settings
  /** This worker's name in leases (host, process…). */
  readonly owner: string
  /** Stop when nothing is left to claim (else poll forever). */
  readonly untilIdle?: boolean | undefined
  readonly onEvent?: ((event: Event) => Effect.Effect<void>) | undefined
  /** Wait between polls of an empty queue, or for a free slot (default 2 s). */
  readonly pollInterval?: Duration.DurationInput | undefined
  /** Lease of a job and of a slot, renewed every third of it (default 60 s). */
  readonly leaseFor?: Duration.DurationInput | undefined
  /**
   * How long a connection slot stays taken after its socket closed (default 5 s): a provider still counts a
   * connection for a moment after it ends, and a new one too soon may evict another.
   */
  readonly releaseDelay?: Duration.DurationInput | undefined
}

export interface Summary {
  readonly completed: number
  readonly failed: number
  readonly retrying: number
}

/** The job's lease was lost (another worker rescued it and owns it now): this worker stops touching the job. */
class Fenced extends Data.TaggedError("Fenced") {
  override get message(): string {
    return "the lease on this download was lost: another worker has it"
  }
}

/** Runs `provider.max_connections` lanes until idle (or forever); returns what they did. */
export const run = (
  options: Options
): Effect.Effect<Summary, StoreError.StoreError, SqlClient.SqlClient | HttpClient.HttpClient | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const counts = { completed: 0, failed: 0, retrying: 0 }
    // A worker stopped between recording a file and asking Radarr/Sonarr to rescan left the rescan unsent: ask now
    // (a rescan twice is harmless; a file never imported is not).
    const unsent = yield* Downloads.list({ state: "completed", importStatus: "pending" })
    yield* Effect.forEach(unsent, (job) => importInto(job), { discard: true })
    const lanes = Math.max(1, options.settings.provider.maxConnections)
    yield* Effect.forEach(
      Array.from({ length: lanes }, (_, i) => i),
      (lane) => laneLoop(options, `${options.owner}#${lane}`, counts),
      { concurrency: "unbounded", discard: true }
    ).pipe(
      // One account of disk space for all lanes: two downloads cannot both count the same free gigabytes.
      Effect.provideService(DiskSpace.DiskSpace, DiskSpace.make({ keepFree: options.settings.downloads.keepFreeMegabytes * 1024 * 1024 }))
    )
    return counts
  })

const laneLoop = (options: Options, owner: string, counts: { completed: number; failed: number; retrying: number }) =>
  Effect.gen(function*() {
    const poll = Duration.decode(options.pollInterval ?? "2 seconds")
    const leaseFor = Duration.decode(options.leaseFor ?? "60 seconds")
    while (true) {
      const claimed = yield* Downloads.claim({ owner, leaseFor })
      if (Option.isNone(claimed)) {
        if (options.untilIdle === true) return
        yield* Effect.sleep(poll)
        continue
      }
      const lease = claimed.value
      const slot = yield* ProviderSlots.acquire(lease.download.providerId, {
        max: options.settings.provider.maxConnections,
        holder: owner,
        downloadId: lease.download.id,
        leaseFor,
        releaseDelay: options.releaseDelay ?? "5 seconds"
      })
      if (Option.isNone(slot)) {
        // Every connection is busy (here or on another machine): give the job back without counting an attempt.
        yield* Downloads.release(lease)
        yield* Effect.sleep(poll)
        continue
      }
      yield* fetchOne(options, lease, slot.value, leaseFor, counts).pipe(
        // Stopped (Ctrl-C, shutdown): the job goes back to the queue at once, its durable progress kept and this
        // attempt not counted, rather than waiting for its lease to run out.
        Effect.onInterrupt(() => Effect.ignore(Downloads.release(lease))),
        Effect.ensuring(Effect.ignore(ProviderSlots.release(slot.value)))
      )
    }
  })

const fetchOne = (
  options: Options,
  lease: Downloads.Lease,
  slot: ProviderSlots.Slot,
  leaseFor: Duration.Duration,
  counts: { completed: number; failed: number; retrying: number }
) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const job = lease.download
    const emit = (event: Event) => (options.onEvent === undefined ? Effect.void : options.onEvent(event))
    const failWith = (message: string, errorClass: string, retryable: boolean) =>
      Effect.gen(function*() {
        yield* Downloads.fail(lease, { message, class: errorClass, retryable })
        const fresh = yield* Downloads.get(job.id)
        const retrying = fresh.state === "retry-wait"
        if (retrying) counts.retrying++
        else counts.failed++
        yield* emit({ _tag: "Failed", download: fresh, error: message, retrying })
      })

    const source = yield* Entries.source(job.providerId, job.entryKey)
    if (Option.isNone(source)) return yield* failWith("the entry is no longer in the catalogue", "item", false)
    const credentials = Credentials.configured(options.settings.provider)[0]
    const url = credentials === undefined
      ? source.value.urlTemplate
      : StreamUrl.fromTemplate(source.value.urlTemplate, credentials)
    if (url.includes("{username}") || url.includes("{password}")) {
      return yield* failWith("the provider's username and password are not configured", "fatal", false)
    }
    const headers: Record<string, string> = {}
    for (const name of ["user-agent", "referer"]) {
      const value = source.value.headers[name]
      if (value !== undefined) headers[name] = credentials === undefined ? value : StreamUrl.fromTemplate(value, credentials)
    }
    yield* fs.makeDirectory(path.dirname(job.targetPath), { recursive: true }).pipe(Effect.ignore)
    const partial = path.join(path.dirname(job.targetPath), `.stalkeer-${job.id}.part`)
    // Published by an earlier run that stopped before recording it: the whole file is in place, the partial gone.
    if (job.totalBytes !== null && job.durableBytes === job.totalBytes && !(yield* fs.exists(partial).pipe(Effect.orElseSucceed(() => true)))) {
      const placed = yield* fs.stat(job.targetPath).pipe(Effect.option)
      if (Option.isSome(placed) && Number(placed.value.size) === job.totalBytes) {
        if (!(yield* Downloads.complete(lease))) return yield* Effect.fail(new Fenced())
        counts.completed++
        const imported = yield* importInto(job)
        return yield* emit({ _tag: "Completed", download: yield* Downloads.get(job.id), imported })
      }
    }
    // A file already at the target that is not this job's own (half-published) one: the library is never
    // overwritten, so nothing is fetched for it.
    const free = yield* Effect.either(Download.ensureFree(partial, job.targetPath))
    if (free._tag === "Left") return yield* failWith(free.left.message, free.left.class, false)
    yield* emit({ _tag: "Started", download: job })

    // The lease and the slot stay ours while the transfer runs; losing the lease stops it.
    const transfer = Download.run({
      url: Redacted.make(url),
      partial,
      extension: job.extension ?? undefined,
      state: { durable: job.durableBytes, total: job.totalBytes, etag: job.etag },
      userAgent: Option.getOrUndefined(options.settings.provider.userAgent),
      headers,
      stallTimeout: options.settings.downloads.stallTimeout,
      onCheckpoint: (state) =>
        Effect.flatMap(Downloads.progress(lease, state), (current) => current ? Effect.void : Effect.fail(new Fenced())),
      onProgress: (progress) => emit({ _tag: "Progress", download: job, progress })
    })
    // The lease and the slot renewed every third of the lease, for as long as the transfer runs. A lost lease ends
    // the transfer at once (the job is another worker's now), rather than at its next checkpoint.
    const heartbeat = Effect.gen(function*() {
      const current = yield* Downloads.heartbeat(lease, leaseFor)
      yield* ProviderSlots.heartbeat(slot, leaseFor)
      if (!current) return yield* Effect.fail(new Fenced())
    }).pipe(Effect.delay(Duration.times(leaseFor, 1 / 3)), Effect.forever)
    // A download's own failure is judged below; a database failure ends the worker.
    const result = yield* transfer.pipe(
      Effect.raceFirst(heartbeat),
      Effect.map(Either.right),
      Effect.catchTag("DownloadError", (error) => Effect.succeed(Either.left(error)))
    )

    if (result._tag === "Left") {
      const error = result.left
      const provider = options.settings.provider
      const cooling = { threshold: provider.denialsBeforeCooldown, base: provider.cooldown, max: provider.maxCooldown }
      if (error.class === "account" || error.class === "item") {
        const until = yield* ProviderSlots.deny(job.providerId, error.class, error.message, cooling)
        if (Option.isSome(until)) {
          yield* Effect.logWarning(`the provider refused too often: downloads pause until ${until.value.toISOString()}`)
        }
      }
      return yield* failWith(
        StreamUrl.scrub(error.message, Credentials.configured(options.settings.provider)),
        error.class,
        error.class === "transfer" || error.class === "account"
      )
    }
    const published = yield* Download.publish(partial, job.targetPath).pipe(Effect.either)
    if (published._tag === "Left") return yield* failWith(published.left.message, published.left.class, false)
    if (!(yield* Downloads.complete(lease))) return yield* Effect.fail(new Fenced())
    yield* ProviderSlots.clear(job.providerId)
    counts.completed++
    const imported = yield* importInto(job)
    yield* emit({ _tag: "Completed", download: yield* Downloads.get(job.id), imported })
  }).pipe(
    // A fenced worker stops touching the job: the one holding the lease now owns it.
    Effect.catchTag("Fenced", (fenced) => Effect.logWarning(fenced.message))
  )

/**
 * Tells Radarr/Sonarr to pick the new file up (a rescan of the movie or series, which imports a file found in its
 * folder), when one is configured here, then checks that it did: a rescan that finds nothing means the app does not
 * see the file where it was put (a missing path mapping, permissions), which the user must hear about.
 */
const importInto = (job: Downloads.Download) =>
  Effect.gen(function*() {
    const key = WantedKey.parse(job.wantedKey)
    const where = job.importPath ?? job.targetPath
    const outcome: Option.Option<{ readonly imported: boolean; readonly app: string }> = job.arr === "radarr"
      ? yield* Effect.serviceOption(Radarr.Radarr).pipe(Effect.flatMap(Option.match({
        onNone: () => Effect.succeed(Option.none()),
        onSome: (radarr) =>
          Effect.gen(function*() {
            yield* radarr.command({ name: "RescanMovie", movieId: job.arrItemId })
            const movie = yield* radarr.movie(job.arrItemId)
            return Option.some({ imported: movie.hasFile, app: "Radarr" })
          })
      })))
      : yield* Effect.serviceOption(Sonarr.Sonarr).pipe(Effect.flatMap(Option.match({
        onNone: () => Effect.succeed(Option.none()),
        onSome: (sonarr) =>
          Effect.gen(function*() {
            yield* sonarr.command({ name: "RescanSeries", seriesId: job.arrItemId })
            const episodes = yield* sonarr.episodes(job.arrItemId)
            const mine = episodes.filter((e) =>
              key?._tag === "Episode"
                ? e.id === key.episodeId
                : key?._tag === "Episodes"
                ? e.seasonNumber === key.season && e.episodeNumber >= key.first && e.episodeNumber <= key.last
                : false
            )
            // A key of another form cannot be checked: the rescan is all there is to go by.
            return Option.some({ imported: mine.length === 0 ? key === undefined : mine.every((e) => e.hasFile), app: "Sonarr" })
          })
      })))
    if (Option.isNone(outcome)) {
      yield* Downloads.setImport(job.id, "requested", `${job.arr} is not configured here: rescan it there`)
      return "not imported: no client configured"
    }
    const { app, imported } = outcome.value
    if (!imported) {
      const detail = `${app} rescanned but lists no file: check that it sees ${where} (${job.arr}.path_mappings) and may read it`
      yield* Downloads.setImport(job.id, "failed", detail)
      return `not imported: ${detail}`
    }
    const detail = `${app} imported the file`
    yield* Downloads.setImport(job.id, "completed", detail)
    return detail
  }).pipe(
    Effect.catchTag("ArrError", (error) =>
      Effect.as(Downloads.setImport(job.id, "failed", error.message), `import failed: ${error.message}`))
  )
