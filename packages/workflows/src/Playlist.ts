/**
 * Downloading the provider's playlist (`stalkeer playlist download|archives|prune`).
 *
 * The playlist URL carries the account (`get.php?username=…&password=…`): it stays `Redacted` and only its
 * `StreamUrl.redact` form appears in errors and logs. A download streams to a hidden temporary file next to the
 * destination, is checked to be an M3U, fsynced and renamed over the destination, so the previous playlist
 * survives any failure or interruption. Providers ban accounts that hammer them, so retries are few, spaced
 * out, and never follow a 4xx other than 408/429.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Path from "@effect/platform/Path"
import { M3u, StreamUrl } from "@stalkeer/m3u-parser"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { isGzip, sniff, SNIFF_LIMIT } from "./internal/playlistContent.js"

export class PlaylistError extends Schema.TaggedError<PlaylistError>("@stalkeer/workflows/PlaylistError")(
  "PlaylistError",
  {
    reason: Schema.Literal("Http", "Transport", "Timeout", "TooLarge", "NotM3u", "Io", "InvalidOption"),
    /** The playlist URL with its credentials masked; never the real one. */
    url: Schema.optional(Schema.String),
    /** The file or directory an `Io` error is about. */
    path: Schema.optional(Schema.String),
    status: Schema.optional(Schema.Number),
    /** The byte limit a `TooLarge` download exceeded. */
    limit: Schema.optional(Schema.Number),
    /** What a `NotM3u` body looked like ("an HTML page…", "an empty body"). */
    seen: Schema.optional(Schema.String),
    /** A short, credential-free explanation (an errno code, the option at fault…). */
    detail: Schema.optional(Schema.String),
    retryAfterSeconds: Schema.optional(Schema.Number),
    /** Attempts made before giving up, when more than one. */
    attempts: Schema.optional(Schema.Number),
    cause: Schema.optional(Schema.Defect)
  }
) {
  override get message(): string {
    const from = `Playlist download from ${this.url ?? "?"}`
    const gaveUp = this.attempts !== undefined ? ` (gave up after ${this.attempts} attempts)` : ""
    switch (this.reason) {
      case "Http": {
        const hint = this.status === 401 || this.status === 403
          ? ": the username/password may be wrong or the account expired"
          : this.status === 404
          ? ": check the playlist URL"
          : ""
        const wait = this.retryAfterSeconds !== undefined
          ? `; the server asked to retry after ${this.retryAfterSeconds} s`
          : ""
        return `${from} failed with HTTP ${this.status}${hint}${wait}${gaveUp}`
      }
      case "Transport":
        return `${from} failed: network error${this.detail ? ` (${this.detail})` : ""}${gaveUp}`
      case "Timeout":
        return `${from} timed out: ${this.detail ?? "no data"}${gaveUp}`
      case "TooLarge":
        return `${from} stopped: the playlist is larger than the ${this.limit} byte limit`
      case "NotM3u":
        return `${from} returned ${this.seen ?? "something else"}, not an M3U playlist`
      case "Io":
        return `Playlist file error at ${this.path ?? "?"}: ${this.detail ?? "I/O failure"}`
      case "InvalidOption":
        return `Invalid playlist option: ${this.detail ?? "?"}`
    }
  }
}

export interface RetryOptions {
  /** Retries after the first attempt (default 3, i.e. at most 4 requests). */
  readonly times?: number | undefined
  /** First backoff delay; it doubles on each retry, with ±20 % jitter (default 1 second). */
  readonly base?: Duration.DurationInput | undefined
  /** Longest wait between attempts; a `Retry-After` beyond it ends the retries (default 60 seconds). */
  readonly maxDelay?: Duration.DurationInput | undefined
}

export interface DownloadOptions {
  readonly url: Redacted.Redacted<string>
  /** Final path of the playlist, e.g. `<dataDir>/playlist.m3u`. Its directory is created if missing. */
  readonly destination: string
  /** Largest accepted playlist, after decompression (default 1 GiB). */
  readonly maxBytes?: number | undefined
  /**
   * Per attempt: longest wait for the response headers, and longest stall between bytes of the body (default 30
   * seconds). A timed-out attempt is retried once at most: a stalled panel rarely recovers within seconds.
   */
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: RetryOptions | undefined
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

export interface Archive {
  readonly path: string
  readonly bytes: number
  /** From the file name (UTC), not the file system: copies keep their time when moved. */
  readonly createdAt: Date
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

const ARCHIVE_NAME = /^playlist-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.m3u$/

/** `playlist-20240102T030405Z.m3u` for 2024-01-02 03:04:05 UTC. */
const archiveName = (millis: number): string =>
  `playlist-${new Date(millis).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "")}.m3u`

const archiveDate = (name: string): Date | null => {
  const m = ARCHIVE_NAME.exec(name)
  return m === null ? null : new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
}

const invalid = (detail: string) => new PlaylistError({ reason: "InvalidOption", detail })

const ioError = (path: string, detail: string) => (cause: unknown) =>
  new PlaylistError({ reason: "Io", path, detail: `${detail}: ${errorText(cause)}`, cause })

const errorText = (cause: unknown): string => cause instanceof Error ? cause.message : String(cause)

/** An errno-style code from a platform error's underlying cause; deliberately not its message, which may hold the URL. */
const errorCode = (error: HttpClientError.HttpClientError): string | undefined => {
  const inner = error.cause
  if (typeof inner !== "object" || inner === null) return undefined
  const code = (inner as { code?: unknown; cause?: { code?: unknown } }).code ??
    (inner as { cause?: { code?: unknown } }).cause?.code
  return typeof code === "string" ? code : undefined
}

/** `Retry-After` as seconds from now: delta-seconds or an HTTP date. */
const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

/** `250 ms`, `1.2 s`, `30 s`: what a person reads in a message, not `1s 188ms 549909ns`. */
const formatSeconds = (duration: Duration.Duration): string => {
  const millis = Duration.toMillis(duration)
  if (millis < 1000) return `${Math.round(millis)} ms`
  const seconds = millis / 1000
  return `${seconds >= 10 || Number.isInteger(seconds) ? Math.round(seconds) : seconds.toFixed(1)} s`
}

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

const isTransient = (error: PlaylistError): boolean =>
  error.reason === "Transport" || error.reason === "Timeout" ||
  (error.reason === "Http" && error.status !== undefined && TRANSIENT_STATUSES.has(error.status))

interface Settings {
  readonly maxBytes: number
  readonly timeout: Duration.Duration
  readonly times: number
  readonly base: Duration.Duration
  readonly maxDelay: Duration.Duration
  readonly userAgent: string
}

const settingsOf = (options: DownloadOptions): Effect.Effect<Settings, PlaylistError> => {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const times = options.retry?.times ?? 3
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) return Effect.fail(invalid("maxBytes must be > 0"))
  if (!Number.isSafeInteger(times) || times < 0) return Effect.fail(invalid("retry.times must be >= 0"))
  return Effect.succeed({
    maxBytes,
    timeout: Duration.decode(options.timeout ?? DEFAULT_TIMEOUT),
    times,
    base: Duration.decode(options.retry?.base ?? Duration.seconds(1)),
    maxDelay: Duration.decode(options.retry?.maxDelay ?? Duration.seconds(60)),
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT
  })
}

/**
 * The wait before retry number `retry` (1-based), or none when the error is final: not transient, out of
 * retries, or a `Retry-After` longer than we are willing to wait.
 */
const retryDelay = (error: PlaylistError, retry: number, settings: Settings) =>
  Effect.gen(function*() {
    if (!isTransient(error) || retry > settings.times) return Option.none<Duration.Duration>()
    if (error.reason === "Timeout" && retry >= TIMEOUT_ATTEMPTS) return Option.none<Duration.Duration>()
    const jitter = yield* Random.nextRange(0.8, 1.2)
    const backoff = Duration.min(Duration.times(settings.base, 2 ** (retry - 1) * jitter), settings.maxDelay)
    if (error.retryAfterSeconds === undefined) return Option.some(backoff)
    const asked = Duration.seconds(error.retryAfterSeconds)
    return Duration.greaterThan(asked, settings.maxDelay) ? Option.none() : Option.some(Duration.max(asked, backoff))
  })

/** Decompresses the body when it is gzip, whatever the headers say (clients differ in decoding it). */
const gunzipIfNeeded = <R>(body: Stream.Stream<Uint8Array, PlaylistError, R>, url: string) =>
  Stream.unwrapScoped(Effect.gen(function*() {
    // Not Stream.peel: it turns the rest's failures into ChannelException defects.
    const pull = yield* Stream.toPull(body)
    const first = yield* Effect.catchAll(pull, Option.match({ onNone: () => Effect.succeed(null), onSome: Effect.fail }))
    if (first === null) return Stream.empty
    const whole = Stream.concat(Stream.fromChunk(first), Stream.repeatEffectChunkOption(pull))
    const head = Chunk.head(first)
    if (Option.isNone(head) || !isGzip(head.value)) return whole
    const readable = yield* Stream.toReadableStreamEffect(whole)
    return Stream.fromReadableStream({
      evaluate: () => readable.pipeThrough(new DecompressionStream("gzip")),
      onError: (cause) =>
        cause instanceof PlaylistError ? cause : new PlaylistError({ reason: "NotM3u", url, seen: "corrupt gzip data" })
    })
  }))

/**
 * Download the playlist to `options.destination`, replacing it only once the new one is complete and valid.
 * Retries network errors, timeouts, 408/429 and 5xx with exponential backoff; never other 4xx.
 */
export const download = Effect.fn("Playlist.download")(function*(options: DownloadOptions) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const settings = yield* settingsOf(options)
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
    HttpClientRequest.setHeaders({ "user-agent": settings.userAgent, accept: "*/*", "accept-encoding": "identity" })
  )
  const destination = path.resolve(options.destination)
  const dir = path.dirname(destination)
  const started = yield* Clock.currentTimeMillis
  // The playlist holds the account in every line: a directory we create is its owner's alone (an existing one is
  // the user's choice and left as it is).
  if (!(yield* fs.exists(dir).pipe(Effect.orElseSucceed(() => false)))) {
    yield* fs.makeDirectory(dir, { recursive: true, mode: 0o700 }).pipe(
      Effect.mapError(ioError(dir, "cannot create directory"))
    )
  }

  const fromClientError = (error: HttpClientError.HttpClientError): PlaylistError =>
    error._tag === "RequestError" && error.reason !== "Transport"
      ? invalid(`cannot request ${url} (${error.reason})`)
      : new PlaylistError({
        reason: "Transport",
        url,
        detail: errorCode(error) ?? (error._tag === "ResponseError" ? "connection lost" : "connection failed")
      })

  const timeoutError = (detail: string) => () => new PlaylistError({ reason: "Timeout", url, detail })

  const statusError = (response: HttpClientResponse.HttpClientResponse) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const retryAfter = response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers["retry-after"], now)
        : undefined
      return yield* new PlaylistError({
        reason: "Http",
        url,
        status: response.status,
        ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {})
      })
    })

  /**
   * One request into `temp` (created exclusively): status, size and format checks on the way, then fsync.
   * The file is opened before the request so that the body is read as soon as the headers arrive: the Node
   * clients end a body stream silently, as if complete, when the socket failed before it was first read.
   */
  const fetchInto = (temp: string) =>
    Effect.gen(function*() {
      const file = yield* fs.open(temp, { flag: "wx", mode: 0o600 }).pipe(Effect.mapError(ioError(temp, "cannot create")))
      const response = yield* client.execute(request).pipe(
        Effect.mapError(fromClientError),
        Effect.timeoutFail({
          duration: settings.timeout,
          onTimeout: timeoutError(`no response within ${formatSeconds(settings.timeout)}`)
        })
      )
      if (response.status < 200 || response.status >= 300) return yield* statusError(response)
      // Only an unencoded body's length is comparable with what we count (fetch decodes gzip itself).
      const declared = response.headers["content-encoding"] === undefined
        ? Number(response.headers["content-length"] ?? NaN)
        : NaN
      if (declared > settings.maxBytes) return yield* new PlaylistError({ reason: "TooLarge", url, limit: settings.maxBytes })

      let received = 0
      const body = gunzipIfNeeded(
        response.stream.pipe(
          Stream.mapError(fromClientError),
          // Per pull: the clock restarts with every chunk, so it bounds a stall, not the whole download.
          Stream.timeoutFail(timeoutError(`no data for ${formatSeconds(settings.timeout)}`), settings.timeout),
          Stream.tap((chunk) => Effect.sync(() => received += chunk.length))
        ),
        url
      )
      let bytes = 0
      let head: Uint8Array | null = new Uint8Array(0)
      const check = (complete: boolean) => {
        const verdict = sniff(head!, complete)
        if (verdict._tag === "NotM3u") return Effect.fail(new PlaylistError({ reason: "NotM3u", url, seen: verdict.seen }))
        if (verdict._tag === "M3u") head = null
        return Effect.void
      }
      const written = body.pipe(Stream.tap((chunk) =>
        Effect.gen(function*() {
          bytes += chunk.length
          if (bytes > settings.maxBytes) {
            return yield* new PlaylistError({ reason: "TooLarge", url, limit: settings.maxBytes })
          }
          if (head !== null) {
            const joined: Uint8Array = new Uint8Array(head.length + chunk.length)
            joined.set(head)
            joined.set(chunk, head.length)
            head = joined.subarray(0, SNIFF_LIMIT)
            yield* check(false)
          }
          yield* file.writeAll(chunk).pipe(Effect.mapError(ioError(temp, "cannot write")))
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
      yield* file.sync.pipe(Effect.mapError(ioError(temp, "cannot sync")))
      const warnings = Object.values(parsed.warnings).reduce((a, b) => a + b, 0)
      return { bytes, entries: parsed.entries, warnings }
    }).pipe(Effect.scoped)

  const attempt = Effect.gen(function*() {
    const suffix = (yield* Random.nextInt).toString(36).replace("-", "")
    // Same directory as the destination so the rename is atomic; hidden and `.part` so nothing picks it up.
    const temp = path.join(dir, `.${path.basename(destination)}.${suffix}.part`)
    // Runs on every exit: after a successful rename there is nothing left to remove.
    yield* Effect.addFinalizer(() => fs.remove(temp, { force: true }).pipe(Effect.ignore))
    const written = yield* fetchInto(temp)
    yield* fs.rename(temp, destination).pipe(Effect.mapError(ioError(destination, "cannot replace")))
    // Makes the rename durable; directories cannot be opened everywhere, hence best effort.
    yield* fs.open(dir, { flag: "r" }).pipe(Effect.flatMap((d) => d.sync), Effect.scoped, Effect.ignore)
    return written
  }).pipe(Effect.scoped)

  const withRetries = (retry: number): Effect.Effect<
    { bytes: number; entries: number; warnings: number },
    PlaylistError,
    FileSystem.FileSystem | Path.Path
  > =>
    attempt.pipe(Effect.catchAll((error) =>
      Effect.gen(function*() {
        const delay = yield* retryDelay(error, retry, settings)
        if (Option.isNone(delay)) {
          return yield* (retry > 1 ? new PlaylistError({ ...error, attempts: retry }) : error)
        }
        yield* Effect.logWarning(`${error.message}; retry ${retry}/${settings.times} in ${formatSeconds(delay.value)}`)
        yield* Effect.sleep(delay.value)
        return yield* withRetries(retry + 1)
      })
    ))

  const { bytes, entries, warnings } = yield* withRetries(1)
  const archivedTo = options.archive === undefined ? null : yield* archiveCopy(destination, options.archive.dir)
  const finished = yield* Clock.currentTimeMillis
  yield* Effect.logInfo(`Downloaded ${entries} entries (${bytes} bytes) from ${url}`)
  return { path: destination, bytes, entries, warnings, durationMs: finished - started, archivedTo } satisfies DownloadResult
}, Effect.annotateLogs({ service: "Playlist" }))

/** Keep a copy of `file` as `<dir>/playlist-<UTC timestamp>.m3u`: a hard link when possible, else a copy. */
const archiveCopy = (file: string, dir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.join(dir, archiveName(yield* Clock.currentTimeMillis))
    // A link is safe because downloads replace the destination by rename and never write into it.
    // A second download within the same second replaces that second's archive.
    yield* fs.makeDirectory(dir, { recursive: true }).pipe(
      Effect.zipRight(fs.remove(target, { force: true })),
      Effect.zipRight(fs.link(file, target).pipe(
        Effect.orElse(() => fs.copyFile(file, target).pipe(Effect.tapError(() => fs.remove(target, { force: true }))))
      )),
      Effect.mapError(ioError(target, "the playlist was saved but archiving it failed"))
    )
    return target
  })

/** The archive copies in `dir`, newest first; an absent directory has none. Other files are ignored. */
export const archives = Effect.fn("Playlist.archives")(function*(dir: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const exists = yield* fs.exists(dir).pipe(Effect.mapError(ioError(dir, "cannot read")))
  if (!exists) return []
  const names = yield* fs.readDirectory(dir).pipe(Effect.mapError(ioError(dir, "cannot read")))
  // The fixed-width timestamp makes name order chronological.
  const matching = names.filter((name) => ARCHIVE_NAME.test(name)).sort().reverse()
  return yield* Effect.forEach(matching, (name) => {
    const file = path.join(dir, name)
    return fs.stat(file).pipe(
      Effect.map((info): Archive => ({ path: file, bytes: Number(info.size), createdAt: archiveDate(name)! })),
      Effect.mapError(ioError(file, "cannot stat"))
    )
  })
})

/** Delete all but the newest `keep` archives in `dir`; returns the deleted ones. */
export const prune = Effect.fn("Playlist.prune")(function*(dir: string, keep: number) {
  if (!Number.isSafeInteger(keep) || keep < 0) return yield* invalid(`keep must be a whole number >= 0, got ${keep}`)
  const fs = yield* FileSystem.FileSystem
  const doomed = (yield* archives(dir)).slice(keep)
  yield* Effect.forEach(doomed, (archive) =>
    fs.remove(archive.path).pipe(Effect.mapError(ioError(archive.path, "cannot delete"))), { discard: true })
  return doomed
})
