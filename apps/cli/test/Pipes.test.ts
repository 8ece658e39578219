import { afterAll, assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url))

/** Spawns the built CLI and closes its stdout (and stderr) as soon as the first bytes arrive, as `| head -c1` would. */
const closeEarly = (args: ReadonlyArray<string>, closeStderr: boolean) =>
  new Promise<{ readonly code: number | null; readonly stderr: string; readonly received: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } })
    let stderr = ""
    let received = 0
    child.stdout.once("data", (chunk: Buffer) => {
      received = chunk.length
      child.stdout.destroy()
      if (closeStderr) child.stderr.destroy()
    })
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stderr, received }))
  })

describe.runIf(existsSync(bin))("stalkeer (built binary) writing into a pipe closed early", () => {
  const dir = mkdtempSync(join(tmpdir(), "stalkeer-pipes-"))
  // ~4 MB of JSON lines: far more than a pipe buffer, so the writer meets the closed pipe.
  const playlist = join(dir, "big.m3u")
  writeFileSync(playlist, [
    "#EXTM3U",
    ...Array.from({ length: 20_000 }, (_, i) => `#EXTINF:-1 group-title="Movies",Movie ${i} (2001)\nhttp://h.test/movie/u/p/${i}.mkv`)
  ].join("\n"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("ends quietly with exit 0 when stdout is closed", async () => {
    const r = await closeEarly(["dryrun", "--json", playlist], false)
    assert.isAbove(r.received, 0)
    assert.strictEqual(r.code, 0, r.stderr)
    assert.notMatch(r.stderr, /EPIPE|\n\s+at /)
  }, 60_000)

  it("ends quietly with exit 0 when stdout and stderr are both closed (2>&1 | head)", async () => {
    const r = await closeEarly(["dryrun", "--json", playlist], true)
    assert.strictEqual(r.code, 0)
  }, 60_000)

  it("help and text output too", async () => {
    for (const args of [["--help"], ["dryrun", playlist]]) {
      const r = await closeEarly(args, true)
      assert.strictEqual(r.code, 0, args.join(" "))
    }
  }, 60_000)
})
