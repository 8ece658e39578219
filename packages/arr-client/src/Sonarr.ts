/**
 * The Sonarr API v3 client (Sonarr 3 and 4): the monitored, aired episodes without a file as a lazily paged `Stream`
 * (each with its series), library lookups, and commands (rescan, import a download) polled until they end, decoded
 * into `ArrResponse` values.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { ArrError } from "./ArrError.js"
import type * as ArrResponse from "./ArrResponse.js"
import * as Transport from "./internal/transport.js"
import * as Wire from "./internal/wire.js"

export { ArrError } from "./ArrError.js"

export interface Options extends Transport.Options {}

/** The configuration's `sonarr` section (`AppConfig.sonarr`) by shape; extra fields are ignored. */
export interface Settings extends Transport.Settings {}

export type Overrides = Transport.Overrides

export type Command =
  | {
    /** Rescans one series' folder (`seriesId`), or every series'. */
    readonly name: "RescanSeries"
    readonly seriesId?: number | undefined
  }
  | {
    /** Imports a finished download: a folder or a file as Sonarr sees it. */
    readonly name: "DownloadedEpisodesScan"
    readonly path: string
    readonly importMode?: "auto" | "move" | "copy" | undefined
  }

export interface EpisodesOptions {
  /** Only this season's episodes (0 for specials). */
  readonly seasonNumber?: number | undefined
}

export interface Service {
  /** The server's status; `UnsupportedVersion` when it is not Sonarr or older than v3. */
  readonly status: Effect.Effect<ArrResponse.SystemStatus, ArrError>
  /**
   * Monitored episodes (of monitored series) that have aired and have no file, specials excluded, oldest air date
   * first, one page per pull. Every episode carries its series (`series` is never `null`).
   */
  readonly missing: Stream.Stream<ArrResponse.Episode, ArrError>
  /** The whole library. */
  readonly series: Effect.Effect<ReadonlyArray<ArrResponse.Series>, ArrError>
  /** One series by Sonarr id; `NotFound` when there is none. */
  readonly seriesById: (id: number) => Effect.Effect<ArrResponse.Series, ArrError>
  /** The library's series with this TVDB id, if any. */
  readonly seriesByTvdbId: (tvdbId: number) => Effect.Effect<Option.Option<ArrResponse.Series>, ArrError>
  /** A series' episodes, or one season's. */
  readonly episodes: (
    seriesId: number,
    options?: EpisodesOptions
  ) => Effect.Effect<ReadonlyArray<ArrResponse.Episode>, ArrError>
  readonly rootFolders: Effect.Effect<ReadonlyArray<ArrResponse.RootFolder>, ArrError>
  readonly qualityProfiles: Effect.Effect<ReadonlyArray<ArrResponse.QualityProfile>, ArrError>
  readonly naming: Effect.Effect<ArrResponse.SonarrNaming, ArrError>
  /**
   * Sends the command and polls it until it completes (the final state), fails (`CommandFailed`) or outlasts
   * `commandTimeout` (`CommandTimeout`).
   */
  readonly command: (command: Command) => Effect.Effect<ArrResponse.Command, ArrError>
  /** HTTP requests sent so far by this service, retries and polls included. */
  readonly requests: Effect.Effect<number>
}

export class Sonarr extends Context.Tag("@stalkeer/arr-client/Sonarr")<Sonarr, Service>() {}

export const defaults = Transport.defaults

const SeriesList = Schema.Array(Wire.Series)
const Episodes = Schema.Array(Wire.Episode)

/** The service over the `HttpClient` in context. No request is sent until a method runs. */
export const make = (options: Options): Effect.Effect<Service, ArrError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const transport = yield* Transport.make("Sonarr", options)
    const seriesById = (id: number) => transport.get(`/series/${encodeURIComponent(String(id))}`, {}, Wire.Series)

    // The series are read once per run rather than embedded in every episode (`includeSeries=true` sends and decodes
    // one series object per episode: 20,000 of them for a 20,000-episode backlog): the whole library when the first
    // unknown series appears, then by id any series added since.
    const missing = Stream.suspend(() => {
      const known = new Map<number, ArrResponse.Series>()
      let listed = false
      const complete = (page: Chunk.Chunk<ArrResponse.Episode>) =>
        Effect.gen(function*() {
          for (const episode of page) if (episode.series !== null) known.set(episode.seriesId, episode.series)
          const absent = () => new Set(Chunk.filterMap(page, (e) => known.has(e.seriesId) ? Option.none() : Option.some(e.seriesId)))
          if (!listed && absent().size > 0) {
            listed = true
            for (const series of yield* transport.get("/series", {}, SeriesList)) known.set(series.id, series)
          }
          yield* Effect.forEach(absent(), (id) => Effect.map(seriesById(id), (series) => known.set(id, series)), {
            concurrency: 4,
            discard: true
          })
          return Chunk.map(page, (episode) => episode.series !== null ? episode : { ...episode, series: known.get(episode.seriesId)! })
        })
      return transport.pages(
        "/wanted/missing",
        { sortKey: "episodes.airDateUtc", sortDirection: "ascending", includeSeries: false, monitored: true },
        Wire.Episode
      ).pipe(Stream.mapChunksEffect(complete))
    }).pipe(Stream.withSpan("Sonarr.missing"))

    return {
      status: transport.status.pipe(Effect.withSpan("Sonarr.status")),
      missing,
      series: transport.get("/series", {}, SeriesList).pipe(Effect.withSpan("Sonarr.series")),
      seriesById: Effect.fn("Sonarr.seriesById")(function*(id: number) {
        return yield* seriesById(id)
      }),
      seriesByTvdbId: Effect.fn("Sonarr.seriesByTvdbId")(function*(tvdbId: number) {
        const found = yield* transport.get("/series", { tvdbId }, SeriesList)
        return Option.fromNullable(found.find((s) => s.tvdbId === tvdbId))
      }),
      episodes: Effect.fn("Sonarr.episodes")(function*(seriesId: number, episodes?: EpisodesOptions) {
        return yield* transport.get("/episode", { seriesId, seasonNumber: episodes?.seasonNumber }, Episodes)
      }),
      rootFolders: transport.get("/rootfolder", {}, Schema.Array(Wire.RootFolder)).pipe(
        Effect.withSpan("Sonarr.rootFolders")
      ),
      qualityProfiles: transport.get("/qualityprofile", {}, Schema.Array(Wire.QualityProfile)).pipe(
        Effect.withSpan("Sonarr.qualityProfiles")
      ),
      naming: transport.get("/config/naming", {}, Wire.SonarrNaming).pipe(Effect.withSpan("Sonarr.naming")),
      command: Effect.fn("Sonarr.command")(function*(command: Command) {
        return yield* transport.command(command)
      }),
      requests: transport.requests
    } satisfies Service
  })

/** The service for everything the layer is provided to. */
export const layer = (options: Options): Layer.Layer<Sonarr, ArrError, HttpClient.HttpClient> =>
  Layer.effect(Sonarr, make(options))

/** `Options` from the configuration's `sonarr` section; `MissingConfiguration` when `url` or `api_key` is unset. */
export const fromSettings = (settings: Settings, overrides: Overrides = {}): Either.Either<Options, ArrError> =>
  Transport.fromSettings("Sonarr", settings, overrides)

/**
 * The service from the configuration's `sonarr` section: either the loaded value (`settings.sonarr`) or a `Config`
 * of it (`AppConfig.sonarr`). Fails with `MissingConfiguration` when `url` or `api_key` is unset.
 */
export const layerConfig = (
  config: Settings | Config.Config.Wrap<Settings>,
  overrides: Overrides = {}
): Layer.Layer<Sonarr, ArrError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    Sonarr,
    Transport.loadSettings(config).pipe(
      Effect.flatMap((settings) => fromSettings(settings, overrides)),
      Effect.flatMap((options) => make(options))
    )
  )
