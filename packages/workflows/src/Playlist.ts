/**
 * Downloading the provider's playlist (`stalkeer playlist download`, and `process` before it ingests).
 *
 * The playlist URL carries the account (`get.php?username=…&password=…`): it stays `Redacted` and only its
 * `StreamUrl.redact` form appears in errors and logs. The body streams into an `AtomicFile` (hidden temporary file,
 * fsync, rename), is checked to be an M3U on the way, and replaces the previous playlist only once complete, so
 * that survives any failure or interruption. Retries follow the shared `Retry` policy: few, spaced out, honouring
 * `Retry-After`, never after a 4xx other than 408/429, and a timeout once at most.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Path from "@effect/platform/Path"
import { AtomicFile, HttpFailure, Retry } from "@stalkeer/downloader"
import { M3u, Sniff, StreamUrl } from "@stalkeer/m3u-parser"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as PlaylistArchive from "./PlaylistArchive.js"
import { PlaylistError } from "./PlaylistError.js"

export { PlaylistError } from "./PlaylistError.js"

export interface DownloadOptions {
  readonly url: Redacted.Redacted<string>
  /** Final path of the playlist, e.g. `<dataDir>/playlist.m3u`. Its directory is created (0700) if missing. */
  readonly destination: string
  /** Largest accepted playlist, after decompression (default 1 GiB). */
  readonly maxBytes?: number | undefined
  /**
   * Per attempt: longest wait for the response headers, and longest stall between bytes of the body (default 30
   * seconds). A timed-out attempt is retried once at most: a stalled panel rarely recovers within seconds.
   */
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: Retry.Policy | undefined
  /** Also keep a timestamped copy of the new playlist in this directory. */
  readonly archive?: { readonly dir: string } | undefined
  readonly userAgent?: string | undefined
}

export interface DownloadResult {
  readonly path: string
  /** Bytes written (after decompression). */
  readonly bytes: number
  /** Playlist entries, counted by the parser as `dryrun` and `process` count them. */
  readonly entries: number
  /** Lines the parser had to repair or skip. */
  readonly warnings: number
  readonly durationMs: number
  /** The archive copy, when `archive` was given. */
  readonly archivedTo: string | null
}

const DEFAULT_MAX_BYTES = 1024 ** 3
// Panels build get.php on the fly and can take a while before the first byte of a large account, but a body that
// sends nothing for this long has stalled.
const DEFAULT_TIMEOUT = Duration.seconds(30)
/** Attempts after which a timeout is final, whatever `retry.times` allows. */
const TIMEOUT_ATTEMPTS = 2
const DEFAULT_USER_AGENT = "VLC/3.0.20 LibVLC/3.0.20"
const MAX_REDIRECTS = 5
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504])

const invalid = (detail: string) => new PlaylistError({ reason: "InvalidOption", detail })



/**
 * Only HTTP(S) can be fetched; anything else fails at once rather than being retried as a network error. The URL
 * itself is not quoted: outside the shapes `StreamUrl` knows, nothing says where its secrets are.
 */
const checkScheme = (raw: string): Effect.Effect<void, PlaylistError> => {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase()
  if (scheme === "http" || scheme === "https") return Effect.void
  return Effect.fail(invalid(
    scheme === undefined
      ? "the playlist URL is not an http(s) URL"
      : `unsupported URL scheme "${scheme}:" in the playlist URL (only http and https)`
  ))
}

/** Which failures are worth another attempt: the network, timeouts (once), 408/429 and 5xx. */
const retryable = (error: PlaylistError, retry: number): boolean =>
  error.reason === "Transport" ||
  (error.reason === "Timeout" && retry < TIMEOUT_ATTEMPTS) ||
  (error.reason === "Http" && error.status !== undefined && TRANSIENT_STATUSES.has(error.status))

/** Decompresses the body when it is gzip, whatever the headers say (clients differ in decoding it). */
const gunzipIfNeeded = <R>(body: Stream.Stream<Uint8Array, PlaylistError, R>, url: string) =>
  Stream.unwrapScoped(Effect.gen(function*() {
    // Not Stream.peel: it turns the rest's failures into ChannelException defects.
    const pull = yield* Stream.toPull(body)
    const first = yield* Effect.catchAll(pull, Option.match({ onNone: () => Effect.succeed(null), onSome: Effect.fail }))
    if (first === null) return Stream.empty
    const whole = Stream.concat(Stream.fromChunk(first), Stream.repeatEffectChunkOption(pull))
    const head = Chunk.head(first)
    if (Option.isNone(head) || !Sniff.isGzip(head.value)) return whole
    const readable = yield* Stream.toReadableStreamEffect(whole)
    return Stream.fromReadableStream({
      evaluate: () => readable.pipeThrough(new DecompressionStream("gzip")),
      onError: (cause) =>
        cause instanceof PlaylistError ? cause : new PlaylistError({ reason: "NotM3u", url, seen: "corrupt gzip data" })
    })
  }))

/** The file error of an atomic write, as the playlist reports it. */
const fileError = (error: AtomicFile.AtomicFileError) =>
  new PlaylistError({ reason: "Io", path: error.path, detail: `${error.action}: ${error.detail}`, cause: error })

/**
 * Download the playlist to `options.destination`, replacing it only once the new one is complete and valid.
 * Retries network errors, timeouts, 408/429 and 5xx with exponential backoff; never other 4xx.
 */
export const download = Effect.fn("Playlist.download")(function*(options: DownloadOptions) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const times = options.retry?.times ?? Retry.defaults.times
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) return yield* invalid("maxBytes must be > 0")
  if (!Number.isSafeInteger(times) || times < 0) return yield* invalid("retry.times must be >= 0")
  const timeout = Duration.decode(options.timeout ?? DEFAULT_TIMEOUT)
  const url = StreamUrl.redact(Redacted.value(options.url))
  yield* checkScheme(Redacted.value(options.url))
  // The client's own spans would record the full URL, credentials included, and send trace headers upstream.
  const client = (yield* HttpClient.HttpClient).pipe(
    HttpClient.followRedirects(MAX_REDIRECTS),
    HttpClient.withTracerDisabledWhen(() => true),
    HttpClient.withScope
  )
  const request = HttpClientRequest.get(Redacted.value(options.url)).pipe(
    // identity: some panels gzip anyway (handled), but nothing asks them to.
    HttpClientRequest.setHeaders({
      "user-agent": options.userAgent ?? DEFAULT_USER_AGENT,
      accept: "*/*",
      "accept-encoding": "identity"
    })
  )
  const started = yield* Clock.currentTimeMillis

  const fromClientError = (error: HttpClientError.HttpClientError): PlaylistError =>
    error._tag === "RequestError" && error.reason !== "Transport"
      ? invalid(`cannot request ${url} (${error.reason})`)
      : new PlaylistError({
        reason: "Transport",
        url,
        detail: HttpFailure.errorCode(error) ?? (error._tag === "ResponseError" ? "connection lost" : "connection failed")
      })

  const timeoutError = (detail: string) => () => new PlaylistError({ reason: "Timeout", url, detail })

  const statusError = (response: HttpClientResponse.HttpClientResponse) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const retryAfter = response.status === 429 || response.status === 503
        ? Retry.parseRetryAfter(response.headers["retry-after"], now)
        : undefined
      return yield* new PlaylistError({
        reason: "Http",
        url,
        status: response.status,
        ...(retryAfter !== undefined ? { retryAfterSeconds: Duration.toSeconds(retryAfter) } : {})
      })
    })

  /**
   * One request into the temporary file: status, size and format checks on the way. The file is already open
   * when the request is made, so the body is read as soon as the headers arrive: the Node clients end a body
   * stream silently, as if complete, when the socket failed before it was first read.
   */
  const fetchInto = (file: FileSystem.File, temporary: string) =>
    Effect.gen(function*() {
      const response = yield* client.execute(request).pipe(
        Effect.mapError(fromClientError),
        Effect.timeoutFail({ duration: timeout, onTimeout: timeoutError(`no response within ${HttpFailure.formatDuration(timeout)}`) })
      )
      if (response.status < 200 || response.status >= 300) return yield* statusError(response)
      // Only an unencoded body's length is comparable with what we count (fetch decodes gzip itself).
      const declared = response.headers["content-encoding"] === undefined
        ? Number(response.headers["content-length"] ?? NaN)
        : NaN
      if (declared > maxBytes) return yield* new PlaylistError({ reason: "TooLarge", url, limit: maxBytes })

      let received = 0
      const body = gunzipIfNeeded(
        response.stream.pipe(
          Stream.mapError(fromClientError),
          // Per pull: the clock restarts with every chunk, so it bounds a stall, not the whole download.
          Stream.timeoutFail(timeoutError(`no data for ${HttpFailure.formatDuration(timeout)}`), timeout),
          Stream.tap((chunk) => Effect.sync(() => received += chunk.length))
        ),
        url
      )
      let bytes = 0
      let head: Uint8Array | null = new Uint8Array(0)
      const check = (complete: boolean) => {
        const verdict = Sniff.check(head!, complete)
        if (verdict._tag === "NotM3u") return Effect.fail(new PlaylistError({ reason: "NotM3u", url, seen: verdict.seen }))
        if (verdict._tag === "M3u") head = null
        return Effect.void
      }
      const written = body.pipe(Stream.tap((chunk) =>
        Effect.gen(function*() {
          bytes += chunk.length
          if (bytes > maxBytes) return yield* new PlaylistError({ reason: "TooLarge", url, limit: maxBytes })
          if (head !== null) {
            const joined: Uint8Array = new Uint8Array(head.length + chunk.length)
            joined.set(head)
            joined.set(chunk, head.length)
            head = joined.subarray(0, Sniff.limit)
            yield* check(false)
          }
          yield* AtomicFile.writeAll(file, temporary, chunk).pipe(Effect.mapError(fileError))
        })
      ))
      // The parser counts entries on the way, so the download reports the number `process` will read.
      const parsed = yield* M3u.summarize(M3u.parse(written)).pipe(
        // A body too short for the sniff to decide ends here: the sniff's words for it are the better ones.
        Effect.catchTag("M3uParseError", (e) =>
          Effect.zipRight(
            head === null ? Effect.void : check(true),
            Effect.fail(new PlaylistError({ reason: "NotM3u", url, seen: e.message }))
          ))
      )
      if (!Number.isNaN(declared) && received !== declared) {
        return yield* new PlaylistError({ reason: "Transport", url, detail: `truncated: ${received} of ${declared} bytes` })
      }
      if (head !== null) yield* check(true)
      const warnings = Object.values(parsed.warnings).reduce((a, b) => a + b, 0)
      return { bytes, entries: parsed.entries, warnings }
    }).pipe(Effect.scoped)

  const attempt = AtomicFile.write(options.destination, fetchInto).pipe(
    Effect.catchTag("AtomicFileError", (e) => Effect.fail(fileError(e)))
  )
  const { bytes, entries, warnings } = yield* Retry.retry(attempt, options.retry ?? {}, {
    retryable,
    retryAfter: (error) => error.retryAfterSeconds === undefined ? undefined : Duration.seconds(error.retryAfterSeconds),
    onRetry: (error, retry, delay) => Effect.logWarning(`${error.message}; retry ${retry}/${times} in ${HttpFailure.formatDuration(delay)}`),
    attempts: (error, attempts) => attempts > 1 ? new PlaylistError({ ...error, attempts }) : error
  })
  const destination = (yield* Path.Path).resolve(options.destination)
  const archivedTo = options.archive === undefined ? null : yield* PlaylistArchive.add(destination, options.archive.dir)
  const finished = yield* Clock.currentTimeMillis
  yield* Effect.logInfo(`Downloaded ${entries} entries (${bytes} bytes) from ${url}`)
  return { path: destination, bytes, entries, warnings, durationMs: finished - started, archivedTo } satisfies DownloadResult
}, Effect.annotateLogs({ service: "Playlist" }))
