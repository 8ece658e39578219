/**
 * `stalkeer serve` as a user runs it: the built binary in a child process, against fakes of the provider (its
 * playlist and its streams), TMDB, Radarr and Sonarr on loopback, with no command after start — the schedule does
 * the whole loop. Then SIGTERM in the middle of a download, and a restart that finishes it.
 */
import { assert, layer } from "@effect/vitest"
import { FakeRadarr, FakeSonarr } from "@stalkeer/arr-client/testing"
import { FakeProvider } from "@stalkeer/downloader/testing"
import { FakeTmdb } from "@stalkeer/tmdb/testing"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { Home, httpServer, TestLive } from "./CliHome.js"

const bin = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../dist/bin.js")
const KEY = "serve-test-key-0123456789abcdef"
const CANARY = "CanaryServePw77"

const world: FakeTmdb.World = {
  movies: [{ id: 603, title: "The Matrix", releaseDate: "1999-03-31", popularity: 80, imdbId: "tt0133093" }],
  tv: [{ id: 1396, name: "Breaking Bad", firstAirDate: "2008-01-20", originCountry: ["US"], popularity: 300, imdbId: "tt0903747", tvdbId: 81189 }]
}

const freePort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Polls `check` every 200 ms until it holds, for at most `within`. */
const eventually = <E, R>(what: string, check: Effect.Effect<boolean, E, R>, within: Duration.DurationInput, log: () => string) =>
  Effect.gen(function*() {
    const deadline = Date.now() + Duration.toMillis(within)
    while (Date.now() < deadline) {
      if (yield* check) return
      yield* Effect.sleep("200 millis")
    }
    assert.fail(`${what} did not happen within ${Duration.format(Duration.decode(within))}; the service said:\n${log()}`)
  })

interface Service {
  readonly stderr: () => string
  readonly exited: Effect.Effect<{ readonly code: number | null; readonly afterMs: number }>
  readonly signal: (signal: NodeJS.Signals) => Effect.Effect<number>
  readonly api: (path: string) => Effect.Effect<{ readonly status: number; readonly body: unknown }>
}

/** `stalkeer serve` in a child process with `env`, stopped (SIGKILL) when the scope closes if still running. */
const serve = (env: Record<string, string>, port: number) =>
  Effect.gen(function*() {
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => spawn(process.execPath, [bin, "serve"], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] })),
      (child) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"))
    )
    let stderr = ""
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()))
    child.stdout.on("data", (b: Buffer) => (stderr += b.toString()))
    let signalledAt = 0
    const exit = new Promise<{ code: number | null; afterMs: number }>((resolve) =>
      child.on("exit", (code) => resolve({ code, afterMs: Date.now() - signalledAt })))
    const service: Service = {
      stderr: () => stderr,
      exited: Effect.promise(() => exit),
      signal: (signal) => Effect.sync(() => (signalledAt = Date.now(), child.kill(signal), signalledAt)),
      api: (path) =>
        Effect.promise(async () => {
          const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { "X-Api-Key": KEY } })
          return { status: response.status, body: await response.json() }
        })
    }
    // Up when /ping answers.
    yield* eventually("the API answering /ping", Effect.promise(() =>
      fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.ok, () => false)), "30 seconds", () => stderr)
    return service
  })

const sha256 = (file: string) => Crypto.createHash("sha256").update(Fs.readFileSync(file)).digest("hex")

const listFiles = (dir: string): Array<string> =>
  Fs.existsSync(dir)
    ? Fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => Path.join(d.parentPath, d.name))
    : []

// One home (database, library) per test: each service starts from nothing.
layer(TestLive, { timeout: "60 seconds", excludeTestServices: true })("stalkeer serve", (it) => {
  it.scoped("runs the whole loop unattended: playlist → catalogue → identification → wanted → downloads → import", () =>
    Effect.gen(function*() {
      const home = yield* Home
      const provider = yield* FakeProvider.make({
        streams: [{ id: 5, kind: "movie", ext: "mkv", size: 1_500_000 }, { id: 6, kind: "series", ext: "mkv", size: 900_000 }],
        username: "u",
        password: CANARY
      })
      const playlist = `#EXTM3U\n#EXTINF:-1 group-title="EN| MOVIES",The Matrix (1999) 1080p\n${provider.url(5)}\n` +
        `#EXTINF:-1 group-title="EN| SERIES",Breaking Bad S01E01\n${provider.url(6, { kind: "series" })}\n`
      const panel = yield* httpServer((_req, res) => {
        res.writeHead(200, { "content-type": "audio/x-mpegurl" })
        res.end(playlist)
      })
      const tmdb = yield* FakeTmdb.make(world)
      const radarr = yield* FakeRadarr.make(
        { movies: [{ id: 1, title: "The Matrix", year: 1999, tmdbId: 603, imdbId: "tt0133093", monitored: true, hasFile: false, isAvailable: true, path: "/movies/The Matrix (1999)", rootFolderPath: "/movies" }] },
        { disk: { remote: "/movies", local: `${home.dir}/movies` } }
      )
      const sonarr = yield* FakeSonarr.make(
        {
          series: [{ id: 7, title: "Breaking Bad", year: 2008, tvdbId: 81189, tmdbId: 1396, monitored: true, path: "/tv/Breaking Bad", rootFolderPath: "/tv" }],
          episodes: [{ id: 501, seriesId: 7, seasonNumber: 1, episodeNumber: 1, airDateUtc: "2008-01-21T03:00:00Z", monitored: true, hasFile: false }]
        },
        { disk: { remote: "/tv", local: `${home.dir}/tv` } }
      )
      const port = yield* freePort
      const service = yield* serve({
        ...home.env,
        STALKEER_API_PORT: String(port),
        STALKEER_API_KEY: KEY,
        STALKEER_PROVIDER_PLAYLIST_URL: `${panel}/get.php?username=u&password=${CANARY}&type=m3u_plus`,
        STALKEER_PROVIDER_USERNAME: "u",
        STALKEER_PROVIDER_PASSWORD: CANARY,
        STALKEER_TMDB_BASE_URL: tmdb.baseUrl,
        STALKEER_TMDB_API_KEY: tmdb.apiKey,
        STALKEER_RADARR_URL: radarr.url,
        STALKEER_RADARR_API_KEY: radarr.apiKey,
        STALKEER_RADARR_PATH_MAPPINGS: `/movies=${home.dir}/movies`,
        STALKEER_SONARR_URL: sonarr.url,
        STALKEER_SONARR_API_KEY: sonarr.apiKey,
        STALKEER_SONARR_PATH_MAPPINGS: `/tv=${home.dir}/tv`
      }, port)

      // Nothing is asked of it: the first tick runs the playlist, which asks for enrich, which asks for the syncs.
      yield* eventually("both files imported", Effect.map(Effect.all([radarr.commands, sonarr.commands]), ([r, s]) =>
        r.some((c) => c.name === "RescanMovie") && s.some((c) => c.name === "RescanSeries") &&
        listFiles(`${home.dir}/movies`).length === 1 && listFiles(`${home.dir}/tv`).length === 1), "90 seconds", service.stderr)
      const movie = `${home.dir}/movies/The Matrix (1999)/The Matrix (1999).mkv`
      assert.strictEqual(sha256(movie), yield* provider.sha256(5))
      const [episode] = listFiles(`${home.dir}/tv`)
      assert.match(episode!, /Breaking Bad - S01E01\.mkv$/)
      assert.strictEqual(sha256(episode!), yield* provider.sha256(6))

      // What the API says of it.
      const health = yield* service.api("/api/v1/health")
      assert.strictEqual(health.status, 200)
      const checks = (health.body as { checks: Array<{ name: string; ok: boolean; configured: boolean }> }).checks
      assert.deepStrictEqual(checks.map((c) => [c.name, c.configured, c.ok]), [
        ["database", true, true], ["radarr", true, true], ["sonarr", true, true], ["tmdb", true, true], ["provider", true, true]
      ])
      const jobs = (yield* service.api("/api/v1/actions")).body as Array<{ name: string; lastStatus: string | null }>
      assert.deepStrictEqual(jobs.map((j) => [j.name, j.lastStatus]), [
        ["playlist", "succeeded"], ["enrich", "succeeded"], ["radarr", "succeeded"], ["sonarr", "succeeded"]
      ])
      const items = (yield* service.api("/api/v1/items")).body as { totalRecords: number; records: Array<{ url: string }> }
      assert.strictEqual(items.totalRecords, 2)

      yield* service.signal("SIGTERM")
      const exit = yield* service.exited
      assert.strictEqual(exit.code, 0)
      const log = service.stderr()
      // JSON lines (standard error is not a terminal), none with the provider's password or the stream URLs.
      const lines = log.split("\n").filter((l) => l.startsWith("{"))
      assert.isAbove(lines.length, 5)
      for (const line of lines) JSON.parse(line)
      assert.include(log, "job finished")
      assert.notInclude(log, CANARY)
      for (const body of [health.body, jobs, items]) assert.notInclude(JSON.stringify(body), CANARY)
    }), 150_000)
})

layer(TestLive, { timeout: "60 seconds", excludeTestServices: true })("stalkeer serve, stopped", (it) => {
  it.scoped("SIGTERM during a download: exits 0 within 10 s, the partial kept; a restart resumes it, byte-identical", () =>
    Effect.gen(function*() {
      const home = yield* Home
      const size = 24 * 1024 * 1024
      const provider = yield* FakeProvider.make({ streams: [{ id: 9, kind: "movie", ext: "mkv", size }], username: "u", password: CANARY })
      // Slow enough that the download is still running when the signal comes.
      yield* provider.failNext(FakeProvider.throttle(2 * 1024 * 1024), { times: 1 })
      const playlist = `#EXTM3U\n#EXTINF:-1 group-title="EN| MOVIES",The Matrix (1999) 1080p\n${provider.url(9)}\n`
      const panel = yield* httpServer((_req, res) => {
        res.writeHead(200, { "content-type": "audio/x-mpegurl" })
        res.end(playlist)
      })
      const radarr = yield* FakeRadarr.make(
        { movies: [{ id: 1, title: "The Matrix", year: 1999, tmdbId: 603, monitored: true, hasFile: false, isAvailable: true, path: "/movies/The Matrix (1999)", rootFolderPath: "/movies" }] },
        { disk: { remote: "/movies", local: `${home.dir}/movies` } }
      )
      const env = (port: number) => ({
        ...home.env,
        STALKEER_API_PORT: String(port),
        STALKEER_API_KEY: KEY,
        STALKEER_PROVIDER_PLAYLIST_URL: `${panel}/get.php?username=u&password=${CANARY}`,
        STALKEER_PROVIDER_USERNAME: "u",
        STALKEER_PROVIDER_PASSWORD: CANARY,
        STALKEER_RADARR_URL: radarr.url,
        STALKEER_RADARR_API_KEY: radarr.apiKey,
        STALKEER_RADARR_PATH_MAPPINGS: `/movies=${home.dir}/movies`
      })
      const port = yield* freePort
      const first = yield* serve(env(port), port)
      type Row = { id: number; state: string; durableBytes: number }
      const downloads = (s: Service) =>
        Effect.map(s.api("/api/v1/downloads"), (r) => (r.body as { records: Array<Row> }).records)
      yield* eventually("the download under way", Effect.map(downloads(first), (rows) => rows.some((d) => d.state === "running" && d.durableBytes > 0)), "60 seconds", first.stderr)
      yield* first.signal("SIGTERM")
      const exit = yield* first.exited
      assert.strictEqual(exit.code, 0, first.stderr())
      assert.isBelow(exit.afterMs, 10_000)
      assert.deepStrictEqual(listFiles(`${home.dir}/movies`).filter((f) => !Path.basename(f).startsWith(".")), [], "nothing published yet")

      const port2 = yield* freePort
      const second = yield* serve(env(port2), port2)
      yield* eventually("the download completed", Effect.map(downloads(second), (rows) => rows.some((d) => d.state === "completed")), "90 seconds", second.stderr)
      const [row] = yield* downloads(second)
      assert.strictEqual(row!.durableBytes, size)
      const movie = `${home.dir}/movies/The Matrix (1999)/The Matrix (1999).mkv`
      assert.strictEqual(sha256(movie), yield* provider.sha256(9))
      // Resumed, not restarted: the second connection asked for the rest of the file.
      const ranged = (yield* provider.requests).filter((r) => r.streamId === 9 && r.range !== undefined && r.range !== "bytes=0-")
      assert.isAbove(ranged.length, 0)
      yield* second.signal("SIGTERM")
      assert.strictEqual((yield* second.exited).code, 0)
      assert.notInclude(first.stderr() + second.stderr(), CANARY)
    }), 150_000)
})
