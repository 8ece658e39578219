#!/usr/bin/env node
// Start-up benchmark of the built `stalkeer` binary: wall time from spawn to exit of short commands, median of N.
//
//   node scripts/bench-startup.mjs [--runs 7] [--bin apps/cli/dist/bin.js] [--bin other/bin.js ...]
//                                  [--data-dir DIR] [--pg postgres://postgres@127.0.0.1:5432/DB]
//                                  [--entries 150000] [--keep]
//
// Commands measured: `version`; `items --limit 20` and `stats` on the embedded database (a data directory holding a
// catalogue) and on PostgreSQL (a database holding one). Several --bin are measured side by side (e.g. a build of
// main against yours).
// The catalogue: --data-dir (an existing XDG_DATA_HOME with a filled embedded database) and --pg (a database that
// already holds one); without them a playlist of --entries (gen-playlist, seed 1) is generated into
// $STALKEER_BENCH_DIR (default <tmpdir>/stalkeer-bench) and ingested with the first --bin into a fresh data
// directory there and, when $DATABASE_URL or --pg-server is given, into a fresh database on that server (dropped
// at the end unless --keep).
// Each measurement is a child process spawned with the binary's own shebang flags (spawn → exit: node start-up,
// module load, config, connect, migrations check, query, render). The first run of each command is a warm-up
// (file cache) and is not counted.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, "..")
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const options = (name) => args.flatMap((a, i) => (a === name && args[i + 1] !== undefined ? [args[i + 1]] : []))

const runs = Number(option("--runs", "7"))
const bins = (options("--bin").length > 0 ? options("--bin") : ["apps/cli/dist/bin.js"]).map((b) => path.resolve(b))
const entries = Number(option("--entries", "150000"))
const keep = args.includes("--keep")
const benchDir = process.env.STALKEER_BENCH_DIR ?? path.join(os.tmpdir(), "stalkeer-bench")
const generator = process.env.STALKEER_GEN_PLAYLIST ?? path.resolve(repoRoot, "../shared/bench/gen-playlist.mjs")

/** The node flags of the binary's `#!/usr/bin/env -S node …` line, so children run as a user's would. */
const shebangFlags = (bin) => {
  const first = fs.readFileSync(bin, "utf8").split("\n", 1)[0]
  const match = /^#!.*\bnode\b(.*)$/.exec(first)
  return match ? match[1].trim().split(/\s+/).filter(Boolean) : []
}

const hasTime = fs.existsSync("/usr/bin/time")

/** One run: wall ms (spawn → exit) and, with GNU time, the child's CPU ms (user + system; steadier on a busy host). */
const run = (bin, argv, env) => {
  const command = [process.execPath, ...shebangFlags(bin), bin, ...argv]
  const started = process.hrtime.bigint()
  const r = hasTime
    ? spawnSync("/usr/bin/time", ["-f", "@@time %U %S", ...command], { env: environment(env), encoding: "utf8", maxBuffer: 64 << 20 })
    : spawnSync(command[0], command.slice(1), { env: environment(env), encoding: "utf8", maxBuffer: 64 << 20 })
  const wall = Number(process.hrtime.bigint() - started) / 1e6
  if (r.status !== 0) throw new Error(`${bin} ${argv.join(" ")} exited ${r.status}: ${r.stderr.trim()}`)
  const time = /@@time ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
  return { wall, cpu: time ? (Number(time[1]) + Number(time[2])) * 1000 : NaN }
}

/** The parent's environment with `env` applied; an undefined value removes the variable. */
const environment = (env) => {
  const out = { ...process.env }
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k]
    else out[k] = v
  }
  return out
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const psql = (url, statement) => {
  const admin = new URL(url)
  admin.pathname = "/postgres"
  const r = spawnSync("psql", [admin.toString(), "-v", "ON_ERROR_STOP=1", "-qc", statement], { encoding: "utf8" })
  if (r.status !== 0) throw new Error(`psql: ${r.stderr.trim()}`)
}

// ---- the catalogue ----
const cleanups = []
let dataDir = option("--data-dir")
let pgUrl = option("--pg")
const needsPlaylist = dataDir === undefined || (pgUrl === undefined && (option("--pg-server") ?? process.env.DATABASE_URL))
let playlist
if (needsPlaylist) {
  fs.mkdirSync(benchDir, { recursive: true })
  playlist = path.join(benchDir, `startup-${entries}.m3u`)
  if (!fs.existsSync(playlist)) {
    console.error(`generating ${playlist}`)
    spawnSync(process.execPath, [generator, "--entries", String(entries), "--seed", "1", "--out", playlist], { stdio: "inherit" })
  }
}
if (dataDir === undefined) {
  dataDir = fs.mkdtempSync(path.join(benchDir, "startup-data-"))
  if (!keep) cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }))
  console.error(`ingesting ${entries} entries into ${dataDir}`)
  run(bins[0], ["process", playlist], { XDG_DATA_HOME: dataDir, HOME: dataDir, DATABASE_URL: undefined, STALKEER_DATABASE_URL: undefined })
}
const server = option("--pg-server") ?? process.env.DATABASE_URL
if (pgUrl === undefined && server) {
  const url = new URL(server)
  url.pathname = `/stalkeer_startup_${Date.now().toString(36)}`
  pgUrl = url.toString()
  psql(server, `CREATE DATABASE ${url.pathname.slice(1)}`)
  if (!keep) cleanups.push(() => psql(server, `DROP DATABASE IF EXISTS ${url.pathname.slice(1)}`))
  console.error(`ingesting ${entries} entries into ${pgUrl}`)
  run(bins[0], ["process", playlist], { DATABASE_URL: pgUrl, XDG_DATA_HOME: dataDir, HOME: dataDir })
}

// ---- measurements ----
const embedded = { XDG_DATA_HOME: dataDir, HOME: dataDir, DATABASE_URL: undefined, STALKEER_DATABASE_URL: undefined }
const postgres = pgUrl === undefined ? undefined : { XDG_DATA_HOME: dataDir, HOME: dataDir, DATABASE_URL: pgUrl, STALKEER_DATABASE_URL: undefined }
const cases = [
  ["version", ["version"], embedded],
  ["items --limit 20 (embedded)", ["items", "--limit", "20"], embedded],
  ["stats (embedded)", ["stats"], embedded],
  ...(postgres === undefined
    ? []
    : [["items --limit 20 (PostgreSQL)", ["items", "--limit", "20"], postgres], ["stats (PostgreSQL)", ["stats"], postgres]])
]

try {
  const rows = []
  for (const [label, argv, env] of cases) {
    const cells = []
    for (const bin of bins) {
      run(bin, argv, env)
      const times = Array.from({ length: runs }, () => run(bin, argv, env))
      cells.push(`${fmt(median(times.map((t) => t.wall)))} (cpu ${fmt(median(times.map((t) => t.cpu)))})`)
    }
    rows.push([label, ...cells])
  }
  const header = ["command", ...bins.map((b) => path.relative(process.cwd(), b) || b)]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")
  console.log(`median wall time (and child CPU time) of ${runs} runs after one warm-up; node ${process.version}; load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cpus`)
  console.log(line(header))
  for (const r of rows) console.log(line(r))
} finally {
  for (const f of cleanups.reverse()) f()
}

function fmt(ms) {
  return Number.isNaN(ms) ? "?" : `${(ms / 1000).toFixed(2)} s`
}
