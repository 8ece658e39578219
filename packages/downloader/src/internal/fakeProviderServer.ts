/**
 * The fake provider's HTTP core, in plain Node callbacks (the public module wraps it as an Effect resource): routing,
 * authentication, the two-hop token redirect, ranges, max_connections with kill-oldest, faults and the request log.
 */
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import * as Content from "./fakeProviderContent.js"

// ---------------------------------------------------------------------------------------------------------------
// Public shapes (re-exported by FakeProvider.ts)

export type Fault =
  /** Headers and the body up to the absolute `offset`, then a TCP reset. */
  | { readonly _tag: "ResetAt"; readonly offset: number }
  /** Headers and the body up to the absolute `offset`, then a clean close (FIN): shorter than Content-Length. */
  | { readonly _tag: "FinAt"; readonly offset: number }
  /** A ranged request answered 200 with the full body. */
  | { readonly _tag: "IgnoreRange" }
  /** 206 whose Content-Range (start and end) is off by `delta`; the body is still the range asked for. */
  | { readonly _tag: "WrongContentRange"; readonly delta: number }
  /** 206 whose Content-Range total is off by `delta`. */
  | { readonly _tag: "WrongTotal"; readonly delta: number }
  | {
    readonly _tag: "Status"
    readonly status: number
    /** Default: an nginx-style HTML page for the status. */
    readonly body?: string | undefined
    /** Default `text/html`. */
    readonly contentType?: string | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
    /** A Content-Range for the stream's size: `bytes *\/size` (`unsatisfied`) or `bytes 0-(size-1)/size` (`xtream`). */
    readonly contentRange?: "unsatisfied" | "xtream" | undefined
  }
  /** A panel's debug error page with status 200, `text/html`. */
  | { readonly _tag: "HtmlUnder200" }
  /** The same page, labelled `application/octet-stream`. */
  | { readonly _tag: "HtmlAsOctetStream" }
  /** 200 `video/mp2t`: a short MPEG-TS clip whatever the extension (an expired line's "show video"). */
  | { readonly _tag: "Placeholder" }
  /** The stream's content changes (its version goes up) before this request is served. */
  | { readonly _tag: "ChangeContent" }
  /** No body bytes for `ms` once the body reaches the absolute `atOffset` (default: right after the headers). */
  | { readonly _tag: "Stall"; readonly ms: number; readonly atOffset?: number | undefined }
  /** The body paced to `bytesPerSecond`. */
  | { readonly _tag: "Throttle"; readonly bytesPerSecond: number }
  /** A chunked body without Content-Length. */
  | { readonly _tag: "NoContentLength" }
  /** Several faults on one request: the first answer-replacing one (status, HTML, placeholder) wins over the rest. */
  | { readonly _tag: "All"; readonly faults: ReadonlyArray<Fault> }

export interface FailOptions {
  /** How many requests take the fault (default 1). */
  readonly times?: number | undefined
  /** Only requests whose logged path (credentials replaced by `{username}`/`{password}`) starts with or matches this. */
  readonly path?: string | RegExp | undefined
  /** Only requests for this stream id. */
  readonly streamId?: number | undefined
}

/** How a response ended: `pending` while it is being sent; anything but `complete` for a body is a cut. */
export type Outcome = "pending" | "complete" | "reset" | "fin" | "evicted" | "aborted"

export interface LoggedRequest {
  readonly method: string
  /** The path with the credentials replaced: `/movie/{username}/{password}/7.mkv`, `/vauth/<token>`. */
  readonly path: string
  /** `path` for `/movie|series/…`, `token` for `/vauth/…`, `other` for anything else. */
  readonly hop: "path" | "token" | "other"
  /** The stream asked for, when the request named a catalogued one (directly or through its token). */
  readonly streamId: number | undefined
  readonly range: string | undefined
  readonly ifRange: string | undefined
  readonly userAgent: string | undefined
  /** 0 until the headers are sent. */
  readonly status: number
  /** Body bytes handed to the socket. */
  readonly bytesSent: number
  /** The body ended before what the headers announced (a fault, chaos, an eviction or the client leaving). */
  readonly cut: boolean
  readonly outcome: Outcome
  /** The fault or chaos cut applied, e.g. `resetAt(1048576)`. */
  readonly fault: string | undefined
  /** When it arrived (epoch milliseconds). */
  readonly at: number
}

export interface Chaos {
  /** The chance of a cut in each MiB of body sent (exponentially distributed offsets). */
  readonly resetProbabilityPerMiB?: number | undefined
  /** The share of chaos cuts that are a clean FIN instead of a reset (default 0). */
  readonly finShare?: number | undefined
  readonly seed: number
}

export interface Config {
  readonly username: string
  readonly password: string
  readonly streams: ReadonlyArray<Content.StreamSpec>
  readonly redirect: boolean
  readonly tokenTtlMs: number
  readonly validators: boolean
  readonly maxConnections: number | undefined
  readonly chaos: Chaos | undefined
  readonly unauthorizedStatus: number
  readonly xtreamHeaders: boolean
}

// ---------------------------------------------------------------------------------------------------------------
// Small pieces

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

type ByteRange =
  | { readonly _tag: "None" }
  | { readonly _tag: "Range"; readonly start: number; readonly end: number }
  | { readonly _tag: "Unsatisfiable" }

const NONE: ByteRange = { _tag: "None" }
const UNSATISFIABLE: ByteRange = { _tag: "Unsatisfiable" }

/**
 * A `Range` header against a size; `end` is exclusive. Unparsable ranges are ignored (RFC 9110 §14.2); several
 * ranges are refused with 416, as panels do.
 */
export const parseRange = (header: string | undefined, size: number): ByteRange => {
  if (header === undefined) return NONE
  const unit = /^\s*bytes\s*=\s*(.*)$/i.exec(header)
  if (unit === null) return NONE
  const specs = unit[1]!.split(",").map((s) => s.trim())
  if (specs.length > 1) return UNSATISFIABLE
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!)
  if (spec === null || (spec[1] === "" && spec[2] === "")) return NONE
  if (spec[1] === "") {
    const suffix = Number(spec[2])
    return suffix === 0 || size === 0 ? UNSATISFIABLE : { _tag: "Range", start: Math.max(0, size - suffix), end: size }
  }
  const start = Number(spec[1])
  const last = spec[2] === "" ? undefined : Number(spec[2])
  if (last !== undefined && last < start) return NONE
  if (start >= size) return UNSATISFIABLE
  return { _tag: "Range", start, end: last === undefined ? size : Math.min(size, last + 1) }
}

const nginxPage = (status: number) => {
  const title = `${status} ${Http.STATUS_CODES[status] ?? "Error"}`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
    `<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

const DEBUG_PAGE = "<html><head><title>Debug</title></head><body><h3>Stream error</h3>" +
  "<p>Error: <b>USER_EXPIRED</b></p><p>debug mode is enabled</p></body></html>\n"

const UNAUTHORIZED_PAGE = "<html><head><title>Access denied</title></head><body><h1>Access denied</h1></body></html>\n"

let placeholderBytes: Buffer | undefined
const placeholder = () => (placeholderBytes ??= Buffer.concat([...Content.chunks(Content.PLACEHOLDER, 1)]))

/** A seeded PRNG (mulberry32): chaos is reproducible from its seed. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const describe = (fault: Fault): string => {
  switch (fault._tag) {
    case "ResetAt":
      return `resetAt(${fault.offset})`
    case "FinAt":
      return `finAt(${fault.offset})`
    case "WrongContentRange":
      return `wrongContentRange(${fault.delta})`
    case "WrongTotal":
      return `wrongTotal(${fault.delta})`
    case "Status":
      return `status(${fault.status})`
    case "Stall":
      return `stall(${fault.ms}${fault.atOffset === undefined ? "" : `, ${fault.atOffset}`})`
    case "Throttle":
      return `throttle(${fault.bytesPerSecond})`
    case "All":
      return fault.faults.map(describe).join(" + ")
    default:
      return fault._tag.charAt(0).toLowerCase() + fault._tag.slice(1)
  }
}

/** How a content response is to misbehave: the content faults of a request merged. */
interface Plan {
  cut?: { readonly offset: number; readonly kind: "reset" | "fin" } | undefined
  ignoreRange: boolean
  startDelta: number
  totalDelta: number
  stall?: { readonly ms: number; readonly atOffset: number | undefined } | undefined
  bytesPerSecond?: number | undefined
  noContentLength: boolean
  changeContent: boolean
}

type Answer = Extract<Fault, { readonly _tag: "Status" | "HtmlUnder200" | "HtmlAsOctetStream" | "Placeholder" }>

const flatten = (fault: Fault): ReadonlyArray<Fault> => fault._tag === "All" ? fault.faults.flatMap(flatten) : [fault]

const isAnswer = (fault: Fault): fault is Answer =>
  fault._tag === "Status" || fault._tag === "HtmlUnder200" || fault._tag === "HtmlAsOctetStream" ||
  fault._tag === "Placeholder"

const planOf = (faults: ReadonlyArray<Fault>): Plan => {
  const plan: Plan = { ignoreRange: false, startDelta: 0, totalDelta: 0, noContentLength: false, changeContent: false }
  for (const fault of faults) {
    switch (fault._tag) {
      case "ResetAt":
        plan.cut = { offset: fault.offset, kind: "reset" }
        break
      case "FinAt":
        plan.cut = { offset: fault.offset, kind: "fin" }
        break
      case "IgnoreRange":
        plan.ignoreRange = true
        break
      case "WrongContentRange":
        plan.startDelta += fault.delta
        break
      case "WrongTotal":
        plan.totalDelta += fault.delta
        break
      case "ChangeContent":
        plan.changeContent = true
        break
      case "Stall":
        plan.stall = { ms: fault.ms, atOffset: fault.atOffset }
        break
      case "Throttle":
        plan.bytesPerSecond = fault.bytesPerSecond
        break
      case "NoContentLength":
        plan.noContentLength = true
        break
    }
  }
  return plan
}

/** Resolves after `ms`, or as soon as the response closes (so a stall never outlives the server). */
const sleep = (ms: number, res: Http.ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      res.off("close", done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    res.once("close", done)
  })

const drained = (res: Http.ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done)
      res.off("close", done)
      resolve()
    }
    res.once("drain", done)
    res.once("close", done)
  })

const RESET_GRACE_MS = 100

/** Resolves once what was written has left Node for the kernel, so a cut happens after exactly those bytes. */
const flushed = async (res: Http.ServerResponse) => {
  await new Promise((resolve) => setImmediate(resolve))
  const socket = res.socket
  if (socket === null || socket.destroyed || socket.writableLength === 0) return
  await new Promise<void>((resolve) => {
    socket.once("drain", () => resolve())
    socket.once("close", () => resolve())
  })
}

const STREAM_PATH = /^\/(movie|series)\/([^/]+)\/([^/]+)\/([^/]+?)(?:\.([A-Za-z0-9]+))?$/
const TOKEN_PATH = /^\/vauth\/([A-Za-z0-9_-]+)$/

const single = (header: string | ReadonlyArray<string> | undefined) =>
  typeof header === "string" ? header : header?.[0]

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The core

interface PendingFault {
  readonly fault: Fault
  remaining: number
  readonly path: string | RegExp | undefined
  readonly streamId: number | undefined
}

interface Token {
  readonly streamId: number
  readonly plan: Plan
  readonly label: string | undefined
  readonly expiresAt: number
  used: boolean
}

interface Flight {
  readonly res: Http.ServerResponse
  readonly entry: Mutable<LoggedRequest>
  released: boolean
}

export interface Core {
  readonly handle: (req: Http.IncomingMessage, res: Http.ServerResponse) => void
  readonly failNext: (fault: Fault, options: FailOptions) => void
  readonly requests: () => ReadonlyArray<LoggedRequest>
  readonly requestCount: () => number
  readonly bytesSent: () => number
  readonly inFlight: () => number
  readonly maxConcurrentObserved: () => number
  readonly evictions: () => number
  readonly version: (id: number) => number
  readonly bump: (id: number) => number
  readonly reset: () => void
}

export const makeCore = (config: Config): Core => {
  const streams = new Map(config.streams.map((s) => [s.id, s]))
  const versions = new Map<number, number>()
  const log: Array<Mutable<LoggedRequest>> = []
  let faults: Array<PendingFault> = []
  const tokens = new Map<string, Token>()
  const flights: Array<Flight> = []
  let totalBytes = 0
  let maxObserved = 0
  let evicted = 0
  let random = prng(config.chaos?.seed ?? 0)

  const versionOf = (id: number) => versions.get(id) ?? 1
  const bump = (id: number) => {
    versions.set(id, versionOf(id) + 1)
    return versionOf(id)
  }

  const redact = (path: string): string => {
    const stream = STREAM_PATH.exec(path)
    if (stream !== null) return path.replace(STREAM_PATH, (_, kind, _u, _p, id, ext) =>
      `/${kind}/{username}/{password}/${id}${ext === undefined ? "" : `.${ext}`}`)
    const secrets: Array<[string, string]> = [[config.password, "{password}"], [config.username, "{username}"]]
    let out = path.split("/").map((segment) => {
      const plain = decode(segment)
      return plain === config.password ? "{password}" : plain === config.username ? "{username}" : segment
    }).join("/")
    // A secret inside a longer segment too, when it is long enough not to match by chance.
    for (const [secret, placeholder] of secrets) {
      if (secret.length < 4) continue
      for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(placeholder)
    }
    return out
  }

  const takeFault = (path: string, streamId: number): Fault | undefined => {
    const pending = faults.find((f) =>
      f.remaining > 0 &&
      (f.streamId === undefined || f.streamId === streamId) &&
      (f.path === undefined || (typeof f.path === "string" ? path.startsWith(f.path) : f.path.test(path)))
    )
    if (pending === undefined) return undefined
    pending.remaining -= 1
    faults = faults.filter((f) => f.remaining > 0)
    return pending.fault
  }

  const release = (flight: Flight) => {
    if (flight.released) return
    flight.released = true
    const i = flights.indexOf(flight)
    if (i >= 0) flights.splice(i, 1)
  }

  /** Counts the request against the account from now until its response is flushed or its socket closes. */
  const admit = (res: Http.ServerResponse, entry: Mutable<LoggedRequest>): Flight => {
    const max = config.maxConnections
    if (max !== undefined) {
      // Panels kill the oldest connections of a line that is over its limit, not the newcomer.
      while (flights.length > 0 && flights.length >= max) {
        const oldest = flights[0]!
        release(oldest)
        evicted += 1
        oldest.entry.outcome = "evicted"
        oldest.entry.cut = true
        const socket = oldest.res.socket
        if (socket !== null && !socket.destroyed) socket.resetAndDestroy()
        else oldest.res.destroy()
      }
    }
    const flight: Flight = { res, entry, released: false }
    flights.push(flight)
    maxObserved = Math.max(maxObserved, flights.length)
    res.once("finish", () => release(flight))
    res.once("close", () => release(flight))
    return flight
  }

  const send = (
    req: Http.IncomingMessage,
    res: Http.ServerResponse,
    entry: Mutable<LoggedRequest>,
    status: number,
    body: string | Buffer,
    headers: Readonly<Record<string, string | number>>
  ) => {
    const bytes = typeof body === "string" ? Buffer.from(body) : body
    entry.status = status
    res.writeHead(status, { "content-length": bytes.length, ...headers })
    if (req.method === "HEAD") res.end()
    else {
      res.end(bytes)
      entry.bytesSent = bytes.length
      totalBytes += bytes.length
    }
    entry.outcome = "complete"
  }

  const html = (req: Http.IncomingMessage, res: Http.ServerResponse, entry: Mutable<LoggedRequest>, status: number, body = nginxPage(status)) =>
    send(req, res, entry, status, body, { "content-type": "text/html" })

  const answer = (
    req: Http.IncomingMessage,
    res: Http.ServerResponse,
    entry: Mutable<LoggedRequest>,
    fault: Answer,
    spec: Content.StreamSpec
  ) => {
    switch (fault._tag) {
      case "HtmlUnder200":
        return send(req, res, entry, 200, DEBUG_PAGE, { "content-type": "text/html; charset=UTF-8" })
      case "HtmlAsOctetStream":
        return send(req, res, entry, 200, DEBUG_PAGE, { "content-type": "application/octet-stream" })
      case "Placeholder":
        return send(req, res, entry, 200, placeholder(), { "content-type": "video/mp2t", "accept-ranges": "bytes" })
      case "Status": {
        const contentRange = fault.contentRange === "unsatisfied"
          ? { "content-range": `bytes */${spec.size}` }
          : fault.contentRange === "xtream"
          ? { "content-range": `bytes 0-${spec.size - 1}/${spec.size}` }
          : {}
        return send(req, res, entry, fault.status, fault.body ?? nginxPage(fault.status), {
          "content-type": fault.contentType ?? "text/html",
          ...contentRange,
          ...fault.headers
        })
      }
    }
  }

  /** Where chaos cuts this body, if it does: exponentially distributed, at `resetProbabilityPerMiB` per MiB. */
  const chaosCut = (start: number, end: number): Plan["cut"] => {
    const p = config.chaos?.resetProbabilityPerMiB ?? 0
    if (p <= 0) return undefined
    const distance = Math.floor((-Math.log(1 - random()) / p) * 1024 * 1024)
    const kind = random() < (config.chaos?.finShare ?? 0) ? "fin" : "reset"
    return start + distance < end ? { offset: start + distance, kind } : undefined
  }

  const serve = async (
    req: Http.IncomingMessage,
    res: Http.ServerResponse,
    entry: Mutable<LoggedRequest>,
    spec: Content.StreamSpec,
    plan: Plan
  ) => {
    if (plan.changeContent) bump(spec.id)
    const version = versionOf(spec.id)
    const size = spec.size
    const etag = config.validators ? `"${spec.id}-${version}"` : undefined
    const ifRange = single(req.headers["if-range"])
    let range = plan.ignoreRange ? NONE : parseRange(req.headers.range, size)
    // Without validators the panel knows no If-Range (PHP never reads it); with them, a mismatch means "send it all".
    if (range._tag !== "None" && etag !== undefined && ifRange !== undefined && ifRange !== etag) range = NONE
    const common: Record<string, string> = {
      "accept-ranges": config.xtreamHeaders ? `0-${size}` : "bytes",
      ...(etag === undefined ? {} : { etag })
    }
    if (range._tag === "Unsatisfiable") {
      const contentRange = config.xtreamHeaders ? `bytes 0-${size - 1}/${size}` : `bytes */${size}`
      return send(req, res, entry, 416, "", { ...common, "content-range": contentRange })
    }
    const start = range._tag === "Range" ? range.start : 0
    const end = range._tag === "Range" ? range.end : size
    const status = range._tag === "Range" ? 206 : 200
    const headers: Record<string, string | number> = { ...common, "content-type": Content.contentType(spec.ext) }
    if (!plan.noContentLength) headers["content-length"] = end - start
    if (status === 206) {
      headers["content-range"] = `bytes ${start + plan.startDelta}-${end - 1 + plan.startDelta}/${size + plan.totalDelta}`
    } else if (config.xtreamHeaders && size > 0) headers["content-range"] = `bytes 0-${size - 1}/${size}`
    entry.status = status
    res.writeHead(status, headers)
    if (req.method === "HEAD") {
      entry.outcome = "complete"
      return res.end()
    }

    const cut = plan.cut ?? chaosCut(start, end)
    if (plan.cut === undefined && cut !== undefined) {
      entry.fault = `${entry.fault === undefined ? "" : `${entry.fault} + `}chaos ${cut.kind}At(${cut.offset})`
    }
    const stop = cut === undefined ? end : Math.min(end, Math.max(start, cut.offset))
    const stallAt = plan.stall === undefined ? undefined : Math.max(start, plan.stall.atOffset ?? start)
    const segments = stallAt !== undefined && stallAt <= stop
      ? [[start, stallAt], [stallAt, stop]] as const
      : [[start, stop]] as const
    const chunkSize = plan.bytesPerSecond === undefined
      ? Content.CHUNK_SIZE
      : Math.min(Content.CHUNK_SIZE, Math.max(1024, Math.floor(plan.bytesPerSecond / 10)))

    let gone = false
    res.once("close", () => {
      gone = true
    })
    let paceFrom = performance.now()
    let paced = 0
    for (const [from, to] of segments) {
      for (const chunk of Content.chunks(spec, version, from, to, chunkSize)) {
        if (gone) return
        const more = res.write(chunk)
        entry.bytesSent += chunk.length
        totalBytes += chunk.length
        if (!more) await drained(res)
        if (plan.bytesPerSecond !== undefined) {
          paced += chunk.length
          const wait = paceFrom + (paced * 1000) / plan.bytesPerSecond - performance.now()
          if (wait > 1) await sleep(wait, res)
        }
      }
      if (segments.length === 2 && from === start && plan.stall !== undefined && !gone) {
        res.flushHeaders()
        const before = performance.now()
        await sleep(plan.stall.ms, res)
        paceFrom += performance.now() - before
      }
    }
    if (gone) return
    if (cut === undefined) return res.end()
    res.flushHeaders()
    await flushed(res)
    if (entry.outcome !== "pending") return
    entry.outcome = cut.kind
    entry.cut = true
    const socket = res.socket
    if (socket === null || socket.destroyed) return
    // A reset discards whatever the client has not read yet (in either kernel's buffers, or its own stream queue):
    // a moment's grace lets a client that keeps reading get every byte up to the offset, so a test knows where the
    // body stopped.
    if (cut.kind === "reset") await sleep(RESET_GRACE_MS, res)
    if (socket.destroyed) return
    if (cut.kind === "reset") socket.resetAndDestroy()
    else socket.destroySoon()
  }

  const handle = (req: Http.IncomingMessage, res: Http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const path = url.pathname
    const stream = STREAM_PATH.exec(path)
    const token = TOKEN_PATH.exec(path)
    const entry: Mutable<LoggedRequest> = {
      method: req.method ?? "GET",
      path: redact(path),
      hop: stream !== null ? "path" : token !== null ? "token" : "other",
      streamId: undefined,
      range: req.headers.range,
      ifRange: single(req.headers["if-range"]),
      userAgent: req.headers["user-agent"],
      status: 0,
      bytesSent: 0,
      cut: false,
      outcome: "pending",
      fault: undefined,
      at: Date.now()
    }
    log.push(entry)
    res.setHeader("server", "nginx")
    res.once("close", () => {
      if (entry.outcome !== "pending") return
      const finished = res.writableFinished
      entry.outcome = finished ? "complete" : "aborted"
      entry.cut = !finished
    })
    const run = (serving: Promise<unknown>) => {
      serving.catch(() => res.destroy())
    }

    if (stream !== null) {
      const [, kind, user, pass, idText] = stream
      if (decode(user!) !== config.username || decode(pass!) !== config.password) {
        return html(req, res, entry, config.unauthorizedStatus, UNAUTHORIZED_PAGE)
      }
      const spec = /^\d+$/.test(idText!) ? streams.get(Number(idText)) : undefined
      if (spec === undefined || spec.kind !== kind) return html(req, res, entry, 404)
      entry.streamId = spec.id
      const fault = takeFault(entry.path, spec.id)
      const all = fault === undefined ? [] : flatten(fault)
      if (fault !== undefined) entry.fault = describe(fault)
      const replacing = all.find(isAnswer)
      // An answer in place of the stream comes from the auth hop: no connection slot, no redirect.
      if (replacing !== undefined) return answer(req, res, entry, replacing, spec)
      const plan = planOf(all)
      const flight = admit(res, entry)
      if (!config.redirect) return run(serve(req, res, entry, spec, plan))
      // The token stands for the user, the stream and the faults to come: the Location never names the account.
      const id = Crypto.randomBytes(24).toString("base64url")
      tokens.set(id, { streamId: spec.id, plan, label: entry.fault, expiresAt: Date.now() + config.tokenTtlMs, used: false })
      send(req, res, entry, 302, "", { location: `/vauth/${id}`, "content-type": "text/html" })
      return release(flight)
    }
    if (token !== null) {
      const found = tokens.get(token[1]!)
      if (found !== undefined) entry.streamId = found.streamId
      if (found === undefined || found.used || Date.now() > found.expiresAt) return html(req, res, entry, 403)
      found.used = true
      const spec = streams.get(found.streamId)!
      entry.fault = found.label
      admit(res, entry)
      return run(serve(req, res, entry, spec, found.plan))
    }
    return html(req, res, entry, 404)
  }

  return {
    handle,
    failNext: (fault, options) => {
      faults.push({ fault, remaining: options.times ?? 1, path: options.path, streamId: options.streamId })
    },
    requests: () => log.map((entry) => ({ ...entry })),
    requestCount: () => log.length,
    bytesSent: () => totalBytes,
    inFlight: () => flights.length,
    maxConcurrentObserved: () => maxObserved,
    evictions: () => evicted,
    version: versionOf,
    bump,
    reset: () => {
      log.length = 0
      faults = []
      tokens.clear()
      versions.clear()
      totalBytes = 0
      maxObserved = flights.length
      evicted = 0
      random = prng(config.chaos?.seed ?? 0)
    }
  }
}
