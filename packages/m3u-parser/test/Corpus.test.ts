import { assert, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { parseM3u, streamM3u } from "../src/Promise.js"
import type { M3uWarning, PlaylistEntry } from "../src/Promise.js"

// The shared generator lives next to the repository: <repo>/../shared/bench/gen-playlist.mjs.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const generator = process.env.STALKEER_GEN_PLAYLIST ?? path.resolve(repoRoot, "../shared/bench/gen-playlist.mjs")
const available = fs.existsSync(generator)
if (!available) console.warn(`Corpus test skipped: generator not found at ${generator} (set STALKEER_GEN_PLAYLIST)`)

interface Truth {
  readonly line: number
  readonly url: string | null
  readonly tvg_name: string | null
  readonly display?: string
  readonly malformed: null | "no_url" | "orphan_url" | "unterminated_quote"
}

const expectedWarning = { no_url: "NoUrl", orphan_url: "OrphanUrl", unterminated_quote: "UnterminatedQuote" } as const

describe.skipIf(!available)("generated corpus (5000 entries, seed 7)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m3u-parser-corpus-"))
  const file = path.join(dir, "seed7.m3u")
  const truthFile = path.join(dir, "seed7.truth.jsonl")
  let truth: ReadonlyArray<Truth> = []
  let lines: ReadonlyArray<string> = []

  const check = (entries: ReadonlyArray<PlaylistEntry>, warnings: ReadonlyArray<M3uWarning>) => {
    const byUrl = new Map(entries.map((e) => [e.url, e]))
    let wellFormed = 0
    let malformed = 0
    for (const t of truth) {
      if (t.malformed !== null) {
        malformed++
        const reported = warnings.some((w) => w.line === t.line && w.kind === expectedWarning[t.malformed!])
        assert.isTrue(reported, `${t.malformed} at line ${t.line} not reported`)
        continue
      }
      wellFormed++
      const e = byUrl.get(t.url!)
      assert.isDefined(e, `entry ${t.url} missing`)
      assert.strictEqual(e!.tvgName, t.tvg_name, `tvg-name at line ${t.line}`)
      // The truth has no group column: the group is what the raw #EXTINF line says.
      const group = /group-title="([^"]*)"/.exec(lines[t.line - 1]!)?.[1] ?? null
      assert.strictEqual(e!.groupTitle, group, `group-title at line ${t.line}`)
      assert.strictEqual(e!.name, (t.display ?? t.tvg_name ?? "").trim(), `display name at line ${t.line}`)
      assert.strictEqual(e!.line, t.line)
    }
    assert.isAbove(wellFormed, 4900)
    assert.isAbove(malformed, 0)
  }

  it("generates the corpus", () => {
    execFileSync(process.execPath, [generator, "--entries", "5000", "--seed", "7", "--out", file, "--truth", truthFile])
    truth = fs.readFileSync(truthFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Truth)
    lines = fs.readFileSync(file, "utf8").split(/\r\n|\n|\r/)
    assert.strictEqual(truth.length, 5000)
  })

  it("streamM3u from the file matches the truth", async () => {
    const entries: Array<PlaylistEntry> = []
    const warnings: Array<M3uWarning> = []
    for await (const e of streamM3u(fs.createReadStream(file), { onWarning: (w) => warnings.push(w) })) entries.push(e)
    check(entries, warnings)
  })

  it("parseM3u matches the truth", () => {
    const { entries, warnings } = parseM3u(fs.readFileSync(file, "utf8"))
    check(entries, warnings)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
