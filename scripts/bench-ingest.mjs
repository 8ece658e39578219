#!/usr/bin/env node
// Benchmark of `stalkeer process` (Ingest.run: parse → classify → filter → stage → merge) on the 200k corpus.
//
//   node scripts/bench-ingest.mjs [--runs 3] [--pglite-runs 1] [--no-pglite] [--pg postgres://postgres@127.0.0.1:5432/postgres]
//                                 [--node-flags "--max-old-space-size=160"]
//
// Build first: `npx tsup` in packages/m3u-parser, classifier, store and workflows (the workflows dist must export
// `Ingest`; STALKEER_BENCH_INGEST overrides the module path, for a build of src/Ingest.ts alone).
//
// Each measurement runs in its own child process; wall = spawn → exit (node start-up, module load, connect and
// migrations included), peak RSS = the child's process.resourceUsage().maxRSS. Median of --runs.
// PostgreSQL: per repetition a fresh database is created on --pg (default $DATABASE_URL or the local server) and
// dropped after; in it: first ingest, re-ingest of the same file, re-ingest of a derived file where every 20th entry
// is renamed and every (20k+10)th entry is removed (its expected counts are checked).
// Floor: psql's \copy of the same entries' (url, name, group) rows (prepared once as COPY text) into an unindexed
// table of a fresh database, timed spawn to exit, in each repetition next to the ingests (issue 17's yardstick).
// PGlite: first ingest into a fresh on-disk data directory through the embedded layer.
// The corpus (gen-playlist --entries 200000 --seed 1) is generated into $STALKEER_BENCH_DIR (default
// <tmpdir>/stalkeer-bench) when missing; the generator is $STALKEER_GEN_PLAYLIST or ../shared/bench/gen-playlist.mjs.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, "..")
const self = fileURLToPath(import.meta.url)
const distOf = (pkg) => pathToFileURL(path.join(repoRoot, "packages", pkg, "dist/index.js")).href

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
// V8 flags for the measured children, e.g. --node-flags "--max-old-space-size=160" (what the stalkeer bin sets).
const nodeFlags = (option("--node-flags", "") ?? "").split(/\s+/).filter(Boolean)

const loadIngest = async () => {
  const mod = await import(process.env.STALKEER_BENCH_INGEST ? pathToFileURL(process.env.STALKEER_BENCH_INGEST).href : distOf("workflows"))
  const Ingest = mod.Ingest ?? (typeof mod.run === "function" ? mod : undefined)
  if (!Ingest) throw new Error("the workflows build does not export Ingest (rebuild it, or set STALKEER_BENCH_INGEST)")
  return Ingest
}

const fileSource = async (file) => {
  const Stream = await import("effect/Stream")
  return Stream.fromAsyncIterable(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), (e) => e)
}

// ---- child: one measurement, one JSON line ----
if (args[0] === "--child") {
  const [, mode, target, file] = args
  const Effect = await import("effect/Effect")
  const Layer = await import("effect/Layer")
  const Redacted = await import("effect/Redacted")
  const { Database, Migrations } = await import(distOf("store"))
  const t0 = process.hrtime.bigint()
  let result
  {
    const Ingest = await loadIngest()
    const db = mode === "pglite"
      ? Database.layerEmbedded({ dataDir: target })
      : Database.layerPostgres({ url: Redacted.make(target) })
    const program = Effect.gen(function*() {
      const source = yield* Effect.promise(() => fileSource(file))
      return yield* Ingest.run({ source, sourceLabel: path.basename(file), provider: { name: "bench" }, graceDays: 7 })
    })
    const summary = await Effect.runPromise(
      program.pipe(Effect.provide(Migrations.layer.pipe(Layer.provideMerge(db))))
    )
    result = { counts: summary.counts, ingestSeconds: summary.durationMs / 1000 }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  process.stdout.write(JSON.stringify({ ...result, seconds, rssMB: process.resourceUsage().maxRSS / 1024 }) + "\n")
  process.exit(0)
}

// ---- parent ----
const runs = Number(option("--runs", "3"))
const pgliteRuns = args.includes("--no-pglite") ? 0 : Number(option("--pglite-runs", "1"))
const adminUrl = option("--pg", process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres")

for (const pkg of ["m3u-parser", "classifier", "store"]) {
  if (!fs.existsSync(path.join(repoRoot, "packages", pkg, "dist/index.js"))) {
    console.error(`No build of ${pkg}: run \`npx tsup\` in packages/${pkg} first.`)
    process.exit(1)
  }
}
await loadIngest()

const cacheDir = process.env.STALKEER_BENCH_DIR ?? path.join(os.tmpdir(), "stalkeer-bench")
const generator = process.env.STALKEER_GEN_PLAYLIST ?? path.resolve(repoRoot, "../shared/bench/gen-playlist.mjs")
const corpus = path.join(cacheDir, "seed1-200k.m3u")
if (!fs.existsSync(corpus)) {
  if (!fs.existsSync(generator)) throw new Error(`generator not found: ${generator} (set STALKEER_GEN_PLAYLIST)`)
  fs.mkdirSync(cacheDir, { recursive: true })
  console.error(`generating ${corpus} …`)
  execFileSync(process.execPath, [generator, "--entries", "200000", "--seed", "1", "--out", corpus + ".tmp"])
  fs.renameSync(corpus + ".tmp", corpus)
}

/** Every 20th entry renamed, every (20k+10)th removed; returns the expected counts against the original. */
const derive = (from, to) => {
  const lines = fs.readFileSync(from, "utf8").split("\n")
  const out = []
  let pending = []
  let entry = 0
  let changed = 0
  let removed = 0
  for (const line of lines) {
    const bare = line.replace(/\r$/, "")
    if (bare.startsWith("#EXTM3U")) {
      out.push(line)
    } else if (bare === "" || bare.startsWith("#")) {
      pending.push(line)
    } else {
      if (entry % 20 === 10) {
        removed++
      } else {
        if (entry % 20 === 0) {
          const i = pending.findLastIndex((l) => l.startsWith("#EXTINF"))
          if (i >= 0) {
            pending[i] = pending[i].replace(/(\r?)$/, " [bench]$1")
            changed++
          }
        }
        out.push(...pending, line)
      }
      pending = []
      entry++
    }
  }
  out.push(...pending)
  fs.writeFileSync(to, out.join("\n"))
  return { entries: entry, changed, removed }
}
const modified = path.join(cacheDir, "seed1-200k-modified.m3u")
const expected = derive(corpus, modified)

const child = (mode, target, file) => {
  const t0 = process.hrtime.bigint()
  const out = execFileSync(process.execPath, [...nodeFlags, self, "--child", mode, target, file], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    env: { ...process.env, NODE_OPTIONS: "" }
  })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  return { ...JSON.parse(out.trim().split("\n").pop()), wall }
}

const pg = await import("pg")
const admin = async (statement) => {
  const client = new pg.default.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
const withDatabase = async (f) => {
  const name = `stalkeer_bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  try {
    return await f(url.toString())
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name}`)
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const summarise = (results) => ({
  wall: median(results.map((r) => r.wall)),
  ingest: results[0].ingestSeconds === undefined ? undefined : median(results.map((r) => r.ingestSeconds)),
  rssMB: median(results.map((r) => r.rssMB)),
  counts: results[0].counts,
  rows: results[0].rows
})

console.log(`node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? "?"})`)
console.log(`corpus ${corpus} (${(fs.statSync(corpus).size / 1048576).toFixed(1)} MiB, ${expected.entries} entries)`)
console.log(`derived ${modified}: ${expected.changed} renamed, ${expected.removed} removed\n`)

// The floor: psql's \\copy of the corpus's (url, name, group) rows, prepared once as COPY text, into an unindexed
// table of a fresh database; wall = psql spawn to exit. Measured in each repetition next to the ingests.
const floorFile = path.join(cacheDir, "seed1-200k-floor.tsv")
if (!fs.existsSync(floorFile)) {
  const { parseM3u } = await import(pathToFileURL(path.join(repoRoot, "packages/m3u-parser/dist/Promise.js")).href)
  const text = (value) =>
    value === null || value === undefined
      ? "\\N"
      : value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))
  const lines = parseM3u(fs.readFileSync(corpus, "utf8")).entries.map((e) => `${text(e.url)}\t${text(e.name)}\t${text(e.groupTitle)}\n`)
  fs.writeFileSync(floorFile + ".tmp", lines.join(""))
  fs.renameSync(floorFile + ".tmp", floorFile)
}
const psql = (url, ...argv) => execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url, ...argv], { encoding: "utf8" })
const copyFloor = (url) => {
  psql(url, "-c", "CREATE TABLE bench_floor (url text, name text, group_title text)")
  const t0 = process.hrtime.bigint()
  psql(url, "-c", `\\copy bench_floor FROM '${floorFile}'`)
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const rows = Number(psql(url, "-At", "-c", "SELECT count(*) FROM bench_floor").trim())
  return { wall, rows, rssMB: NaN }
}

const phases = { first: [], same: [], modified: [] }
const floor = []
const problems = []
for (let i = 0; i < runs; i++) {
  floor.push(await withDatabase(async (url) => copyFloor(url)))
  await withDatabase(async (url) => {
    phases.first.push(child("ingest", url, corpus))
    phases.same.push(child("ingest", url, corpus))
    phases.modified.push(child("ingest", url, modified))
  })
}
const check = (label, counts, want) => {
  for (const [k, v] of Object.entries(want)) {
    if (counts[k] !== v) problems.push(`${label}: ${k} = ${counts[k]}, expected ${v}`)
  }
}
for (const r of phases.first) check("first", r.counts, { added: expected.entries, changed: 0, vanished: 0 })
for (const r of phases.same) check("same", r.counts, { added: 0, changed: 0, vanished: 0, unchanged: expected.entries })
for (const r of phases.modified) {
  check("modified", r.counts, {
    added: 0,
    changed: expected.changed,
    vanished: expected.removed,
    unchanged: expected.entries - expected.changed - expected.removed
  })
}
const pglite = []
for (let i = 0; i < pgliteRuns; i++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stalkeer-bench-pglite-"))
  try {
    pglite.push(child("pglite", path.join(dir, "data"), corpus))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const rows = [["measurement", "wall s", "in-process s", "peak RSS MB", "counts"]]
const fmt = (label, s, countsText) =>
  rows.push([label, s.wall.toFixed(2), s.ingest === undefined ? "-" : s.ingest.toFixed(2), Number.isNaN(s.rssMB) ? "-" : s.rssMB.toFixed(0), countsText])
const countsText = (c) =>
  `new ${c.added}, changed ${c.changed}, unchanged ${c.unchanged}, vanished ${c.vanished}, warnings ${c.warnings ?? c.malformed}`
const first = summarise(phases.first)
const floorS = summarise(floor)
fmt(`PostgreSQL first ingest (median of ${runs})`, first, countsText(first.counts))
fmt(`PostgreSQL re-ingest, unchanged`, summarise(phases.same), countsText(phases.same[0].counts))
fmt(`PostgreSQL re-ingest, 5 % changed + 5 % vanished`, summarise(phases.modified), countsText(phases.modified[0].counts))
fmt(`floor: psql \\copy of (url, name, group) (median of ${runs})`, floorS, `${floorS.rows} rows`)
if (pglite.length > 0) {
  const p = summarise(pglite)
  fmt(`PGlite (on disk) first ingest (${pglite.length} run${pglite.length > 1 ? "s" : ""})`, p, countsText(p.counts))
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)))
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, c) => (c === 0 || c === 4 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join("  "))
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "))
}
const same = summarise(phases.same)
console.log(`\nfirst ingest / COPY floor: ${(first.wall / floorS.wall).toFixed(2)}× (target ≤ 3×); re-ingest unchanged / floor: ${(same.wall / floorS.wall).toFixed(2)}× (target ≤ 2×)`)
if (pglite.length > 0) {
  console.log(`embedded first ingest / PostgreSQL first ingest: ${(summarise(pglite).wall / first.wall).toFixed(2)}× (target ≤ 2×)`)
}
if (problems.length > 0) {
  console.log(`\nCOUNT MISMATCHES:\n  ${problems.join("\n  ")}`)
  process.exit(1)
}
console.log("\nall counts as expected")
