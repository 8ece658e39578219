import { assert, layer } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as ExitCode from "../src/ExitCode.js"
import { cli, httpServer, ok, TestLive } from "./CliHome.js"

const sample = readFileSync(fileURLToPath(new URL("../../../examples/sample.m3u", import.meta.url)))

layer(TestLive, { timeout: "60 seconds", excludeTestServices: true })("stalkeer process --url", (it) => {
  it.scoped("downloads before opening the database: a slow provider never locks the catalogue", () =>
    Effect.gen(function*() {
      yield* ok("migrate")
      const requested = yield* Deferred.make<void>()
      let release = () => {}
      const released = new Promise<void>((resolve) => release = resolve)
      const base = yield* httpServer((_req, res) => {
        res.writeHead(200, { "content-type": "audio/x-mpegurl" })
        res.write(sample.subarray(0, 200))
        Deferred.unsafeDone(requested, Exit.void)
        // The rest of the playlist only once the test has used the database meanwhile.
        void released.then(() => res.end(sample.subarray(200)))
      })
      const processing = yield* Effect.fork(ok("process", "--url", `${base}/get.php?username=u&password=p`))
      yield* Deferred.await(requested)
      const stats = yield* cli("stats")
      assert.isTrue(Exit.isSuccess(stats.exit), stats.err)
      release()
      const done = yield* Fiber.join(processing)
      assert.match(done.out, /96 entries/)
    }))

  it.scoped("an unsupported scheme fails at once with one line", () =>
    Effect.gen(function*() {
      const r = yield* cli("process", "--url", "ftp://user:secretpw@host/playlist.m3u")
      assert.strictEqual(ExitCode.fromExit(r.exit), 1)
      assert.include(r.err, "unsupported URL scheme \"ftp:\"")
      assert.notInclude(r.err, "secretpw")
    }))
})
