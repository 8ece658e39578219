/**
 * The four scheduled jobs of `stalkeer serve`, the same use-cases the CLI's commands run:
 *
 * - `playlist`: download the provider's playlist and ingest it (`stalkeer process`);
 * - `enrich`: identify new works through TMDB (`stalkeer enrich`);
 * - `radarr` / `sonarr`: plan what Radarr / Sonarr want and enqueue it (`stalkeer radarr|sonarr --no-wait`); the
 *   service's download worker fetches the queue.
 *
 * A job whose service is not configured, or whose interval is zero, runs only when asked for (an API action), and
 * then fails saying what is missing. Each logs one line of what it did.
 *
 * Each step's success asks for the steps that use its result, so new data flows through in one go rather than
 * waiting for each interval: a refreshed catalogue is identified, and new identifications are matched against
 * what Radarr and Sonarr want.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Path from "@effect/platform/Path"
import * as SqlClient from "@effect/sql/SqlClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import { AppConfig } from "@stalkeer/config"
import type { Settings } from "@stalkeer/config"
import { Tmdb } from "@stalkeer/tmdb"
import type * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Choice from "./Choice.js"
import * as Clients from "./Clients.js"
import * as Enqueue from "./Enqueue.js"
import * as Enrich from "./Enrich.js"
import * as Scheduler from "./Scheduler.js"
import * as Process from "./Process.js"

export const names = ["playlist", "enrich", "radarr", "sonarr"] as const
export type Name = typeof names[number]

/** A job was asked for whose service is not configured. */
export class NotConfigured extends Data.TaggedError("NotConfigured")<{ readonly job: Name; readonly keys: string }> {
  override get message(): string {
    return `${this.job} is not configured: set ${this.keys}`
  }
}

export type Requirements =
  | SqlClient.SqlClient
  | HttpClient.HttpClient
  | FileSystem.FileSystem
  | Path.Path

/** `null` (only on request) when not configured or set to zero. */
const every = (configured: boolean, interval: Duration.Duration): Duration.Duration | null =>
  configured && Duration.greaterThan(interval, Duration.zero) ? interval : null

/** The client `tag` when configured; else the job fails saying which keys to set. */
const need = <I, S>(tag: Context.Tag<I, S>, job: Name, keys: string): Effect.Effect<S, NotConfigured> =>
  Effect.flatMap(
    Effect.serviceOption(tag),
    Option.match({ onNone: () => Effect.fail(new NotConfigured({ job, keys })), onSome: Effect.succeed })
  )

const playlist = (settings: Settings.Settings) =>
  Effect.gen(function*() {
    if (Option.isNone(AppConfig.playlistUrl(settings.provider))) {
      return yield* new NotConfigured({ job: "playlist", keys: "provider.playlist_url, or provider.base_url with username and password" })
    }
    // The service's own connection: the ingest runs on the database the service already holds.
    const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))
    const { counts } = yield* Process.run({ settings, database })
    yield* Effect.logInfo(
      `playlist: ${counts.total} entries (${counts.added + counts.revived} added, ${counts.changed} changed, ` +
        `${counts.vanished} vanished, ${counts.removed} removed)`
    )
  })

const enrich = (settings: Settings.Settings) =>
  Effect.gen(function*() {
    const tmdb = yield* need(Tmdb.Tmdb, "enrich", "tmdb.api_key or tmdb.access_token")
    const summary = yield* Enrich.run({ language: settings.tmdb.language, cacheTtlDays: settings.tmdb.cacheTtlDays }).pipe(
      Effect.provideService(Tmdb.Tmdb, tmdb)
    )
    yield* Effect.logInfo(
      `enrich: ${summary.works} works looked at, ${summary.identified} identified, ${summary.errors} left for lack of answers`
    )
  })

const counted = <E, R>(enqueued: Stream.Stream<Enqueue.Enqueued, E, R>, noun: string, job: Name) =>
  Effect.gen(function*() {
    const counts = { wanted: 0, queued: 0, already: 0 }
    yield* Stream.runForEach(enqueued, ({ outcome }) =>
      Effect.sync(() => {
        counts.wanted++
        if (outcome._tag === "Queued") counts.queued++
        if (outcome._tag === "AlreadyQueued") counts.already++
      }))
    yield* Effect.logInfo(`${job}: ${counts.wanted} wanted ${noun}, ${counts.queued} queued, ${counts.already} already queued`)
  })

const radarr = (settings: Settings.Settings) =>
  Effect.gen(function*() {
    const client = yield* need(Radarr.Radarr, "radarr", "radarr.url and radarr.api_key")
    yield* counted(Enqueue.radarr({ preferences: Choice.preferences(settings.matching), settings }), "movies", "radarr").pipe(
      Effect.provideService(Radarr.Radarr, client)
    )
  })

const sonarr = (settings: Settings.Settings) =>
  Effect.gen(function*() {
    const client = yield* need(Sonarr.Sonarr, "sonarr", "sonarr.url and sonarr.api_key")
    yield* counted(Enqueue.sonarr({ preferences: Choice.preferences(settings.matching), settings }), "episodes", "sonarr").pipe(
      Effect.provideService(Sonarr.Sonarr, client)
    )
  })

/** What a job needs that the settings do not have (the keys to set), if anything. */
export const missing = (settings: Settings.Settings, name: Name): Option.Option<string> => {
  switch (name) {
    case "playlist":
      return Option.isSome(AppConfig.playlistUrl(settings.provider))
        ? Option.none()
        : Option.some("provider.playlist_url, or provider.base_url with username and password")
    case "enrich":
      return Clients.tmdbConfigured(settings) ? Option.none() : Option.some("tmdb.api_key or tmdb.access_token")
    case "radarr":
      return Clients.radarrConfigured(settings) ? Option.none() : Option.some("radarr.url and radarr.api_key")
    case "sonarr":
      return Clients.sonarrConfigured(settings) ? Option.none() : Option.some("sonarr.url and sonarr.api_key")
  }
}

/** After `job` succeeds, ask for the runs of `next` that are configured. */
const then = <E, R>(run: Effect.Effect<void, E, R>, next: ReadonlyArray<Name>) =>
  Effect.tap(run, () =>
    Effect.forEach(next, (name) =>
      Scheduler.trigger(name).pipe(
        Effect.catchAll((error) => Effect.logWarning(`cannot ask for ${name} to run: ${error.message}`))
      ), { discard: true }))

/** The jobs as the settings schedule them; the clients they use come from `Clients.layer` when configured. */
export const make = (settings: Settings.Settings): ReadonlyArray<Scheduler.Job<Requirements>> => {
  const arrs: ReadonlyArray<Name> = [
    ...(Clients.radarrConfigured(settings) ? ["radarr" as const] : []),
    ...(Clients.sonarrConfigured(settings) ? ["sonarr" as const] : [])
  ]
  const tmdb = Clients.tmdbConfigured(settings)
  return [
    {
      name: "playlist",
      interval: every(Option.isSome(AppConfig.playlistUrl(settings.provider)), settings.schedule.playlist),
      run: then(playlist(settings), tmdb ? ["enrich"] : arrs)
    },
    { name: "enrich", interval: every(tmdb, settings.schedule.enrich), run: then(enrich(settings), arrs) },
    { name: "radarr", interval: every(Clients.radarrConfigured(settings), settings.schedule.radarr), run: radarr(settings) },
    { name: "sonarr", interval: every(Clients.sonarrConfigured(settings), settings.schedule.sonarr), run: sonarr(settings) }
  ]
}
