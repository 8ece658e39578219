import { assert, describe, it } from "@effect/vitest"
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url))

/** The built CLI with a private home on the embedded database (DATABASE_URL unset whatever the suite's backend). */
const run = (home: string, ...args: Array<string>) => {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, "data"), NO_COLOR: "1" }
  delete env.DATABASE_URL
  delete env.STALKEER_DATABASE_URL
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env })
}

describe.runIf(existsSync(bin))("stalkeer (built binary) on the embedded database", () => {
  it("creates a new database from the store's shipped template, also from the bundle", () => {
    const home = mkdtempSync(join(tmpdir(), "stalkeer-startup-"))
    try {
      const r = run(home, "--log-level", "debug", "migrate")
      assert.strictEqual(r.status, 0, r.stderr)
      assert.match(r.stderr, /Created the database cluster from the template .*pglite-template\.tar\.gz/)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  }, 120_000)

  it("while another process holds the database, says who and since when, in one line", async () => {
    const home = mkdtempSync(join(tmpdir(), "stalkeer-startup-"))
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" })
    try {
      const dataDir = join(home, "data", "stalkeer", "pglite")
      mkdirSync(dataDir, { recursive: true })
      const since = new Date(Date.now() - 90_000).toISOString()
      writeFileSync(join(dataDir, "stalkeer.lock"), JSON.stringify({ pid: holder.pid, command: "stalkeer process", since }))
      for (const command of [["stats"], ["items", "--limit", "20"]]) {
        const r = run(home, ...command)
        assert.strictEqual(r.status, 1, command.join(" "))
        const lines = r.stderr.trim().split("\n")
        assert.strictEqual(lines.length, 1, r.stderr)
        assert.match(lines[0]!, new RegExp(`^stalkeer: .*in use by process ${holder.pid} \\(stalkeer process\\) since [\\d-]+ [\\d:]+, 2 min ago`))
      }
    } finally {
      holder.kill("SIGKILL")
      rmSync(home, { recursive: true, force: true })
    }
  }, 120_000)
})
