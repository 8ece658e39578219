/**
 * One resumable transfer of a URL into a partial file, trusting nothing it cannot prove.
 *
 * `attempt` is one HTTP exchange: it asks for what `Resume.plan` says (a range from the durable offset, with
 * `If-Range` or an overlap to compare), lets `Resume.decide` judge the answer, sniffs the first bytes of a body that
 * starts the file (`Container.sniff`: an error page or a placeholder is refused before a byte is written), compares
 * any overlap byte for byte, holds room on the disk for the rest (`DiskSpace`, provided or a default one), then
 * streams the body to the file and stops exactly at the announced total. Every `checkpointBytes` or
 * `checkpointInterval` it fsyncs, then reports the new durable offset (`onCheckpoint`): what the caller records is
 * never ahead of what the disk holds. The socket and the file belong to the attempt's scope, so an interruption
 * closes both and keeps the partial file.
 *
 * `run` repeats attempts while transfer-class failures make progress, and backs off when they do not; item-,
 * account- and fatal-class failures end it at once (`DownloadError.class`). `publish` moves a complete file into
 * the library without ever replacing one that is there.
 *
 * The URL is `Redacted` (it carries the account); it appears in no error, log or span, and redirects (≤ 5) are
 * followed but never kept: every attempt starts again from the original URL.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Path from "@effect/platform/Path"
import type { PlatformError } from "@effect/platform/Error"
import * as Duration from "effect/Duration"
import * as Cause from "effect/Cause"
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Container from "./Container.js"
import * as DiskSpace from "./DiskSpace.js"
import { Blocks } from "./internal/blocks.js"
import { DownloadError, reasonOfStatus } from "./DownloadError.js"
import * as HttpFailure from "./HttpFailure.js"
import * as Resume from "./Resume.js"

export { DownloadError } from "./DownloadError.js"

export interface Progress {
  /** Bytes of the file so far (durable or not). */
  readonly bytes: number
  readonly total: number | null
  /** Bytes per second over the last few seconds. */
  readonly rate: number
  /** Seconds left at that rate, when the total is known. */
  readonly etaSeconds: number | null
}

export interface Options<E = never, R = never> {
  /** The stream URL, credentials and all. */
  readonly url: Redacted.Redacted
  /** The partial file: hidden, on the destination's filesystem, named by job (never by title). */
  readonly partial: string
  /** The container the URL asks for (`mkv`…): a body of another container is a placeholder. */
  readonly extension?: string | undefined
  /** What the caller recorded of earlier attempts; none: start from zero. */
  readonly state?: Resume.State | undefined
  /** The configured User-Agent (an entry's own `user-agent` header, given in `headers`, wins). */
  readonly userAgent?: string | undefined
  /** The entry's own request headers from the playlist (User-Agent, Referer…), credential-free. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** No bytes for this long: the connection is dropped (default 60 s). No speed floor: panels pace VOD. */
  readonly stallTimeout?: Duration.DurationInput | undefined
  /** Longest wait for the response headers (default 30 s). */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** Bytes re-fetched and compared on a resume without validator (default 512 KiB). */
  readonly overlap?: number | undefined
  /** Bytes between fsyncs (default 64 MiB)… */
  readonly checkpointBytes?: number | undefined
  /** …or time between them, whichever comes first (default 2 s: a killed transfer loses at most that much). */
  readonly checkpointInterval?: Duration.DurationInput | undefined
  /** Called after each fsync with the state to record; the offset it holds is on disk. */
  readonly onCheckpoint?: ((state: Resume.State) => Effect.Effect<void, E, R>) | undefined
  /** Called at most every 250 ms while bytes flow. */
  readonly onProgress?: ((progress: Progress) => Effect.Effect<void>) | undefined
}

export const defaults = {
  userAgent: "VLC/3.0.20 LibVLC/3.0.20",
  stallTimeout: Duration.seconds(60),
  connectTimeout: Duration.seconds(30),
  checkpointBytes: 64 * 1024 * 1024,
  checkpointInterval: Duration.seconds(2),
  maxRedirects: 5
} as const

/** How one attempt ended well. */
export interface Outcome {
  /** `durable === total`: the file is whole. */
  readonly state: Resume.State
  /** Bytes received by this attempt. */
  readonly received: number
  /** The file was restarted from zero (the server ignored the range, or the entity changed). */
  readonly restarted: boolean
}

const ioError = (path: string) => (error: PlatformError): DownloadError => {
  const code = error._tag === "SystemError" ? error.reason : undefined
  return new DownloadError({
    reason: code === "PermissionDenied" ? "Permission" : /ENOSPC/.test(error.message) ? "DiskFull" : "Io",
    detail: `${path}: ${code ?? error._tag}`
  })
}

/** Codes of a connection that was never made: nothing was lost, the provider is not there (yet). */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"])

const transportError = (durable: number) => (error: HttpClientError.HttpClientError): DownloadError => {
  const code = HttpFailure.errorCode(error)
  if (code !== undefined && UNREACHABLE.has(code) && error._tag === "RequestError") {
    return new DownloadError({ reason: "Unreachable", durable, detail: code })
  }
  return new DownloadError({ reason: "Reset", durable, detail: code ?? (error._tag === "ResponseError" ? "body" : "request") })
}

const lowerHeaders = (headers: Readonly<Record<string, string>>) => {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value
  return out
}

/** One HTTP exchange that adds to the partial file. */
export const attempt = <E = never, R = never>(
  options: Options<E, R>
): Effect.Effect<Outcome, DownloadError | E, HttpClient.HttpClient | FileSystem.FileSystem | R> =>
  Effect.scoped(Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const state = options.state ?? Resume.empty
    const plan = Resume.plan(state, options.overlap)
    const stall = Duration.decode(options.stallTimeout ?? defaults.stallTimeout)
    const checkpointBytes = options.checkpointBytes ?? defaults.checkpointBytes
    const checkpointMillis = Duration.toMillis(Duration.decode(options.checkpointInterval ?? defaults.checkpointInterval))

    // The partial must be a regular file of ours: a symlink planted in its place is refused.
    const linked = yield* fs.readLink(options.partial).pipe(Effect.option)
    if (Option.isSome(linked)) {
      return yield* new DownloadError({ reason: "Permission", detail: `${options.partial} is a symbolic link` })
    }
    const file = yield* fs.open(options.partial, { flag: state.durable > 0 ? "r+" : "w", mode: 0o600 }).pipe(
      Effect.catchTag("SystemError", (e) =>
        e.reason === "NotFound" && state.durable > 0
          ? Effect.fail(new DownloadError({ reason: "EntityChanged", detail: "the partial file is gone" }))
          : Effect.fail(ioError(options.partial)(e))),
      Effect.catchTag("BadArgument", (e) => Effect.fail(ioError(options.partial)(e)))
    )
    const size = (yield* file.stat.pipe(Effect.mapError(ioError(options.partial)))).size
    if (Number(size) < state.durable) {
      // Less on disk than recorded: the record is not true of this file; start over.
      return yield* new DownloadError({ reason: "EntityChanged", durable: Number(size), detail: "the partial file is shorter than recorded" })
    }
    // Anything past the durable offset was never confirmed.
    yield* file.truncate(state.durable).pipe(Effect.mapError(ioError(options.partial)))

    const own = lowerHeaders(options.headers ?? {})
    const request = HttpClientRequest.get(Redacted.value(options.url)).pipe(
      HttpClientRequest.setHeaders({
        accept: "*/*",
        "accept-encoding": "identity",
        "user-agent": own["user-agent"] ?? options.userAgent ?? defaults.userAgent,
        ...(own["referer"] !== undefined ? { referer: own["referer"] } : {}),
        ...(plan.start > 0 ? { range: `bytes=${plan.start}-` } : {}),
        ...(plan.ifRange !== null ? { "if-range": plan.ifRange } : {})
      })
    )
    // Tracing off: a span would record the URL, and with it the account.
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.followRedirects(defaults.maxRedirects)
    )
    const response = yield* client.execute(request).pipe(
      Effect.mapError(transportError(state.durable)),
      Effect.timeoutFail({
        duration: options.connectTimeout ?? defaults.connectTimeout,
        onTimeout: () => new DownloadError({ reason: "Timeout", durable: state.durable, detail: "no response headers" })
      })
    )
    const status = response.status
    if (status !== 200 && status !== 206 && status !== 416) {
      const retryAfter = response.headers["retry-after"]
      return yield* new DownloadError({
        reason: reasonOfStatus(status),
        status,
        durable: state.durable,
        ...(retryAfter !== undefined && /^\d+$/.test(retryAfter) ? { retryAfterSeconds: Number(retryAfter) } : {})
      })
    }
    const decision = Resume.decide(state, plan, { status, headers: response.headers })
    if (decision._tag === "Complete") return { state, received: 0, restarted: false }
    if (decision._tag === "Refuse") {
      return yield* new DownloadError({
        reason: decision.reason === "Shrunk" || decision.reason === "TotalChanged"
          ? "EntityChanged"
          : decision.reason === "Encoded" || decision.reason === "NoTotal"
          ? "RangeMismatch"
          : decision.reason,
        status,
        durable: state.durable,
        ...(decision.reason === "Encoded" ? { detail: "a compressed body" } : {}),
        ...(decision.reason === "NoTotal" ? { detail: "no total length" } : {})
      })
    }

    const total = decision.total
    if (decision.restart) {
      // Recorded before the file is emptied: the record is never ahead of the disk.
      if (options.onCheckpoint !== undefined) yield* options.onCheckpoint({ durable: 0, total, etag: decision.etag })
      yield* file.truncate(0).pipe(Effect.mapError(ioError(options.partial)))
    }
    const writeFrom = decision.restart ? 0 : decision.at + decision.verify
    // Room for the rest of the file, before a byte of it is written (held while the attempt runs).
    if (total !== null) {
      const space = Option.getOrElse(yield* Effect.serviceOption(DiskSpace.DiskSpace), () => DiskSpace.make())
      yield* space.reserve(options.partial, total - writeFrom)
    }
    // The bytes the body must repeat before it may add any.
    const expected = decision.verify === 0 ? new Uint8Array(0) : yield* Effect.gen(function*() {
      yield* file.seek(decision.at, "start")
      const buffer = new Uint8Array(decision.verify)
      let read = 0
      while (read < buffer.length) {
        const n = Number(yield* file.read(buffer.subarray(read)).pipe(Effect.mapError(ioError(options.partial))))
        if (n === 0) break
        read += n
      }
      return buffer.subarray(0, read)
    })
    yield* file.seek(writeFrom, "start")

    // The transfer runs in two fibers joined by a bounded buffer (`Stream.bufferChunks`): the socket's fiber judges
    // each network chunk and gathers accepted bytes into blocks, the file's fiber writes and fsyncs them. Neither
    // waits for the other while the buffer has room, so the disk's sync never pauses the socket. Each side owns its
    // counters; plain mutable ones cost nothing per chunk.
    const clock = yield* Effect.clock
    const now = () => clock.unsafeCurrentTimeMillis()
    const p = { written: writeFrom, durable: writeFrom, sinceSync: 0, received: 0 }
    let verified = 0
    let sniffed: Uint8Array | null = writeFrom === 0 ? new Uint8Array(0) : null
    const contentType = response.headers["content-type"]
    // Bytes accepted but not yet handed to the writer: gathered so the file gets few large writes, not one per
    // network chunk (16,000 per GiB).
    const blocks = new Blocks(BLOCK_BYTES)
    // Bytes accepted by this attempt, written or not: what progress reports.
    let accepted = 0
    let lastBlock = now()
    let lastSync = now()
    // Bytes arriving or being written: the stall watchdog's clock.
    let lastActivity = now()

    const checkpoint = Effect.suspend(() => {
      if (p.durable === p.written) return Effect.void
      const written = p.written
      return file.sync.pipe(
        Effect.mapError(ioError(options.partial)),
        Effect.zipRight(Effect.sync(() => {
          p.durable = written
          p.sinceSync = 0
        })),
        Effect.zipRight(
          options.onCheckpoint === undefined
            ? Effect.void
            : options.onCheckpoint({ durable: written, total, etag: decision.etag })
        )
      )
    })

    const rate = makeRate(total, options.onProgress, now)
    rate.note(writeFrom)

    const write = (bytes: Uint8Array) =>
      Effect.suspend(() => {
        if (total !== null && p.written + bytes.length > total) {
          const durable = p.durable
          return file.writeAll(bytes.subarray(0, total - p.written)).pipe(
            Effect.mapError(ioError(options.partial)),
            Effect.zipRight(Effect.sync(() => {
              p.written = total
            })),
            Effect.zipRight(Effect.fail(new DownloadError({ reason: "Overlong", durable, total })))
          )
        }
        return file.writeAll(bytes).pipe(
          Effect.mapError(ioError(options.partial)),
          Effect.zipRight(Effect.suspend(() => {
            p.written += bytes.length
            p.sinceSync += bytes.length
            lastActivity = now()
            if (p.sinceSync < checkpointBytes && now() - lastSync < checkpointMillis) return Effect.void
            lastSync = now()
            return checkpoint
          }))
        )
      })

    /** Checks one network chunk (overlap, first bytes) and keeps what may be written; a failure is a refusal. */
    const accept = (chunk: Uint8Array): DownloadError | undefined => {
      p.received += chunk.length
      let bytes = chunk
      // The overlap first: byte for byte what the file holds, or the entity changed.
      if (verified < expected.length) {
        const n = Math.min(bytes.length, expected.length - verified)
        for (let i = 0; i < n; i++) {
          if (bytes[i] !== expected[verified + i]) {
            return new DownloadError({ reason: "EntityChanged", durable: state.durable, ...(total !== null ? { total } : {}) })
          }
        }
        verified += n
        bytes = bytes.subarray(n)
        if (bytes.length === 0) return undefined
      }
      // A body that starts the file is judged on its first bytes before any is written.
      if (sniffed !== null) {
        const joined = new Uint8Array(sniffed.length + bytes.length)
        joined.set(sniffed)
        joined.set(bytes, sniffed.length)
        const verdict = Container.sniff(joined, { contentType, extension: options.extension })
        if (verdict._tag === "NeedMore") {
          sniffed = joined
          return undefined
        }
        if (verdict._tag !== "Video") return refusal(verdict, status)
        sniffed = null
        bytes = joined
      }
      blocks.push(bytes)
      accepted += bytes.length
      return undefined
    }

    /** What has been gathered: the full blocks, or everything with `all`. */
    const take = (all: boolean): Chunk.Chunk<Uint8Array> => {
      const taken = blocks.take(all)
      if (all) lastBlock = now()
      return Chunk.unsafeFromArray(taken)
    }

    // The socket's side. A failure of the body still hands over what was accepted before it: the next attempt
    // resumes after those bytes, not before.
    const gather: Channel.Channel<
      Chunk.Chunk<Uint8Array>,
      Chunk.Chunk<Uint8Array>,
      DownloadError,
      HttpClientError.ResponseError,
      unknown,
      unknown
    > = Channel.readWithCause({
      onInput: (chunk: Chunk.Chunk<Uint8Array>) => {
        lastActivity = now()
        for (const bytes of chunk) {
          const refused = accept(bytes)
          if (refused !== undefined) return Channel.fail(refused)
        }
        // A slow (paced) body is still handed over every second.
        const ready = take(now() - lastBlock >= 1000)
        const next = Chunk.isEmpty(ready) ? gather : Channel.zipRight(Channel.write(ready), gather)
        return rate.note(writeFrom + accepted) ? Channel.zipRight(Channel.fromEffect(rate.report), next) : next
      },
      onFailure: (cause: Cause.Cause<HttpClientError.ResponseError>) =>
        Channel.zipRight(Channel.write(take(true)), Channel.failCause(Cause.map(cause, transportError(state.durable)))),
      // A short body still has to be judged (an error page of 200 bytes) before its end is checked.
      onDone: () => {
        if (sniffed !== null && sniffed.length > 0) {
          const verdict = Container.sniff(sniffed, { contentType, extension: options.extension, complete: true })
          if (verdict._tag !== "Video") return Channel.fail(refusal(verdict, status))
          blocks.push(sniffed)
          accepted += sniffed.length
          sniffed = null
        }
        return Channel.write(take(true))
      }
    })

    const stallMillis = Duration.toMillis(stall)
    // No bytes in or out for the stall timeout: the connection is dropped and the attempt fails as Stalled.
    const watchdog: Effect.Effect<never, DownloadError> = Effect.suspend(() => {
      const idle = now() - lastActivity
      return idle >= stallMillis
        ? Effect.fail(new DownloadError({ reason: "Stalled", durable: p.durable, detail: `nothing for ${HttpFailure.formatDuration(stall)}` }))
        : Effect.zipRight(Effect.sleep(stallMillis - idle), watchdog)
    })

    const streamed = response.stream.pipe(
      Stream.pipeThroughChannel(gather),
      Stream.bufferChunks({ capacity: BUFFERED_BLOCKS }),
      Stream.runForEach((block) => Effect.zipRight(write(block), Effect.sync(() => blocks.release(block)))),
      Effect.raceFirst(watchdog)
    )
    // Whatever ends the exchange, what was written is synced and reported: the next attempt resumes there.
    yield* streamed.pipe(Effect.onExit(() => Effect.ignore(checkpoint)))
    const end = p
    if (verified < expected.length) {
      return yield* new DownloadError({ reason: "Truncated", durable: end.durable, ...(total !== null ? { total } : {}) })
    }
    if (total === null && end.received === 0) {
      return yield* new DownloadError({ reason: "NotVideo", status, detail: "an empty body" })
    }
    if (total !== null && end.durable < total) {
      return yield* new DownloadError({ reason: "Truncated", durable: end.durable, total })
    }
    const final: Resume.State = { durable: end.durable, total: total ?? end.durable, etag: decision.etag }
    return { state: final, received: end.received, restarted: decision.restart }
  }))

const refusal = (verdict: Container.Verdict, status: number): DownloadError =>
  verdict._tag === "Placeholder"
    ? new DownloadError({ reason: "Placeholder", status, detail: `${verdict.container} for a .${verdict.expected}` })
    : new DownloadError({ reason: "NotVideo", status, detail: verdict._tag === "NotVideo" ? verdict.seen : "something" })

/** Bytes gathered before a write: few large writes instead of one per network chunk. */
const BLOCK_BYTES = 1024 * 1024

/** Blocks the socket may run ahead of the disk (while it syncs): bounded, so memory is too. */
const BUFFERED_BLOCKS = 8

/**
 * A progress reporter for the socket's side: `note` is cheap enough for every network chunk and says when a report
 * is due (at most every 250 ms); the rate is over a sliding window of about five seconds.
 */
const makeRate = (total: number | null, report: Options["onProgress"], now: () => number) => {
  const samples: Array<readonly [number, number]> = []
  let last = now()
  let latest = 0
  return {
    note: (bytes: number): boolean => {
      if (report === undefined) return false
      latest = bytes
      const t = now()
      if (samples.length === 0 || t - samples[samples.length - 1]![0] >= 100) {
        samples.push([t, bytes])
        while (samples.length > 2 && t - samples[0]![0] > 5000) samples.shift()
      }
      return t - last >= 250
    },
    report: Effect.suspend(() => {
      if (report === undefined) return Effect.void
      const t = now()
      last = t
      const [t0, b0] = samples[0] ?? [t, latest]
      const rate = t > t0 ? ((latest - b0) * 1000) / (t - t0) : 0
      return report({
        bytes: latest,
        total,
        rate,
        etaSeconds: total !== null && rate > 0 ? Math.ceil((total - latest) / rate) : null
      })
    })
  }
}

export interface RunOptions<E = never, R = never> extends Options<E, R> {
  /**
   * Attempts in a row that add nothing before giving up (default 3). A transfer failure after progress reconnects
   * at once (providers cut long connections on purpose); one without waits, doubling from 1 s.
   */
  readonly attemptsWithoutProgress?: number | undefined
  /** The wait after the first attempt that added nothing (default 1 s); it doubles with each further one. */
  readonly retryDelay?: Duration.DurationInput | undefined
}

/**
 * Attempts until the file is whole: transfer-class failures reconnect (at once after progress, with a growing wait
 * without), a changed entity restarts from zero, anything else ends the run. Returns the final state.
 */
export const run = <E = never, R = never>(
  options: RunOptions<E, R>
): Effect.Effect<Outcome, DownloadError | E, HttpClient.HttpClient | FileSystem.FileSystem | R> =>
  Effect.gen(function*() {
    let state = options.state ?? Resume.empty
    let stuck = 0
    let restarted = false
    let changes = 0
    const limit = options.attemptsWithoutProgress ?? 3
    const retryDelay = Duration.decode(options.retryDelay ?? "1 second")
    const record = (next: Resume.State) =>
      Effect.suspend(() => {
        state = next
        return options.onCheckpoint === undefined ? Effect.void : options.onCheckpoint(next)
      })
    while (true) {
      const before = state.durable
      const result = yield* attempt({ ...options, state, onCheckpoint: record }).pipe(Effect.either)
      if (result._tag === "Right") {
        return { ...result.right, restarted: restarted || result.right.restarted }
      }
      const error = result.left
      if (!(error instanceof DownloadError) || error.class !== "transfer") return yield* Effect.fail(error)
      if (error.reason === "EntityChanged") {
        // Start over at once, from nothing; an entity that keeps changing is as stuck as no progress.
        state = Resume.empty
        restarted = true
        if (options.onCheckpoint !== undefined) yield* options.onCheckpoint(state)
        if (++changes <= limit) continue
        return yield* Effect.fail(error)
      }
      if (state.durable > before) {
        stuck = 0
        continue
      }
      stuck++
      if (stuck >= limit) return yield* Effect.fail(error)
      yield* Effect.sleep(Duration.times(retryDelay, 2 ** (stuck - 1)))
    }
  })

export type Event =
  | { readonly _tag: "Progress"; readonly progress: Progress }
  | { readonly _tag: "Done"; readonly outcome: Outcome }

/**
 * `run` as a stream of events: progress (bytes, total, rate, ETA; at most every 250 ms), then `Done` with the
 * outcome; it fails with the run's error. A slow consumer only loses intermediate progress, never the end.
 */
export const events = <E = never, R = never>(
  options: RunOptions<E, R>
): Stream.Stream<Event, DownloadError | E, HttpClient.HttpClient | FileSystem.FileSystem | R> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const mailbox = yield* Mailbox.make<Event, DownloadError | E>({ capacity: 64, strategy: "sliding" })
    yield* run({
      ...options,
      onProgress: (progress) =>
        Effect.zipRight(
          options.onProgress === undefined ? Effect.void : options.onProgress(progress),
          Effect.asVoid(mailbox.offer({ _tag: "Progress", progress }))
        )
    }).pipe(
      Effect.flatMap((outcome) => mailbox.offer({ _tag: "Done", outcome })),
      Mailbox.into(mailbox),
      Effect.forkScoped
    )
    return Mailbox.toStream(mailbox)
  }))

/** One file under two names: a publish linked the partial into place and stopped before removing it. */
const sameFile = (a: FileSystem.File.Info, b: FileSystem.File.Info): boolean =>
  Option.isSome(a.ino) && Option.isSome(b.ino) && a.ino.value === b.ino.value && a.dev === b.dev

/**
 * `TargetExists` when `target` holds a file other than `partial`'s own half-published one: what `publish` would
 * refuse, checked before anything is fetched for it.
 */
export const ensureFree = (
  partial: string,
  target: string
): Effect.Effect<void, DownloadError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const statOf = (file: string) =>
      fs.stat(file).pipe(
        Effect.map(Option.some),
        Effect.catchTag("SystemError", (e) => e.reason === "NotFound" ? Effect.succeedNone : Effect.fail(e)),
        Effect.mapError(ioError(file))
      )
    const placed = yield* statOf(target)
    if (Option.isNone(placed)) return
    const own = yield* statOf(partial)
    if (Option.isSome(own) && sameFile(own.value, placed.value)) return
    return yield* new DownloadError({ reason: "TargetExists", detail: path.basename(target) })
  })

/**
 * Moves a whole partial file to `target` without replacing anything there: a hard link (which fails if the target
 * exists), then the partial removed and the directory fsynced. `TargetExists` when the library already has it.
 */
export const publish = (
  partial: string,
  target: string
): Effect.Effect<void, DownloadError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* Effect.scoped(Effect.flatMap(
      fs.open(partial, { flag: "r+" }),
      (file) => file.sync
    )).pipe(Effect.mapError(ioError(partial)))
    yield* fs.link(partial, target).pipe(
      Effect.catchTag("SystemError", (error) =>
        error.reason !== "AlreadyExists" ? Effect.fail(ioError(target)(error)) : Effect.gen(function*() {
          // The same file under both names: an earlier publish linked it and stopped before removing the partial.
          const [a, b] = yield* Effect.all([fs.stat(partial), fs.stat(target)]).pipe(Effect.mapError(ioError(target)))
          if (!sameFile(a, b)) return yield* new DownloadError({ reason: "TargetExists", detail: path.basename(target) })
        })),
      Effect.mapError((error) => error instanceof DownloadError ? error : ioError(target)(error))
    )
    yield* fs.remove(partial).pipe(Effect.mapError(ioError(partial)))
    // The link is durable only once its directory is.
    yield* Effect.scoped(Effect.flatMap(fs.open(path.dirname(target), { flag: "r" }), (dir) => dir.sync)).pipe(
      Effect.ignore
    )
  })
