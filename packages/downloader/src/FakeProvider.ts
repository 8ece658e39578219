/**
 * A fake Xtream panel serving VOD files: a real HTTP server on 127.0.0.1 (an ephemeral port) that behaves like the
 * providers the downloader meets (research/reliability.md §1.8, §1.9, §2.1, §2.2), faults included.
 *
 * - `/movie/{username}/{password}/{id}.{ext}` and `/series/…`: wrong credentials are 401 (or `unauthorizedStatus`)
 *   with a small HTML page; an unknown id (or a movie id under `/series`) an nginx 404 page.
 * - Content: deterministic bytes per stream id and version (`contentOf`, `sha256Of`, `bytesAt`), generated on the
 *   fly in 256 KiB chunks, so multi-GiB files cost no memory; the first bytes are the container's signature (MKV/WebM
 *   EBML, MP4/M4V/MOV `ftyp`, AVI `RIFF…AVI `, MPEG-TS sync bytes every 188 bytes). The version starts at 1 and
 *   goes up with `changeContent`.
 * - Ranges: `bytes=N-`, `bytes=N-M`, `bytes=-S` → 206 with Content-Range and Content-Length; N ≥ size (or several
 *   ranges) → 416 `bytes *\/size`; none → 200. No validators, as Xtream; `validators: true` sends a strong ETag
 *   `"<id>-<version>"` and honours If-Range. `xtreamHeaders: true` adds the panel's quirks (`Accept-Ranges: 0-<size>`,
 *   a Content-Range on 200, 416 with `bytes 0-(size-1)/size`).
 * - `redirect: true`: the path answers `302 Location: /vauth/<token>`; the token is single-use, lives `tokenTtl`
 *   (60 s), never carries the credentials, and its hop serves the content with its own Range. A used or expired
 *   token is 403.
 * - `maxConnections`: requests of the account count from their start until their response is flushed or their
 *   socket closes; one more resets the oldest (as panels kill the oldest connection). Answers that are not the
 *   stream (errors, faults replacing it) take no slot; the 302 holds one only while it is written.
 * - Faults per test (`failNext`) or at random (`chaos`), and a request log without credentials.
 *
 * The server is an `Effect` resource: `make(catalogue, options)` in a `Scope`, closed with it.
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import * as Content from "./internal/fakeProviderContent.js"
import * as Core from "./internal/fakeProviderServer.js"

export type { StreamSpec } from "./internal/fakeProviderContent.js"
export type { Chaos, FailOptions, Fault, LoggedRequest, Outcome } from "./internal/fakeProviderServer.js"

// ---------------------------------------------------------------------------------------------------------------
// Faults

type Fault = Core.Fault

/**
 * Headers and the body up to the absolute `offset` of the file, then a TCP reset. The reset comes 100 ms after the
 * last byte: a client that keeps reading gets them all; one that does not loses what it had not read, as with any
 * reset.
 */
export const resetAt = (offset: number): Fault => ({ _tag: "ResetAt", offset })
/** Headers and the body up to the absolute `offset`, then a clean close: fewer bytes than Content-Length said. */
export const finAt = (offset: number): Fault => ({ _tag: "FinAt", offset })
/** A ranged request answered 200 with the whole file. */
export const ignoreRange: Fault = { _tag: "IgnoreRange" }
/** 206 whose Content-Range start (and end) is off by `delta`; the body is still the range asked for. */
export const wrongContentRange = (delta: number): Fault => ({ _tag: "WrongContentRange", delta })
/** 206 whose Content-Range total is off by `delta`. */
export const wrongTotal = (delta: number): Fault => ({ _tag: "WrongTotal", delta })

/** Any status (403, 458, 459, 509, 500, 503…) with an nginx-style HTML page unless `body` is given. */
export const status = (
  code: number,
  options: {
    readonly body?: string | undefined
    readonly contentType?: string | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
    readonly retryAfter?: number | string | undefined
  } = {}
): Fault => ({
  _tag: "Status",
  status: code,
  body: options.body,
  contentType: options.contentType,
  headers: options.retryAfter === undefined
    ? options.headers
    : { ...options.headers, "retry-after": String(options.retryAfter) }
})
/** 429 with `Retry-After` (seconds or an HTTP date; default 60). */
export const rateLimited = (retryAfter: number | string = 60): Fault => status(429, { retryAfter })
/**
 * 416 in one of the forms met in the wild: `bytes *\/size` (`unsatisfied`, RFC 9110), `bytes 0-(size-1)/size`
 * (`xtream`), or no Content-Range at all (`none`).
 */
export const unsatisfiable = (form: "unsatisfied" | "xtream" | "none" = "unsatisfied"): Fault => ({
  _tag: "Status",
  status: 416,
  body: "",
  contentRange: form === "none" ? undefined : form
})
/** A panel's debug error page with status 200 and `text/html`. */
export const htmlUnder200: Fault = { _tag: "HtmlUnder200" }
/** The same page as `application/octet-stream`. */
export const htmlAsOctetStream: Fault = { _tag: "HtmlAsOctetStream" }
/** 200 `video/mp2t` with a short MPEG-TS clip, whatever the extension: an expired line's placeholder video. */
export const placeholder: Fault = { _tag: "Placeholder" }
/** The stream's content changes (a new version) before the request is served. */
export const changeContent: Fault = { _tag: "ChangeContent" }
/** No body bytes for `duration` once the body reaches the absolute `atOffset` (default: right after the headers). */
export const stall = (duration: Duration.DurationInput, atOffset?: number): Fault => ({
  _tag: "Stall",
  ms: Duration.toMillis(Duration.decode(duration)),
  atOffset
})
/** The body paced to `bytesPerSecond`. */
export const throttle = (bytesPerSecond: number): Fault => ({ _tag: "Throttle", bytesPerSecond })
/** A chunked body without Content-Length. */
export const noContentLength: Fault = { _tag: "NoContentLength" }
/** Several faults on one request, e.g. `all(throttle(1e6), resetAt(5e6))`. A status, HTML or placeholder wins. */
export const all = (...faults: ReadonlyArray<Fault>): Fault => ({ _tag: "All", faults })

// ---------------------------------------------------------------------------------------------------------------
// Content

/**
 * The bytes of `stream` at `version` (default 1), `[start, end)` (default the whole file), in chunks of at most
 * 256 KiB generated as they are pulled.
 */
export const contentOf = (
  stream: Content.StreamSpec,
  options: { readonly version?: number; readonly start?: number; readonly end?: number } = {}
): Stream.Stream<Uint8Array> =>
  Stream.suspend(() =>
    Stream.fromIteratorSucceed(Content.chunks(stream, options.version ?? 1, options.start ?? 0, options.end ?? stream.size), 1)
  )

/** The SHA-256 (hex) of `stream` at `version` (default 1), computed by streaming its content. */
export const sha256Of = (stream: Content.StreamSpec, version = 1): Effect.Effect<string> =>
  Stream.runFold(contentOf(stream, { version }), Crypto.createHash("sha256"), (hash, chunk) => hash.update(chunk)).pipe(
    Effect.map((hash) => hash.digest("hex"))
  )

/** The bytes `[start, start + length)` of `stream` at `version`, in one buffer: for spot checks. */
export const bytesAt = (stream: Content.StreamSpec, version: number, start: number, length: number): Uint8Array =>
  Content.bytesAt(stream, version, start, length)

/** The bytes a file with this extension starts with (empty for an unknown one). */
export const signature = (ext: string, size: number): Uint8Array => Content.signature(ext, size)

// ---------------------------------------------------------------------------------------------------------------
// The server

export interface Catalogue {
  /** The streams served; ids are unique. */
  readonly streams: ReadonlyArray<Content.StreamSpec>
  /** Default `stalkeer`. */
  readonly username?: string | undefined
  /** Default: 16 random hex digits. */
  readonly password?: string | undefined
}

export interface Options {
  /** Two hops, as a real panel: the path answers 302 to a single-use `/vauth/<token>` that serves the file. */
  readonly redirect?: boolean | undefined
  /** How long a token is valid (default 60 seconds). */
  readonly tokenTtl?: Duration.DurationInput | undefined
  /** Send a strong ETag `"<id>-<version>"` and honour If-Range (Xtream sends no validators). */
  readonly validators?: boolean | undefined
  /** The account's max_connections (≥ 1; default unlimited): beyond it the oldest request is reset. */
  readonly maxConnections?: number | undefined
  /** Random cuts of bodies, reproducible from the seed. */
  readonly chaos?: Core.Chaos | undefined
  /** The status for wrong credentials (default 401). */
  readonly unauthorizedStatus?: number | undefined
  /** The panel's non-standard range headers: `Accept-Ranges: 0-<size>`, Content-Range on 200, 416 `bytes 0-(size-1)/size`. */
  readonly xtreamHeaders?: boolean | undefined
}

export interface Server {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string
  readonly username: string
  readonly password: string
  readonly streams: ReadonlyArray<Content.StreamSpec>
  /**
   * The credential-bearing URL of stream `id`, what the downloader is given. The options build other URLs: wrong
   * credentials, an unknown id (kind `movie` and extension `mkv` unless given).
   */
  readonly url: (
    id: number,
    options?: {
      readonly username?: string
      readonly password?: string
      readonly kind?: "movie" | "series"
      readonly ext?: string
    }
  ) => string
  /** The next `times` requests for a stream (on `path` or `streamId`, if given) take `fault`. Faults queue in order. */
  readonly failNext: (fault: Fault, options?: Core.FailOptions) => Effect.Effect<void>
  /** Every request so far, oldest first, credentials replaced by `{username}`/`{password}`. */
  readonly requests: Effect.Effect<ReadonlyArray<Core.LoggedRequest>>
  readonly requestCount: Effect.Effect<number>
  /** Body bytes sent over all requests. */
  readonly bytesSent: Effect.Effect<number>
  /** Requests of the account holding a connection slot now. */
  readonly inFlight: Effect.Effect<number>
  /** The most slots ever held at once (after evictions). */
  readonly maxConcurrentObserved: Effect.Effect<number>
  /** How many requests were reset to make room under `maxConnections`. */
  readonly evictions: Effect.Effect<number>
  /** The stream's current version (1 until its content changes). */
  readonly version: (id: number) => Effect.Effect<number>
  /** Changes the stream's content now; the new version. */
  readonly changeContent: (id: number) => Effect.Effect<number>
  /** The content of stream `id` at `version` (default: its current one). Dies for an unknown id. */
  readonly contentOf: (id: number, version?: number) => Stream.Stream<Uint8Array>
  /** The SHA-256 (hex) of stream `id` at `version` (default: its current one). Dies for an unknown id. */
  readonly sha256: (id: number, version?: number) => Effect.Effect<string>
  /** Forgets the log, counters, pending faults, tokens and content changes; restarts chaos from its seed. */
  readonly reset: Effect.Effect<void>
}

export class Fake extends Context.Tag("@stalkeer/downloader/FakeProvider")<Fake, Server>() {}

/** A fake provider serving `catalogue` on 127.0.0.1 until the scope closes. */
export const make = (catalogue: Catalogue, options: Options = {}): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.gen(function*() {
    const username = catalogue.username ?? "stalkeer"
    const password = catalogue.password ?? Crypto.randomBytes(8).toString("hex")
    const core = Core.makeCore({
      username,
      password,
      streams: catalogue.streams,
      redirect: options.redirect === true,
      tokenTtlMs: Duration.toMillis(Duration.decode(options.tokenTtl ?? "60 seconds")),
      validators: options.validators === true,
      maxConnections: options.maxConnections === undefined ? undefined : Math.max(1, options.maxConnections),
      chaos: options.chaos,
      unauthorizedStatus: options.unauthorizedStatus ?? 401,
      xtreamHeaders: options.xtreamHeaders === true
    })
    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const server = Http.createServer(core.handle)
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const baseUrl = `http://127.0.0.1:${(server.address() as { readonly port: number }).port}`
    const byId = new Map(catalogue.streams.map((s) => [s.id, s]))
    const known = (id: number) => byId.get(id)

    return {
      baseUrl,
      username,
      password,
      streams: catalogue.streams,
      url: (id, url = {}) => {
        const stream = known(id)
        const user = encodeURIComponent(url.username ?? username)
        const pass = encodeURIComponent(url.password ?? password)
        return `${baseUrl}/${url.kind ?? stream?.kind ?? "movie"}/${user}/${pass}/${id}.${url.ext ?? stream?.ext ?? "mkv"}`
      },
      failNext: (fault, fail = {}) => Effect.sync(() => core.failNext(fault, fail)),
      requests: Effect.sync(core.requests),
      requestCount: Effect.sync(core.requestCount),
      bytesSent: Effect.sync(core.bytesSent),
      inFlight: Effect.sync(core.inFlight),
      maxConcurrentObserved: Effect.sync(core.maxConcurrentObserved),
      evictions: Effect.sync(core.evictions),
      version: (id) => Effect.sync(() => core.version(id)),
      changeContent: (id) => Effect.sync(() => core.bump(id)),
      contentOf: (id, version) => {
        const stream = known(id)
        return stream === undefined
          ? Stream.dieMessage(`FakeProvider: no stream ${id}`)
          : Stream.suspend(() => contentOf(stream, { version: version ?? core.version(id) }))
      },
      sha256: (id, version) => {
        const stream = known(id)
        return stream === undefined
          ? Effect.dieMessage(`FakeProvider: no stream ${id}`)
          : Effect.suspend(() => sha256Of(stream, version ?? core.version(id)))
      },
      reset: Effect.sync(core.reset)
    } satisfies Server
  })

/** The fake as a layer, for `it.layer`. */
export const layer = (catalogue: Catalogue, options: Options = {}): Layer.Layer<Fake> =>
  Layer.scoped(Fake, make(catalogue, options))
