import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as Http from "node:http"
import * as Zlib from "node:zlib"
import { M3u } from "@stalkeer/m3u-parser"
import * as Playlist from "../src/Playlist.js"
import * as PlaylistArchive from "../src/PlaylistArchive.js"

const USER = "alice-user"
const CANARY = "CANARY-pw-7f3a9"
const PREVIOUS = "#EXTM3U\n#EXTINF:-1,Previous\nhttp://old/1\n"
const PLAYLIST = "#EXTM3U url-tvg=\"x\"\n" +
  Array.from({ length: 50 }, (_, i) => `#EXTINF:-1 group-title="Movies",Film ${i}\nhttp://p/movie/u/p/${i}.mkv\n`)
    .join("")

// ---------------------------------------------------------------------------------------------------------------
// A real HTTP server on loopback; the first path segment picks the behaviour, requests are counted per scenario.

type Handler = (res: Http.ServerResponse, hit: number) => void

const ok = (body: string | Uint8Array, headers: Http.OutgoingHttpHeaders = {}): Handler => (res) => {
  res.writeHead(200, { "content-type": "application/octet-stream", ...headers })
  res.end(body)
}
const status = (code: number, headers: Http.OutgoingHttpHeaders = {}): Handler => (res) => {
  res.writeHead(code, { "content-type": "text/html", ...headers })
  res.end(`<html><body>${code}</body></html>`)
}
/** Sends the start of a playlist, then nothing (the socket stays open until the client gives up). */
const stall: Handler = (res) => {
  res.writeHead(200)
  res.write("#EXTM3U\n#EXTINF:-1,A\nhttp://p/1\n")
}

/** Declares the full length, sends a part and hangs up. */
const truncated: Handler = (res) => {
  res.writeHead(200, { "content-length": String(Buffer.byteLength(PLAYLIST)) })
  res.write(PLAYLIST.slice(0, 100), () => res.destroy())
}

const scenarios: Record<string, Handler> = {
  good: ok(PLAYLIST),
  bom: ok("\uFEFF\r\n\r\n#EXTINF:-1,Headerless\r\nhttp://p/1\r\n"),
  gzip: ok(Zlib.gzipSync(PLAYLIST), { "content-encoding": "gzip" }),
  flaky: (res, hit) => (hit <= 2 ? status(500) : ok(PLAYLIST))(res, hit),
  truncated: (res, hit) => (hit > 1 ? ok(PLAYLIST) : truncated)(res, hit),
  "always-truncated": truncated,
  // Chunked, so only the reset tells that the body is incomplete.
  reset: (res, hit) => {
    if (hit > 1) return ok(PLAYLIST)(res, hit)
    res.writeHead(200)
    res.write(PLAYLIST.slice(0, 100), () => setTimeout(() => res.destroy(), 50))
  },
  "retry-after": (res, hit) => (hit === 1 ? status(503, { "retry-after": "1" }) : ok(PLAYLIST))(res, hit),
  "retry-after-long": status(429, { "retry-after": "3600" }),
  "not-found": status(404),
  unauthorized: status(401),
  forbidden: status(403),
  big: (res) => {
    res.writeHead(200)
    const line = "#EXTINF:-1,Big\nhttp://p/big\n".repeat(2000)
    let sent = 0
    const more = () => {
      while (sent < 4 * 1024 * 1024 && !res.destroyed) {
        sent += line.length
        if (!res.write(line)) return res.once("drain", more)
      }
      res.end()
    }
    more()
  },
  "big-declared": (res) => {
    res.writeHead(200, { "content-length": String(10 * 1024 * 1024) })
    res.write("#EXTM3U\n")
  },
  html: ok("<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Please sign in</body></html>", {
    "content-type": "text/html"
  }),
  "auth-json": ok(`{"user_info":{"auth":0}}`, { "content-type": "application/json" }),
  empty: ok(""),
  // An #EXTINF without a URL and a URL without an #EXTINF: the download counts entries as the parser does.
  quirky: ok("#EXTM3U\n#EXTINF:-1,No URL\n#EXTINF:-1,A\nhttp://p/1\nhttp://p/orphan\n#EXTINF:-1,B\nhttp://p/2\n"),
  stall,
  silent: () => {}
}

interface TestServer {
  readonly url: (scenario: string) => Redacted.Redacted<string>
  readonly hits: (scenario: string) => number
  readonly lastHeaders: (scenario: string) => Http.IncomingHttpHeaders | undefined
}
class Server extends Context.Tag("test/PlaylistServer")<Server, TestServer>() {}

const ServerLive = Layer.scoped(
  Server,
  Effect.gen(function*() {
    const hits = new Map<string, number>()
    const headers = new Map<string, Http.IncomingHttpHeaders>()
    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const server = Http.createServer((req, res) => {
          const scenario = req.url!.split("/")[1]!
          const hit = (hits.get(scenario) ?? 0) + 1
          hits.set(scenario, hit)
          headers.set(scenario, req.headers)
          const handler = scenarios[scenario]
          if (handler === undefined) return status(418)(res, hit)
          handler(res, hit)
        })
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const port = (server.address() as { port: number }).port
    return {
      url: (scenario) =>
        Redacted.make(
          `http://127.0.0.1:${port}/${scenario}/get.php?username=${USER}&password=${CANARY}&type=m3u_plus&output=ts`
        ),
      hits: (scenario) => hits.get(scenario) ?? 0,
      lastHeaders: (scenario) => headers.get(scenario)
    }
  })
)

// ---------------------------------------------------------------------------------------------------------------

/** A temp directory holding a previous playlist that failures must leave alone. */
const setup = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  const dir = yield* fs.makeTempDirectoryScoped()
  const destination = `${dir}/playlist.m3u`
  yield* fs.writeFileString(destination, PREVIOUS)
  return { dir, destination }
})

/** The previous playlist is untouched and no temporary file is left behind. */
const assertIntact = (dir: string, destination: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    assert.strictEqual(yield* fs.readFileString(destination), PREVIOUS)
    assert.deepStrictEqual(yield* fs.readDirectory(dir), ["playlist.m3u"])
  })

const assertRedacted = (error: Playlist.PlaylistError) => {
  for (const text of [error.message, JSON.stringify(error), String(error), error.url ?? ""]) {
    assert.notInclude(text, CANARY)
    assert.notInclude(text, USER)
  }
  assert.include(error.url, "password=***")
}

const fast = { retry: { times: 3, base: "5 millis" }, timeout: "2 seconds" } as const

const failing = (scenario: string, options: Partial<Playlist.DownloadOptions> = {}) =>
  Effect.gen(function*() {
    const server = yield* Server
    const { destination, dir } = yield* setup
    const error = yield* Effect.flip(Playlist.download({ url: server.url(scenario), destination, ...fast, ...options }))
    assertRedacted(error)
    yield* assertIntact(dir, destination)
    return error
  })

const TestEnv = Layer.mergeAll(ServerLive, NodeHttpClient.layerUndici, NodeContext.layer)

// Real time: retries, Retry-After and timeouts run against a real socket.
layer(TestEnv, { excludeTestServices: true })("Playlist.download", (it) => {
  it.scoped("downloads a playlist, replaces the previous one and counts entries", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const server = yield* Server
      const { destination, dir } = yield* setup
      const result = yield* Playlist.download({
        url: server.url("good"),
        destination,
        userAgent: "TestAgent/1",
        ...fast
      })
      assert.strictEqual(yield* fs.readFileString(destination), PLAYLIST)
      assert.deepStrictEqual(
        { path: result.path, bytes: result.bytes, entries: result.entries, archivedTo: result.archivedTo },
        { path: destination, bytes: Buffer.byteLength(PLAYLIST), entries: 50, archivedTo: null }
      )
      assert.deepStrictEqual(yield* fs.readDirectory(dir), ["playlist.m3u"])
      const headers = server.lastHeaders("good")!
      assert.strictEqual(headers["user-agent"], "TestAgent/1")
      assert.strictEqual(headers["accept-encoding"], "identity")
      // No trace propagation headers go to the provider.
      assert.deepStrictEqual(Object.keys(headers).filter((name) => name === "traceparent" || name === "b3"), [])
    }))

  it.scoped("creates the destination directory and accepts a BOM, blank lines and no #EXTM3U header", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const server = yield* Server
      const { dir } = yield* setup
      const destination = `${dir}/sub/playlist.m3u`
      const result = yield* Playlist.download({ url: server.url("bom"), destination, ...fast })
      assert.strictEqual(result.entries, 1)
      assert.include(yield* fs.readFileString(destination), "#EXTINF:-1,Headerless")
    }))

  it.scoped("decompresses a gzip body", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const server = yield* Server
      const { destination } = yield* setup
      const result = yield* Playlist.download({ url: server.url("gzip"), destination, ...fast })
      assert.strictEqual(yield* fs.readFileString(destination), PLAYLIST)
      assert.strictEqual(result.bytes, Buffer.byteLength(PLAYLIST))
    }))

  it.scoped("retries 5xx with backoff and succeeds; the logs stay redacted", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const server = yield* Server
      const { destination } = yield* setup
      const logs: Array<string> = []
      const logger = Logger.make(({ message }) => logs.push(String(message)))
      yield* Playlist.download({ url: server.url("flaky"), destination, ...fast }).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )
      assert.strictEqual(server.hits("flaky"), 3)
      assert.strictEqual(yield* fs.readFileString(destination), PLAYLIST)
      assert.strictEqual(logs.filter((line) => line.includes("HTTP 500") && line.includes("retry")).length, 2)
      for (const line of logs) assert.notInclude(line, CANARY)
    }))

  for (const scenario of ["truncated", "reset"]) {
    it.scoped(`retries a connection dropped mid-body (${scenario})`, () =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        const server = yield* Server
        const { destination } = yield* setup
        yield* Playlist.download({ url: server.url(scenario), destination, ...fast })
        assert.strictEqual(server.hits(scenario), 2)
        assert.strictEqual(yield* fs.readFileString(destination), PLAYLIST)
      }))
  }

  it.scoped("reports a body cut short when out of retries", () =>
    Effect.gen(function*() {
      const server = yield* Server
      const error = yield* failing("always-truncated", { retry: { times: 1, base: "5 millis" } })
      assert.strictEqual(error.reason, "Transport")
      assert.strictEqual(server.hits("always-truncated"), 2)
    }))

  it.scoped("honours Retry-After on 503", () =>
    Effect.gen(function*() {
      const server = yield* Server
      const { destination } = yield* setup
      const start = Date.now()
      yield* Playlist.download({ url: server.url("retry-after"), destination, ...fast })
      assert.strictEqual(server.hits("retry-after"), 2)
      assert.isAtLeast(Date.now() - start, 950)
    }))

  it.scoped("gives up at once when Retry-After is longer than maxDelay", () =>
    Effect.gen(function*() {
      const server = yield* Server
      const error = yield* failing("retry-after-long")
      assert.strictEqual(server.hits("retry-after-long"), 1)
      assert.strictEqual(error.status, 429)
      assert.include(error.message, "retry after 3600 s")
    }))

  it.scoped("stops after the configured number of retries", () =>
    Effect.gen(function*() {
      const server = yield* Server
      const error = yield* failing("stall", { timeout: "200 millis", retry: { times: 1, base: "5 millis" } })
      assert.strictEqual(server.hits("stall"), 2)
      assert.strictEqual(error.reason, "Timeout")
      assert.strictEqual(error.attempts, 2)
      assert.include(error.message, "gave up after 2 attempts")
    }))

  it.scoped("counts entries and warnings as the parser does, so every command reports the same number", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const server = yield* Server
      const { destination } = yield* setup
      const result = yield* Playlist.download({ url: server.url("quirky"), destination, ...fast })
      const parsed = yield* M3u.summarize(M3u.parseFile(destination))
      assert.strictEqual(result.entries, 3)
      assert.strictEqual(result.entries, parsed.entries)
      assert.strictEqual(result.warnings, Object.values(parsed.warnings).reduce((a, b) => a + b, 0))
      assert.isAbove(result.warnings, 0)
      assert.isTrue(yield* fs.exists(destination))
    }))

  it.scoped("retries a stall once at most, whatever the retry budget", () =>
    Effect.gen(function*() {
      const server = yield* Server
      const before = server.hits("stall")
      const error = yield* failing("stall", { timeout: "200 millis", retry: { times: 3, base: "5 millis" } })
      assert.strictEqual(server.hits("stall") - before, 2)
      assert.strictEqual(error.reason, "Timeout")
      assert.include(error.message, "no data for 200 ms")
    }))

  it.scoped("fails at once on a scheme other than http(s), without a request", () =>
    Effect.gen(function*() {
      const { destination } = yield* setup
      for (const url of [`ftp://${USER}:${CANARY}@host/playlist.m3u`, `file:///etc/${CANARY}`, "not a url"]) {
        const error = yield* Effect.flip(Playlist.download({ url: Redacted.make(url), destination, ...fast }))
        assert.strictEqual(error.reason, "InvalidOption")
        assert.notInclude(error.message, CANARY)
        assert.isUndefined(error.attempts)
      }
      const ftp = yield* Effect.flip(
        Playlist.download({ url: Redacted.make(`ftp://${USER}:${CANARY}@host/x.m3u`), destination, ...fast })
      )
      assert.include(ftp.message, "unsupported URL scheme \"ftp:\"")
    }))

  it.scoped("keeps the playlist owner-only: the file 0600, a directory it creates 0700", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const server = yield* Server
      const { dir } = yield* setup
      const destination = `${dir}/new/sub/playlist.m3u`
      yield* Playlist.download({ url: server.url("good"), destination, archive: { dir: `${dir}/archives` }, ...fast })
      assert.strictEqual((yield* fs.stat(destination)).mode & 0o777, 0o600)
      assert.strictEqual((yield* fs.stat(`${dir}/new/sub`)).mode & 0o777, 0o700)
    }))

  it.scoped("times out waiting for headers", () =>
    Effect.gen(function*() {
      const error = yield* failing("silent", { timeout: "200 millis", retry: { times: 0 } })
      assert.strictEqual(error.reason, "Timeout")
      assert.include(error.message, "no response within")
    }))

  for (const [scenario, code] of [["not-found", 404], ["unauthorized", 401], ["forbidden", 403]] as const) {
    it.scoped(`never retries HTTP ${code}`, () =>
      Effect.gen(function*() {
        const server = yield* Server
        const error = yield* failing(scenario)
        assert.strictEqual(server.hits(scenario), 1)
        assert.deepStrictEqual([error.reason, error.status, error.attempts], ["Http", code, undefined])
        assert.include(error.message, `HTTP ${code}`)
        if (code === 404) assert.notInclude(error.message, "password may be wrong")
        else assert.include(error.message, "username/password may be wrong")
      }))
  }

  it.scoped("aborts a body larger than maxBytes", () =>
    Effect.gen(function*() {
      const server = yield* Server
      const error = yield* failing("big", { maxBytes: 64 * 1024 })
      assert.deepStrictEqual([error.reason, error.limit], ["TooLarge", 64 * 1024])
      assert.strictEqual(server.hits("big"), 1)
    }))

  it.scoped("refuses a declared Content-Length over maxBytes before reading", () =>
    Effect.gen(function*() {
      const error = yield* failing("big-declared", { maxBytes: 1024 * 1024 })
      assert.strictEqual(error.reason, "TooLarge")
    }))

  for (
    const [scenario, seen] of [
      ["html", "an HTML page"],
      ["auth-json", "JSON auth failure"],
      ["empty", "an empty body"]
    ] as const
  ) {
    it.scoped(`rejects ${scenario} as not an M3U, without retrying`, () =>
      Effect.gen(function*() {
        const server = yield* Server
        const error = yield* failing(scenario)
        assert.strictEqual(error.reason, "NotM3u")
        assert.include(error.message, seen)
        assert.strictEqual(server.hits(scenario), 1)
      }))
  }

  it.scoped("an interrupted download leaves the previous file and no temp file", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const server = yield* Server
      const { destination, dir } = yield* setup
      const fiber = yield* Effect.fork(
        Playlist.download({ url: server.url("stall"), destination, timeout: "30 seconds", retry: { times: 0 } })
      )
      // Wait until the body has started to land in the temporary file.
      const part = yield* fs.readDirectory(dir).pipe(
        Effect.map((names) => names.find((name) => name.endsWith(".part"))),
        Effect.flatMap((name) => name === undefined ? Effect.fail("no temp file yet") : Effect.succeed(`${dir}/${name}`)),
        Effect.tap((part) => fs.stat(part).pipe(Effect.filterOrFail((info) => info.size > 0))),
        Effect.retry(Schedule.spaced("10 millis")),
        Effect.timeout("5 seconds")
      )
      assert.match(part, /\/\.playlist\.m3u\.[0-9a-z]+\.part$/)
      yield* Fiber.interrupt(fiber)
      yield* assertIntact(dir, destination)
    }))

})

// TestClock: the archive name comes from the Clock.
layer(TestEnv)("Playlist.download archive", (it) => {
  it.scoped("archives a copy named after the UTC time", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const server = yield* Server
      const { destination, dir } = yield* setup
      yield* TestClock.setTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678))
      const result = yield* Playlist.download({
        url: server.url("good"),
        destination,
        archive: { dir: `${dir}/archive` },
        ...fast
      })
      assert.strictEqual(result.archivedTo, `${dir}/archive/playlist-20240102T030405Z.m3u`)
      assert.strictEqual(yield* fs.readFileString(result.archivedTo!), PLAYLIST)
      // The next download replaces the destination by rename: the archived copy keeps its content.
      yield* fs.writeFileString(`${dir}/other.m3u`, PREVIOUS)
      yield* fs.rename(`${dir}/other.m3u`, destination)
      assert.strictEqual(yield* fs.readFileString(result.archivedTo!), PLAYLIST)
    }))
})

// fetch decodes gzip itself and keeps the Content-Encoding header: no double decoding, no false length check.
layer(Layer.mergeAll(ServerLive, FetchHttpClient.layer, NodeContext.layer), { excludeTestServices: true })(
  "Playlist.download with FetchHttpClient",
  (it) => {
    for (const scenario of ["good", "gzip"]) {
      it.scoped(scenario, () =>
        Effect.gen(function*() {
          const fs = yield* FileSystem.FileSystem
          const server = yield* Server
          const { destination } = yield* setup
          const result = yield* Playlist.download({ url: server.url(scenario), destination, ...fast })
          assert.strictEqual(yield* fs.readFileString(destination), PLAYLIST)
          assert.strictEqual(result.entries, 50)
        }))
    }
  }
)

layer(NodeContext.layer)("PlaylistArchive.list / prune", (it) => {
  const names = [
    "playlist-20240101T000000Z.m3u",
    "playlist-20240301T120000Z.m3u",
    "playlist-20240215T235959Z.m3u",
    "playlist-latest.m3u",
    "notes.txt"
  ]
  const fill = Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped()
    yield* Effect.forEach(names, (name, i) => fs.writeFileString(`${dir}/${name}`, "x".repeat(i + 1)))
    return dir
  })

  it.scoped("lists only archive files, newest first, with size and date", () =>
    Effect.gen(function*() {
      const dir = yield* fill
      const list = yield* PlaylistArchive.list(dir)
      assert.deepStrictEqual(list, [
        { path: `${dir}/playlist-20240301T120000Z.m3u`, bytes: 2, createdAt: new Date("2024-03-01T12:00:00Z") },
        { path: `${dir}/playlist-20240215T235959Z.m3u`, bytes: 3, createdAt: new Date("2024-02-15T23:59:59Z") },
        { path: `${dir}/playlist-20240101T000000Z.m3u`, bytes: 1, createdAt: new Date("2024-01-01T00:00:00Z") }
      ])
      assert.deepStrictEqual(yield* PlaylistArchive.list(`${dir}/missing`), [])
    }))

  it.scoped("prune keeps the newest N and leaves other files alone", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fill
      const removed = yield* PlaylistArchive.prune(dir, 1)
      assert.deepStrictEqual(removed.map((a) => a.path), [
        `${dir}/playlist-20240215T235959Z.m3u`,
        `${dir}/playlist-20240101T000000Z.m3u`
      ])
      assert.deepStrictEqual((yield* fs.readDirectory(dir)).sort(), [
        "notes.txt",
        "playlist-20240301T120000Z.m3u",
        "playlist-latest.m3u"
      ])
      assert.deepStrictEqual(yield* PlaylistArchive.prune(dir, 5), [])
      assert.strictEqual((yield* PlaylistArchive.prune(dir, 0)).length, 1)
    }))

  it.effect("prune rejects a negative or fractional keep", () =>
    Effect.gen(function*() {
      for (const keep of [-1, 1.5]) {
        const error = yield* Effect.flip(PlaylistArchive.prune("/nonexistent", keep))
        assert.strictEqual(error.reason, "InvalidOption")
      }
    }))
})
