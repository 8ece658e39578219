/**
 * The TMDB v3 client: search, details (with external ids, alternative titles and translations appended) and
 * find-by-external-id, decoded into `TmdbResponse` values.
 *
 * Polite by construction: every request, retries included, passes one rate limiter (evenly spaced, default 20
 * requests/s); 429 waits for `Retry-After` (else backs off) and retries, 5xx, network errors and timeouts retry with
 * the shared `Retry` policy of `@stalkeer/downloader` (exponential backoff with jitter, capped); 401, 404 and other
 * 4xx never retry. The API key or token stays `Redacted`: the key goes into the query string only when the request
 * is sent, the client's tracing is off (its spans would record the URL), and errors name the path alone.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { HttpFailure, Retry } from "@stalkeer/downloader"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as RateLimiter from "effect/RateLimiter"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Wire from "./internal/wire.js"
import { TmdbError } from "./TmdbError.js"
import type * as TmdbResponse from "./TmdbResponse.js"

export { TmdbError } from "./TmdbError.js"

/** A v3 API key (sent as the `api_key` query parameter) or a v4 read access token (`Authorization: Bearer`). */
export type Auth =
  | { readonly apiKey: Redacted.Redacted }
  | { readonly accessToken: Redacted.Redacted }

export interface Options {
  /** Default `https://api.themoviedb.org/3`; requests go to `${baseUrl}/search/movie` etc. */
  readonly baseUrl?: string | undefined
  /** Without it, `make` fails with `MissingCredentials`. */
  readonly auth?: Auth | undefined
  /** Language of the titles asked for (default `en-US`); each call may override it. */
  readonly language?: string | undefined
  /**
   * Requests started per second, retries included (default 20). `Infinity` lifts the limit (a benchmark against a
   * local fake). Ignored when `limiter` is given.
   */
  readonly requestsPerSecond?: number | undefined
  /**
   * An existing limiter (`makeLimiter`), for services built from different layers that must share the process's
   * one budget. Without it, `make` creates one: every user of the service (and of a layer built once) shares it.
   */
  readonly limiter?: RateLimiter.RateLimiter | undefined
  /** Longest wait for one complete answer, per attempt (default 10 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retries of 429, 5xx, network errors and timeouts (default: 3 retries from 1 s, doubling, capped at 60 s). */
  readonly retry?: Retry.Policy | undefined
}

/**
 * The `tmdb` section of Stalkeer's configuration as `@stalkeer/config` reads it (`AppConfig.Tmdb`, i.e.
 * `settings.tmdb`), declared here by shape so that this package depends on no other Stalkeer package.
 * `cacheTtlDays` and any other extra field is ignored.
 */
export interface Settings {
  readonly baseUrl: string
  readonly apiKey: Option.Option<Redacted.Redacted>
  readonly accessToken: Option.Option<Redacted.Redacted>
  readonly language: string
  readonly requestsPerSecond: number
}

/** What `layerConfig` takes besides the configuration: the parts a configuration file does not hold. */
export type Overrides = Pick<Options, "limiter" | "timeout" | "retry">

export interface SearchMovieParams {
  readonly query: string
  /** Any release of that year (regional releases included). */
  readonly year?: number | undefined
  /** The primary release only. */
  readonly primaryReleaseYear?: number | undefined
  readonly language?: string | undefined
  /** 1..500 (default 1). */
  readonly page?: number | undefined
}

export interface SearchTvParams {
  readonly query: string
  readonly firstAirDateYear?: number | undefined
  /** The first air date or any episode's air date. */
  readonly year?: number | undefined
  readonly language?: string | undefined
  readonly page?: number | undefined
}

export interface DetailsOptions {
  readonly language?: string | undefined
}

export type ExternalSource = "imdb_id" | "tvdb_id"

export interface Service {
  readonly searchMovie: (
    params: SearchMovieParams
  ) => Effect.Effect<TmdbResponse.SearchPage<TmdbResponse.MovieResult>, TmdbError>
  readonly searchTv: (params: SearchTvParams) => Effect.Effect<TmdbResponse.SearchPage<TmdbResponse.TvResult>, TmdbError>
  /** The movie with its external ids, alternative titles and translations. */
  readonly movie: (id: number, options?: DetailsOptions) => Effect.Effect<TmdbResponse.MovieDetails, TmdbError>
  /** The series with its external ids (TVDB included), alternative titles and translations. */
  readonly tv: (id: number, options?: DetailsOptions) => Effect.Effect<TmdbResponse.TvDetails, TmdbError>
  /** What TMDB knows under an IMDb id (`tt…`) or a TVDB id: empty lists when nothing, never `NotFound`. */
  readonly find: (
    externalId: string,
    source: ExternalSource,
    options?: DetailsOptions
  ) => Effect.Effect<TmdbResponse.FindResult, TmdbError>
  /** HTTP requests sent so far by this service, retries included. */
  readonly requests: Effect.Effect<number>
}

export class Tmdb extends Context.Tag("@stalkeer/tmdb/Tmdb")<Tmdb, Service>() {}

export const defaults = {
  baseUrl: "https://api.themoviedb.org/3",
  language: "en-US",
  requestsPerSecond: 20,
  timeout: Duration.seconds(10)
} as const

const APPEND = "external_ids,alternative_titles,translations"

/**
 * A rate limiter of `requestsPerSecond` (default 20). Up to 100/s, requests are evenly spaced (no bursts: TMDB
 * counts per second); above, they go in 100 ms windows. `Infinity` lifts the limit. Its refill fiber lives in the
 * scope.
 */
export const makeLimiter = (
  requestsPerSecond: number = defaults.requestsPerSecond
): Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope> => {
  if (requestsPerSecond === Infinity) return Effect.succeed(unlimited)
  if (!(requestsPerSecond > 0)) return Effect.dieMessage(`requestsPerSecond must be > 0, got ${requestsPerSecond}`)
  return requestsPerSecond <= 100
    ? RateLimiter.make({ limit: 1, interval: Duration.millis(1000 / requestsPerSecond), algorithm: "token-bucket" })
    : RateLimiter.make({ limit: Math.ceil(requestsPerSecond / 10), interval: "100 millis", algorithm: "fixed-window" })
}

const unlimited: RateLimiter.RateLimiter = (effect) => effect

/** What may be retried: everything else is final at once. */
const RETRYABLE = new Set<TmdbError["reason"]>(["RateLimited", "Server", "Transport", "Timeout"])



/** The first problem of a failed decode, as `results[0].id: Expected number` — never the offending value. */
const describeIssue = (issue: ParseResult.ParseIssue): string => {
  const first = ParseResult.ArrayFormatter.formatIssueSync(issue)[0]
  if (first === undefined) return "unexpected shape"
  const where = first.path
    .map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`))
    .join("")
    .replace(/^\./, "")
  const what = first.message.replace(/, actual [\s\S]*$/, "").replace(/\s+/g, " ")
  const text = `${where === "" ? "body" : where}: ${what}`
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

const oneLine = (text: string, max = 160): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat
}

/** The service over the `HttpClient` in context. Fails with `MissingCredentials` without `auth`. */
export const make = (
  options: Options
): Effect.Effect<Service, TmdbError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const auth = options.auth
    if (auth === undefined) return yield* new TmdbError({ reason: "MissingCredentials" })
    const credential = "apiKey" in auth ? "apiKey" as const : "accessToken" as const
    const secret = "apiKey" in auth ? auth.apiKey : auth.accessToken
    const base = (options.baseUrl ?? defaults.baseUrl).replace(/\/+$/, "")
    const language = options.language ?? defaults.language
    const timeout = Duration.decode(options.timeout ?? defaults.timeout)
    const policy = options.retry ?? {}
    const times = policy.times ?? Retry.defaults.times
    const limiter = options.limiter ?? (yield* makeLimiter(options.requestsPerSecond ?? defaults.requestsPerSecond))
    const sent = yield* Ref.make(0)

    // The client's spans would record the full URL, the api_key included, and send trace headers to TMDB.
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.withScope
    )
    const authorize = (request: HttpClientRequest.HttpClientRequest) =>
      credential === "apiKey"
        ? HttpClientRequest.setUrlParam(request, "api_key", Redacted.value(secret))
        : HttpClientRequest.bearerToken(request, secret)

    /** Server text (TMDB's `status_message`) with the secret cut out, should a proxy ever echo it. */
    const scrub = (text: string): string => {
      const value = Redacted.value(secret)
      return value.length < 4 ? text : text.split(value).join("***")
    }

    const statusError = (path: string, response: HttpClientResponse.HttpClientResponse) =>
      Effect.gen(function*() {
        const status = response.status
        const text = yield* Effect.orElseSucceed(response.text, () => "")
        const body = Schema.decodeUnknownOption(Schema.parseJson(Wire.ErrorBody))(text)
        const tmdbCode = Option.flatMapNullable(body, (b) => b.status_code)
        const common = { path, status, ...(Option.isSome(tmdbCode) ? { tmdbCode: tmdbCode.value } : {}) }
        if (status === 401) return new TmdbError({ reason: "Unauthorized", credential, ...common })
        if (status === 404) return new TmdbError({ reason: "NotFound", ...common })
        if (status === 429 || status >= 500) {
          const now = yield* Clock.currentTimeMillis
          const retryAfter = status === 429 || status === 503
            ? Retry.parseRetryAfter(response.headers["retry-after"], now)
            : undefined
          return new TmdbError({
            reason: status === 429 ? "RateLimited" : "Server",
            ...common,
            ...(retryAfter !== undefined ? { retryAfterSeconds: Duration.toSeconds(retryAfter) } : {})
          })
        }
        const message = Option.flatMapNullable(body, (b) => b.status_message)
        return new TmdbError({
          reason: "Rejected",
          ...common,
          ...(Option.isSome(message) ? { detail: oneLine(scrub(message.value)) } : {})
        })
      })

    const transport = (path: string) => (error: HttpClientError.HttpClientError) =>
      new TmdbError({
        reason: "Transport",
        path,
        detail: HttpFailure.errorCode(error) ??
          (error._tag === "ResponseError" ? "connection lost" : `connection to ${hostOf(base)} failed`)
      })

    /** One attempt, after the limiter lets it start: the body text of a 2xx, else the status as an error. */
    const attempt = (path: string, params: Record<string, string>) =>
      limiter(
        Effect.gen(function*() {
          yield* Ref.update(sent, (n) => n + 1)
          const request = HttpClientRequest.get(`${base}${path}`).pipe(
            HttpClientRequest.setUrlParams(params),
            HttpClientRequest.acceptJson,
            HttpClientRequest.setHeader("user-agent", "stalkeer-tmdb/0.1"),
            authorize
          )
          const response = yield* client.execute(request).pipe(Effect.mapError(transport(path)))
          if (response.status < 200 || response.status >= 300) return yield* Effect.flip(statusError(path, response))
          return yield* response.text.pipe(Effect.mapError(transport(path)))
        }).pipe(
          Effect.scoped,
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () => new TmdbError({ reason: "Timeout", path, timeoutMillis: Duration.toMillis(timeout) })
          })
        )
      )

    const get = <A, I>(path: string, params: Record<string, string | number | undefined>, schema: Schema.Schema<A, I>) => {
      const defined: Record<string, string> = {}
      for (const [key, value] of Object.entries(params)) if (value !== undefined) defined[key] = String(value)
      return Retry.retry(attempt(path, defined), policy, {
        retryable: (error) => RETRYABLE.has(error.reason),
        retryAfter: (error) =>
          error.retryAfterSeconds === undefined ? undefined : Duration.seconds(error.retryAfterSeconds),
        onRetry: (error, retry, delay) =>
          Effect.logWarning(`${error.message}; retry ${retry}/${times} in ${HttpFailure.formatDuration(delay)}`),
        attempts: (error, attempts) => (attempts > 1 ? new TmdbError({ ...error, attempts }) : error)
      }).pipe(
        Effect.flatMap((text) =>
          Effect.try({
            try: () => JSON.parse(text) as unknown,
            catch: () => new TmdbError({ reason: "InvalidResponse", path, detail: "the body is not JSON" })
          })
        ),
        Effect.flatMap((json) =>
          Schema.decodeUnknown(schema)(json).pipe(
            Effect.mapError((error) =>
              new TmdbError({ reason: "InvalidResponse", path, detail: describeIssue(error.issue) })
            )
          )
        ),
        Effect.annotateLogs({ service: "Tmdb" })
      )
    }

    const id = (value: number | string) => encodeURIComponent(String(value))

    return {
      searchMovie: Effect.fn("Tmdb.searchMovie")(function*(params: SearchMovieParams) {
        return yield* get("/search/movie", {
          query: params.query,
          include_adult: "false",
          language: params.language ?? language,
          page: params.page,
          year: params.year,
          primary_release_year: params.primaryReleaseYear
        }, Wire.MovieSearch)
      }),
      searchTv: Effect.fn("Tmdb.searchTv")(function*(params: SearchTvParams) {
        return yield* get("/search/tv", {
          query: params.query,
          include_adult: "false",
          language: params.language ?? language,
          page: params.page,
          first_air_date_year: params.firstAirDateYear,
          year: params.year
        }, Wire.TvSearch)
      }),
      movie: Effect.fn("Tmdb.movie")(function*(movieId: number, details?: DetailsOptions) {
        return yield* get(`/movie/${id(movieId)}`, {
          append_to_response: APPEND,
          language: details?.language ?? language
        }, Wire.MovieDetails)
      }),
      tv: Effect.fn("Tmdb.tv")(function*(seriesId: number, details?: DetailsOptions) {
        return yield* get(`/tv/${id(seriesId)}`, {
          append_to_response: APPEND,
          language: details?.language ?? language
        }, Wire.TvDetails)
      }),
      find: Effect.fn("Tmdb.find")(function*(externalId: string, source: ExternalSource, details?: DetailsOptions) {
        return yield* get(`/find/${id(externalId)}`, {
          external_source: source,
          language: details?.language ?? language
        }, Wire.FindResult)
      }),
      requests: Ref.get(sent)
    } satisfies Service
  })

const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return "the TMDB base URL"
  }
}

/** The service, with its own rate limiter (unless `options.limiter`), for everything the layer is provided to. */
export const layer = (options: Options): Layer.Layer<Tmdb, TmdbError, HttpClient.HttpClient> =>
  Layer.scoped(Tmdb, make(options))

/** `Options` from the configuration's `tmdb` section; an access token wins over an API key (it never enters a URL). */
export const fromSettings = (settings: Settings, overrides: Overrides = {}): Options => {
  const auth: Auth | undefined = Option.isSome(settings.accessToken)
    ? { accessToken: settings.accessToken.value }
    : Option.isSome(settings.apiKey)
    ? { apiKey: settings.apiKey.value }
    : undefined
  return {
    baseUrl: settings.baseUrl,
    auth,
    language: settings.language,
    requestsPerSecond: settings.requestsPerSecond,
    ...overrides
  }
}

const isConfig = (config: Settings | Config.Config.Wrap<Settings>): config is Config.Config.Wrap<Settings> =>
  Config.isConfig(config) || Config.isConfig((config as { readonly baseUrl: unknown }).baseUrl)

/**
 * The service from the configuration's `tmdb` section: either the loaded value (the app passes `settings.tmdb`
 * from `Settings.load`) or a `Config` of it (`AppConfig.tmdb`). Fails with `MissingCredentials` when neither
 * `api_key` nor `access_token` is set.
 */
export const layerConfig = (
  config: Settings | Config.Config.Wrap<Settings>,
  overrides: Overrides = {}
): Layer.Layer<Tmdb, TmdbError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(
    Tmdb,
    Effect.flatMap(
      isConfig(config) ? Config.unwrap(config) : Effect.succeed(config),
      (settings) => make(fromSettings(settings, overrides))
    )
  )
