/**
 * What the fake Radarr and the fake Sonarr share: a real `node:http` server on 127.0.0.1 that behaves like the
 * *arr HTTP stack (research/contracts.md §0 and §4) around a router of one application's endpoints.
 *
 * - Everything is served under the URL base; a request outside it is 404 with no body.
 * - `GET /ping` is open. Every other route needs the key, taken from the `apikey` query parameter first, then the
 *   `X-Api-Key` header, then `Authorization: Bearer`; a wrong or absent key is 401 with an EMPTY body.
 * - JSON is camelCase with null fields omitted; dates are UTC with no fractional seconds.
 * - Unknown `/api/v3` routes are 404 with no body; a missing id is 404 `application/problem+json`.
 * - `POST /api/v3/command` is 201 with a `Location` header; `GET /api/v3/command/{id}` goes `queued → started →
 *   completed` (or `failed`) as it is polled; an unknown command name is 500 with an `ErrorModel`.
 * - Faults on demand, and a log of every request (its query without `apikey`, the credential presented).
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Crypto from "node:crypto"
import * as Http from "node:http"

export type App = "Radarr" | "Sonarr"

// ---------------------------------------------------------------------------------------------------------------
// Faults and the request log

export type Fault =
  | {
    readonly _tag: "Status"
    readonly status: number
    /** The body as it is; default the *arr body for the status (empty for 401 and 404). */
    readonly body?: string | undefined
  }
  | { readonly _tag: "Body"; readonly body: string; readonly contentType?: string | undefined }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "Reset" }

/** `code` with what the *arr apps send with it (nothing for 401 and 404, an `ErrorModel` otherwise), or `body`. */
export const status = (code: number, options: { readonly body?: string | undefined } = {}): Fault => ({
  _tag: "Status",
  status: code,
  body: options.body
})
/** 200 with `body` as it is: any shape a test needs. */
export const body = (text: string, contentType = "application/json; charset=utf-8"): Fault => ({
  _tag: "Body",
  body: text,
  contentType
})
/** 200 with a body that is not JSON (a proxy's HTML page cut short). */
export const garbage: Fault = { _tag: "Body", body: "<html><body>Bad gateway", contentType: "text/html" }
/** 200 with JSON of the wrong shape. */
export const wrongShape: Fault = {
  _tag: "Body",
  body: JSON.stringify({ page: "one", records: [{ id: "x", title: 7 }] })
}
/** Never answers (until the server closes): for timeouts. */
export const hang: Fault = { _tag: "Hang" }
/** Closes the connection without answering: a network error. */
export const reset: Fault = { _tag: "Reset" }

export interface FailOptions {
  /** How many requests fail (default 1). */
  readonly times?: number | undefined
  /**
   * Only requests whose path, after the URL base, starts with this string (e.g. `/api/v3/wanted/missing`) or
   * matches this pattern.
   */
  readonly path?: string | RegExp | undefined
}

/** Which credential a request presented (whether right or not), in the order the server looks for them. */
export type Credential = "query" | "header" | "bearer" | "none"

export interface LoggedRequest {
  readonly method: string
  /** The path as requested, URL base included, e.g. `/radarr/api/v3/movie`. */
  readonly path: string
  /** The query parameters, `apikey` left out. */
  readonly query: Readonly<Record<string, string>>
  readonly credential: Credential
  /** The answer's status; 0 when none was sent (a hang or a reset). */
  readonly status: number
  /** When it arrived (epoch milliseconds). */
  readonly at: number
}

/** A command the fake accepted, as posted. */
export interface LoggedCommand {
  readonly id: number
  readonly name: string
  readonly body: Readonly<Record<string, unknown>>
}

export interface CommandBehaviour {
  /** Polls (`GET /command/{id}`) that still see the command running; the next one sees it end. `Infinity`: never. */
  readonly steps?: number | undefined
  readonly outcome?: "completed" | "failed" | undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Answers

export interface Answer {
  readonly status: number
  /** Serialised as JSON with null fields omitted; `undefined` sends no body at all. */
  readonly body?: unknown
  readonly contentType?: string | undefined
  readonly headers?: Readonly<Record<string, string>>
}

export interface Request {
  readonly method: string
  /** The path after the URL base, e.g. `/api/v3/movie/12`. */
  readonly path: string
  readonly query: URLSearchParams
  readonly body: unknown
}

export const ok = (body: unknown): Answer => ({ status: 200, body })
/** No such route: ASP.NET's 404, no body. */
export const noRoute: Answer = { status: 404 }
/** No such resource: `NotFound()` of a controller, a problem document. */
export const notFound = (app: App): Answer => ({
  status: 404,
  contentType: "application/problem+json; charset=utf-8",
  body: {
    type: app === "Radarr" ? "https://tools.ietf.org/html/rfc9110#section-15.5.5" : "https://tools.ietf.org/html/rfc7231#section-6.5.4",
    title: "Not Found",
    status: 404,
    traceId: `00-${Crypto.randomBytes(16).toString("hex")}-${Crypto.randomBytes(8).toString("hex")}-00`
  }
})
/** A `BadRequestException`: an `ErrorModel`. */
export const badRequest = (content: string): Answer => ({
  status: 400,
  body: { message: `BadRequest: ${content}`, content }
})
/** An unhandled exception: an `ErrorModel` with the stack trace as its description. */
export const serverError = (message: string): Answer => ({
  status: 500,
  body: { message, description: `System.InvalidOperationException: ${message}\n   at NzbDrone.Api.Fake()` }
})

/** `2024-05-01T12:00:00Z`: the *arr date format (UTC, no fractional seconds). */
export const isoDate = (millis: number): string => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

/** A date given in any ISO form, in the *arr format; `undefined` when it is not a date. */
export const normalizeDate = (value: unknown): string | undefined => {
  if (typeof value !== "string" || value.trim() === "") return undefined
  const millis = Date.parse(value)
  return Number.isNaN(millis) ? undefined : isoDate(millis)
}

/** `Alien: Covenant` → `alien covenant`: a sort title, leading article dropped as the *arr apps do. */
export const sortTitleOf = (title: string): string =>
  title.toLowerCase().replace(/^(the|a|an)\s+/, "").replace(/[^\p{L}\p{N}\s]/gu, "").replace(/\s+/g, " ").trim()

export const cleanTitleOf = (title: string): string => title.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")

export const slugOf = (title: string): string =>
  title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "")

/** A folder name without the characters the *arr apps drop. */
export const folderOf = (title: string, year: number): string =>
  `${title.replace(/[<>:"/\\|?*]/g, "").trim()}${year > 0 ? ` (${year})` : ""}`

export const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined
export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

/** `value`'s fields that are neither `null` nor `undefined`, to spread over defaults. */
export const present = (value: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) if (field !== null && field !== undefined) out[key] = field
  return out
}

/** An integer path segment (`/movie/{id}`). */
export const idOf = (segment: string | undefined): number | undefined =>
  segment !== undefined && /^-?\d+$/.test(segment) ? Number(segment) : undefined

/** A boolean query parameter: `true`/`false` in any case, else the default. */
export const boolParam = (query: URLSearchParams, name: string, fallback: boolean): boolean => {
  const raw = query.get(name)?.toLowerCase()
  return raw === "true" ? true : raw === "false" ? false : fallback
}

/** `4.7.5.7809` ≥ `5.6`? */
export const versionAtLeast = (version: string, minimum: string): boolean => {
  const a = version.split(".").map((n) => Number(n) || 0)
  const b = minimum.split(".").map((n) => Number(n) || 0)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  }
  return true
}

// ---------------------------------------------------------------------------------------------------------------
// Paging

export interface Paging<A> {
  /** Sort keys the endpoint allows, with the value each sorts by. */
  readonly keys: Readonly<Record<string, (item: A) => string | number | undefined>>
  readonly defaultKey: string
  /** The direction `sortDirection=default` selects. */
  readonly defaultDirection: "ascending" | "descending"
  readonly id: (item: A) => number
}

const positive = (raw: string | null, fallback: number): number => {
  const n = raw !== null && /^\d+$/.test(raw) ? Number(raw) : fallback
  return n >= 1 ? n : fallback
}

/**
 * A page of `items` as `PagingResource`: `page` 1 and `pageSize` 10 by default; an unknown `sortKey` falls back to
 * the endpoint's; an omitted `sortDirection` is descending (only `default` selects the endpoint's direction).
 */
export const page = <A>(
  items: ReadonlyArray<A>,
  query: URLSearchParams,
  paging: Paging<A>,
  render: (item: A) => unknown
): Answer => {
  const pageNumber = positive(query.get("page"), 1)
  const pageSize = positive(query.get("pageSize"), 10)
  const asked = query.get("sortKey")
  const sortKey = asked !== null && asked in paging.keys ? asked : paging.defaultKey
  const rawDirection = query.get("sortDirection")?.toLowerCase()
  const sortDirection = rawDirection === "ascending"
    ? "ascending"
    : rawDirection === "default"
    ? paging.defaultDirection
    : "descending"
  const key = paging.keys[sortKey]!
  const sign = sortDirection === "ascending" ? 1 : -1
  const keyed = items.map((item) => ({ item, value: key(item), id: paging.id(item) }))
  keyed.sort((x, y) => {
    if (x.value !== y.value) {
      if (x.value === undefined) return sign
      if (y.value === undefined) return -sign
      return (x.value < y.value ? -1 : 1) * sign
    }
    return (x.id - y.id) * sign
  })
  const start = (pageNumber - 1) * pageSize
  return ok({
    page: pageNumber,
    pageSize,
    sortKey,
    sortDirection,
    totalRecords: items.length,
    records: keyed.slice(start, start + pageSize).map(({ item }) => render(item))
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Status and commands

export const systemStatus = (app: App, version: string, urlBase: string, startTime: number) => ({
  appName: app,
  instanceName: app,
  version,
  buildTime: "2025-10-20T12:00:00Z",
  isDebug: false,
  isProduction: true,
  isAdmin: false,
  isUserInteractive: false,
  startupPath: `/app/${app.toLowerCase()}/bin`,
  appData: "/config",
  osName: "ubuntu",
  osVersion: "24.04",
  isNetCore: true,
  isLinux: true,
  isOsx: false,
  isWindows: false,
  isDocker: true,
  mode: "console",
  branch: app === "Radarr" ? "master" : "main",
  databaseType: "sqLite",
  databaseVersion: "3.46.1",
  authentication: "forms",
  ...(app === "Sonarr" ? { sqliteVersion: "3.46.1" } : {}),
  migrationVersion: app === "Radarr" ? 241 : 215,
  urlBase,
  runtimeVersion: app === "Radarr" ? "8.0.12" : "6.0.36",
  runtimeName: ".NET",
  startTime: isoDate(startTime),
  packageUpdateMechanism: "docker"
})

/** Commands the fake knows, by application: what `POST /command` accepts (case-insensitively). */
const COMMANDS: Record<App, ReadonlyArray<string>> = {
  Radarr: [
    "RescanMovie",
    "DownloadedMoviesScan",
    "RefreshMovie",
    "MoviesSearch",
    "MissingMoviesSearch",
    "ManualImport",
    "RssSync"
  ],
  Sonarr: [
    "RescanSeries",
    "DownloadedEpisodesScan",
    "RefreshSeries",
    "SeriesSearch",
    "EpisodeSearch",
    "MissingEpisodeSearch",
    "ManualImport",
    "RssSync"
  ]
}

interface CommandState {
  readonly id: number
  readonly name: string
  readonly fields: Readonly<Record<string, unknown>>
  readonly steps: number
  readonly outcome: "completed" | "failed"
  readonly queued: number
  polls: number
  started: number | undefined
  ended: number | undefined
}

/** Equal command bodies, field names compared case-insensitively (the *arr apps bind them so). */
const sameFields = (a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean => {
  const canonical = (fields: Readonly<Record<string, unknown>>) =>
    JSON.stringify(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]).sort(([x], [y]) => (x! < y! ? -1 : 1)))
  return canonical(a) === canonical(b)
}

const spaced = (name: string) => name.replace(/([a-z])([A-Z])/g, "$1 $2")

const commandStatus = (c: CommandState): string =>
  c.polls === 0 ? "queued" : c.polls <= c.steps ? "started" : c.outcome

const commandResource = (app: App, c: CommandState) => {
  const status = commandStatus(c)
  const failed = status === "failed"
  const path = str(c.fields.path)
  const message = status === "completed"
    ? "Completed"
    : failed
    ? path !== undefined
      ? `Import failed, path does not exist or is not accessible by ${app}: ${path}`
      : `${spaced(c.name)} failed`
    : undefined
  const at = (millis: number | undefined) => (millis === undefined ? undefined : isoDate(millis))
  const duration = c.started !== undefined && c.ended !== undefined
    ? `00:00:${String(Math.floor((c.ended - c.started) / 1000) % 60).padStart(2, "0")}.${
      String((c.ended - c.started) % 1000).padStart(3, "0")
    }0000`
    : undefined
  return {
    id: c.id,
    name: c.name,
    commandName: spaced(c.name),
    message,
    body: {
      ...c.fields,
      sendUpdatesToClient: true,
      updateScheduledTask: true,
      completionMessage: "Completed",
      requiresDiskAccess: c.name.endsWith("Scan") || c.name.startsWith("Rescan"),
      isExclusive: false,
      ...(app === "Radarr" ? { isTypeExclusive: false } : {}),
      isLongRunning: false,
      name: c.name,
      lastStartTime: at(c.started),
      trigger: "manual",
      suppressMessages: false
    },
    priority: "normal",
    status,
    result: status === "completed" ? "successful" : failed ? "unsuccessful" : "unknown",
    queued: isoDate(c.queued),
    started: at(c.started),
    ended: at(c.ended),
    duration,
    exception: failed ? `System.Exception: ${message}` : undefined,
    trigger: "manual",
    stateChangeTime: at(c.ended ?? c.started ?? c.queued),
    sendUpdatesToClient: true,
    updateScheduledTask: true
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The server

export interface ServeOptions {
  readonly app: App
  readonly apiKey: string
  /** E.g. `/radarr`; `""` for none. */
  readonly urlBase: string
  readonly version: () => string
  readonly command: CommandBehaviour
  /** Answers an authorised request for a path under `/api/v3` (or `/api`), or `undefined` for no such route. */
  readonly route: (request: Request) => Answer | undefined
  /** What a command does, once, when it completes (a rescan reads the disk). */
  readonly onCompleted?: ((name: string, fields: Readonly<Record<string, unknown>>) => void) | undefined
}

export interface Core {
  readonly url: string
  readonly port: number
  readonly failNext: (fault: Fault, options?: FailOptions) => Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<LoggedRequest>>
  readonly requestCount: Effect.Effect<number>
  readonly commands: Effect.Effect<ReadonlyArray<LoggedCommand>>
  readonly setCommandBehaviour: (behaviour: CommandBehaviour) => Effect.Effect<void>
  readonly reset: Effect.Effect<void>
}

interface PendingFault {
  readonly fault: Fault
  remaining: number
  readonly path: string | RegExp | undefined
}

const JSON_TYPE = "application/json; charset=utf-8"

/** `null` fields left out, as `DefaultIgnoreCondition = WhenWritingNull` does. */
const withoutNulls = (_key: string, value: unknown) => (value === null ? undefined : value)

const send = (res: Http.ServerResponse, answer: Answer) => {
  const headers: Record<string, string | number> = { ...answer.headers }
  if (answer.body === undefined) {
    res.writeHead(answer.status, { ...headers, "content-length": 0 })
    return res.end()
  }
  const text = JSON.stringify(answer.body, withoutNulls)
  res.writeHead(answer.status, {
    ...headers,
    "content-type": answer.contentType ?? JSON_TYPE,
    "content-length": Buffer.byteLength(text)
  })
  res.end(text)
}

/** The default answer of a `status` fault: what the *arr apps send with that status. */
const faultAnswer = (app: App, status: number): Answer =>
  status === 401 || status === 404
    ? { status }
    : status >= 500
    ? { ...serverError(`${app} fault injected by the test`), status }
    : { status, body: { message: `${Http.STATUS_CODES[status] ?? "Error"}: fault injected by the test` } }

export const serve = (options: ServeOptions): Effect.Effect<Core, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { app, apiKey, urlBase } = options
    const log: Array<LoggedRequest> = []
    const posted: Array<LoggedCommand> = []
    const commands = new Map<number, CommandState>()
    let behaviour: { readonly steps: number; readonly outcome: "completed" | "failed" } = {
      steps: options.command.steps ?? 2,
      outcome: options.command.outcome ?? "completed"
    }
    const initial = behaviour
    let nextCommand = 1
    let faults: Array<PendingFault> = []
    const startTime = Date.now()

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

    const postCommand = (body: unknown): Answer => {
      const fields = typeof body === "object" && body !== null && !Array.isArray(body)
        ? body as Record<string, unknown>
        : {}
      const asked = str(fields.name) ?? ""
      const name = COMMANDS[app].find((n) => n.toLowerCase() === asked.toLowerCase())
      // The *arr apps look the name up with `.Single()`: an unknown one throws, a 500.
      if (name === undefined) return serverError("Sequence contains no matching element")
      const created = (state: CommandState): Answer => ({
        status: 201,
        headers: { location: `${urlBase}/api/v3/command/${state.id}` },
        body: commandResource(app, state)
      })
      // Like `CommandQueueManager.Push`: the same command still queued or running is handed back, not queued again.
      const same = [...commands.values()].find((c) =>
        c.name === name && sameFields(c.fields, { ...fields, name }) &&
        (commandStatus(c) === "queued" || commandStatus(c) === "started")
      )
      if (same !== undefined) {
        posted.push({ id: same.id, name, body: fields })
        return created(same)
      }
      const state: CommandState = {
        id: nextCommand++,
        name,
        fields: { ...fields, name },
        steps: behaviour.steps,
        outcome: behaviour.outcome,
        queued: Date.now(),
        polls: 0,
        started: undefined,
        ended: undefined
      }
      commands.set(state.id, state)
      posted.push({ id: state.id, name, body: fields })
      return created(state)
    }

    const pollCommand = (id: number | undefined): Answer => {
      const state = id === undefined ? undefined : commands.get(id)
      if (state === undefined) return notFound(app)
      state.polls += 1
      const status = commandStatus(state)
      if (status !== "queued" && state.started === undefined) state.started = Date.now()
      if ((status === "completed" || status === "failed") && state.ended === undefined) {
        state.ended = Date.now()
        if (status === "completed") options.onCompleted?.(state.name, state.fields)
      }
      return ok(commandResource(app, state))
    }

    const answer = (request: Request): Answer => {
      const { method, path } = request
      if (path === "/api" && method === "GET") return ok({ current: "v3", deprecated: [] })
      if (path === "/api/v3/system/status" && method === "GET") {
        return ok(systemStatus(app, options.version(), urlBase, startTime))
      }
      if (path === "/api/v3/command") {
        if (method === "POST") return postCommand(request.body)
        if (method === "GET") return ok([...commands.values()].map((c) => commandResource(app, c)))
      }
      const command = /^\/api\/v3\/command\/([^/]+)$/.exec(path)
      if (command !== null && method === "GET") return pollCommand(idOf(command[1]))
      return options.route(request) ?? noRoute
    }

    const handle = (req: Http.IncomingMessage, res: Http.ServerResponse, raw: string) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      const method = req.method ?? "GET"
      const query: Record<string, string> = {}
      let fromQuery: string | undefined
      for (const [key, value] of url.searchParams) {
        if (key.toLowerCase() === "apikey") fromQuery ??= value
        else query[key] = value
      }
      const fromHeader = req.headers["x-api-key"]
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim()
      const [credential, presented]: readonly [Credential, string | undefined] = fromQuery !== undefined
        ? ["query", fromQuery]
        : typeof fromHeader === "string"
        ? ["header", fromHeader]
        : bearer !== undefined
        ? ["bearer", bearer]
        : ["none", undefined]
      const at = Date.now()
      const record = (status: number) => log.push({ method, path: url.pathname, query, credential, status, at })
      const reply = (answer: Answer) => {
        record(answer.status)
        send(res, answer)
      }

      const inBase = urlBase === "" || url.pathname === urlBase || url.pathname.startsWith(`${urlBase}/`)
      if (!inBase) return reply(noRoute)
      const path = url.pathname.slice(urlBase.length) || "/"

      const fault = takeFault(path)
      if (fault !== undefined) {
        switch (fault._tag) {
          case "Hang":
            return record(0)
          case "Reset":
            record(0)
            return req.socket.destroy()
          case "Body":
            record(200)
            res.writeHead(200, { "content-type": fault.contentType ?? JSON_TYPE })
            return res.end(fault.body)
          case "Status": {
            if (fault.body === undefined) return reply(faultAnswer(app, fault.status))
            record(fault.status)
            res.writeHead(fault.status, { "content-type": JSON_TYPE })
            return res.end(fault.body)
          }
        }
      }
      if (path === "/ping" && (method === "GET" || method === "HEAD")) return reply(ok({ status: "OK" }))
      if (presented !== apiKey) return reply({ status: 401 })
      let body: unknown = undefined
      if (raw !== "") {
        try {
          body = JSON.parse(raw)
        } catch {
          return reply(badRequest("The request body is not valid JSON"))
        }
      }
      reply(answer({ method, path, query: url.searchParams, body }))
    }

    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const server = Http.createServer((req, res) => {
          const chunks: Array<Buffer> = []
          req.on("data", (chunk: Buffer) => chunks.push(chunk))
          req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")))
        })
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
      url: `http://127.0.0.1:${port}${urlBase}`,
      port,
      failNext: (fault, fail = {}) =>
        Effect.sync(() => {
          faults.push({ fault, remaining: fail.times ?? 1, path: fail.path })
        }),
      requests: Effect.sync(() => [...log]),
      requestCount: Effect.sync(() => log.length),
      commands: Effect.sync(() => [...posted]),
      setCommandBehaviour: (next) =>
        Effect.sync(() => {
          behaviour = { steps: next.steps ?? behaviour.steps, outcome: next.outcome ?? behaviour.outcome }
        }),
      reset: Effect.sync(() => {
        log.length = 0
        posted.length = 0
        faults = []
        behaviour = initial
      })
    } satisfies Core
  })

/** A URL base as the *arr apps store it: `/radarr`, or `""`. */
export const normalizeUrlBase = (urlBase: string | undefined): string => {
  const trimmed = (urlBase ?? "").trim().replace(/\/+$/, "")
  return trimmed === "" ? "" : trimmed.startsWith("/") ? trimmed : `/${trimmed}`
}

/** A random 32-hex-digit key, like the ones the *arr apps generate. */
export const randomKey = (): string => Crypto.randomBytes(16).toString("hex")
