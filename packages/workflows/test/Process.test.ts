import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Settings } from "@stalkeer/config"
import { Entries } from "@stalkeer/store"
import * as Testing from "@stalkeer/store/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as Os from "node:os"
import * as NodePath from "node:path"
import * as Process from "../src/Process.js"

const USER = "proc-user"
const CANARY = "ProcCanary-55e1"

const entry = (id: number, group: string, name: string, kind = "movie") =>
  `#EXTINF:-1 group-title="${group}",${name}\nhttp://panel.test/${kind}/${USER}/${CANARY}/${id}.mkv\n`

const PLAYLIST = "#EXTM3U\n" + [
  entry(1, "EN| Movies", "The Matrix (1999) 1080p"),
  entry(2, "EN| Movies", "Heat (1995)"),
  entry(3, "KIDS ZONE", "Bluey S01E01"),
  entry(4, "XXX", "Adult (2020)")
].join("")

/** A panel on loopback serving the playlist at get.php; `hits` counts requests. */
const panel = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly hits: () => number; readonly server: Http.Server }>((resume) => {
    let hits = 0
    const server = Http.createServer((req, res) => {
      hits++
      if (!req.url?.startsWith("/get.php")) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { "content-type": "audio/x-mpegurl" }).end(PLAYLIST)
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, hits: () => hits, server }))
    })
  }),
  ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
)

const settingsWith = (env: Record<string, string>) => {
  const dir = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "stalkeer-process-"))
  return Settings.load({ env: { HOME: dir, STALKEER_CONFIG: NodePath.join(dir, "none.yml"), ...env } }).pipe(
    Effect.catchTag("ConfigFileError", () => Settings.load({ env: { HOME: dir, ...env } }))
  )
}

const text = (s: string) => ({ label: "memory", size: s.length, stream: Stream.make(new TextEncoder().encode(s)) })

const StoreLive = Testing.layerConfig()

layer(Layer.mergeAll(StoreLive, NodeContext.layer, NodeHttpClient.layerUndici), { timeout: "120 seconds" })("Process", (it) => {
  /** The test database, as the layer `run` opens for its ingest (kept open by the outer layer). */
  const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (sql) => SqlClient.SqlClient.context(sql)))

  it.effect("downloads the configured playlist, then ingests it with the configured filters", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const server = yield* panel
      const settings = yield* settingsWith({
        STALKEER_PROVIDER_BASE_URL: server.url,
        STALKEER_PROVIDER_USERNAME: USER,
        STALKEER_PROVIDER_PASSWORD: CANARY,
        STALKEER_FILTERS_EXCLUDE_GROUPS: "^XXX$"
      })
      const phases: Array<string> = []
      let bytes = 0
      const summary = yield* Process.run({
        settings,
        database,
        observer: {
          phase: (p) => Effect.sync(() => phases.push(p)),
          reading: () => Effect.succeed({ bytes: (n) => bytes += n, progress: () => {} })
        }
      })
      assert.deepStrictEqual(phases, ["download", "ingest"])
      assert.strictEqual(server.hits(), 1)
      assert.strictEqual(summary.source, settings.paths.playlist)
      assert.strictEqual(bytes, Buffer.byteLength(PLAYLIST))
      assert.strictEqual(summary.counts.total, 4)
      assert.strictEqual(summary.counts.filtered, 1)
      assert.strictEqual(Fs.readFileSync(settings.paths.playlist, "utf8"), PLAYLIST)
      const items = yield* Stream.runCollect(Entries.stream({}))
      assert.strictEqual(items.length, 3)
      for (const item of items) assert.notInclude(JSON.stringify(item), CANARY)
    }).pipe(Effect.scoped))

  it.effect("reads a source given instead of downloading, with the configured classifier rules", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const settings = yield* settingsWith({ STALKEER_CLASSIFIER_GROUP_KINDS: "^KIDS=live!" })
      const phases: Array<string> = []
      const summary = yield* Process.run({
        settings,
        source: text(PLAYLIST),
        database,
        observer: { phase: (p) => Effect.sync(() => phases.push(p)) }
      })
      assert.deepStrictEqual(phases, ["ingest"])
      assert.strictEqual(summary.source, "memory")
      assert.strictEqual(summary.counts.byKind["live"], 1)
      // The rule overrode the /series/-less URL and the SxxEyy name alike.
      const bluey = (yield* Stream.runCollect(Entries.stream({ search: "Bluey" }))).pipe((c) => [...c])
      assert.strictEqual(bluey[0]!.kind, "live")
    }))

  it.effect("downloads the URL given instead of the configured one", () =>
    Effect.gen(function*() {
      yield* Testing.reset
      const server = yield* panel
      const settings = yield* settingsWith({ STALKEER_PROVIDER_PLAYLIST_URL: "http://127.0.0.1:1/get.php?username=x&password=y" })
      const summary = yield* Process.run({
        settings,
        url: Redacted.make(`${server.url}/get.php?username=${USER}&password=${CANARY}`),
        database
      })
      assert.strictEqual(summary.counts.total, 4)
      assert.strictEqual(server.hits(), 1)
    }).pipe(Effect.scoped))

  it.effect("with neither a source nor a playlist URL, says what to configure; a bad rule fails before any download", () =>
    Effect.gen(function*() {
      const none = yield* Process.run({ settings: yield* settingsWith({}), database }).pipe(Effect.flip)
      assert.strictEqual(none._tag, "ProcessError")
      assert.include(none.message, "nothing to process")
      const server = yield* panel
      const badRule = yield* Process.run({
        settings: yield* settingsWith({ STALKEER_PROVIDER_PLAYLIST_URL: `${server.url}/get.php`, STALKEER_CLASSIFIER_GROUP_KINDS: "(=movie" }),
        database
      }).pipe(Effect.flip)
      assert.strictEqual(badRule._tag, "ClassifierError")
      assert.include(badRule.message, "Invalid classifier rule classifier.group_kinds[0].pattern")
      assert.strictEqual(server.hits(), 0)
    }).pipe(Effect.scoped))
})
