import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as ExitCode from "../src/ExitCode.js"
import { cli, Home, httpServer, ok, TestLive } from "./CliHome.js"

const sample = fileURLToPath(new URL("../../../examples/sample.m3u", import.meta.url))
const CANARY = "CanaryPw-7c1e"

layer(TestLive, { timeout: "120 seconds" })("stalkeer catalogue commands", (it) => {
  it.effect("process then items --kind movie: the README's main job, with no database set up", () =>
    Effect.gen(function*() {
      const first = yield* ok("process", sample)
      assert.match(first.out, /examples\/sample\.m3u: 96 entries/)
      assert.match(first.out, /new\s+96/)
      const movies = yield* ok("items", "--kind", "movie", "--limit", "100")
      assert.include(movies.out, "Blade Runner 2049")
      assert.include(movies.out, "Se7en")
      assert.notInclude(movies.out, "Band of Brothers")
      const json = yield* ok("items", "--kind", "movie", "--search", "1917", "--json")
      const rows = json.out.split("\n").map((l) => JSON.parse(l))
      assert.strictEqual(rows.length, 1)
      assert.strictEqual(rows[0].title, "1917")
      assert.strictEqual(rows[0].year, 2019)
      assert.strictEqual(rows[0].url, "http://iptv.example.net:8080/movie/***/***/1013.mkv")
    }))

  it.effect("a second run of the same playlist changes nothing", () =>
    Effect.gen(function*() {
      const again = yield* ok("process", sample)
      assert.match(again.out, /unchanged\s+96/)
      assert.notMatch(again.out, /\bnew\b/)
      const runs = yield* ok("runs")
      assert.match(runs.out, /succeeded/)
      const stats = yield* ok("stats")
      assert.match(stats.out, /Catalogue: 96 entries/)
      assert.match(stats.out, /Last run: #\d+ succeeded/)
    }))

  it.effect("filters: add, list, refuse an invalid regex, remove", () =>
    Effect.gen(function*() {
      const added = yield* ok("filters", "add", "--exclude", "--field", "group", "^AR")
      assert.match(added.out, /Filter #(\d+): exclude entries whose group matches/)
      const id = /#(\d+)/.exec(added.out)![1]!
      const listed = yield* ok("filters", "list")
      assert.include(listed.out, "^AR")
      const bad = yield* cli("filters", "add", "(unclosed")
      assert.strictEqual(ExitCode.fromExit(bad.exit), 1)
      assert.include(bad.err, "(unclosed")
      yield* ok("filters", "remove", id)
      const after = yield* ok("filters", "list")
      assert.include(after.out, "No filters")
    }))

  it.effect("migrate is a no-op on a current schema", () =>
    Effect.gen(function*() {
      const r = yield* ok("migrate")
      assert.match(r.out, /Schema is up to date \(version \d+\)/)
    }))

  it.effect("no credential reaches the output: a canary password in every URL", () =>
    Effect.gen(function*() {
      const home = yield* Home
      const file = join(home.dir, "canary.m3u")
      const host = "http://canary.example:8080"
      writeFileSync(file, [
        `#EXTM3U url-tvg="${host}/xmltv.php?username=canaryuser&password=${CANARY}"`,
        `#EXTINF:-1 tvg-name="EN - Canary Movie (2021)" tvg-logo="${host}/images/canaryuser/${CANARY}/1.png" group-title="EN Movies",EN - Canary Movie (2021)`,
        `${host}/movie/canaryuser/${CANARY}/501.mkv`,
        `#EXTINF:-1 tvg-name="EN - Canary Show S01E01" group-title="EN Series",EN - Canary Show S01E01`,
        `${host}/series/canaryuser/${CANARY}/502.mp4?token=${CANARY}`,
        `#EXTINF:-1 tvg-name="Orphan" group-title="x",Orphan`,
        ""
      ].join("\n"))
      const outputs = [
        yield* ok("process", file, "--force"),
        yield* ok("items", "--search", "Canary", "--json"),
        yield* ok("items", "--search", "Canary"),
        yield* ok("stats"),
        yield* ok("runs"),
        yield* ok("dryrun", file, "--json"),
        yield* ok("dryrun", file)
      ]
      for (const o of outputs) {
        assert.notInclude(o.out, CANARY)
        assert.notInclude(o.err, CANARY)
      }
      assert.include(outputs[1]!.out, "Canary Movie")
    }))

  it.effect("config show masks secrets", () =>
    Effect.gen(function*() {
      const home = yield* Home
      const file = join(home.dir, "stalkeer.yml")
      writeFileSync(file, `provider:\n  base_url: http://panel.example\n  username: canaryuser\n  password: ${CANARY}\n`)
      const r = yield* ok("--config", file, "config", "show")
      assert.include(r.out, `password: "<redacted>"`)
      // The username is half of the credential.
      assert.include(r.out, `username: "<redacted>"`)
      assert.notInclude(r.out, CANARY)
      assert.notInclude(r.out, "canaryuser")
    }))

  it.effect("a wrong config value is one line naming the key", () =>
    Effect.gen(function*() {
      const home = yield* Home
      const file = join(home.dir, "bad.yml")
      writeFileSync(file, "provider:\n  max_connections: lots\n")
      const r = yield* cli("--config", file, "stats")
      assert.strictEqual(ExitCode.fromExit(r.exit), 1)
      assert.include(r.err, "provider.max_connections (STALKEER_PROVIDER_MAX_CONNECTIONS)")
    }))

  it.scoped("process --url downloads the provider's playlist from a server, then ingests it", () =>
    Effect.gen(function*() {
      const body = readFileSync(sample)
      const requests: Array<string> = []
      const base = yield* httpServer((req, res) => {
        requests.push(req.url ?? "")
        res.writeHead(200, { "content-type": "audio/x-mpegurl" }).end(body)
      })
      const url = `${base}/get.php?username=canaryuser&password=${CANARY}&type=m3u_plus&output=ts`
      const r = yield* ok("process", "--url", url)
      assert.strictEqual(requests.length, 1)
      assert.match(r.out, /playlist\.m3u: 96 entries/)
      assert.notInclude(r.out + r.err, CANARY)
      const runs = yield* ok("runs")
      assert.notInclude(runs.out, CANARY)
    }))
})
