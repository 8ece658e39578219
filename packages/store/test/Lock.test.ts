import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { spawn } from "node:child_process"
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as Database from "../src/Database.js"

const tempDir = Effect.acquireRelease(
  Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "stalkeer-lock-test-"))),
  (dir) => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))
)

/** Another live process, standing in for a `stalkeer process` that holds the database. */
const otherProcess = Effect.acquireRelease(
  Effect.sync(() => spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" })),
  (child) => Effect.sync(() => child.kill("SIGKILL"))
)

const open = (dataDir: string, owner?: string) =>
  Effect.scoped(Layer.build(Database.layerEmbedded({ dataDir, owner })))

describe("the embedded database's lock", () => {
  it.scoped("names who holds the database, with what command and since when", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const child = yield* otherProcess
      const since = new Date(Date.now() - 3 * 60_000)
      yield* Effect.promise(() =>
        NodeFs.writeFile(
          NodePath.join(dir, "stalkeer.lock"),
          JSON.stringify({ pid: child.pid, command: "stalkeer process", since: since.toISOString() })
        )
      )
      const error = yield* Effect.flip(open(dir))
      assert.strictEqual(error.reason, "Connection")
      assert.match(
        error.message,
        new RegExp(`in use by process ${child.pid} \\(stalkeer process\\) since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d, 3 min ago`)
      )
      assert.notInclude(error.message, "\n")
      // A lock written by an earlier version holds only the pid.
      yield* Effect.promise(() => NodeFs.writeFile(NodePath.join(dir, "stalkeer.lock"), String(child.pid)))
      assert.include((yield* Effect.flip(open(dir))).message, `in use by process ${child.pid};`)
    }))

  it.scoped("is taken over from a process that died, and records this one while open", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const lock = NodePath.join(dir, "stalkeer.lock")
      const dead = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" })
      yield* Effect.promise(() => new Promise((resolve) => dead.on("exit", resolve)))
      yield* Effect.promise(() => NodeFs.writeFile(lock, JSON.stringify({ pid: dead.pid, command: "stalkeer items" })))
      const recorded = yield* Effect.scoped(
        Effect.zipRight(
          Layer.build(Database.layerEmbedded({ dataDir: dir, owner: "stalkeer stats" })),
          Effect.promise(() => NodeFs.readFile(lock, "utf8"))
        )
      )
      const owner = JSON.parse(recorded)
      assert.strictEqual(owner.pid, process.pid)
      assert.strictEqual(owner.command, "stalkeer stats")
      assert.isTrue(Math.abs(Date.parse(owner.since) - Date.now()) < 120_000)
      // Released on close.
      assert.isFalse(yield* Effect.promise(() => NodeFs.access(lock).then(() => true, () => false)))
    }), { timeout: 120_000 })
})
