/**
 * The Radarr API v3 client (Radarr 3 to 6): the monitored movies without a file as a lazily paged `Stream`, library
 * lookups, and commands (rescan, import a download) polled until they end, decoded into `ArrResponse` values.
 *
 * `missing` reads `GET /api/v3/wanted/missing` (Radarr ≥ 5.6). On an older Radarr that endpoint does not exist
 * (404 on the first page): it then reads the whole library (`GET /api/v3/movie`) and keeps what Radarr's own
 * "missing" view shows, monitored, available and without a file.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
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

/** The configuration's `radarr` section (`AppConfig.radarr`) by shape; extra fields are ignored. */
export interface Settings extends Transport.Settings {}

export type Overrides = Transport.Overrides

export type Command =
  | {
    /** Rescans one movie's folder (`movieId`), or every movie's. */
    readonly name: "RescanMovie"
    readonly movieId?: number | undefined
  }
  | {
    /** Imports a finished download: a folder or a file as Radarr sees it. */
    readonly name: "DownloadedMoviesScan"
    readonly path: string
    readonly importMode?: "auto" | "move" | "copy" | undefined
  }

export interface Service {
  /** The server's status; `UnsupportedVersion` when it is not Radarr or older than v3. */
  readonly status: Effect.Effect<ArrResponse.SystemStatus, ArrError>
  /**
   * Monitored movies without a file, by sort title, one page per pull. On Radarr < 5.6 (no `wanted/missing`): the
   * library filtered to monitored, available movies without a file.
   */
  readonly missing: Stream.Stream<ArrResponse.Movie, ArrError>
  /** The whole library. */
  readonly movies: Effect.Effect<ReadonlyArray<ArrResponse.Movie>, ArrError>
  /** One movie by Radarr id; `NotFound` when there is none. */
  readonly movie: (id: number) => Effect.Effect<ArrResponse.Movie, ArrError>
  /** The library's movie with this TMDB id, if any. */
  readonly movieByTmdbId: (tmdbId: number) => Effect.Effect<Option.Option<ArrResponse.Movie>, ArrError>
  readonly rootFolders: Effect.Effect<ReadonlyArray<ArrResponse.RootFolder>, ArrError>
  readonly qualityProfiles: Effect.Effect<ReadonlyArray<ArrResponse.QualityProfile>, ArrError>
  readonly naming: Effect.Effect<ArrResponse.RadarrNaming, ArrError>
  /**
   * Sends the command and polls it until it completes (the final state), fails (`CommandFailed`) or outlasts
   * `commandTimeout` (`CommandTimeout`).
   */
  readonly command: (command: Command) => Effect.Effect<ArrResponse.Command, ArrError>
  /** HTTP requests sent so far by this service, retries and polls included. */
  readonly requests: Effect.Effect<number>
}

export class Radarr extends Context.Tag("@stalkeer/arr-client/Radarr")<Radarr, Service>() {}

export const defaults = Transport.defaults

const Movies = Schema.Array(Wire.Movie)

/** What Radarr's UI lists as missing, for servers without `wanted/missing`. */
const isMissing = (movie: ArrResponse.Movie): boolean => movie.monitored && !movie.hasFile && movie.isAvailable

/** The service over the `HttpClient` in context. No request is sent until a method runs. */
export const make = (options: Options): Effect.Effect<Service, ArrError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const transport = yield* Transport.make("Radarr", options)
    const movies = transport.get("/movie", {}, Movies)

    const fallback = Effect.logInfo(
      "Radarr has no /api/v3/wanted/missing (before 5.6): filtering /api/v3/movie instead"
    ).pipe(
      Effect.annotateLogs({ service: "Radarr" }),
      Effect.zipRight(movies),
      Effect.map((all) => all.filter(isMissing))
    )

    return {
      status: transport.status.pipe(Effect.withSpan("Radarr.status")),
      missing: transport.pages(
        "/wanted/missing",
        { sortKey: "movieMetadata.sortTitle", sortDirection: "ascending", monitored: true },
        Wire.Movie,
        fallback
      ).pipe(Stream.withSpan("Radarr.missing")),
      movies: movies.pipe(Effect.withSpan("Radarr.movies")),
      movie: Effect.fn("Radarr.movie")(function*(id: number) {
        return yield* transport.get(`/movie/${encodeURIComponent(String(id))}`, {}, Wire.Movie)
      }),
      movieByTmdbId: Effect.fn("Radarr.movieByTmdbId")(function*(tmdbId: number) {
        const found = yield* transport.get("/movie", { tmdbId }, Movies)
        return Option.fromNullable(found.find((m) => m.tmdbId === tmdbId))
      }),
      rootFolders: transport.get("/rootfolder", {}, Schema.Array(Wire.RootFolder)).pipe(
        Effect.withSpan("Radarr.rootFolders")
      ),
      qualityProfiles: transport.get("/qualityprofile", {}, Schema.Array(Wire.QualityProfile)).pipe(
        Effect.withSpan("Radarr.qualityProfiles")
      ),
      naming: transport.get("/config/naming", {}, Wire.RadarrNaming).pipe(Effect.withSpan("Radarr.naming")),
      command: Effect.fn("Radarr.command")(function*(command: Command) {
        return yield* transport.command(command)
      }),
      requests: transport.requests
    } satisfies Service
  })

/** The service for everything the layer is provided to. */
export const layer = (options: Options): Layer.Layer<Radarr, ArrError, HttpClient.HttpClient> =>
  Layer.effect(Radarr, make(options))

/** `Options` from the configuration's `radarr` section; `MissingConfiguration` when `url` or `api_key` is unset. */
export const fromSettings = (settings: Settings, overrides: Overrides = {}): Either.Either<Options, ArrError> =>
  Transport.fromSettings("Radarr", settings, overrides)

/**
 * The service from the configuration's `radarr` section: either the loaded value (`settings.radarr`) or a `Config`
 * of it (`AppConfig.radarr`). Fails with `MissingConfiguration` when `url` or `api_key` is unset.
 */
export const layerConfig = (
  config: Settings | Config.Config.Wrap<Settings>,
  overrides: Overrides = {}
): Layer.Layer<Radarr, ArrError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    Radarr,
    Transport.loadSettings(config).pipe(
      Effect.flatMap((settings) => fromSettings(settings, overrides)),
      Effect.flatMap((options) => make(options))
    )
  )
