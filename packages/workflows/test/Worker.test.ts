import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import { FakeRadarr, FakeSonarr } from "@stalkeer/arr-client/testing"
import { Settings } from "@stalkeer/config"
import { FakeProvider } from "@stalkeer/downloader/testing"
import { Downloads } from "@stalkeer/store"
import * as Testing from "@stalkeer/store/testing"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Choice from "../src/Choice.js"
import * as Enqueue from "../src/Enqueue.js"
import * as Process from "../src/Process.js"
import * as Worker from "../src/Worker.js"

const PASSWORD = "CanaryPw-91c2"
const MiB = 1024 * 1024

const streams: ReadonlyArray<FakeProvider.StreamSpec> = [
  { id: 11, kind: "movie", ext: "mkv", size: 3 * MiB },
  { id: 12, kind: "movie", ext: "mp4", size: 2 * MiB + 77 },
  { id: 21, kind: "series", ext: "mkv", size: 2 * MiB + 5 },
  { id: 22, kind: "series", ext: "mkv", size: MiB + 3 }
]

const playlist = (server: FakeProvider.Server) => [
  "#EXTM3U",
  `#EXTINF:-1 group-title="EN| MOVIES",EN - Alien (1979) 1080p`,
  server.url(11),
  `#EXTINF:-1 group-title="EN| MOVIES",EN - Heat (1995)`,
  server.url(12),
  `#EXTINF:-1 group-title="EN| SERIES",EN - Breaking Bad S01E02`,
  server.url(21),
  `#EXTINF:-1 group-title="EN| SERIES",EN - Breaking Bad S01E03-E04`,
  server.url(22),
  ""
].join("\n")

const sha = (file: string) => Crypto.createHash("sha256").update(Fs.readFileSync(file)).digest("hex")

const walk = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(Path.join(dir, d.name)) : [Path.join(dir, d.name)]
  )

const preferences: Choice.Preferences = { languages: [], resolutions: ["1080p", "2160p", "720p", "480p"], exclude: [] }

layer(Layer.mergeAll(Testing.layerConfig(), NodeContext.layer, NodeHttpClient.layerUndici), { timeout: "120 seconds", excludeTestServices: true })("Worker (end to end)", (it) => {
  it.scoped("wanted → plan → download through resets → file in place → rescan asked; nothing twice; no credential anywhere", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const provider = yield* FakeProvider.make({ streams, username: "someone", password: PASSWORD }, { maxConnections: 1 })
      const library = Fs.mkdtempSync(Path.join(Os.tmpdir(), "stalkeer-library-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(library, { recursive: true, force: true })))
      const radarr = yield* FakeRadarr.make({
        movies: [
          { id: 1, title: "Alien", year: 1979, tmdbId: 348, path: "/movies/Alien (1979)", rootFolderPath: "/movies", monitored: true, hasFile: false, isAvailable: true },
          { id: 2, title: "Heat", year: 1995, tmdbId: 949, path: "/movies/Heat (1995)", rootFolderPath: "/movies", monitored: true, hasFile: false, isAvailable: true }
        ]
      }, { disk: { remote: "/movies", local: Path.join(library, "movies") } })
      const sonarr = yield* FakeSonarr.make({
        series: [{ id: 7, title: "Breaking Bad", year: 2008, tvdbId: 81189, tmdbId: 1396, path: "/tv/Breaking Bad", rootFolderPath: "/tv", seasonFolder: true, monitored: true }],
        episodes: [2, 3, 4].map((n) => ({ id: 500 + n, seriesId: 7, seasonNumber: 1, episodeNumber: n, airDateUtc: "2008-01-21T03:00:00Z", monitored: true, hasFile: false }))
      }, { disk: { remote: "/tv", local: Path.join(library, "tv") } })
      const settings = yield* Settings.load({
        env: {
          HOME: "/nonexistent-home",
          STALKEER_PROVIDER_USERNAME: "someone",
          STALKEER_PROVIDER_PASSWORD: PASSWORD,
          STALKEER_PROVIDER_MAX_CONNECTIONS: "1",
          STALKEER_RADARR_PATH_MAPPINGS: `/movies=${library}/movies`,
          STALKEER_SONARR_PATH_MAPPINGS: `/tv=${library}/tv`
        }
      })
      const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))
      yield* Process.run({
        settings,
        source: { label: "test", size: undefined, stream: Stream.make(new TextEncoder().encode(playlist(provider))) },
        database
      })
      const clients = Layer.mergeAll(
        Radarr.layer(FakeRadarr.clientOptions(radarr, { pollInterval: "20 millis" })),
        Sonarr.layer(FakeSonarr.clientOptions(sonarr, { pollInterval: "20 millis" }))
      )
      const enqueueAll = Effect.gen(function*() {
        const movies = yield* Stream.runCollect(Enqueue.radarr({ preferences, settings }))
        const episodes = yield* Stream.runCollect(Enqueue.sonarr({ preferences, settings }))
        return [...Chunk.toReadonlyArray(movies), ...Chunk.toReadonlyArray(episodes)]
      }).pipe(Effect.provide(clients))
      const first = yield* enqueueAll
      assert.deepStrictEqual(first.map((e) => e.outcome._tag), ["Queued", "Queued", "Queued", "Queued", "AlreadyQueued"])

      // Cut two transfers midway: they resume from their durable offsets.
      yield* provider.failNext(FakeProvider.resetAt(1_300_000), { streamId: 11 })
      yield* provider.failNext(FakeProvider.finAt(700_000), { streamId: 21 })
      const events: Array<Worker.Event["_tag"]> = []
      const summary = yield* Worker.run({
        settings,
        owner: "test",
        untilIdle: true,
        pollInterval: "50 millis",
        releaseDelay: "200 millis",
        onEvent: (e) => Effect.sync(() => void (e._tag !== "Progress" && events.push(e._tag)))
      }).pipe(Effect.provide(clients))
      assert.deepStrictEqual(summary, { completed: 4, failed: 0, retrying: 0 })

      const files = walk(library).map((f) => Path.relative(library, f)).sort()
      assert.deepStrictEqual(files, [
        "movies/Alien (1979)/Alien (1979).mkv",
        "movies/Heat (1995)/Heat (1995).mp4",
        "tv/Breaking Bad/Season 1/Breaking Bad - S01E02.mkv",
        "tv/Breaking Bad/Season 1/Breaking Bad - S01E03-E04.mkv"
      ])
      assert.strictEqual(sha(Path.join(library, files[0]!)), yield* provider.sha256(11))
      assert.strictEqual(sha(Path.join(library, files[3]!)), yield* provider.sha256(22))
      assert.isAtMost(yield* provider.maxConcurrentObserved, 1)
      assert.strictEqual(yield* provider.evictions, 0)

      // The rescans were asked for.
      assert.sameMembers((yield* radarr.commands).map((c) => c.body["movieId"]), [1, 2])
      assert.deepStrictEqual([...new Set((yield* sonarr.commands).map((c) => c.body["seriesId"]))], [7])

      // Radarr and Sonarr imported every file: nothing is wanted any more, and a second worker finds nothing to do.
      assert.deepStrictEqual(yield* enqueueAll, [])
      assert.deepStrictEqual(
        (yield* Downloads.list({})).map((d) => d.importDetail).sort(),
        ["Radarr imported the file", "Radarr imported the file", "Sonarr imported the file", "Sonarr imported the file"]
      )
      const idle = yield* Worker.run({ settings, owner: "test2", untilIdle: true }).pipe(Effect.provide(clients))
      assert.deepStrictEqual(idle, { completed: 0, failed: 0, retrying: 0 })

      // A worker killed between recording a file and asking for the rescan: the next worker asks.
      const sql0 = yield* SqlClient.SqlClient
      yield* sql0`UPDATE downloads SET import_status = 'pending' WHERE wanted_key = 'radarr:movie:2'`
      const rescansBefore = (yield* radarr.commands).length
      yield* Worker.run({ settings, owner: "test3", untilIdle: true }).pipe(Effect.provide(clients))
      assert.strictEqual((yield* radarr.commands).length, rescansBefore + 1)

      // A Radarr that does not see the library where the file went (no path mapping on its side): the rescan finds
      // nothing, and the import is recorded as failed with what to check.
      const blind = yield* FakeRadarr.make({
        movies: [{ id: 2, title: "Heat", year: 1995, tmdbId: 949, path: "/movies/Heat (1995)", rootFolderPath: "/movies", monitored: true, hasFile: false, isAvailable: true }]
      })
      yield* sql0`UPDATE downloads SET import_status = 'pending' WHERE wanted_key = 'radarr:movie:2'`
      yield* Worker.run({ settings, owner: "test4", untilIdle: true }).pipe(
        Effect.provide(Radarr.layer(FakeRadarr.clientOptions(blind, { pollInterval: "20 millis" })))
      )
      const heat = (yield* Downloads.list({})).find((d) => d.wantedKey === "radarr:movie:2")!
      assert.strictEqual(heat.importStatus, "failed")
      assert.match(heat.importDetail ?? "", /^Radarr rescanned but lists no file: check that it sees \/movies\/Heat \(1995\)\/Heat \(1995\)\.mp4 \(radarr\.path_mappings\)/)
      yield* sql0`UPDATE downloads SET import_status = 'completed' WHERE wanted_key = 'radarr:movie:2'`

      // The password is nowhere: not in the database, the file names, the events.
      const sql = yield* SqlClient.SqlClient
      const dump = yield* sql<{ readonly t: string }>`SELECT (SELECT json_agg(d)::text FROM downloads d) AS t`
      assert.notInclude(dump[0]!.t, PASSWORD)
      assert.notInclude(files.join("\n"), PASSWORD)
      assert.isTrue((yield* provider.requests).every((r) => !JSON.stringify(r).includes(PASSWORD)))
      const all = yield* Downloads.list({})
      assert.isTrue(all.every((d) => d.state === "completed" && d.importStatus === "completed"))

      // A file already in the library is never fetched again, even when forced: the job fails at once, and the
      // provider sees no request.
      const alien = all.find((d) => d.wantedKey === "radarr:movie:1")!
      const { arr, arrItemId, entryKey, extension, importPath, providerId, targetPath, title, wantedKey } = alien
      const forced = yield* Downloads.enqueue(
        { arr, arrItemId, entryKey, extension, importPath, providerId, targetPath, title, wantedKey },
        { force: true }
      )
      assert.isTrue(forced.requeued)
      const requestsBefore = (yield* provider.requests).length
      const refused = yield* Worker.run({ settings, owner: "test5", untilIdle: true }).pipe(Effect.provide(clients))
      assert.deepStrictEqual(refused, { completed: 0, failed: 1, retrying: 0 })
      assert.strictEqual((yield* provider.requests).length, requestsBefore)
      assert.strictEqual((yield* Downloads.get(alien.id)).lastError, "the library already has Alien (1979).mkv; it was not overwritten")
      assert.strictEqual(sha(Path.join(library, files[0]!)), yield* provider.sha256(11))
    }))

  it.scoped("a worker whose lease is taken (another worker rescued the job) stops the transfer at once and publishes nothing", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const provider = yield* FakeProvider.make({ streams, username: "someone", password: PASSWORD })
      // Slow enough that the transfer is still running when the lease is taken.
      yield* provider.failNext(FakeProvider.throttle(256 * 1024), { streamId: 11, times: 10 })
      const library = Fs.mkdtempSync(Path.join(Os.tmpdir(), "stalkeer-library-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(library, { recursive: true, force: true })))
      const settings = yield* Settings.load({
        env: { HOME: "/nonexistent-home", STALKEER_PROVIDER_USERNAME: "someone", STALKEER_PROVIDER_PASSWORD: PASSWORD }
      })
      const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))
      yield* Process.run({
        settings,
        source: { label: "test", size: undefined, stream: Stream.make(new TextEncoder().encode(playlist(provider))) },
        database
      })
      const sql = yield* SqlClient.SqlClient
      const [provided] = yield* sql<{ readonly id: number }>`SELECT id FROM providers LIMIT 1`
      const target = Path.join(library, "Alien (1979)", "Alien (1979).mkv")
      yield* Downloads.enqueue({
        providerId: provided!.id, entryKey: "xtream:movie:11", wantedKey: "radarr:movie:1", arr: "radarr", arrItemId: 1,
        title: "Alien (1979)", extension: "mkv", targetPath: target, importPath: null
      })
      const started = Date.now()
      const taken = Effect.gen(function*() {
        // Once the transfer runs, a rescue elsewhere gives the job a new token.
        yield* Effect.sleep("1500 millis")
        yield* sql`UPDATE downloads SET lease_token = nextval('download_lease_tokens'), lease_owner = 'elsewhere'`
      })
      const [summary] = yield* Effect.all([
        Worker.run({ settings, owner: "test", untilIdle: true, leaseFor: "900 millis", releaseDelay: "10 millis" }),
        taken
      ], { concurrency: "unbounded" })
      // 3 MiB at 256 KiB/s would take 12 s; the heartbeat (every 300 ms) noticed within a beat of the theft.
      assert.isBelow(Date.now() - started, 6000)
      assert.deepStrictEqual(summary, { completed: 0, failed: 0, retrying: 0 })
      assert.isFalse(Fs.existsSync(target))
      const [row] = yield* Downloads.list({})
      assert.deepStrictEqual([row!.state, row!.leaseOwner], ["running", "elsewhere"])
    }))
})
