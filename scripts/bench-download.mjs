#!/usr/bin/env node
// Benchmark of downloads (issue 15 §4): throughput against curl, memory of a long download, and the latency of
// claiming jobs from the durable queue on PostgreSQL.
//
//   node scripts/bench-download.mjs [--runs 3] [--pg postgres://postgres@127.0.0.1:5432/postgres] [--skip-5g] [--dir /dev/shm]
//     [--claims-only] [--library-heap]
//     [--workers 8] [--jobs 2000] [--node-flags "--cpu-prof --cpu-prof-dir=/tmp/prof"]
//
// Build first: `npm run build` (at least packages/downloader and packages/store).
//
// Throughput: the fake Xtream provider (`@stalkeer/downloader/testing`) serves a 1 GiB file on 127.0.0.1 from this
// process; each run downloads it once with Stalkeer — `Download.run` + `Download.publish` in a child process of its
// own (`node --max-old-space-size=160`, the HTTP client and file system the CLI uses), as the worker does — and once
// with `curl -s -o FILE URL`, alternating which goes first, both under `/usr/bin/time -f "%e %M"` (wall, peak RSS).
// Files go to a temporary directory on the same disk and are deleted after each run; the first Stalkeer file's
// SHA-256 is compared with the fake's. Medians of --runs (default 3). Stalkeer fsyncs (every 64 MiB and before the
// publish) where curl does not: that is part of what is measured. The child also reports the time of the transfer
// alone (without Node's start-up and module loading).
// Memory: the same child downloads a 5 GiB file once (--skip-5g skips it): peak RSS.
// Claim latency (--pg): a scratch database (created and dropped here, migrated by the store's `Migrations`), one
// provider, --jobs (2,000) queued downloads; then --workers (8) child processes, each with its own connection, loop
// `Downloads.claim` → `Downloads.complete` until the queue is empty, timing every claim. Checked: every job was
// completed exactly once (by one worker, one attempt).
import { spawn } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "..")
const self = fileURLToPath(import.meta.url)
const dist = (pkg, file = "index.js") => path.join(root, "packages", pkg, "dist", file)
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const flag = (name) => args.includes(name)

// =====================================================================================================================
// Children (this same file, another mode)
// =====================================================================================================================

/** One download as the worker runs it: `Download.run` then `Download.publish`; prints its timings as JSON. */
const childDownload = async ([url, partial, target]) => {
  const started = performance.now()
  // Where the peak RSS goes: the largest V8 heap and ArrayBuffer figures seen, sampled every 100 ms.
  const peak = { heapUsed: 0, heapTotal: 0, arrayBuffers: 0, external: 0 }
  const sample = () => {
    const m = process.memoryUsage()
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k])
  }
  const sampler = setInterval(sample, 100)
  const Effect = await import("effect/Effect")
  const Layer = await import("effect/Layer")
  const Redacted = await import("effect/Redacted")
  const NodeContext = await import("@effect/platform-node/NodeContext")
  const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
  const { Download } = await import(pathToFileURL(dist("downloader")).href)
  const loaded = performance.now()
  const outcome = await Effect.runPromise(Effect.gen(function*() {
    const out = yield* Download.run({ url: Redacted.make(url), partial, extension: "mkv" })
    yield* Download.publish(partial, target)
    return out
  }).pipe(Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici))))
  const done = performance.now()
  clearInterval(sampler)
  sample()
  process.stdout.write(JSON.stringify({
    peakMB: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 1048576)])),
    bytes: outcome.state.durable,
    // From the process' start (performance.timeOrigin) to the imports done; then the transfer and the publish.
    startupSeconds: loaded / 1000,
    transferSeconds: (done - loaded) / 1000,
    sinceScriptSeconds: (done - started) / 1000
  }) + "\n")
}

/** A queue worker: connects, says `ready`, waits for `go`, claims and completes until the queue is empty. */
const childClaim = async ([url, owner]) => {
  const Effect = await import("effect/Effect")
  const Option = await import("effect/Option")
  const Redacted = await import("effect/Redacted")
  const SqlClient = await import("@effect/sql/SqlClient")
  const { Database, Downloads } = await import(pathToFileURL(dist("store")).href)
  const lines = readline.createInterface({ input: process.stdin })
  const go = new Promise((resolve) => lines.on("line", (l) => l.trim() === "go" && resolve()))
  const result = await Effect.runPromise(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`SELECT 1`
    process.stdout.write("ready\n")
    yield* Effect.promise(() => go)
    const claims = [], completes = [], ids = [], fenced = []
    let empty = 0
    while (true) {
      const t0 = process.hrtime.bigint()
      const lease = yield* Downloads.claim({ owner, leaseFor: "10 minutes" })
      const t1 = process.hrtime.bigint()
      claims.push(Number(t1 - t0) / 1e6)
      if (Option.isNone(lease)) {
        empty++
        // Nothing due for this claim; stop only when nothing is left to claim at all (not just locked by another).
        const counts = yield* Downloads.counts
        if (counts.queued + counts["retry-wait"] === 0) break
        continue
      }
      const t2 = process.hrtime.bigint()
      const ok = yield* Downloads.complete(lease.value)
      completes.push(Number(process.hrtime.bigint() - t2) / 1e6)
      ids.push(lease.value.download.id)
      if (!ok) fenced.push(lease.value.download.id)
    }
    return { claims, completes, ids, fenced, empty }
  }).pipe(Effect.provide(Database.layerPostgres({ url: Redacted.make(url), maxConnections: 1 }))))
  lines.close()
  process.stdout.write(JSON.stringify(result) + "\n")
}

if (args[0] === "--child-download") {
  await childDownload(args.slice(1))
  process.exit(0)
}
if (args[0] === "--child-claim") {
  await childClaim(args.slice(1))
  process.exit(0)
}

// =====================================================================================================================
// The bench
// =====================================================================================================================

const runs = Number(option("--runs", "3"))
const pgUrl = option("--pg", undefined)
const skip5g = flag("--skip-5g")
const workers = Number(option("--workers", "8"))
const jobs = Number(option("--jobs", "2000"))
// The downloader's heap limit, as the CLI's; --node-flags adds more (e.g. a CPU profile of each download).
// `--library-heap`: Node's default heap instead, as a program importing `@stalkeer/downloader` runs (under the CLI's
// 160 MB old space V8 collects far more often: see BENCHMARKS.md §9).
const HEAP = [
  ...(flag("--library-heap") ? [] : ["--max-old-space-size=160"]),
  ...(option("--node-flags", "") ?? "").split(" ").filter(Boolean)
]
const GiB = 1024 ** 3

const die = (message) => {
  process.stderr.write(`bench-download: ${message}\n`)
  process.exit(1)
}
for (const [pkg, file] of [["downloader", "index.js"], ["downloader", "Testing.js"], ["store", "index.js"]]) {
  if (!fs.existsSync(dist(pkg, file))) die(`packages/${pkg}/dist/${file} is missing: build it first (cd packages/${pkg} && npm run build, or npm run build)`)
}
const newest = (dir) => {
  let t = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs)
  }
  return t
}
for (const pkg of ["downloader", "store"]) {
  if (newest(path.join(root, "packages", pkg, "src")) > fs.statSync(dist(pkg)).mtimeMs) {
    process.stderr.write(`bench-download: warning: packages/${pkg}/dist is older than its sources (cd packages/${pkg} && npm run build)\n`)
  }
}
const hasTime = fs.existsSync("/usr/bin/time")
if (!hasTime) die("/usr/bin/time is needed (peak RSS of each child)")
const curlPath = ["/usr/bin/curl", "/usr/local/bin/curl"].find((p) => fs.existsSync(p))
if (curlPath === undefined) die("curl is needed for the throughput reference")

const Effect = await import("effect/Effect")
const Layer = await import("effect/Layer")
const Redacted = await import("effect/Redacted")
const SqlClient = await import("@effect/sql/SqlClient")
const { FakeProvider } = await import(pathToFileURL(dist("downloader", "Testing.js")).href)
const { Database, Migrations, Providers, Downloads } = await import(pathToFileURL(dist("store")).href)

// Where the files go: a disk by default; `--dir /dev/shm` measures the transfer without the disk.
const tmp = fs.mkdtempSync(path.join(option("--dir", os.tmpdir()), "stalkeer-bench-download-"))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
/** Nearest-rank percentile. */
const percentile = (sorted, p) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
const MBps = (bytes, seconds) => bytes / 1048576 / seconds
const fmt = (n, digits = 1) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
const log = (line) => process.stderr.write(`${line}\n`)
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(" ")

/** Runs `argv` under /usr/bin/time; resolves with exit code, stdout, stderr, wall (s, from time) and peak RSS (MB). */
const timed = (argv) =>
  new Promise((resolve, reject) => {
    const timeFile = path.join(tmp, `time-${process.hrtime.bigint()}`)
    const started = process.hrtime.bigint()
    const child = spawn("/usr/bin/time", ["-f", "%e %M", "-o", timeFile, ...argv], { stdio: ["ignore", "pipe", "pipe"] })
    const out = [], err = []
    child.stdout.on("data", (b) => out.push(b))
    child.stderr.on("data", (b) => err.push(b))
    child.on("error", reject)
    child.on("close", (code) => {
      const measured = Number(process.hrtime.bigint() - started) / 1e9
      const [wall, rssKb] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ").map(Number)
      fs.rmSync(timeFile, { force: true })
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), wall, measured, rssMB: rssKb / 1024 })
    })
  })

const sha256File = (file) =>
  new Promise((resolve, reject) => {
    const hash = crypto.createHash("sha256")
    fs.createReadStream(file, { highWaterMark: 1 << 20 }).on("data", (b) => hash.update(b)).on("error", reject).on("end", () => resolve(hash.digest("hex")))
  })

let downloads = 0
/** Stalkeer's download of `url` in its own child; checks the size; `keep` leaves the file for a hash. */
const stalkeer = async (url, size, keep = false) => {
  const dir = path.join(tmp, `stalkeer-${++downloads}`)
  fs.mkdirSync(dir)
  const partial = path.join(dir, ".stalkeer-1.part"), target = path.join(dir, "Movie (2024).mkv")
  try {
    const r = await timed([process.execPath, ...HEAP, self, "--child-download", url, partial, target])
    if (r.code !== 0) throw new Error(`the downloader child exited ${r.code}:\n${r.stderr.trim().split("\n").slice(-15).join("\n")}`)
    const report = JSON.parse(r.stdout.trim().split("\n").pop())
    const onDisk = fs.statSync(target).size
    if (onDisk !== size || report.bytes !== size) throw new Error(`Stalkeer wrote ${onDisk} bytes (reported ${report.bytes}), not ${size}`)
    if (fs.existsSync(partial)) throw new Error("the partial file is still there after the publish")
    return { ...r, report, file: target, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }), keep }
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true })
  }
}
/** curl's download; with `durable`, then `sync FILE` (an fsync): the guarantee Stalkeer gives before publishing. */
const curl = async (url, size, durable = false) => {
  const file = path.join(tmp, `curl-${++downloads}.mkv`)
  try {
    const r = await timed(durable ? ["sh", "-c", `"$0" -s -o "$1" "$2" && sync "$1"`, curlPath, file, url] : [curlPath, "-s", "-o", file, url])
    if (r.code !== 0) throw new Error(`curl exited ${r.code}: ${r.stderr.trim()}`)
    const onDisk = fs.statSync(file).size
    if (onDisk !== size) throw new Error(`curl wrote ${onDisk} bytes, not ${size}`)
    return r
  } finally {
    fs.rmSync(file, { force: true })
  }
}

// =====================================================================================================================
// 1. Throughput and 2. memory
// =====================================================================================================================
const transfers = async () => {
  const streams = [{ id: 1, kind: "movie", ext: "mkv", size: GiB }]
  if (!skip5g) streams.push({ id: 2, kind: "movie", ext: "mkv", size: 5 * GiB })
  return Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const server = yield* FakeProvider.make({ streams })
    const url = server.url(1)
    const expected = yield* server.sha256(1)
    return yield* Effect.promise(async () => {
      const ours = [], theirs = [], synced = []
      let sha = "not checked"
      const who3 = ["stalkeer", "curl", "curl+sync"]
      for (let i = 0; i < runs; i++) {
        // Each goes first in turn.
        const order = [...who3.slice(i % 3), ...who3.slice(0, i % 3)]
        for (const who of order) {
          if (who === "stalkeer") {
            const r = await stalkeer(url, GiB, i === 0)
            if (i === 0) {
              const got = await sha256File(r.file)
              r.cleanup()
              if (got !== expected) throw new Error(`SHA-256 of Stalkeer's file ${got} is not the fake's ${expected}`)
              sha = "matches the fake's"
            }
            ours.push(r)
            log(`run ${i + 1} stalkeer: ${r.wall.toFixed(2)} s (transfer ${r.report.transferSeconds.toFixed(2)} s after ${r.report.startupSeconds.toFixed(2)} s start-up), ${MBps(GiB, r.wall).toFixed(0)} MB/s, ${r.rssMB.toFixed(0)} MB RSS (peaks: ${JSON.stringify(r.report.peakMB)}); load ${loadavg()}`)
          } else {
            const durable = who === "curl+sync"
            const r = await curl(url, GiB, durable)
            ;(durable ? synced : theirs).push(r)
            log(`run ${i + 1} ${who}: ${r.wall.toFixed(2)} s, ${MBps(GiB, r.wall).toFixed(0)} MB/s, ${r.rssMB.toFixed(0)} MB RSS`)
          }
        }
      }
      let big
      if (!skip5g) {
        big = await stalkeer(server.url(2), 5 * GiB)
        log(`5 GiB stalkeer: ${big.wall.toFixed(2)} s, ${MBps(5 * GiB, big.wall).toFixed(0)} MB/s, ${big.rssMB.toFixed(0)} MB RSS (peaks: ${JSON.stringify(big.report.peakMB)})`)
      }
      return { ours, theirs, synced, sha, big }
    })
  })))
}

// =====================================================================================================================
// 3. Claim latency
// =====================================================================================================================
const spawnWorker = (url, owner) => {
  const child = spawn(process.execPath, [self, "--child-claim", url, owner], { stdio: ["pipe", "pipe", "pipe"] })
  const out = [], err = []
  let onReady
  const ready = new Promise((resolve, reject) => {
    onReady = resolve
    child.on("error", reject)
  })
  let seen = ""
  child.stdout.on("data", (b) => {
    out.push(b)
    seen += b.toString("utf8")
    if (seen.startsWith("ready\n")) onReady()
  })
  child.stderr.on("data", (b) => err.push(b))
  const done = new Promise((resolve, reject) => {
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`worker ${owner} exited ${code}:\n${Buffer.concat(err).toString("utf8").trim().split("\n").slice(-15).join("\n")}`))
      const lines = Buffer.concat(out).toString("utf8").trim().split("\n")
      resolve({ ...JSON.parse(lines.pop()), finishedAt: process.hrtime.bigint() })
    })
  })
  const failed = done.then(() => new Promise(() => {}), (e) => Promise.reject(e))
  return { child, ready: Promise.race([ready, failed]), done }
}

const claimBench = async () => {
  const program = Effect.gen(function*() {
    const url = yield* Database.scratchUrl({ url: Redacted.make(pgUrl), prefix: "stalkeer_bench_download" })
    // Migrate and queue through a pool of its own, closed before the workers start.
    const enqueueStarted = process.hrtime.bigint()
    yield* Effect.gen(function*() {
      const provider = yield* Providers.ensure({ name: "bench", baseUrl: "http://127.0.0.1:1" })
      yield* Effect.forEach(Array.from({ length: jobs }, (_, i) => i + 1), (i) =>
        Downloads.enqueue({
          providerId: provider.id, entryKey: `xtream:movie:${i}`, wantedKey: `radarr:movie:${i}`, arr: "radarr",
          arrItemId: i, title: `Movie ${i}`, extension: "mkv", targetPath: `/library/Movie ${i} (2024)/Movie ${i} (2024).mkv`,
          importPath: null
        }), { concurrency: 4, discard: true })
    }).pipe(Effect.provide(Migrations.layer.pipe(Layer.provideMerge(Database.layerPostgres({ url, maxConnections: 4 })))))
    const enqueueSeconds = Number(process.hrtime.bigint() - enqueueStarted) / 1e9
    log(`load average ${loadavg()}`)
    log(`queued ${jobs} jobs in ${enqueueSeconds.toFixed(2)} s (migrations included); starting ${workers} workers`)

    const results = yield* Effect.promise(async () => {
      const children = Array.from({ length: workers }, (_, i) => spawnWorker(Redacted.value(url), `bench-worker-${i + 1}`))
      try {
        await Promise.all(children.map((c) => c.ready))
        const go = process.hrtime.bigint()
        for (const c of children) c.child.stdin.write("go\n")
        const out = await Promise.all(children.map((c) => c.done))
        const last = out.reduce((m, r) => (r.finishedAt > m ? r.finishedAt : m), go)
        return { out, seconds: Number(last - go) / 1e9 }
      } catch (e) {
        for (const c of children) if (c.child.exitCode === null) c.child.kill()
        throw e
      }
    })

    // What the database says: every job completed, in one attempt.
    const check = yield* Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql`
        SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'completed')::int AS completed,
          count(*) FILTER (WHERE attempts <> 1)::int AS "notOnce" FROM downloads`
      return row
    }).pipe(Effect.provide(Database.layerPostgres({ url, maxConnections: 1 })))
    return { ...results, check, enqueueSeconds }
  })
  const { out, seconds, check } = await Effect.runPromise(Effect.scoped(program))

  const claims = out.flatMap((r) => r.claims).sort((a, b) => a - b)
  const completes = out.flatMap((r) => r.completes).sort((a, b) => a - b)
  const ids = out.flatMap((r) => r.ids)
  const perId = new Map()
  for (const id of ids) perId.set(id, (perId.get(id) ?? 0) + 1)
  const twice = [...perId.values()].filter((n) => n > 1).length
  const fenced = out.flatMap((r) => r.fenced).length
  const problems = []
  if (ids.length !== jobs) problems.push(`${ids.length} claims got a job, not ${jobs}`)
  if (perId.size !== jobs) problems.push(`${perId.size} distinct jobs claimed, not ${jobs}`)
  if (twice > 0) problems.push(`${twice} jobs claimed more than once`)
  if (fenced > 0) problems.push(`${fenced} completes refused (fenced)`)
  if (check.total !== jobs || check.completed !== jobs) problems.push(`database: ${check.completed} of ${check.total} completed`)
  if (check.notOnce > 0) problems.push(`database: ${check.notOnce} jobs with attempts ≠ 1`)
  return {
    p50: percentile(claims, 50), p99: percentile(claims, 99), max: claims[claims.length - 1] ?? 0,
    completeP50: percentile(completes, 50), completeP99: percentile(completes, 99),
    claimsCount: claims.length, empty: out.reduce((n, r) => n + r.empty, 0),
    perWorker: out.map((r) => r.ids.length), jobsPerSecond: ids.length / seconds, seconds, problems
  }
}

// =====================================================================================================================
// Report
// =====================================================================================================================
try {
  const machine = `${os.cpus().length} CPU (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / GiB).toFixed(0)} GiB, node ${process.version}, ${os.type()} ${os.release()}; load average at start ${loadavg()}`
  log(machine)
  let claim
  if (flag("--claims-only")) {
    if (pgUrl === undefined) die("--claims-only needs --pg")
    claim = await claimBench()
    console.log(`claim (${fmt(jobs, 0)} jobs, ${workers} workers): p50 ${fmt(claim.p50, 2)} ms, p99 ${fmt(claim.p99, 2)} ms, max ${fmt(claim.max, 2)} ms; ${fmt(claim.jobsPerSecond, 0)} jobs/s; ${claim.problems.length === 0 ? "each job completed exactly once" : claim.problems.join("; ")}; load ${loadavg()}`)
    process.exit(claim.problems.length === 0 ? 0 : 1)
  }
  const t = await transfers()
  if (pgUrl !== undefined) claim = await claimBench()
  else log("no --pg: the claim latency is not measured")

  const oursWall = median(t.ours.map((r) => r.wall))
  const theirsWall = median(t.theirs.map((r) => r.wall))
  const oursTransfer = median(t.ours.map((r) => r.report.transferSeconds))
  const oursStartup = median(t.ours.map((r) => r.report.startupSeconds))
  const oursRss = median(t.ours.map((r) => r.rssMB))
  const theirsRss = median(t.theirs.map((r) => r.rssMB))
  const syncedWall = median(t.synced.map((r) => r.wall))
  const ratio = theirsWall / oursWall
  const ratioSynced = syncedWall / oursWall
  const ratioTransfer = theirsWall / oursTransfer
  const verdict = (ok) => (ok ? "met" : "**NOT MET**")

  const rows = [
    [
      `Stalkeer ≥ 90 % of curl's throughput (1 GiB over loopback, median of ${runs})`,
      `Stalkeer ${fmt(MBps(GiB, oursWall), 0)} MB/s (${fmt(oursWall, 2)} s, ${fmt(oursRss, 0)} MB peak RSS) vs curl ${fmt(MBps(GiB, theirsWall), 0)} MB/s (${fmt(theirsWall, 2)} s, ${fmt(theirsRss, 0)} MB): **${fmt(100 * ratio)} %**; transfer alone (without ${fmt(oursStartup, 2)} s of Node start-up) ${fmt(oursTransfer, 2)} s = ${fmt(100 * ratioTransfer)} % of curl's process; against \`curl && sync FILE\` (${fmt(MBps(GiB, syncedWall), 0)} MB/s, ${fmt(syncedWall, 2)} s), the same durability: **${fmt(100 * ratioSynced)} %**; files in ${path.dirname(tmp)}; SHA-256 ${t.sha}`,
      verdict(ratio >= 0.9)
    ],
    t.big === undefined
      ? ["peak RSS ≤ 120 MB during a 5 GiB download", "skipped (--skip-5g)", "—"]
      : [
        "peak RSS ≤ 120 MB during a 5 GiB download",
        `${fmt(t.big.rssMB, 0)} MB (${fmt(t.big.wall, 2)} s, ${fmt(MBps(5 * GiB, t.big.wall), 0)} MB/s; the 1 GiB runs: ${fmt(oursRss, 0)} MB); largest V8 heap used ${t.big.report.peakMB.heapUsed} MB (of ${t.big.report.peakMB.heapTotal}), ArrayBuffers ${t.big.report.peakMB.arrayBuffers} MB`,
        verdict(t.big.rssMB <= 120)
      ],
    claim === undefined
      ? ["claim p99 < 50 ms (2,000 jobs, 8 workers, PostgreSQL)", "not measured (no --pg)", "—"]
      : [
        `claim p99 < 50 ms (${fmt(jobs, 0)} jobs, ${workers} worker processes, PostgreSQL)`,
        `p50 ${fmt(claim.p50, 2)} ms, p99 ${fmt(claim.p99, 2)} ms, max ${fmt(claim.max, 2)} ms over ${fmt(claim.claimsCount, 0)} claims (${claim.empty} empty); ${fmt(claim.jobsPerSecond, 0)} jobs/s claimed and completed (complete p50 ${fmt(claim.completeP50, 2)} ms, p99 ${fmt(claim.completeP99, 2)} ms; jobs per worker ${claim.perWorker.join("/")}); ${claim.problems.length === 0 ? `each of the ${fmt(jobs, 0)} jobs completed exactly once` : claim.problems.join("; ")}`,
        verdict(claim.p99 < 50 && claim.problems.length === 0)
      ]
  ]
  console.log("")
  console.log("| target | measured | verdict |")
  console.log("| --- | --- | --- |")
  for (const r of rows) console.log(`| ${r.join(" | ")} |`)
  console.log("")
  console.log("Runs (wall s / peak RSS MB, in the order they ran):")
  for (let i = 0; i < runs; i++) {
    const s = t.ours[i], c = t.theirs[i], d = t.synced[i]
    const first = ["stalkeer", "curl", "curl+sync"][i % 3]
    console.log(`  ${i + 1} (${first} first): stalkeer ${s.wall.toFixed(2)} / ${s.rssMB.toFixed(0)} (transfer ${s.report.transferSeconds.toFixed(2)}), curl ${c.wall.toFixed(2)} / ${c.rssMB.toFixed(0)}, curl+sync ${d.wall.toFixed(2)}`)
  }
  console.log("")
  console.log(`Machine: ${machine}`)
  console.log("Command:")
  console.log(`  node scripts/bench-download.mjs --runs ${runs}${flag("--library-heap") ? " --library-heap" : ""}${option("--dir", undefined) ? ` --dir ${option("--dir")}` : ""}${pgUrl ? ` --pg ${pgUrl}` : ""}${skip5g ? " --skip-5g" : ""}${workers !== 8 ? ` --workers ${workers}` : ""}${jobs !== 2000 ? ` --jobs ${jobs}` : ""}`)
  console.log("  # each download, with the fake's URL:")
  console.log(`  /usr/bin/time -f "%e %M" node ${HEAP.join(" ")} scripts/bench-download.mjs --child-download URL DIR/.stalkeer-1.part "DIR/Movie (2024).mkv"`)
  console.log(`  /usr/bin/time -f "%e %M" curl -s -o FILE URL`)
  console.log(`  /usr/bin/time -f "%e %M" sh -c 'curl -s -o FILE URL && sync FILE'`)
  console.log(`Load average at the end: ${loadavg()}`)
  console.log(`Whole script: ${(performance.now() / 1000).toFixed(1)} s (from the process' start)`)
} catch (e) {
  process.stderr.write(`bench-download: ${e?.stack ?? e?.message ?? String(e)}\n`)
  process.exitCode = 1
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}
