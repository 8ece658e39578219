/**
 * The HTTP side shared by the Radarr and Sonarr clients: one request pipeline, the status → `ArrError` mapping,
 * decoding, paging, commands polled to their end, and the version check.
 *
 * Requests go to `{url}/api/v3{path}` with `Accept: application/json` and the `X-Api-Key` header, set from the
 * `Redacted` key only as the request is built for sending. The client's tracing is off (its spans would record the
 * request) and errors name the API path alone. Network errors, timeouts and 5xx are retried with the shared `Retry`
 * policy of `@stalkeer/downloader`; 4xx never are.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { HttpFailure, Retry } from "@stalkeer/downloader"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { ArrError, type Service as ServiceName, type Setting } from "../ArrError.js"
import * as ArrResponse from "../ArrResponse.js"
import * as Wire from "./wire.js"

export interface Options {
  /** The server's base URL, with any URL base, e.g. `http://host:7878/radarr`. */
  readonly url: string
  readonly apiKey: Redacted.Redacted
  /** Records per page of `wanted/missing` (default 250). */
  readonly pageSize?: number | undefined
  /** Longest wait for one complete answer, per attempt (default 30 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retries of network errors, timeouts and 5xx (default: 3 retries from 1 s, doubling, capped at 60 s). */
  readonly retry?: Retry.Policy | undefined
  /** Longest wait for a command to finish, polls included (default 10 minutes). */
  readonly commandTimeout?: Duration.DurationInput | undefined
  /** Time between two polls of a running command (default 1 second). */
  readonly pollInterval?: Duration.DurationInput | undefined
}

/**
 * A `radarr` or `sonarr` section of Stalkeer's configuration (`AppConfig.Arr`), declared by shape so that this
 * package depends on no other Stalkeer package. `pathMappings` and any other extra field is ignored.
 */
export interface Settings {
  readonly url: Option.Option<string>
  readonly apiKey: Option.Option<Redacted.Redacted>
  readonly pageSize: number
  readonly timeout: Duration.Duration
}

/** What `layerConfig` takes besides the configuration: the parts a configuration file does not hold. */
export type Overrides = Pick<Options, "retry" | "commandTimeout" | "pollInterval">

export const defaults = {
  pageSize: 250,
  timeout: Duration.seconds(30),
  commandTimeout: Duration.minutes(10),
  pollInterval: Duration.seconds(1)
} as const

export type Params = Readonly<Record<string, string | number | boolean | undefined>>

export interface Transport {
  readonly service: ServiceName
  /** `host:port`, for messages. */
  readonly host: string
  readonly pageSize: number
  readonly get: <A, I>(path: string, params: Params, schema: Schema.Schema<A, I>) => Effect.Effect<A, ArrError>
  readonly post: <A, I>(path: string, body: unknown, schema: Schema.Schema<A, I>) => Effect.Effect<A, ArrError>
  /**
   * Every record of a paged endpoint, one page per pull: page N+1 is fetched only when page N has been consumed, and
   * paging stops at `ceil(totalRecords / pageSize)` or at an empty page. `onFirstPageNotFound` replaces the whole
   * stream when the endpoint itself does not exist (404 on page 1).
   */
  readonly pages: <A, I>(
    path: string,
    params: Params,
    item: Schema.Schema<A, I>,
    onFirstPageNotFound?: Effect.Effect<ReadonlyArray<A>, ArrError>
  ) => Stream.Stream<A, ArrError>
  /** `POST /command`, then polls `GET /command/{id}` until the command ends. */
  readonly command: (body: { readonly name: string }) => Effect.Effect<ArrResponse.Command, ArrError>
  /** `GET /system/status`, checked to be this service at API v3. */
  readonly status: Effect.Effect<ArrResponse.SystemStatus, ArrError>
  readonly requests: Effect.Effect<number>
}

/** What may be retried: everything else is final at once. */
const RETRYABLE = new Set<ArrError["reason"]>(["Unreachable", "Timeout", "Server"])

/** The first problem of a failed decode, as `records[0].id: Expected number` — never the offending value. */
export const describeIssue = (issue: ParseResult.ParseIssue): string => {
  const first = ParseResult.ArrayFormatter.formatIssueSync(issue)[0]
  if (first === undefined) return "unexpected shape"
  const where = first.path
    .map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`))
    .join("")
    .replace(/^\./, "")
  const what = first.message.replace(/, actual [\s\S]*$/, "").replace(/\s+/g, " ")
  return oneLine(`${where === "" ? "body" : where}: ${what}`)
}

const oneLine = (text: string, max = 160): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat
}

/** The server's own words from an error body: `ErrorModel.message`, a validation failure, a problem's title. */
const serverMessage = (text: string): string | undefined => {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return undefined
  }
  const first = Array.isArray(body) ? body[0] : body
  if (typeof first !== "object" || first === null) return undefined
  const { errorMessage, message, propertyName, title } = first as Record<string, unknown>
  if (typeof errorMessage === "string") {
    return typeof propertyName === "string" && propertyName !== "" ? `${propertyName}: ${errorMessage}` : errorMessage
  }
  if (typeof message === "string") return message
  return typeof title === "string" ? title : undefined
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return "its URL"
  }
}

const invalidUrl = (url: string): boolean => {
  try {
    const parsed = new URL(url)
    return parsed.protocol !== "http:" && parsed.protocol !== "https:"
  } catch {
    return true
  }
}

/** The transport of one service over the `HttpClient` in context. */
export const make = (
  service: ServiceName,
  options: Options
): Effect.Effect<Transport, ArrError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const section = service.toLowerCase()
    const missing: Array<Setting> = []
    if (options.url.trim() === "") missing.push("url")
    if (Redacted.value(options.apiKey).trim() === "") missing.push("apiKey")
    if (missing.length > 0) return yield* new ArrError({ reason: "MissingConfiguration", service, missing })
    // Never echo the URL: it may carry credentials (user:password@host, ?apikey=).
    if (invalidUrl(options.url)) {
      return yield* new ArrError({
        reason: "MissingConfiguration",
        service,
        missing: ["url"],
        detail: `${section}.url must be an http(s) URL, e.g. http://localhost:${service === "Radarr" ? 7878 : 8989}`
      })
    }
    const apiKey = options.apiKey
    const base = `${options.url.trim().replace(/\/+$/, "")}/api/v3`
    const host = hostOf(base)
    const pageSize = options.pageSize ?? defaults.pageSize
    const timeout = Duration.decode(options.timeout ?? defaults.timeout)
    const commandTimeout = Duration.decode(options.commandTimeout ?? defaults.commandTimeout)
    const pollInterval = Duration.decode(options.pollInterval ?? defaults.pollInterval)
    const policy = options.retry ?? {}
    const times = policy.times ?? Retry.defaults.times
    const sent = yield* Ref.make(0)

    // The client's spans would record the request and send trace headers to the server.
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.withScope
    )

    /** Server text with the key cut out, should it ever be echoed. */
    const scrub = (text: string): string => {
      const key = Redacted.value(apiKey)
      const cut = key.length < 4 ? text : text.split(key).join("***")
      return oneLine(cut.replace(/(api_?key=)[^&\s"]+/gi, "$1***"))
    }

    const statusError = (path: string, response: HttpClientResponse.HttpClientResponse) =>
      Effect.gen(function*() {
        const status = response.status
        const common = { service, path, status }
        if (status === 401) return new ArrError({ reason: "Unauthorized", ...common })
        if (status === 404) return new ArrError({ reason: "NotFound", ...common })
        const text = yield* Effect.orElseSucceed(response.text, () => "")
        const message = serverMessage(text)
        return new ArrError({
          reason: status >= 500 ? "Server" : "Rejected",
          ...common,
          ...(message !== undefined && message.trim() !== "" ? { detail: scrub(message) } : {})
        })
      })

    const unreachable = (path: string) => (error: HttpClientError.HttpClientError) =>
      new ArrError({
        reason: "Unreachable",
        service,
        path,
        host,
        detail: HttpFailure.errorCode(error) ?? (error._tag === "ResponseError" ? "connection lost" : "connection failed")
      })

    /** One attempt: the body text of a 2xx, else the status as an error. */
    const attempt = (path: string, build: () => HttpClientRequest.HttpClientRequest) =>
      Effect.gen(function*() {
        yield* Ref.update(sent, (n) => n + 1)
        const request = build().pipe(
          HttpClientRequest.acceptJson,
          HttpClientRequest.setHeader("user-agent", "stalkeer-arr-client/0.1"),
          HttpClientRequest.setHeader("x-api-key", Redacted.value(apiKey))
        )
        const response = yield* client.execute(request).pipe(Effect.mapError(unreachable(path)))
        if (response.status < 200 || response.status >= 300) return yield* Effect.flip(statusError(path, response))
        return yield* response.text.pipe(Effect.mapError(unreachable(path)))
      }).pipe(
        Effect.scoped,
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new ArrError({ reason: "Timeout", service, path, timeoutMillis: Duration.toMillis(timeout) })
        })
      )

    const send = <A, I>(path: string, build: () => HttpClientRequest.HttpClientRequest, schema: Schema.Schema<A, I>) =>
      Retry.retry(attempt(path, build), policy, {
        retryable: (error) => RETRYABLE.has(error.reason),
        onRetry: (error, retry, delay) =>
          Effect.logWarning(`${error.message}; retry ${retry}/${times} in ${HttpFailure.formatDuration(delay)}`),
        attempts: (error, attempts) => (attempts > 1 ? new ArrError({ ...error, attempts }) : error)
      }).pipe(
        Effect.flatMap((text) =>
          Effect.try({
            try: () => JSON.parse(text) as unknown,
            catch: () => new ArrError({ reason: "InvalidResponse", service, path, detail: "the body is not JSON" })
          })
        ),
        Effect.flatMap((json) =>
          Schema.decodeUnknown(schema)(json).pipe(
            Effect.mapError((error) =>
              new ArrError({ reason: "InvalidResponse", service, path, detail: describeIssue(error.issue) })
            )
          )
        ),
        Effect.annotateLogs({ service })
      )

    const get = <A, I>(path: string, params: Params, schema: Schema.Schema<A, I>) => {
      const defined: Record<string, string> = {}
      for (const [key, value] of Object.entries(params)) if (value !== undefined) defined[key] = String(value)
      return send(`/api/v3${path}`, () => HttpClientRequest.setUrlParams(HttpClientRequest.get(`${base}${path}`), defined), schema)
    }

    // Retrying a POST is safe here: the *arr command queue hands back the queued or running command of the same
    // name and body instead of queueing a second one (`CommandQueueManager.Push`).
    const post = <A, I>(path: string, body: unknown, schema: Schema.Schema<A, I>) =>
      send(`/api/v3${path}`, () => HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post(`${base}${path}`), body), schema)

    const pages = <A, I>(
      path: string,
      params: Params,
      item: Schema.Schema<A, I>,
      onFirstPageNotFound?: Effect.Effect<ReadonlyArray<A>, ArrError>
    ): Stream.Stream<A, ArrError> => {
      const schema = Wire.Page(item)
      return Stream.paginateChunkEffect(1, (page: number) => {
        const fetched = get(path, { ...params, page, pageSize }, schema).pipe(
          Effect.map((answer): readonly [Chunk.Chunk<A>, Option.Option<number>] => {
            const size = answer.pageSize > 0 ? answer.pageSize : pageSize
            const more = answer.records.length > 0 && page < Math.ceil(answer.totalRecords / size)
            return [Chunk.fromIterable(answer.records), more ? Option.some(page + 1) : Option.none()]
          })
        )
        return page !== 1 || onFirstPageNotFound === undefined ? fetched : fetched.pipe(
          Effect.catchIf(
            (error) => error.reason === "NotFound",
            () => Effect.map(onFirstPageNotFound, (items) => [Chunk.fromIterable(items), Option.none<number>()] as const)
          )
        )
      })
    }

    const command = (body: { readonly name: string }) =>
      Effect.gen(function*() {
        let last = yield* post("/command", body, Wire.Command)
        const ended = (state: ArrResponse.Command) =>
          new ArrError({
            reason: "CommandFailed",
            service,
            path: "/api/v3/command",
            command: body.name,
            commandId: state.id,
            commandStatus: state.status,
            ...(state.message !== null && state.message.trim() !== "" ? { detail: scrub(state.message) } : {})
          })
        const poll = Effect.gen(function*() {
          while (last.status !== "completed") {
            if (ArrResponse.failedStatuses.has(last.status)) return yield* ended(last)
            yield* Effect.sleep(pollInterval)
            last = yield* get(`/command/${last.id}`, {}, Wire.Command)
          }
          return last
        })
        return yield* poll.pipe(
          Effect.timeoutFail({
            duration: commandTimeout,
            onTimeout: () =>
              new ArrError({
                reason: "CommandTimeout",
                service,
                path: "/api/v3/command",
                command: body.name,
                commandId: last.id,
                commandStatus: last.status,
                timeoutMillis: Duration.toMillis(commandTimeout)
              })
          })
        )
      })

    const status = get("/system/status", {}, Wire.SystemStatus).pipe(
      Effect.catchIf(
        (error) => error.reason === "NotFound",
        (error) =>
          new ArrError({
            reason: "UnsupportedVersion",
            service,
            path: error.path!,
            host,
            detail: `${error.path} answered HTTP 404 (check ${section}.url and its URL base)`
          })
      ),
      Effect.flatMap((answer) => {
        const major = Number(/^(\d+)\./.exec(answer.version)?.[1] ?? Number.NaN)
        const wrongApp = answer.appName.toLowerCase() !== section
        return wrongApp || !(major >= 3)
          ? new ArrError({
            reason: "UnsupportedVersion",
            service,
            path: "/api/v3/system/status",
            host,
            appName: answer.appName,
            version: answer.version
          })
          : Effect.succeed(answer)
      })
    )

    return {
      service,
      host,
      pageSize,
      get,
      post,
      pages,
      command,
      status,
      requests: Ref.get(sent)
    } satisfies Transport
  })

/** `Options` from a configuration section; `MissingConfiguration` names what is not set. */
export const fromSettings = (
  service: ServiceName,
  settings: Settings,
  overrides: Overrides = {}
): Either.Either<Options, ArrError> => {
  const url = Option.filter(settings.url, (u) => u.trim() !== "")
  const apiKey = Option.filter(settings.apiKey, (k) => Redacted.value(k).trim() !== "")
  const missing: Array<Setting> = []
  if (Option.isNone(url)) missing.push("url")
  if (Option.isNone(apiKey)) missing.push("apiKey")
  if (Option.isNone(url) || Option.isNone(apiKey)) {
    return Either.left(new ArrError({ reason: "MissingConfiguration", service, missing }))
  }
  return Either.right({
    url: url.value,
    apiKey: apiKey.value,
    pageSize: settings.pageSize,
    timeout: settings.timeout,
    ...overrides
  })
}

/** Whether `layerConfig` was given a `Config` (or a record of them) rather than loaded settings. */
export const isConfig = (config: Settings | Config.Config.Wrap<Settings>): config is Config.Config.Wrap<Settings> =>
  Config.isConfig(config) || Config.isConfig((config as { readonly url: unknown }).url)

/** The loaded settings, whichever form `layerConfig` was given. */
export const loadSettings = (config: Settings | Config.Config.Wrap<Settings>) =>
  isConfig(config) ? Config.unwrap(config) : Effect.succeed(config)
