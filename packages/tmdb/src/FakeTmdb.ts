/**
 * A fake TMDB v3: a real HTTP server on 127.0.0.1 (an ephemeral port) that answers `/3/search/movie`,
 * `/3/search/tv`, `/3/movie/{id}`, `/3/tv/{id}` (with `append_to_response` of `external_ids`,
 * `alternative_titles`, `translations`) and `/3/find/{external_id}` over an in-memory `World`, in the shapes of
 * TMDB's OpenAPI spec (`shared/contracts/tmdb-v3.openapi.json`; a test checks every response against it) and with
 * TMDB's errors (`{"success":false,"status_code":…,"status_message":…}`).
 *
 * - Auth: the `api_key` query parameter or `Authorization: Bearer`, matching the server's secrets; else 401, code 7.
 * - Search: see `internal/fakeSearch.ts` (token match over every name of a work, best match then popularity);
 *   `year` / `primary_release_year` / `first_air_date_year` filter; 20 results a page, `page` 1..500 (else 400,
 *   code 22); no `query` is 422 (code 5); `language` gives the translated title when the world has one.
 * - Faults, per test: `failNext` makes the next N requests (or those on a path) answer a status (429 with or
 *   without `Retry-After`, 500, 503…), a garbage body, never (a hang, for timeouts) or a reset connection.
 *   `rateLimit` answers 429 beyond that many requests in any second, as TMDB does around 40/s.
 * - A request log (method, path, query without `api_key`, which credential came, status) and a counter.
 *
 * The server is an `Effect` resource: `make(world, options)` in a `Scope`, closed with it.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import * as Router from "./internal/fakeRouter.js"
import type * as Tmdb from "./Tmdb.js"

export type { AlternativeTitle, Movie, Translation, Tv, World } from "./internal/fakeRouter.js"

// ---------------------------------------------------------------------------------------------------------------
// Faults and the request log

export type Fault =
  | {
    readonly _tag: "Status"
    readonly status: number
    /** The `Retry-After` header, when given (seconds or an HTTP date). */
    readonly retryAfter?: string | undefined
    /** The body; default TMDB's error body for the status. */
    readonly body?: string | undefined
  }
  | { readonly _tag: "Body"; readonly body: string; readonly contentType?: string | undefined }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "Reset" }

/** 429 with TMDB's code-25 body, and `Retry-After` when `retryAfter` is given. */
export const rateLimited = (retryAfter?: number | string): Fault => ({
  _tag: "Status",
  status: 429,
  retryAfter: retryAfter === undefined ? undefined : String(retryAfter)
})
/** Any status with TMDB's error body for it (500 code 11, 503 code 9, 504 code 24…). */
export const status = (code: number, options: { readonly retryAfter?: number | string } = {}): Fault => ({
  _tag: "Status",
  status: code,
  retryAfter: options.retryAfter === undefined ? undefined : String(options.retryAfter)
})
/** 200 with `body` as it is: any shape a test needs. */
export const body = (text: string, contentType = "application/json;charset=utf-8"): Fault => ({
  _tag: "Body",
  body: text,
  contentType
})
/** 200 with a body that is not JSON (a proxy's HTML page cut short). */
export const garbage: Fault = { _tag: "Body", body: "<html><body>Bad gateway", contentType: "text/html" }
/** 200 with JSON of the wrong shape. */
export const wrongShape: Fault = { _tag: "Body", body: JSON.stringify({ page: "one", results: [{ id: "x" }] }) }
/** Never answers (until the server closes): for timeouts. */
export const hang: Fault = { _tag: "Hang" }
/** Closes the connection without answering: a network error. */
export const reset: Fault = { _tag: "Reset" }

export interface FailOptions {
  /** How many requests fail (default 1). */
  readonly times?: number | undefined
  /** Only requests whose path starts with this string (e.g. `/3/search/movie`) or matches this pattern. */
  readonly path?: string | RegExp | undefined
}

export interface LoggedRequest {
  readonly method: string
  /** E.g. `/3/search/movie`. */
  readonly path: string
  /** The query parameters, `api_key` left out. */
  readonly query: Readonly<Record<string, string>>
  /** Which credential the request carried (whether right or not). */
  readonly auth: "apiKey" | "bearer" | "none"
  /** The answer's status; 0 when none was sent (a hang or a reset). */
  readonly status: number
  /** When it arrived (epoch milliseconds). */
  readonly at: number
}

export interface Options {
  /** The accepted v3 key (default: 32 random hex digits). */
  readonly apiKey?: string | undefined
  /** The accepted v4 token (default: a random `eyJ…` string). */
  readonly accessToken?: string | undefined
  /** Answer 429 (`Retry-After: 1`, code 25) beyond this many requests in any one second. */
  readonly rateLimit?: number | undefined
}

export interface Server {
  /** `http://127.0.0.1:<port>/3`: what `Tmdb.Options.baseUrl` takes. */
  readonly baseUrl: string
  readonly apiKey: string
  readonly accessToken: string
  /** The next `times` requests (on `path`, if given) answer `fault` instead. Faults queue in order. */
  readonly failNext: (fault: Fault, options?: FailOptions) => Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<LoggedRequest>>
  readonly requestCount: Effect.Effect<number>
  /** Forgets the log and any pending fault. */
  readonly reset: Effect.Effect<void>
}

export class Fake extends Context.Tag("@stalkeer/tmdb/FakeTmdb")<Fake, Server>() {}

// ---------------------------------------------------------------------------------------------------------------
// The server

interface PendingFault {
  readonly fault: Fault
  remaining: number
  readonly path: string | RegExp | undefined
}

const send = (res: Http.ServerResponse, answer: Router.Answer) => {
  const body = JSON.stringify(answer.body)
  res.writeHead(answer.status, {
    "content-type": "application/json;charset=utf-8",
    "content-length": Buffer.byteLength(body),
    ...answer.headers
  })
  res.end(body)
}

/** A fake TMDB serving `world` on 127.0.0.1 until the scope closes. */
export const make = (world: Router.World, options: Options = {}): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.gen(function*() {
    const apiKey = options.apiKey ?? Crypto.randomBytes(16).toString("hex")
    const accessToken = options.accessToken ?? `eyJ${Crypto.randomBytes(24).toString("base64url")}`
    const route = Router.makeRouter(world)
    const log: Array<LoggedRequest> = []
    let faults: Array<PendingFault> = []
    const recent: Array<number> = []

    const takeFault = (path: string): Fault | undefined => {
      const pending = faults.find((f) =>
        f.remaining > 0 &&
        (f.path === undefined || (typeof f.path === "string" ? path.startsWith(f.path) : f.path.test(path)))
      )
      if (pending === undefined) return undefined
      pending.remaining -= 1
      faults = faults.filter((f) => f.remaining > 0)
      return pending.fault
    }

    const overLimit = (): boolean => {
      if (options.rateLimit === undefined) return false
      const now = Date.now()
      while (recent.length > 0 && recent[0]! <= now - 1000) recent.shift()
      recent.push(now)
      return recent.length > options.rateLimit
    }

    const handle = (req: Http.IncomingMessage, res: Http.ServerResponse) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      const path = url.pathname
      const query: Record<string, string> = {}
      for (const [key, value] of url.searchParams) if (key !== "api_key") query[key] = value
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim()
      const given = url.searchParams.get("api_key")
      const auth = given !== null ? "apiKey" : bearer !== undefined ? "bearer" : "none"
      const at = Date.now()
      const record = (status: number) => log.push({ method: req.method ?? "GET", path, query, auth, status, at })

      const fault = takeFault(path)
      if (fault !== undefined) {
        switch (fault._tag) {
          case "Hang":
            return record(0)
          case "Reset":
            record(0)
            return req.socket.destroy()
          case "Body": {
            record(200)
            res.writeHead(200, { "content-type": fault.contentType ?? "application/json;charset=utf-8" })
            return res.end(fault.body)
          }
          case "Status": {
            record(fault.status)
            const body = fault.body ?? JSON.stringify(Router.errorBody(Router.CODE_OF_STATUS[fault.status] ?? 11))
            res.writeHead(fault.status, {
              "content-type": "application/json;charset=utf-8",
              ...(fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {})
            })
            return res.end(body)
          }
        }
      }
      if (overLimit()) {
        record(429)
        return send(res, { status: 429, body: Router.errorBody(25), headers: { "retry-after": "1" } })
      }
      const authorized = (given !== null && given === apiKey) || (bearer !== undefined && bearer === accessToken)
      const answer = !authorized
        ? Router.fail(401, 7)
        : req.method !== "GET"
        ? Router.fail(404, 34)
        : route(path, url.searchParams)
      record(answer.status)
      send(res, answer)
    }

    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const server = Http.createServer(handle)
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const port = (server.address() as { readonly port: number }).port

    return {
      baseUrl: `http://127.0.0.1:${port}/3`,
      apiKey,
      accessToken,
      failNext: (fault, fail = {}) =>
        Effect.sync(() => {
          faults.push({ fault, remaining: fail.times ?? 1, path: fail.path })
        }),
      requests: Effect.sync(() => [...log]),
      requestCount: Effect.sync(() => log.length),
      reset: Effect.sync(() => {
        log.length = 0
        faults = []
        recent.length = 0
      })
    } satisfies Server
  })

/** The fake as a layer, for `it.layer`. */
export const layer = (world: Router.World, options: Options = {}): Layer.Layer<Fake> => Layer.scoped(Fake, make(world, options))

/** `Tmdb.Options` that point at `server` with its API key (or, with `auth: "accessToken"`, its token). */
export const clientOptions = (
  server: Server,
  options: Omit<Tmdb.Options, "baseUrl" | "auth"> & { readonly auth?: "apiKey" | "accessToken" } = {}
): Tmdb.Options => {
  const { auth = "apiKey", ...rest } = options
  return {
    ...rest,
    baseUrl: server.baseUrl,
    auth: auth === "apiKey" ? { apiKey: Redacted.make(server.apiKey) } : { accessToken: Redacted.make(server.accessToken) }
  }
}
