import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import { ArrError, ArrResponse, Radarr } from "../src/index.js"
import { FakeRadarr, FakeSonarr } from "../src/Testing.js"
import * as World from "./world.js"

/** Fast retries and polls: each test sets what it checks. */
const fast = {
  retry: { times: 3, base: "10 millis" },
  timeout: "2 seconds",
  pollInterval: "10 millis",
  commandTimeout: "2 seconds"
} as const

/** A fresh fake state and a client of it. */
const setup = (options: Omit<Radarr.Options, "url" | "apiKey"> = {}) =>
  Effect.gen(function*() {
    const fake = yield* FakeRadarr.Fake
    yield* fake.reset
    const radarr = yield* Radarr.make(FakeRadarr.clientOptions(fake, { ...fast, ...options }))
    return { fake, radarr }
  })

const statuses = (fake: FakeRadarr.Server) => Effect.map(fake.requests, (log) => log.map((r) => r.status))
const paths = (fake: FakeRadarr.Server) => Effect.map(fake.requests, (log) => log.map((r) => r.path))
const titles = (movies: Iterable<ArrResponse.Movie>) => [...movies].map((m) => m.title)

const assertOneLine = (error: ArrError.ArrError) => {
  assert.notInclude(error.message, "\n")
  assert.isTrue(error.message.length < 220, error.message)
}

/** A port nothing listens on: bound once, then closed. */
const closedPort = Effect.async<number>((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as { readonly port: number }).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

const Env = Layer.mergeAll(FakeRadarr.layer(World.radarr), NodeHttpClient.layerUndici)

// Real time: retries, timeouts and polls run against a real socket.
layer(Env, { excludeTestServices: true })("Radarr", (it) => {
  it.scoped("status: Radarr 6, with the key in the X-Api-Key header only", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      const status = yield* radarr.status
      assert.deepStrictEqual(status, {
        appName: "Radarr",
        instanceName: "Radarr",
        version: "6.0.3.10276",
        urlBase: "",
        branch: "master"
      })
      const [request] = yield* fake.requests
      assert.deepStrictEqual([request!.path, request!.query, request!.credential], ["/api/v3/system/status", {}, "header"])
      assert.strictEqual(yield* radarr.requests, 1)
    }))

  it.scoped("missing: every page of wanted/missing, by sort title, decoded", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup({ pageSize: 2 })
      const missing = yield* Stream.runCollect(radarr.missing)
      assert.deepStrictEqual(titles(missing), World.radarrMissing)
      const log = yield* fake.requests
      assert.deepStrictEqual(log.map((r) => r.query.page), ["1", "2", "3", "4"])
      assert.deepStrictEqual(log[0]!.query, {
        sortKey: "movieMetadata.sortTitle",
        sortDirection: "ascending",
        monitored: "true",
        page: "1",
        pageSize: "2"
      })
      assert.deepStrictEqual(Chunk.unsafeHead(missing), {
        id: 12,
        title: "Alien",
        originalTitle: "Alien",
        sortTitle: "alien",
        year: 1979,
        tmdbId: 348,
        imdbId: "tt0078748",
        path: "/movies/Alien (1979)",
        rootFolderPath: "/movies",
        folderName: "/movies/Alien (1979)",
        monitored: true,
        hasFile: false,
        movieFileId: 0,
        isAvailable: true,
        status: "released",
        qualityProfileId: 1,
        alternateTitles: ["Alien - Das unheimliche Wesen aus einer fremden Welt"]
      })
      const samourai = Chunk.findFirst(missing, (m) => m.id === 20).pipe(Option.getOrThrow)
      assert.deepStrictEqual(samourai.alternateTitles, ["The Godson", "Der eiskalte Engel"])
    }))

  it.scoped("missing is lazy: a page is fetched only when the previous one has been consumed", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      const first = yield* Stream.runCollect(Stream.take(radarr.missing, 3))
      assert.deepStrictEqual(titles(first), World.radarrMissing.slice(0, 3))
      assert.strictEqual(yield* fake.requestCount, 1)

      const paged = yield* setup({ pageSize: 2 })
      yield* Stream.runCollect(Stream.take(paged.radarr.missing, 3))
      assert.deepStrictEqual((yield* paged.fake.requests).map((r) => r.query.page), ["1", "2"])
      yield* paged.fake.reset
      yield* Stream.runDrain(Stream.take(paged.radarr.missing, 2))
      assert.strictEqual(yield* paged.fake.requestCount, 1)
    }))

  it.scoped("missing on Radarr < 5.6 (no wanted/missing): the library, filtered as Radarr's UI does", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup({ pageSize: 2 })
      yield* fake.setLegacy(true)
      assert.strictEqual((yield* radarr.status).version, "4.7.5.7809")
      yield* fake.reset
      yield* fake.setLegacy(true)
      const missing = yield* Stream.runCollect(radarr.missing)
      assert.deepStrictEqual(titles(missing), World.radarrMissingLegacy)
      assert.deepStrictEqual(yield* paths(fake), ["/api/v3/wanted/missing", "/api/v3/movie"])
      assert.deepStrictEqual(yield* statuses(fake), [404, 200])
      assert.isTrue(Chunk.every(missing, (m) => m.monitored && !m.hasFile && m.isAvailable))
    }))

  it.scoped("a 404 after the first page is an error, not the fallback", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup({ pageSize: 2 })
      const collected: Array<string> = []
      const error = yield* Stream.runForEach(radarr.missing, (m) =>
        Effect.gen(function*() {
          collected.push(m.title)
          if (collected.length === 2) yield* fake.failNext(FakeRadarr.status(404), { path: "/api/v3/wanted/missing" })
        })).pipe(Effect.flip)
      assert.deepStrictEqual([error.reason, error.path, collected], ["NotFound", "/api/v3/wanted/missing", ["Alien", "Casablanca"]])
      assert.deepStrictEqual(yield* paths(fake), ["/api/v3/wanted/missing", "/api/v3/wanted/missing"])
    }))

  it.scoped("movies, movie(id) and movieByTmdbId; hasFile from the file id", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      const movies = yield* radarr.movies
      assert.strictEqual(movies.length, World.radarr.movies.length)
      const byTitle = new Map(movies.map((m) => [m.title, m]))
      assert.deepStrictEqual([byTitle.get("Aliens")!.hasFile, byTitle.get("Aliens")!.movieFileId], [true, 40])
      assert.deepStrictEqual([byTitle.get("Zodiac")!.hasFile, byTitle.get("Brazil")!.monitored], [true, false])
      assert.deepStrictEqual([byTitle.get("The Thing")!.qualityProfileId, byTitle.get("Dune: Part Three")!.status], [
        4,
        "announced"
      ])
      const alien = yield* radarr.movie(12)
      assert.deepStrictEqual(alien, byTitle.get("Alien"))
      const heat = yield* radarr.movieByTmdbId(949)
      assert.deepStrictEqual(Option.map(heat, (m) => m.id), Option.some(19))
      assert.isTrue(Option.isNone(yield* radarr.movieByTmdbId(1)))
      const log = yield* fake.requests
      assert.deepStrictEqual(log.map((r) => [r.path, r.query]), [
        ["/api/v3/movie", {}],
        ["/api/v3/movie/12", {}],
        ["/api/v3/movie", { tmdbId: "949" }],
        ["/api/v3/movie", { tmdbId: "1" }]
      ])
    }))

  it.scoped("404: NotFound, not retried", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      const error = yield* Effect.flip(radarr.movie(999))
      assert.deepStrictEqual([error.reason, error.status, error.path, error.fatal], [
        "NotFound",
        404,
        "/api/v3/movie/999",
        false
      ])
      assert.strictEqual(error.message, "Radarr has nothing at /api/v3/movie/999 (HTTP 404)")
      assert.strictEqual(yield* fake.requestCount, 1)
    }))

  it.scoped("root folders, quality profiles and naming (omitted fields take Radarr's defaults)", () =>
    Effect.gen(function*() {
      const { radarr } = yield* setup()
      assert.deepStrictEqual(yield* radarr.rootFolders, [
        { id: 1, path: "/movies", accessible: true, freeSpace: 512000000000 },
        { id: 2, path: "/movies-4k", accessible: false, freeSpace: 512000000000 }
      ])
      assert.deepStrictEqual(yield* radarr.qualityProfiles, [{ id: 1, name: "Any" }, { id: 4, name: "HD-1080p" }])
      assert.deepStrictEqual(yield* radarr.naming, {
        renameMovies: true,
        replaceIllegalCharacters: true,
        colonReplacementFormat: "smart",
        standardMovieFormat: "{Movie Title} ({Release Year}) {Quality Full}",
        movieFolderFormat: "{Movie Title} ({Release Year})"
      })
    }))

  it.scoped("401 (an empty body): Unauthorized at once, one line naming the key to check, fatal", () =>
    Effect.gen(function*() {
      const fake = yield* FakeRadarr.Fake
      yield* fake.reset
      const radarr = yield* Radarr.make({ ...fast, url: fake.url, apiKey: Redacted.make("0123456789abcdef") })
      const error = yield* Effect.flip(Stream.runCollect(radarr.missing))
      assert.deepStrictEqual([error.reason, error.status, error.fatal], ["Unauthorized", 401, true])
      assert.strictEqual(
        error.message,
        "Radarr refused the API key (HTTP 401 on /api/v3/wanted/missing): check radarr.api_key (STALKEER_RADARR_API_KEY)"
      )
      assertOneLine(error)
      assert.deepStrictEqual(yield* statuses(fake), [401])
    }))

  it.scoped("5xx then success: retried", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      yield* fake.failNext(FakeRadarr.status(500))
      yield* fake.failNext(FakeRadarr.status(503))
      const movies = yield* radarr.movies
      assert.strictEqual(movies.length, World.radarr.movies.length)
      assert.deepStrictEqual(yield* statuses(fake), [500, 503, 200])
      assert.strictEqual(yield* radarr.requests, 3)
    }))

  it.scoped("5xx every time: Server after the retries, with the attempts made and the server's message", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup({ retry: { times: 1, base: "10 millis" } })
      yield* fake.failNext(FakeRadarr.status(502), { times: 5 })
      const error = yield* Effect.flip(radarr.movies)
      assert.deepStrictEqual([error.reason, error.status, error.attempts], ["Server", 502, 2])
      assert.strictEqual(
        error.message,
        "Radarr failed with HTTP 502 on /api/v3/movie (gave up after 2 attempts): Radarr fault injected by the test"
      )
      assertOneLine(error)
    }))

  it.scoped("other 4xx: Rejected with the server's message, never retried", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      yield* fake.failNext(FakeRadarr.status(400, {
        body: JSON.stringify({ message: "BadRequest: pageSize must be positive", content: "pageSize must be positive" })
      }))
      const error = yield* Effect.flip(Stream.runCollect(radarr.missing))
      assert.deepStrictEqual([error.reason, error.status], ["Rejected", 400])
      assert.strictEqual(
        error.message,
        "Radarr rejected /api/v3/wanted/missing with HTTP 400: BadRequest: pageSize must be positive"
      )
      yield* fake.failNext(FakeRadarr.status(400, {
        body: JSON.stringify([{ propertyName: "Path", errorMessage: "'Path' must not be empty.", severity: "error" }])
      }))
      const validation = yield* Effect.flip(radarr.command({ name: "DownloadedMoviesScan", path: "" }))
      assert.strictEqual(validation.detail, "Path: 'Path' must not be empty.")
      yield* fake.failNext(FakeRadarr.status(403), { times: 3 })
      assert.strictEqual((yield* Effect.flip(radarr.naming)).reason, "Rejected")
      assert.deepStrictEqual(yield* statuses(fake), [400, 400, 403])
    }))

  it.scoped("a hang: Timeout per attempt, retried, then given up", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup({ timeout: "200 millis", retry: { times: 1, base: "10 millis" } })
      yield* fake.failNext(FakeRadarr.hang)
      assert.strictEqual((yield* radarr.status).appName, "Radarr")
      yield* fake.failNext(FakeRadarr.hang, { times: 5 })
      const error = yield* Effect.flip(radarr.status)
      assert.deepStrictEqual([error.reason, error.attempts, error.timeoutMillis], ["Timeout", 2, 200])
      assert.strictEqual(error.message, "Radarr did not answer /api/v3/system/status within 200 ms (gave up after 2 attempts)")
      assert.deepStrictEqual(yield* statuses(fake), [0, 200, 0, 0])
    }))

  it.scoped("a reset connection: retried, then Unreachable", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      yield* fake.failNext(FakeRadarr.reset)
      assert.strictEqual((yield* radarr.qualityProfiles).length, 2)
      yield* fake.failNext(FakeRadarr.reset, { times: 10 })
      const error = yield* Effect.flip(radarr.qualityProfiles)
      assert.deepStrictEqual([error.reason, error.attempts], ["Unreachable", 4])
      const port = new URL(fake.url).port
      assert.match(error.message, new RegExp(`^Cannot reach Radarr at 127\\.0\\.0\\.1:${port}: \\S+ \\(gave up after 4 attempts\\)$`))
      assert.strictEqual(yield* fake.requestCount, 6)
    }))

  it.scoped("connection refused: Unreachable, naming the host and the errno", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const radarr = yield* Radarr.make({ ...fast, url: `http://127.0.0.1:${port}`, apiKey: Redacted.make("k") })
      const error = yield* Effect.flip(radarr.movies)
      assert.deepStrictEqual([error.reason, error.path, error.host], ["Unreachable", "/api/v3/movie", `127.0.0.1:${port}`])
      assert.strictEqual(error.message, `Cannot reach Radarr at 127.0.0.1:${port}: ECONNREFUSED (gave up after 4 attempts)`)
      assert.isFalse(error.fatal)
    }))

  it.scoped("an undecodable body or the wrong shape is InvalidResponse naming the path, never the body", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      yield* fake.failNext(FakeRadarr.garbage)
      const notJson = yield* Effect.flip(radarr.movies)
      assert.strictEqual(notJson.message, "Radarr answered /api/v3/movie with an unexpected body: the body is not JSON")
      yield* fake.failNext(FakeRadarr.wrongShape)
      const wrong = yield* Effect.flip(Stream.runCollect(radarr.missing))
      assert.strictEqual(wrong.reason, "InvalidResponse")
      assert.match(wrong.detail ?? "", /^(page|records\[0\]\.id): Expected /)
      assert.notInclude(wrong.message, "\"one\"")
      yield* fake.failNext(FakeRadarr.body(JSON.stringify([{ id: "12", title: "Alien" }])))
      const badId = yield* Effect.flip(radarr.movies)
      assert.match(badId.detail ?? "", /^\[0\]\.id: Expected number/)
      assertOneLine(badId)
      assert.strictEqual(yield* fake.requestCount, 3)
    }))

  it.scoped("omitted fields decode to null or their default, unknown fields are ignored", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      yield* fake.failNext(FakeRadarr.body(JSON.stringify([
        { id: 5, title: "Sparse", tmdbId: 1, monitored: true, somethingNew: { nested: [1, 2] }, collection: {} },
        { id: 6, originalTitle: "Original", statistics: { movieFileCount: 1 } },
        { id: 7, alternateTitles: [{ title: null }, { sourceType: "user" }, { title: "Kept" }] }
      ])))
      const [sparse, counted, titled] = yield* radarr.movies
      assert.deepStrictEqual(sparse, {
        id: 5,
        title: "Sparse",
        originalTitle: null,
        sortTitle: null,
        year: 0,
        tmdbId: 1,
        imdbId: null,
        path: null,
        rootFolderPath: null,
        folderName: null,
        monitored: true,
        hasFile: false,
        movieFileId: 0,
        isAvailable: false,
        status: null,
        qualityProfileId: null,
        alternateTitles: []
      })
      assert.deepStrictEqual([counted!.title, counted!.hasFile, counted!.monitored], ["Original", true, false])
      assert.deepStrictEqual(titled!.alternateTitles, ["Kept"])
      yield* fake.failNext(FakeRadarr.body(JSON.stringify({ appName: "Radarr", version: "6.0.0.1", extra: true })))
      assert.deepStrictEqual(yield* radarr.status, {
        appName: "Radarr",
        instanceName: null,
        version: "6.0.0.1",
        urlBase: null,
        branch: null
      })
      yield* fake.failNext(FakeRadarr.body(JSON.stringify({ colonReplacementFormat: 1 })))
      assert.strictEqual((yield* radarr.naming).colonReplacementFormat, "dash")
    }))

  it.scoped("decoded values round-trip through JSON with their schemas", () =>
    Effect.gen(function*() {
      const { radarr } = yield* setup()
      const movie = yield* radarr.movie(20)
      const again = yield* Schema.decodeUnknown(ArrResponse.Movie)(JSON.parse(JSON.stringify(movie)))
      assert.deepStrictEqual(again, movie)
    }))

  it.scoped("a URL base: every request goes under it; without it, the server is not found", () =>
    Effect.gen(function*() {
      const fake = yield* FakeRadarr.make(World.radarr, { urlBase: "/radarr/" })
      assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+\/radarr$/)
      const radarr = yield* Radarr.make(FakeRadarr.clientOptions(fake, { ...fast, pageSize: 3 }))
      assert.strictEqual((yield* radarr.status).urlBase, "/radarr")
      assert.deepStrictEqual(titles(yield* Stream.runCollect(radarr.missing)), World.radarrMissing)
      const trailing = yield* Radarr.make({ ...FakeRadarr.clientOptions(fake, fast), url: `${fake.url}/` })
      assert.strictEqual((yield* trailing.movie(12)).title, "Alien")
      const log = yield* fake.requests
      assert.isTrue(log.every((r) => r.path.startsWith("/radarr/api/v3/")), JSON.stringify(log.map((r) => r.path)))
      assert.strictEqual(log.length, 5)

      const root = fake.url.replace(/\/radarr$/, "")
      const withoutBase = yield* Radarr.make({ ...FakeRadarr.clientOptions(fake, fast), url: root })
      const error = yield* Effect.flip(withoutBase.status)
      assert.deepStrictEqual([error.reason, error.fatal], ["UnsupportedVersion", true])
      assert.strictEqual(
        error.message,
        `No Radarr API v3 at ${new URL(root).host}: /api/v3/system/status answered HTTP 404 (check radarr.url and its URL base)`
      )
    }))

  it.scoped("commands: posted (201), polled until completed", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      const done = yield* radarr.command({ name: "RescanMovie", movieId: 12 })
      assert.deepStrictEqual([done.name, done.commandName, done.status, done.result], [
        "RescanMovie",
        "Rescan Movie",
        "completed",
        "successful"
      ])
      assert.isNotNull(done.ended)
      const log = yield* fake.requests
      assert.deepStrictEqual(log.map((r) => [r.method, r.path, r.status]), [
        ["POST", "/api/v3/command", 201],
        ["GET", `/api/v3/command/${done.id}`, 200],
        ["GET", `/api/v3/command/${done.id}`, 200],
        ["GET", `/api/v3/command/${done.id}`, 200]
      ])
      yield* radarr.command({ name: "DownloadedMoviesScan", path: "/downloads/Alien.1979.1080p", importMode: "move" })
      yield* radarr.command({ name: "RescanMovie" })
      assert.deepStrictEqual((yield* fake.commands).map((c) => c.body), [
        { name: "RescanMovie", movieId: 12 },
        { name: "DownloadedMoviesScan", path: "/downloads/Alien.1979.1080p", importMode: "move" },
        { name: "RescanMovie" }
      ])
    }))

  it.scoped("a command that fails: CommandFailed with the command's message", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup()
      yield* fake.setCommandBehaviour({ outcome: "failed", steps: 1 })
      const error = yield* Effect.flip(radarr.command({ name: "DownloadedMoviesScan", path: "/downloads/x" }))
      assert.deepStrictEqual([error.reason, error.command, error.commandStatus, error.fatal], [
        "CommandFailed",
        "DownloadedMoviesScan",
        "failed",
        false
      ])
      assert.strictEqual(
        error.message,
        `Radarr command DownloadedMoviesScan (#${error.commandId}) failed: Import failed, path does not exist or is not accessible by Radarr: /downloads/x`
      )
    }))

  it.scoped("a command that never ends: CommandTimeout with its last status", () =>
    Effect.gen(function*() {
      const { fake, radarr } = yield* setup({ commandTimeout: "150 millis", pollInterval: "20 millis" })
      yield* fake.setCommandBehaviour({ steps: Infinity })
      const error = yield* Effect.flip(radarr.command({ name: "RescanMovie", movieId: 12 }))
      assert.deepStrictEqual([error.reason, error.commandStatus, error.timeoutMillis], ["CommandTimeout", "started", 150])
      assert.strictEqual(
        error.message,
        `Radarr command RescanMovie (#${error.commandId}) did not finish within 150 ms (last status: started)`
      )
      assert.isAtLeast(yield* fake.requestCount, 4)
    }))

  it.scoped("status of a Sonarr server, or of a Radarr older than v3: UnsupportedVersion (fatal)", () =>
    Effect.gen(function*() {
      const sonarr = yield* FakeSonarr.make(World.sonarr)
      const wrong = yield* Radarr.make({ ...fast, url: sonarr.url, apiKey: Redacted.make(sonarr.apiKey) })
      const error = yield* Effect.flip(wrong.status)
      const host = new URL(sonarr.url).host
      assert.deepStrictEqual([error.reason, error.appName, error.fatal], ["UnsupportedVersion", "Sonarr", true])
      assert.strictEqual(error.message, `The server at ${host} is Sonarr 4.0.19.2979, not Radarr: check radarr.url`)

      const old = yield* FakeRadarr.make(World.radarr, { version: "2.0.0.5344" })
      const oldClient = yield* Radarr.make(FakeRadarr.clientOptions(old, fast))
      const tooOld = yield* Effect.flip(oldClient.status)
      assert.strictEqual(
        tooOld.message,
        `Radarr 2.0.0.5344 at ${new URL(old.url).host} is too old: API v3 needs Radarr 3 or later`
      )
    }))
})

const settings = (values: Partial<Radarr.Settings>): Radarr.Settings => ({
  url: Option.none(),
  apiKey: Option.none(),
  pageSize: 250,
  timeout: Duration.seconds(30),
  ...values
})

layer(Layer.mergeAll(FakeRadarr.layer(World.radarr), NodeHttpClient.layerUndici), { excludeTestServices: true })(
  "Radarr configuration",
  (it) => {
    it.effect("fromSettings: MissingConfiguration names only what is missing", () =>
      Effect.sync(() => {
        const none = Either.getLeft(Radarr.fromSettings(settings({}))).pipe(Option.getOrThrow)
        assert.strictEqual(
          none.message,
          "Radarr is not configured: set radarr.url and radarr.api_key (STALKEER_RADARR_URL, STALKEER_RADARR_API_KEY)"
        )
        assert.isTrue(none.fatal)
        const noKey = Either.getLeft(Radarr.fromSettings(settings({ url: Option.some("http://h:7878") })))
        assert.strictEqual(
          Option.getOrThrow(noKey).message,
          "Radarr is not configured: set radarr.api_key (STALKEER_RADARR_API_KEY)"
        )
        const blankUrl = Either.getLeft(
          Radarr.fromSettings(settings({ url: Option.some(" "), apiKey: Option.some(Redacted.make("k")) }))
        )
        assert.strictEqual(Option.getOrThrow(blankUrl).message, "Radarr is not configured: set radarr.url (STALKEER_RADARR_URL)")
        const options = Radarr.fromSettings(
          settings({ url: Option.some("http://h:7878"), apiKey: Option.some(Redacted.make("k")), pageSize: 50 }),
          { pollInterval: "5 seconds" }
        ).pipe(Either.getOrThrow)
        assert.deepStrictEqual([options.url, options.pageSize, options.pollInterval], ["http://h:7878", 50, "5 seconds"])
      }))

    it.scoped("make rejects a URL that is not http(s), without echoing it", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Radarr.make({ url: "ftp://user:secret@h", apiKey: Redacted.make("k") }))
        assert.deepStrictEqual([error.reason, error.fatal], ["MissingConfiguration", true])
        assert.strictEqual(
          error.message,
          "Radarr is not configured: radarr.url must be an http(s) URL, e.g. http://localhost:7878"
        )
      }))

    it.scoped("layerConfig: from loaded settings or from a Config, and MissingConfiguration when unset", () =>
      Effect.gen(function*() {
        const fake = yield* FakeRadarr.Fake
        const loaded = settings({ url: Option.some(fake.url), apiKey: Option.some(Redacted.make(fake.apiKey)) })
        const fromValue = yield* Effect.flatMap(Radarr.Radarr, (r) => r.status).pipe(
          Effect.provide(Radarr.layerConfig(loaded, { retry: { times: 0 } }))
        )
        assert.strictEqual(fromValue.appName, "Radarr")

        const section = Config.nested(
          Config.all({
            url: Config.option(Config.string("url")),
            apiKey: Config.option(Config.redacted("api_key")),
            pageSize: Config.integer("page_size").pipe(Config.withDefault(250)),
            timeout: Config.duration("timeout").pipe(Config.withDefault(Duration.seconds(30)))
          }),
          "radarr"
        )
        const provider = ConfigProvider.fromMap(new Map([["radarr.url", fake.url], ["radarr.api_key", fake.apiKey]]))
        const fromConfig = yield* Effect.flatMap(Radarr.Radarr, (r) => r.naming).pipe(
          Effect.provide(Radarr.layerConfig(section)),
          Effect.withConfigProvider(provider)
        )
        assert.strictEqual(fromConfig.renameMovies, true)

        const unset = yield* Effect.flip(
          Effect.flatMap(Radarr.Radarr, (r) => r.status).pipe(
            Effect.provide(Radarr.layerConfig(section)),
            Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
          )
        )
        assert.isTrue(ArrError.isArrError(unset) && unset.reason === "MissingConfiguration")
      }))
  }
)
