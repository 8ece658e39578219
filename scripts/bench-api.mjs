#!/usr/bin/env node
// Load benchmark of the HTTP API (issue 16 §3 "Load"): closed-loop clients on the items list (filter + sort +
// pagination) over the 200k catalogue, PostgreSQL and the embedded database side by side in one run.
//
//   node scripts/bench-api.mjs [--pg postgres://postgres@127.0.0.1:5432/postgres] [--no-embedded]
//     [--clients 100] [--seconds 20] [--warmup 3] [--runs 1] [--seed 1] [--check-every 8]
//     [--server-flags "--cpu-prof --cpu-prof-dir=/tmp/prof"] [--keep]
//     [--data-dir DIR] [--pg-db URL]     # reuse a catalogue kept by --keep (no ingest)
//     [--fixed "kind=movie&year=2005&sortKey=title"]   # every request the same items query (a profiling aid)
//     [--think 0]                        # ms each client waits after an answer (0: the issue's closed loop)
//
// Build first: `npm run build` (at least packages/config, store, workflows, apps/api and apps/cli).
//
// Catalogue: the corpus (gen-playlist --entries 200000 --seed 1, generated into $STALKEER_BENCH_DIR, default
// <tmpdir>/stalkeer-bench, when missing) ingested with the built CLI (`apps/cli/dist/bin.js process FILE`, with its
// shebang's node flags) into a fresh HOME / XDG data directory (the embedded database) and, with --pg, into a
// scratch database created on that server and dropped at the end. No enrichment: items are unidentified.
// Server: this file in `--server` mode, a child process of its own run with plain `node` (the default heap, as
// `stalkeer serve` will run) plus --server-flags: `Settings.load({ env })` (HOME, XDG_DATA_HOME, DATABASE_URL,
// STALKEER_API_ADDRESS=127.0.0.1, STALKEER_API_PORT=<a free port>, STALKEER_API_KEY=<random>), `Database.layer` +
// `Migrations.layer` as the CLI opens its database, `Clients.layer` over undici, `Server.layer` from apps/api/dist.
// A fresh server child per measurement; it is ready when GET /ping answers.
// Load: in this process, --clients (100) closed-loop clients, each on its own keep-alive connection (an undici Pool
// with one connection per client), each sending its next request when the previous answer's body has been read.
// --warmup (3) s of the same load first, not counted; then --seconds (20): requests that start before the end count,
// rps = requests / (time until the last one answers). Each request is GET /api/v1/items with the key in X-Api-Key,
// taken in turn from a deterministic list (--seed) of what a UI sends: kind movie 45 % / series 40 % / none 15 %;
// a search 30 % (a whole title 60 %, one word of a title 40 %; titles sampled from the catalogue through the API
// before the first run); a year 20 %, a language 15 %, a resolution 12 %; sortKey title 40 % / added 25 % /
// year 20 % / resolution 15 %, ascending 65 %; page 1 40 %, else 2–20; pageSize 50 (100 one time in five).
// Every latency is recorded (request sent → body read). Errors: a status other than 200, or a network error.
// Correctness under load: every --check-every'th response is parsed and checked (records ≤ pageSize and as many as
// totalRecords and the page allow; the kind, year, language and resolution filters hold; records in the order asked
// for sortKey year, added and resolution); totalRecords of the same request are compared between the databases.
// Server: peak RSS = VmHWM of /proc/<pid>/status at the end of the measurement (warm-up and start-up included);
// CPU time (utime + stime from /proc) of the server child, of the PostgreSQL backends of the bench's database and
// their parallel workers (sampled every 50 ms) and of this load generator during the measured window, as cores busy
// and as CPU ms per request: the machine has 2 cores for all three, and with no think time the clients keep it
// saturated, so latency ≈ clients / throughput (Little's law) and the CPU per request is the steadier figure on a
// shared machine. The embedded database runs in the server's process (its CPU is in the server's). A breakdown by
// sort key (and search) follows the table.
// With --runs N > 1, each figure is the median of N; the databases alternate which goes first.
// Exit status 1 on any error, failed check or disagreement between the databases.
import { spawn, spawnSync } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "..")
const self = fileURLToPath(import.meta.url)
const dist = (dir) => pathToFileURL(path.join(root, dir, "dist/index.js")).href
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const flag = (name) => args.includes(name)

// =====================================================================================================================
// Parent
// =====================================================================================================================

async function main() {
  const clients = Number(option("--clients", "100"))
  const seconds = Number(option("--seconds", "20"))
  const warmup = Number(option("--warmup", "3"))
  const runs = Number(option("--runs", "1"))
  const seed = option("--seed", "1")
  const checkEvery = Number(option("--check-every", "8"))
  const serverFlags = (option("--server-flags", "") ?? "").split(/\s+/).filter(Boolean)
  const adminUrl = option("--pg", undefined)
  const keep = flag("--keep")
  const fixed = option("--fixed", undefined)
  const think = Number(option("--think", "0"))
  const embedded = !flag("--no-embedded")
  const log = (line) => process.stderr.write(`${line}\n`)
  const die = (message) => {
    log(`bench-api: ${message}`)
    process.exit(1)
  }

  for (const dir of ["packages/config", "packages/store", "packages/workflows", "apps/api"]) {
    if (!fs.existsSync(path.join(root, dir, "dist/index.js"))) die(`${dir}/dist is missing: run \`npm run build\` first`)
  }
  const cli = path.join(root, "apps/cli/dist/bin.js")
  if (!fs.existsSync(cli)) die("apps/cli/dist/bin.js is missing: run `npm run build` first")
  const { Pool } = await import("undici")

  // ---- the corpus ----
  const cacheDir = process.env.STALKEER_BENCH_DIR ?? path.join(os.tmpdir(), "stalkeer-bench")
  const generator = process.env.STALKEER_GEN_PLAYLIST ?? path.resolve(root, "../shared/bench/gen-playlist.mjs")
  const corpus = path.join(cacheDir, "seed1-200k.m3u")
  const needCorpus = (embedded && option("--data-dir") === undefined) || (adminUrl !== undefined && option("--pg-db") === undefined)
  if (needCorpus && !fs.existsSync(corpus)) {
    if (!fs.existsSync(generator)) die(`generator not found: ${generator} (set STALKEER_GEN_PLAYLIST)`)
    fs.mkdirSync(cacheDir, { recursive: true })
    log(`generating ${corpus} …`)
    spawnSync(process.execPath, [generator, "--entries", "200000", "--seed", "1", "--out", corpus + ".tmp"], { stdio: "inherit" })
    fs.renameSync(corpus + ".tmp", corpus)
  }

  /** The parent's environment without Stalkeer's variables, with `extra` applied (undefined removes). */
  const environment = (extra) => {
    const out = {}
    for (const [k, v] of Object.entries(process.env)) {
      if (!k.startsWith("STALKEER_") && k !== "DATABASE_URL" && k !== "NODE_OPTIONS") out[k] = v
    }
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete out[k]
      else out[k] = v
    }
    return out
  }
  /** HOME and the XDG directories all inside `home`: no user's config file or data is read. */
  const homeEnv = (home) => ({
    HOME: home,
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_CACHE_HOME: path.join(home, "cache")
  })
  const shebangFlags = (bin) => {
    const match = /^#!.*\bnode\b(.*)$/.exec(fs.readFileSync(bin, "utf8").split("\n", 1)[0])
    return match ? match[1].trim().split(/\s+/).filter(Boolean) : []
  }
  const ingest = (env, label) => {
    log(`ingesting the corpus into ${label} (stalkeer process) …`)
    const t0 = performance.now()
    const r = spawnSync(process.execPath, [...shebangFlags(cli), cli, "process", corpus], {
      env: environment(env),
      encoding: "utf8",
      maxBuffer: 64 << 20
    })
    if (r.status !== 0) die(`stalkeer process exited ${r.status}:\n${r.stderr.trim().split("\n").slice(-20).join("\n")}`)
    log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s: ${r.stdout.trim().split("\n").slice(-3).join(" | ")}`)
  }

  const pg = adminUrl === undefined ? undefined : (await import("pg")).default
  const admin = async (statement) => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      return await client.query(statement)
    } finally {
      await client.end()
    }
  }

  const cleanups = []
  const cleanup = async () => {
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()()
      } catch (e) {
        log(`cleanup: ${e.message}`)
      }
    }
  }
  process.on("SIGINT", () => {
    log("interrupted: cleaning up")
    cleanup().finally(() => process.exit(130))
  })

  // ---- the catalogues ----
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "stalkeer-bench-api-"))
  // Kept with --keep only when an embedded catalogue was ingested into it.
  cleanups.push(() => {
    if (!keep || !fs.existsSync(path.join(home, "embedded"))) fs.rmSync(home, { recursive: true, force: true })
  })
  const targets = []
  try {
    if (adminUrl !== undefined) {
      let url = option("--pg-db")
      if (url === undefined) {
        const name = `stalkeer_bench_api_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
        await admin(`CREATE DATABASE ${name}`)
        if (!keep) cleanups.push(() => admin(`DROP DATABASE IF EXISTS ${name}`))
        const u = new URL(adminUrl)
        u.pathname = `/${name}`
        url = u.toString()
        ingest({ ...homeEnv(home), DATABASE_URL: url }, `PostgreSQL (${name})`)
        if (keep) log(`kept: --pg-db ${url}`)
      }
      targets.push({ label: "PostgreSQL", env: { ...homeEnv(home), DATABASE_URL: url } })
    }
    if (embedded) {
      let dataHome = option("--data-dir")
      if (dataHome === undefined) {
        dataHome = path.join(home, "embedded")
        fs.mkdirSync(dataHome)
        ingest(homeEnv(dataHome), `the embedded database (${dataHome})`)
        if (keep) log(`kept: --data-dir ${dataHome}`)
      }
      targets.push({ label: "embedded (PGlite)", env: homeEnv(dataHome) })
    }
    if (targets.length === 0) die("nothing to measure: give --pg, or drop --no-embedded")

    const results = await measureAll({ targets, runs, clients, seconds, warmup, seed, checkEvery, serverFlags, fixed, think, Pool, log, environment })
    report({ results, targets, runs, clients, seconds, warmup, seed, serverFlags, fixed, think, corpus })
  } finally {
    await cleanup()
  }
}

// ---- the server child ----

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

const startServer = async ({ env, serverFlags, environment }) => {
  const port = await freePort()
  const key = crypto.randomBytes(16).toString("hex")
  const child = spawn(process.execPath, [...serverFlags, self, "--server"], {
    env: environment({ ...env, STALKEER_API_ADDRESS: "127.0.0.1", STALKEER_API_PORT: String(port), STALKEER_API_KEY: key }),
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  const keepTail = (b) => {
    output = (output + b.toString("utf8")).slice(-20000)
  }
  child.stdout.on("data", keepTail)
  child.stderr.on("data", keepTail)
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })))
  let dead = false
  exited.then(() => (dead = true))
  const origin = `http://127.0.0.1:${port}`
  const started = performance.now()
  for (;;) {
    if (dead) throw new Error(`the server exited before it answered:\n${output.trim().split("\n").slice(-20).join("\n")}`)
    if (performance.now() - started > 180_000) {
      child.kill("SIGKILL")
      throw new Error(`the server did not answer within 180 s:\n${output.slice(-3000)}`)
    }
    try {
      const r = await fetch(`${origin}/ping`)
      await r.arrayBuffer()
      if (r.status === 200) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    origin,
    key,
    pid: child.pid,
    startSeconds: (performance.now() - started) / 1000,
    output: () => output,
    stop: async () => {
      if (!dead) child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
      const exit = await exited
      clearTimeout(timer)
      return exit
    }
  }
}

// ---- /proc ----

const ticks = 100 // USER_HZ on Linux
const cpuSecondsOf = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / ticks // utime, stime
  } catch {
    return 0
  }
}

/**
 * CPU seconds the PostgreSQL processes of database `dbName` spend while it runs: its backends (their process title
 * names the database) and the parallel workers of those backends, sampled every 50 ms. A process first seen after
 * the start counts from zero; a parallel worker that ends loses at most its last 50 ms. Other databases on the same
 * server (other users of the machine) are not counted.
 */
const postgresSampler = (dbName) => {
  const seen = new Map() // "pid:starttime" → { base, last }
  const kinds = new Map() // "pid:starttime" → "ours" | "worker:<leader pid>" | "other"
  const leaders = new Set()
  let first = true
  const tick = () => {
    for (const name of fs.readdirSync("/proc")) {
      if (name.charCodeAt(0) > 57) continue
      let stat
      try {
        stat = fs.readFileSync(`/proc/${name}/stat`, "utf8")
      } catch {
        continue
      }
      const close = stat.lastIndexOf(")")
      if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue
      const fields = stat.slice(close + 2).split(" ")
      const key = `${name}:${fields[19]}`
      let kind = kinds.get(key)
      if (kind === undefined) {
        let cmd = ""
        try {
          cmd = fs.readFileSync(`/proc/${name}/cmdline`, "utf8")
        } catch {
          continue
        }
        const worker = /parallel worker for PID (\d+)/.exec(cmd)
        kind = cmd.includes(` ${dbName} `) ? "ours" : worker ? `worker:${worker[1]}` : "other"
        kinds.set(key, kind)
      }
      if (kind === "ours") leaders.add(name)
      else if (!(kind.startsWith("worker:") && leaders.has(kind.slice(7)))) continue
      const cpu = (Number(fields[11]) + Number(fields[12])) / ticks
      const entry = seen.get(key)
      if (entry === undefined) seen.set(key, { base: first ? cpu : 0, last: cpu })
      else entry.last = cpu
    }
    first = false
  }
  tick()
  const timer = setInterval(tick, 50)
  return {
    stop: () => {
      clearInterval(timer)
      tick()
      let total = 0
      for (const { base, last } of seen.values()) total += last - base
      return total
    }
  }
}

const statusKB = (pid, field) => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
  return m ? Number(m[1]) : NaN
}

// ---- the request mix ----

/** mulberry32 over a string seed: the same list of requests on every run and every database. */
const rng = (seedText) => {
  let a = 0
  for (const c of String(seedText)) a = (Math.imul(a ^ c.charCodeAt(0), 2654435761) + 1) >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Titles, years and languages of the catalogue: 8 pages of 500 spread over each kind, in id order. */
const sampleCatalogue = async (server) => {
  const get = async (query) => {
    const r = await fetch(`${server.origin}/api/v1/items?${new URLSearchParams(query)}`, { headers: { "x-api-key": server.key } })
    if (r.status !== 200) throw new Error(`sampling the catalogue: ${r.status} ${await r.text()}`)
    return r.json()
  }
  const sample = { movie: [], series: [] }
  for (const kind of ["movie", "series"]) {
    const first = await get({ kind, sortKey: "id", pageSize: "500", page: "1" })
    const pages = Math.max(1, Math.ceil(first.totalRecords / 500))
    for (let i = 0; i < 8; i++) {
      const page = 1 + Math.floor((i * pages) / 8)
      const body = page === 1 ? first : await get({ kind, sortKey: "id", pageSize: "500", page: String(page) })
      sample[kind].push(...body.records)
    }
  }
  return sample
}

const buildRequests = (sample, seedText, n = 8192) => {
  const random = rng(seedText)
  const pick = (xs) => xs[Math.floor(random() * xs.length)]
  const chance = (p) => random() < p
  const titled = { movie: sample.movie.filter((r) => r.title), series: sample.series.filter((r) => r.title) }
  const all = [...titled.movie, ...titled.series]
  const words = (title) => title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4 && !/^\d+$/.test(w))
  const requests = []
  for (let i = 0; i < n; i++) {
    const roll = random()
    const kind = roll < 0.45 ? "movie" : roll < 0.85 ? "series" : undefined
    const pool = kind === undefined ? all : titled[kind]
    const q = {}
    if (kind !== undefined) q.kind = kind
    if (chance(0.30)) {
      const title = pick(pool).title
      const ws = words(title)
      q.search = chance(0.6) || ws.length === 0 ? title : pick(ws)
    }
    if (chance(0.20)) {
      const withYear = pool.filter((r) => r.year !== null)
      if (withYear.length > 0) q.year = String(pick(withYear).year)
    }
    if (chance(0.15)) {
      const withLanguage = pool.filter((r) => r.language !== null)
      if (withLanguage.length > 0) q.language = pick(withLanguage).language
    }
    if (chance(0.12)) q.resolution = pick(["2160p", "1080p", "1080p", "720p", "720p", "480p"])
    const s = random()
    q.sortKey = s < 0.40 ? "title" : s < 0.65 ? "added" : s < 0.85 ? "year" : "resolution"
    q.sortDirection = chance(0.65) ? "ascending" : "descending"
    q.page = String(chance(0.4) ? 1 : 2 + Math.floor(random() * 19))
    q.pageSize = String(chance(0.2) ? 100 : 50)
    requests.push({ i, query: q, path: `/api/v1/items?${new URLSearchParams(q)}` })
  }
  return requests
}

/** What class of statement a request is, for the breakdown: its sort key and whether it searches. */
const shapeOf = (q) => `${q.sortKey}${q.search === undefined ? "" : " + search"}`

// ---- checks on a parsed page ----

const resolutionNumber = (r) => {
  if (r === null) return null
  const digits = r.replace(/\D/g, "")
  return digits === "" ? null : Number(digits)
}
/** `undefined` when the page is right, else what is wrong. */
const checkPage = (q, body) => {
  const page = Number(q.page), pageSize = Number(q.pageSize)
  if (!Array.isArray(body.records) || typeof body.totalRecords !== "number") return "not an ItemsPage"
  const records = body.records
  if (records.length > pageSize) return `${records.length} records for pageSize ${pageSize}`
  const expected = Math.max(0, Math.min(pageSize, body.totalRecords - (page - 1) * pageSize))
  if (records.length !== expected) return `${records.length} records, expected ${expected} (total ${body.totalRecords}, page ${page})`
  if (body.page !== page || body.pageSize !== pageSize) return `page/pageSize echoed as ${body.page}/${body.pageSize}`
  for (const r of records) {
    if (q.kind !== undefined && r.kind !== q.kind) return `kind ${r.kind} in a ${q.kind} listing`
    if (q.year !== undefined && r.year !== Number(q.year)) return `year ${r.year} in a year=${q.year} listing`
    if (q.language !== undefined && r.language !== q.language) return `language ${r.language} in a language=${q.language} listing`
    if (q.resolution !== undefined && r.resolution !== q.resolution) return `resolution ${r.resolution} in a ${q.resolution} listing`
  }
  const value = { year: (r) => r.year, added: (r) => r.firstSeenAt, resolution: (r) => resolutionNumber(r.resolution) }[q.sortKey]
  if (value !== undefined) {
    const sign = q.sortDirection === "descending" ? -1 : 1
    for (let k = 1; k < records.length; k++) {
      const a = value(records[k - 1]), b = value(records[k])
      if (a === null && b !== null) return `${q.sortKey} null before ${b} (nulls last)`
      if (a !== null && b !== null && sign * (a < b ? -1 : a > b ? 1 : 0) > 0) {
        return `${q.sortKey} ${a} before ${b} in a ${q.sortDirection} listing`
      }
    }
  }
  return undefined
}

// ---- the load ----

/** `clients` closed-loop clients for `seconds`; returns every latency and what went wrong. */
const load = async ({ server, requests, clients, seconds, checkEvery, think = 0, Pool, totals }) => {
  const pool = new Pool(server.origin, { connections: clients, pipelining: 1, keepAliveTimeout: 120_000, keepAliveMaxTimeout: 120_000 })
  const headers = { "x-api-key": server.key }
  const latencies = []
  const shapes = new Map()
  const statuses = new Map()
  const networkErrors = new Map()
  const checkFailures = []
  let checked = 0, bytes = 0, next = 0
  const t0 = performance.now()
  const end = t0 + seconds * 1000
  const client = async (k) => {
    // With a think time, the clients start spread over one think time rather than in one burst.
    if (think > 0) await new Promise((resolve) => setTimeout(resolve, (k * think) / clients))
    while (performance.now() < end) {
      const n = next++
      const request = requests[n % requests.length]
      const check = n % checkEvery === 0
      const started = performance.now()
      try {
        const { statusCode, body } = await pool.request({ path: request.path, method: "GET", headers })
        let text
        if (check || statusCode !== 200) {
          text = await body.text()
          bytes += Buffer.byteLength(text)
        } else {
          for await (const chunk of body) bytes += chunk.length
        }
        const ms = performance.now() - started
        latencies.push(ms)
        const shape = shapeOf(request.query)
        if (!shapes.has(shape)) shapes.set(shape, [])
        shapes.get(shape).push(ms)
        if (statusCode !== 200) {
          const k = `${statusCode} ${text.slice(0, 160)}`
          statuses.set(k, (statuses.get(k) ?? 0) + 1)
        } else if (check) {
          checked++
          const parsed = JSON.parse(text)
          const problem = checkPage(request.query, parsed)
          if (problem !== undefined && checkFailures.length < 20) checkFailures.push(`${request.path}: ${problem}`)
          else if (problem !== undefined) checkFailures.push(undefined)
          if (totals !== undefined) totals.set(request.i, parsed.totalRecords)
        }
      } catch (e) {
        latencies.push(performance.now() - started)
        const k = `${e.code ?? e.name}: ${e.message}`
        networkErrors.set(k, (networkErrors.get(k) ?? 0) + 1)
      }
      if (think > 0 && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, think))
    }
  }
  await Promise.all(Array.from({ length: clients }, (_, k) => client(k)))
  const elapsed = (performance.now() - t0) / 1000
  await pool.close()
  return { latencies, shapes, statuses, networkErrors, checkFailures, checked, bytes, elapsed }
}

const percentile = (sorted, p) => sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0)

async function measureAll({ targets, runs, clients, seconds, warmup, seed, checkEvery, serverFlags, fixed, think, Pool, log, environment }) {
  let requests
  const results = targets.map(() => [])
  const totals = targets.map(() => new Map())
  for (let run = 0; run < runs; run++) {
    // Alternate which database goes first, so that a noisy moment does not always fall on the same one.
    const order = targets.map((_, i) => i)
    if (run % 2 === 1) order.reverse()
    for (const t of order) {
      const target = targets[t]
      log(`run ${run + 1}/${runs}, ${target.label}: starting the server …`)
      const server = await startServer({ env: target.env, serverFlags, environment })
      try {
        log(`  listening on ${server.origin} after ${server.startSeconds.toFixed(1)} s (RSS ${(statusKB(server.pid, "VmRSS") / 1024).toFixed(0)} MB)`)
        if (requests === undefined && fixed !== undefined) {
          const query = Object.fromEntries(new URLSearchParams(fixed))
          query.page ??= "1"
          query.pageSize ??= "50"
          requests = [{ i: 0, query, path: `/api/v1/items?${new URLSearchParams(query)}` }]
          log(`  every request: ${requests[0].path}`)
        }
        if (requests === undefined) {
          const sample = await sampleCatalogue(server)
          requests = buildRequests(sample, seed)
          const digest = crypto.createHash("sha256").update(requests.map((r) => r.path).join("\n")).digest("hex").slice(0, 12)
          log(`  ${requests.length} requests from a sample of ${sample.movie.length} movies and ${sample.series.length} series (list ${digest})`)
        }
        if (warmup > 0) {
          log(`  warm-up ${warmup} s …`)
          await load({ server, requests, clients, seconds: warmup, checkEvery: 1e9, think, Pool })
        }
        log(`  load: ${clients} clients for ${seconds} s, load average ${os.loadavg()[0].toFixed(2)} …`)
        const dbUrl = target.env.DATABASE_URL
        const cpu0 = cpuSecondsOf(server.pid), self0 = process.cpuUsage()
        const pgCpu = dbUrl === undefined ? undefined : postgresSampler(new URL(dbUrl).pathname.slice(1))
        const r = await load({ server, requests, clients, seconds, checkEvery, think, Pool, totals: totals[t] })
        const serverCpu = cpuSecondsOf(server.pid) - cpu0, postgresCpu = pgCpu?.stop() ?? 0
        const selfCpu = process.cpuUsage(self0)
        const peakMB = statusKB(server.pid, "VmHWM") / 1024
        const sorted = Float64Array.from(r.latencies).sort()
        const errors = sum(r.statuses) + sum(r.networkErrors)
        const result = {
          requests: sorted.length,
          rps: sorted.length / r.elapsed,
          errors,
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p99: percentile(sorted, 99),
          max: sorted[sorted.length - 1],
          peakMB,
          serverCpu: serverCpu / r.elapsed,
          postgresCpu: postgresCpu / r.elapsed,
          loadCpu: (selfCpu.user + selfCpu.system) / 1e6 / r.elapsed,
          serverMsPerRequest: (1000 * serverCpu) / sorted.length,
          postgresMsPerRequest: (1000 * postgresCpu) / sorted.length,
          checked: r.checked,
          checkFailed: r.checkFailures.length,
          MBps: r.bytes / 1048576 / r.elapsed,
          shapes: Object.fromEntries([...r.shapes].map(([shape, ms]) => {
            const s = Float64Array.from(ms).sort()
            return [shape, { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99) }]
          }))
        }
        results[t].push(result)
        log(`  ${result.requests} requests, ${result.rps.toFixed(0)}/s, errors ${errors}, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(0)} ms, peak RSS ${peakMB.toFixed(0)} MB`)
        for (const [k, n] of [...r.statuses, ...r.networkErrors]) log(`  ERROR ×${n}: ${k}`)
        for (const f of r.checkFailures.filter(Boolean)) log(`  CHECK FAILED: ${f}`)
      } finally {
        const exit = await server.stop()
        if (exit.code !== 0 && exit.signal !== "SIGTERM") log(`  the server exited ${exit.code ?? exit.signal}:\n${server.output().slice(-2000)}`)
      }
    }
  }
  // The same request must count the same rows on both databases.
  if (targets.length === 2) {
    let same = 0, differ = 0
    const examples = []
    for (const [i, n] of totals[0]) {
      if (!totals[1].has(i)) continue
      if (totals[1].get(i) === n) same++
      else {
        differ++
        if (examples.length < 5) examples.push(`${requests[i].path}: ${n} vs ${totals[1].get(i)}`)
      }
    }
    results.totalsAgree = { same, differ, examples }
  }
  return results
}

function report({ results, targets, runs, clients, seconds, warmup, seed, serverFlags, fixed, think, corpus }) {
  const fmt = (n, digits = 1) => Number.isNaN(n) ? "–" : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
  const of = (rs, key) => median(rs.map((r) => r[key]))
  console.log(`\nnode ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`)
  console.log(`catalogue: ${path.basename(corpus)} ingested by stalkeer process; ${clients} closed-loop clients${think > 0 ? ` (${think} ms think time)` : ""}, ${warmup} s warm-up, ${seconds} s measured, ${fixed === undefined ? `seed ${seed}` : `every request ${fixed}`}${runs > 1 ? `, median of ${runs} runs` : ""}${serverFlags.length > 0 ? `; server flags ${serverFlags.join(" ")}` : ""}\n`)
  console.log("| database | requests | req/s | errors | p50 ms | p90 ms | p99 ms | max ms | server peak RSS MB | CPU ms per request: server / postgres | cores busy: server / postgres / load generator | pages checked (failed) |")
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |")
  for (const [t, target] of targets.entries()) {
    const rs = results[t]
    const pgCell = (key, digits) => target.label === "PostgreSQL" ? fmt(of(rs, key), digits) : "–"
    console.log(`| ${target.label} | ${fmt(of(rs, "requests"), 0)} | ${fmt(of(rs, "rps"), 0)} | ${fmt(of(rs, "errors"), 0)} | ${fmt(of(rs, "p50"))} | ${fmt(of(rs, "p90"))} | **${fmt(of(rs, "p99"))}** | ${fmt(of(rs, "max"), 0)} | ${fmt(of(rs, "peakMB"), 0)} | ${fmt(of(rs, "serverMsPerRequest"))} / ${pgCell("postgresMsPerRequest", 1)} | ${fmt(of(rs, "serverCpu"), 2)} / ${pgCell("postgresCpu", 2)} / ${fmt(of(rs, "loadCpu"), 2)} | ${fmt(of(rs, "checked"), 0)} (${fmt(of(rs, "checkFailed"), 0)}) |`)
  }
  if (results.totalsAgree !== undefined) {
    const a = results.totalsAgree
    console.log(`\ntotalRecords of the same request on both databases: ${a.same} equal, ${a.differ} different${a.examples.length > 0 ? `\n  ${a.examples.join("\n  ")}` : ""}`)
  }
  console.log("\nby sort key (and search), last run: requests, p50 / p99 ms")
  const shapes = [...new Set(targets.flatMap((_, t) => Object.keys(results[t].at(-1).shapes)))].sort()
  console.log(`| shape | ${targets.map((t) => t.label).join(" | ")} |`)
  console.log(`| --- | ${targets.map(() => "---:").join(" | ")} |`)
  for (const shape of shapes) {
    console.log(`| ${shape} | ${targets.map((_, t) => {
      const s = results[t].at(-1).shapes[shape]
      return s === undefined ? "–" : `${s.n}: ${fmt(s.p50)} / ${fmt(s.p99)}`
    }).join(" | ")} |`)
  }
  const keys = ["requests", "rps", "errors", "p50", "p90", "p99", "max", "peakMB", "serverCpu", "postgresCpu", "loadCpu", "serverMsPerRequest", "postgresMsPerRequest", "checked", "checkFailed", "MBps"]
  const json = {
    bench: "api-items-load",
    node: process.version,
    clients,
    seconds,
    warmup,
    runs,
    seed,
    fixed,
    think,
    serverFlags,
    totalsAgree: results.totalsAgree,
    databases: Object.fromEntries(targets.map((target, t) => [target.label, {
      median: Object.fromEntries(keys.map((k) => [k, of(results[t], k)])),
      runs: results[t].map(({ shapes, ...rest }) => rest)
    }]))
  }
  console.log(`\n${JSON.stringify(json)}`)
  const failed = targets.some((_, t) => results[t].some((r) => r.errors > 0 || r.checkFailed > 0)) || (results.totalsAgree?.differ ?? 0) > 0
  if (failed) {
    console.log("\nERRORS OR FAILED CHECKS: see above")
    process.exitCode = 1
  }
}

// =====================================================================================================================
// Child: the API server over the configured database, until SIGTERM
// =====================================================================================================================

async function serve() {
  const Effect = await import("effect/Effect")
  const Layer = await import("effect/Layer")
  const Option = await import("effect/Option")
  const NodeRuntime = await import("@effect/platform-node/NodeRuntime")
  const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
  const NodeContext = await import("@effect/platform-node/NodeContext")
  const { Settings } = await import(dist("packages/config"))
  const { Database, Migrations } = await import(dist("packages/store"))
  const { Clients } = await import(dist("packages/workflows"))
  const { Server } = await import(dist("apps/api"))
  const program = Effect.gen(function*() {
    const settings = yield* Settings.load({ env: process.env })
    const key = Option.getOrThrowWith(settings.api.key, () => new Error("STALKEER_API_KEY is not set"))
    const database = Migrations.layer.pipe(Layer.provideMerge(Database.layer({
      url: Option.getOrUndefined(settings.database.url),
      dataDir: settings.paths.embeddedDatabase,
      owner: "serve"
    })))
    return yield* Layer.launch(
      Server.layer({ settings, key }).pipe(
        Layer.provide(Clients.layer(settings)),
        Layer.provide(NodeHttpClient.layerUndici),
        Layer.provide(database)
      )
    )
  })
  // SIGTERM interrupts the program: the database closes (the embedded one releases its lock) and the process exits
  // normally, so a --cpu-prof profile is written.
  NodeRuntime.runMain(program.pipe(Effect.provide(NodeContext.layer)))
}

if (args[0] === "--server") await serve()
else await main()
