import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Radarr } from "@stalkeer/arr-client"
import { FakeRadarr, FakeSonarr } from "@stalkeer/arr-client/testing"
import { Downloads, Entries, ProviderSlots } from "@stalkeer/store"
import { Choice, Enqueue } from "@stalkeer/workflows"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as ApiError from "../src/ApiError.js"
import * as Support from "./Support.js"

let n = 0
const line = (kind: "movie" | "series" | "live", group: string, name: string, extension = "mkv") =>
  `#EXTINF:-1 group-title="${group}",${name}\nhttp://127.0.0.1:9/${kind}/canary-user/${Support.CANARY}/${++n}.${extension}\n`

const PLAYLIST = "#EXTM3U\n" + [
  line("movie", "EN| Movies", "EN - The Godfather (1972) 1080p"),
  line("movie", "EN| Movies", "EN - Heat (1995) 720p"),
  line("movie", "EN| Movies", "EN - Alien (1979)"),
  line("series", "EN| Series", "EN - The Office S01E01"),
  line("series", "EN| Series", "EN - The Office S01E02-E03"),
  line("live", "UK| News", "BBC One HD", "ts"),
  line("movie", "EN| Movies", "EN - Dune (1984)", "iso")
].join("")

const aired = "2020-01-01T00:00:00Z"

const radarrLibrary: FakeRadarr.Library = {
  movies: [
    { id: 1, title: "The Godfather", year: 1972, tmdbId: 238, monitored: true, hasFile: false, isAvailable: true },
    { id: 2, title: "Heat", year: 1995, tmdbId: 949, monitored: true, hasFile: false, isAvailable: true },
    { id: 3, title: "Alien", year: 1979, tmdbId: 348, monitored: true, hasFile: false, isAvailable: true },
    { id: 4, title: "Blade Runner", year: 1982, tmdbId: 78, monitored: true, hasFile: true, isAvailable: true },
    { id: 5, title: "Dune", year: 1984, tmdbId: 841, monitored: true, hasFile: false, isAvailable: true }
  ]
}

const sonarrLibrary: FakeSonarr.Library = {
  series: [{ id: 1, title: "The Office", year: 2005, tvdbId: 73244, tmdbId: 2316, monitored: true }],
  episodes: [
    { id: 11, seriesId: 1, seasonNumber: 1, episodeNumber: 1, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 12, seriesId: 1, seasonNumber: 1, episodeNumber: 2, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 13, seriesId: 1, seasonNumber: 1, episodeNumber: 3, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 14, seriesId: 1, seasonNumber: 1, episodeNumber: 4, airDateUtc: aired, monitored: true, hasFile: false },
    { id: 15, seriesId: 1, seasonNumber: 2, episodeNumber: 1, airDateUtc: aired, monitored: true, hasFile: true },
    { id: 16, seriesId: 1, seasonNumber: 2, episodeNumber: 2, airDateUtc: aired, monitored: true, hasFile: false }
  ]
}

const fakes = Layer.mergeAll(FakeRadarr.layer(radarrLibrary), FakeSonarr.layer(sonarrLibrary))

/** The catalogue entry whose name is `name`. */
const entryId = (name: string) =>
  Effect.map(Entries.list({ search: name }), (entries) => {
    const found = entries.filter((e) => e.name === name)
    assert.strictEqual(found.length, 1, name)
    return found[0]!.id
  })

const send = Support.send

const INTERNAL = ["leaseOwner", "leaseExpiresAt", "leaseToken", "token", "etag", "urlTemplate", "url"]

layer(Support.layer(Support.arrEnv).pipe(Layer.provideMerge(fakes)), { timeout: "120 seconds", excludeTestServices: true })(
  "downloads",
  (it) => {
    it.effect("enqueue a movie: 201 with the download placed in Radarr's folder, then 200 with the same one", () =>
      Effect.gen(function*() {
        yield* Support.ingest(PLAYLIST)
        const client = yield* Support.client
        const godfather = yield* entryId("EN - The Godfather (1972) 1080p")
        const first = yield* send("POST", "/api/v1/downloads", {
          body: JSON.stringify({ arr: "radarr", movieId: 1, entryId: godfather })
        })
        assert.strictEqual(first.status, 201)
        assert.strictEqual(first.body["outcome"], "queued")
        for (const field of INTERNAL) assert.notInclude(Object.keys(first.body["download"] as object), field)
        assert.notInclude(first.text, Support.CANARY)
        assert.notInclude(first.text, "canary-user")

        const entry = yield* Entries.get(godfather)
        const queued = yield* client.downloads.get({ path: { id: (first.body["download"] as { id: number }).id } })
        assert.deepStrictEqual(
          {
            state: queued.state,
            title: queued.title,
            arr: queued.arr,
            arrItemId: queued.arrItemId,
            wantedKey: queued.wantedKey,
            providerId: queued.providerId,
            entryKey: queued.entryKey,
            extension: queued.extension,
            targetPath: queued.targetPath,
            importPath: queued.importPath,
            attempts: queued.attempts
          },
          {
            state: "queued",
            title: "The Godfather (1972)",
            arr: "radarr",
            arrItemId: 1,
            wantedKey: "radarr:movie:1",
            providerId: entry.providerId,
            entryKey: entry.key,
            extension: "mkv",
            targetPath: "/movies/The Godfather (1972)/The Godfather (1972).mkv",
            importPath: "/movies/The Godfather (1972)/The Godfather (1972).mkv",
            attempts: 0
          }
        )
        assert.instanceOf(queued.createdAt, Date)

        // The wanted item is queued: another entry for it changes nothing, and says so.
        const heat = yield* entryId("EN - Heat (1995) 720p")
        const again = yield* client.downloads.enqueue({ payload: { arr: "radarr", movieId: 1, entryId: heat } })
        assert.strictEqual(again.outcome, "already-queued")
        assert.deepStrictEqual(again.download, queued)
        const raw = yield* send("POST", "/api/v1/downloads", { body: JSON.stringify({ arr: "radarr", movieId: 1, entryId: godfather }) })
        assert.strictEqual(raw.status, 200)
        assert.strictEqual(raw.body["outcome"], "already-queued")

        // The CLI's path (`stalkeer radarr`) finds the same wanted item in the queue: one key, one download.
        const radarr = yield* FakeRadarr.Fake
        const settings = yield* Support.settings()
        const planned = yield* Stream.runCollect(
          Enqueue.radarr({ preferences: Choice.preferences(settings.matching), settings })
        ).pipe(Effect.provide(Radarr.layer(FakeRadarr.clientOptions(radarr)).pipe(Layer.provide(NodeHttpClient.layerUndici))))
        const forMovie1 = Chunk.toReadonlyArray(planned).find((e) => e.plan.kind === "movie" && e.plan.movie.id === 1)!
        assert.strictEqual(forMovie1.outcome._tag, "AlreadyQueued")
        assert.strictEqual(forMovie1.outcome._tag === "AlreadyQueued" ? forMovie1.outcome.download.id : 0, queued.id)

        // With force, an ended download is queued again (201), from the entry now given.
        yield* client.downloads.cancel({ path: { id: queued.id } })
        const forced = yield* send("POST", "/api/v1/downloads", {
          body: JSON.stringify({ arr: "radarr", movieId: 1, entryId: heat, force: true })
        })
        assert.strictEqual(forced.status, 201)
        const requeued = yield* client.downloads.get({ path: { id: queued.id } })
        assert.strictEqual(requeued.state, "queued")
        assert.strictEqual(requeued.entryKey, (yield* Entries.get(heat)).key)
      }))

    it.effect("enqueue episodes: one, or both of a double episode as one file; the entry must hold them", () =>
      Effect.gen(function*() {
        yield* Support.ingest(PLAYLIST)
        const client = yield* Support.client
        const e01 = yield* entryId("EN - The Office S01E01")
        const double = yield* entryId("EN - The Office S01E02-E03")
        const one = yield* client.downloads.enqueue({ payload: { arr: "sonarr", episodeIds: [11], entryId: e01 } })
        assert.strictEqual(one.outcome, "queued")
        assert.deepStrictEqual(
          [one.download.title, one.download.wantedKey, one.download.arr, one.download.arrItemId, one.download.targetPath],
          ["The Office S01E01", "sonarr:episode:11", "sonarr", 1, "/tv/The Office/Season 1/The Office - S01E01.mkv"]
        )
        const both = yield* client.downloads.enqueue({ payload: { arr: "sonarr", episodeIds: [13, 12], entryId: double } })
        assert.strictEqual(both.outcome, "queued")
        assert.strictEqual(both.download.wantedKey, "sonarr:series:1:S01E02-E03")
        assert.strictEqual(both.download.targetPath, "/tv/The Office/Season 1/The Office - S01E02-E03.mkv")
        // Either episode of the double names the same file: the one download.
        const half = yield* client.downloads.enqueue({ payload: { arr: "sonarr", episodeIds: [13], entryId: double } })
        assert.strictEqual(half.outcome, "already-queued")
        assert.strictEqual(half.download.id, both.download.id)

        const bad = (payload: unknown) => send("POST", "/api/v1/downloads", { body: JSON.stringify(payload) })
        // An entry of other episodes.
        const other = yield* bad({ arr: "sonarr", episodeIds: [14], entryId: e01 })
        assert.strictEqual(other.status, 400)
        assert.strictEqual(other.body.message, `entryId: entry ${e01} holds S01E01, not S01E04`)
        const beyond = yield* bad({ arr: "sonarr", episodeIds: [12, 14], entryId: double })
        assert.strictEqual(beyond.status, 400)
        assert.strictEqual(beyond.body.message, `entryId: entry ${double} holds S01E02-E03, not S01E04`)
        // Episodes of two seasons are never one file.
        const seasons = yield* bad({ arr: "sonarr", episodeIds: [14, 16], entryId: e01 })
        assert.strictEqual(seasons.status, 400)
        assert.isTrue(seasons.body.message!.startsWith("episodeIds: "), seasons.body.message)
        // Unknown to Sonarr, or not wanted (it has its file): 404 naming the ids.
        for (const ids of [[999], [15], [11, 998]]) {
          const missing = yield* bad({ arr: "sonarr", episodeIds: ids, entryId: e01 })
          assert.strictEqual(missing.status, 404, String(ids))
          assert.strictEqual(missing.body.error, "NotFound")
          assert.isTrue(missing.body.message!.startsWith(`episodeIds: Sonarr wants no episode with id ${ids.at(-1)}`), missing.body.message)
        }
        assert.strictEqual((yield* client.downloads.list({ urlParams: {} })).totalRecords, 2)
      }))

    it.effect("list: newest first, paged with the total, filtered by state", () =>
      Effect.gen(function*() {
        yield* Support.ingest(PLAYLIST)
        const client = yield* Support.client
        const ids: Array<number> = []
        for (const [movieId, name] of [[1, "EN - The Godfather (1972) 1080p"], [2, "EN - Heat (1995) 720p"], [3, "EN - Alien (1979)"]] as const) {
          const queued = yield* client.downloads.enqueue({ payload: { arr: "radarr", movieId, entryId: yield* entryId(name) } })
          ids.push(queued.download.id)
        }
        const e01 = yield* entryId("EN - The Office S01E01")
        ids.push((yield* client.downloads.enqueue({ payload: { arr: "sonarr", episodeIds: [11], entryId: e01 } })).download.id)
        yield* client.downloads.cancel({ path: { id: ids[1]! } })

        const all = yield* client.downloads.list({ urlParams: {} })
        assert.deepStrictEqual([all.page, all.pageSize, all.totalRecords], [1, 50, 4])
        assert.deepStrictEqual(all.records.map((d) => d.id), [...ids].reverse())
        const first = yield* client.downloads.list({ urlParams: { pageSize: 3 } })
        const second = yield* client.downloads.list({ urlParams: { pageSize: 3, page: 2 } })
        assert.deepStrictEqual([first.records.length, second.records.length], [3, 1])
        assert.deepStrictEqual([...first.records, ...second.records].map((d) => d.id), all.records.map((d) => d.id))
        assert.deepStrictEqual([second.page, second.pageSize, second.totalRecords], [2, 3, 4])
        const beyond = yield* client.downloads.list({ urlParams: { pageSize: 3, page: 3 } })
        assert.deepStrictEqual([beyond.records.length, beyond.totalRecords], [0, 4])
        const cancelled = yield* client.downloads.list({ urlParams: { state: "cancelled" } })
        assert.deepStrictEqual([cancelled.totalRecords, ...cancelled.records.map((d) => d.id)], [1, ids[1]!])
        const queued = yield* client.downloads.list({ urlParams: { state: "queued", pageSize: 1 } })
        assert.deepStrictEqual([queued.totalRecords, queued.records.length, queued.records[0]!.id], [3, 1, ids[3]!])
        assert.strictEqual((yield* client.downloads.list({ urlParams: { state: "failed" } })).totalRecords, 0)
      }))

    it.effect("retry and cancel: the queue's own rules, 409 saying the state; a retry lifts the provider's pause", () =>
      Effect.gen(function*() {
        yield* Support.ingest(PLAYLIST)
        const client = yield* Support.client
        const queued = yield* client.downloads.enqueue({
          payload: { arr: "radarr", movieId: 2, entryId: yield* entryId("EN - Heat (1995) 720p") }
        })
        const id = queued.download.id
        // Queued: no retry.
        const early = yield* Effect.flip(client.downloads.retry({ path: { id } }))
        assert.instanceOf(early, ApiError.Conflict)
        assert.strictEqual(early.message, `download #${id} is queued: only a failed, cancelled or waiting download can be retried`)
        // Cancelled, cancelled again (as it is), retried.
        assert.strictEqual((yield* client.downloads.cancel({ path: { id } })).state, "cancelled")
        assert.strictEqual((yield* client.downloads.cancel({ path: { id } })).state, "cancelled")
        const retried = yield* client.downloads.retry({ path: { id } })
        assert.deepStrictEqual([retried.download.state, retried.download.attempts, retried.liftedPause], ["queued", 0, null])

        // Failed while its provider pauses after a refusal: the retry queues it and ends the pause.
        const lease = Option.getOrThrow(yield* Downloads.claim({ owner: "test-worker", leaseFor: "1 minute" }))
        assert.strictEqual((yield* client.downloads.get({ path: { id } })).state, "running")
        assert.isTrue(yield* Downloads.fail(lease, { message: "HTTP 404 for the stream", class: "item", retryable: false }))
        const failed = yield* client.downloads.get({ path: { id } })
        assert.deepStrictEqual([failed.state, failed.attempts, failed.lastError], ["failed", 1, "HTTP 404 for the stream"])
        assert.isTrue(Option.isSome(yield* ProviderSlots.deny(failed.providerId, "account", "the account is refused (HTTP 401)")))
        const lifted = yield* client.downloads.retry({ path: { id } })
        assert.strictEqual(lifted.download.state, "queued")
        assert.strictEqual(lifted.liftedPause?.reason, "the account is refused (HTTP 401)")
        assert.instanceOf(lifted.liftedPause?.until, Date)
        assert.isTrue(Option.isNone(yield* ProviderSlots.cooldown(failed.providerId)))

        // Completed: neither cancelled nor retried.
        const again = Option.getOrThrow(yield* Downloads.claim({ owner: "test-worker", leaseFor: "1 minute" }))
        // A running download's raw JSON has no lease in it.
        const running = yield* send("GET", `/api/v1/downloads/${id}`)
        assert.strictEqual(running.body["state"], "running")
        assert.notInclude(running.text, "test-worker")
        assert.isTrue(yield* Downloads.complete(again))
        const cancel = yield* send("POST", `/api/v1/downloads/${id}/cancel`)
        assert.strictEqual(cancel.status, 409)
        assert.deepStrictEqual(cancel.body, {
          error: "Conflict",
          message: `download #${id} is completed: only a queued, waiting or running download can be cancelled`
        })
        const retry = yield* send("POST", `/api/v1/downloads/${id}/retry`)
        assert.strictEqual(retry.status, 409)
        assert.include(retry.body.message, "is completed")
        assert.strictEqual((yield* client.downloads.get({ path: { id } })).state, "completed")

        for (const [method, url] of [["GET", "/api/v1/downloads/4242"], ["POST", "/api/v1/downloads/4242/retry"], ["POST", "/api/v1/downloads/4242/cancel"]] as const) {
          const missing = yield* send(method, url)
          assert.strictEqual(missing.status, 404, url)
          assert.deepStrictEqual(missing.body, {
            error: "NotFound",
            message: "no download with id 4242",
            details: { resource: "download", id: "4242" }
          }, url)
        }
      }))

    it.effect("bad input: 400 naming the field; unknown movie or entry 404; a movie with its file, a vanished or unplaceable entry 409", () =>
      Effect.gen(function*() {
        yield* Support.ingest(PLAYLIST)
        const godfather = yield* entryId("EN - The Godfather (1972) 1080p")
        const episode = yield* entryId("EN - The Office S01E01")
        const live = yield* entryId("BBC One HD")
        const cases: ReadonlyArray<readonly ["GET" | "POST", string, string | undefined, number, string]> = [
          ["GET", "/api/v1/downloads?state=done", undefined, 400, "state"],
          ["GET", "/api/v1/downloads?pageSize=501", undefined, 400, "pageSize"],
          ["GET", "/api/v1/downloads?pageSize=0", undefined, 400, "pageSize"],
          ["GET", "/api/v1/downloads?page=0", undefined, 400, "page"],
          ["GET", "/api/v1/downloads/abc", undefined, 400, "id"],
          ["POST", "/api/v1/downloads/-1/retry", undefined, 400, "id"],
          ["POST", "/api/v1/downloads/1.5/cancel", undefined, 400, "id"],
          ["POST", "/api/v1/downloads", "{}", 400, "arr"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "lidarr", movieId: 1, entryId: godfather }), 400, "arr"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", entryId: godfather }), 400, "movieId"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: 1 }), 400, "entryId"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: "1", entryId: godfather }), 400, "movieId"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: 0, entryId: godfather }), 400, "movieId"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "sonarr", episodeIds: [], entryId: episode }), 400, "episodeIds"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "sonarr", entryId: episode }), 400, "episodeIds"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "sonarr", episodeIds: [11, "x"], entryId: episode }), 400, "episodeIds.1"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "sonarr", movieId: 11, entryId: episode }), 400, "movieId"],
          // Only an entry's id names what to fetch: a URL is refused, not ignored.
          [
            "POST",
            "/api/v1/downloads",
            JSON.stringify({ arr: "radarr", movieId: 1, entryId: godfather, url: "http://example.com/x.mkv" }),
            400,
            "url"
          ],
          // An entry of the wrong kind.
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: 1, entryId: episode }), 400, "entryId"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: 1, entryId: live }), 400, "entryId"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "sonarr", episodeIds: [11], entryId: godfather }), 400, "entryId"],
          // Unknown ids, and a movie Radarr has the file of.
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: 1, entryId: 99999 }), 404, "entryId"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: 777, entryId: godfather }), 404, "movieId"],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: 4, entryId: godfather }), 409, "movieId"]
        ]
        for (const [method, url, body, status, field] of cases) {
          const answer = yield* send(method, url, body === undefined ? {} : { body })
          const label = `${method} ${url} ${body ?? ""}`
          assert.strictEqual(answer.status, status, `${label}: ${answer.text}`)
          assert.strictEqual(answer.body.error, status === 400 ? "BadRequest" : status === 404 ? "NotFound" : "Conflict", label)
          assert.isTrue(answer.body.message!.startsWith(`${field}: `), `${label}: ${answer.body.message}`)
          assert.notInclude(answer.body.message!, "\n", label)
        }
        // An entry the provider no longer lists, and one whose container has no place in a library: 409.
        const sql = yield* SqlClient.SqlClient
        const alien = yield* entryId("EN - Alien (1979)")
        yield* sql`UPDATE playlist_entries SET vanished_at = now() WHERE id = ${alien}`
        const vanished = yield* send("POST", "/api/v1/downloads", { body: JSON.stringify({ arr: "radarr", movieId: 3, entryId: alien }) })
        assert.strictEqual(vanished.status, 409)
        assert.isTrue(vanished.body.message!.startsWith(`entryId: entry ${alien} is no longer in the playlist`), vanished.body.message)
        const dune = yield* entryId("EN - Dune (1984)")
        const unplaceable = yield* send("POST", "/api/v1/downloads", { body: JSON.stringify({ arr: "radarr", movieId: 5, entryId: dune }) })
        assert.deepStrictEqual([unplaceable.status, unplaceable.body], [409, {
          error: "Conflict",
          message: "not queued: its container is not a known video format"
        }])
        const malformed = yield* send("POST", "/api/v1/downloads", { body: "{\"arr\": \"radarr\", " })
        assert.deepStrictEqual([malformed.status, malformed.body], [400, {
          error: "BadRequest",
          message: "body: not valid JSON",
          details: { issues: [{ field: "body", message: "not valid JSON" }] }
        }])
        const kind = yield* send("POST", "/api/v1/downloads", { body: JSON.stringify({ arr: "radarr", movieId: 1, entryId: live }) })
        assert.strictEqual(kind.body.message, `entryId: entry ${live} is a live channel, not a movie`)
        // Nothing was queued by any of them.
        assert.strictEqual(yield* Downloads.count(), 0)
      }))

    it.effect("every route: 401 without the key or with a wrong one, and nothing done", () =>
      Effect.gen(function*() {
        yield* Support.ingest(PLAYLIST)
        const client = yield* Support.client
        const godfather = yield* entryId("EN - The Godfather (1972) 1080p")
        const { download } = yield* client.downloads.enqueue({ payload: { arr: "radarr", movieId: 1, entryId: godfather } })
        const routes: ReadonlyArray<readonly ["GET" | "POST", string, string | undefined]> = [
          ["GET", "/api/v1/downloads", undefined],
          ["GET", `/api/v1/downloads/${download.id}`, undefined],
          ["POST", `/api/v1/downloads/${download.id}/cancel`, undefined],
          ["POST", `/api/v1/downloads/${download.id}/retry`, undefined],
          ["POST", "/api/v1/downloads", JSON.stringify({ arr: "radarr", movieId: 2, entryId: godfather })]
        ]
        for (const [method, url, body] of routes) {
          for (const key of [null, "not-the-key"]) {
            const answer = yield* send(method, url, { key, ...(body === undefined ? {} : { body }) })
            assert.strictEqual(answer.status, 401, `${method} ${url} ${key}`)
            assert.deepStrictEqual(answer.body, {
              error: "Unauthorized",
              message: key === null
                ? "missing API key: send it in the X-Api-Key header or the apikey query parameter"
                : "wrong API key"
            })
          }
        }
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ readonly n: number }>`SELECT count(*)::integer AS n FROM downloads`
        assert.strictEqual(rows[0]!.n, 1)
        assert.strictEqual((yield* Downloads.get(download.id)).state, "queued")
      }))
  }
)

layer(Support.layer(), { timeout: "120 seconds", excludeTestServices: true })("downloads without Radarr or Sonarr", (it) => {
  it.effect("the queue answers; queueing for Radarr or Sonarr is 503 naming the service and what to set", () =>
    Effect.gen(function*() {
      yield* Support.ingest(PLAYLIST)
      const client = yield* Support.client
      assert.strictEqual((yield* client.downloads.list({ urlParams: {} })).totalRecords, 0)
      const movie = yield* entryId("EN - The Godfather (1972) 1080p")
      const episode = yield* entryId("EN - The Office S01E01")
      const radarr = yield* Effect.flip(client.downloads.enqueue({ payload: { arr: "radarr", movieId: 1, entryId: movie } }))
      assert.instanceOf(radarr, ApiError.Unavailable)
      assert.deepStrictEqual(radarr.details, { service: "radarr" })
      assert.strictEqual(
        radarr.message,
        "Radarr is not configured: set radarr.url and radarr.api_key (STALKEER_RADARR_URL, STALKEER_RADARR_API_KEY)"
      )
      const sonarr = yield* send("POST", "/api/v1/downloads", {
        body: JSON.stringify({ arr: "sonarr", episodeIds: [11], entryId: episode })
      })
      assert.strictEqual(sonarr.status, 503)
      assert.deepStrictEqual(sonarr.body, {
        error: "Unavailable",
        message: "Sonarr is not configured: set sonarr.url and sonarr.api_key (STALKEER_SONARR_URL, STALKEER_SONARR_API_KEY)",
        details: { service: "sonarr" }
      })
      assert.strictEqual(yield* Downloads.count(), 0)
    }))
})
