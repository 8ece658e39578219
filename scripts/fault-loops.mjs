#!/usr/bin/env node
// Fault loops for the download queue (issue: "worker, queue and downloader survive SIGKILL"): the `stalkeer` binary
// as a user runs it, against the fake provider (`@stalkeer/downloader/testing`) and a fake Radarr
// (`@stalkeer/arr-client/testing`) on loopback, with a real database.
//
//   node scripts/fault-loops.mjs [--kills 20] [--pg postgres://postgres@127.0.0.1:5432/postgres]
//     [--databases postgres,embedded] [--dead-leases expire|wait] [--loops sigkill,two-workers] [--seed N] [--keep]
//     [--cli apps/cli/dist/bin.js]
//
// Build first: `npm run build` (at least packages/downloader, packages/arr-client, packages/store and apps/cli).
//
// 1. SIGKILL loop (on a scratch PostgreSQL database with --pg, and on the embedded database in a fresh HOME): six
//    movies of 1–8 MiB served throttled (1–3 s each), a fake Radarr wanting them, `stalkeer process` then
//    `stalkeer radarr --no-wait`; then `stalkeer worker --until-idle` started and SIGKILLed at a uniform 0.2–2.5 s,
//    --kills times (a run that ends on its own before its moment is not a kill); then `worker --until-idle` again
//    until every job has ended. Checks: each movie's file exactly once in its Radarr folder, SHA-256-identical to the
//    fake's; no other visible file, and no partial of a completed job (an unfinished one keeps its hidden
//    `.stalkeer-<id>.part` to resume from); every row `completed`, none completed twice
//    (no `✓` twice, no start after its `✓`); the fake never saw more than provider.max_connections (2) at once, and
//    evicted nothing.
//    A killed worker's leases (its jobs and its connection slots) are 60 s and the CLI offers no way to shorten
//    them. With `--dead-leases expire` (the default) the loop moves the expiry of the dead process's leases — no one
//    can renew them any more — to now, right after the process is reaped: what a 60 s wait would do, without
//    waiting, so that the next worker resumes at once and later kills cut transfers too. It is stricter for the
//    connection limit (the slot is free again before the lease could have run out). `--dead-leases wait` leaves the
//    rows alone (the product as shipped: most kills then land while the dead leases block every slot).
// 2. Two workers on one PostgreSQL (needs --pg): ten movies (1–2 s each), a fake allowing one connection that kills the oldest
//    when a second arrives, two `worker --until-idle` started together. Checks: never two connections at once and
//    no eviction; every file once and identical; every row completed once; the bytes served ≤ the sizes × 1.05 plus
//    what cut responses had sent (a cut body is fetched again from the durable offset), no stream served whole twice.
// 3. Canary: the provider password (`CanaryPw-<random>@x`, raw and percent-encoded) in the libraries' file names,
//    every CLI run's stdout and stderr, and every row of every table (`row_to_json`) of every database: none.
//
// One line per check (PASS/FAIL with its figures), a few INFO lines; exit 1 when any check fails.
import { spawn } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "..")
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const flag = (name) => args.includes(name)
const cli = path.resolve(option("--cli", path.join(root, "apps/cli/dist/bin.js")))
const kills = Number(option("--kills", "20"))
const pgUrl = option("--pg", undefined)
const databases = option("--databases", pgUrl === undefined ? "embedded" : "postgres,embedded").split(",").filter(Boolean)
const deadLeases = option("--dead-leases", "expire")
const loops = option("--loops", "sigkill,two-workers").split(",").filter(Boolean)
const seed = Number(option("--seed", String(crypto.randomInt(1, 2 ** 31))))
const keep = flag("--keep")
const HEAP = ["--max-old-space-size=160"]

const die = (message) => {
  process.stderr.write(`fault-loops: ${message}\n`)
  process.exit(2)
}
if (!Number.isInteger(kills) || kills < 0) die("--kills takes a whole number")
if (!["expire", "wait"].includes(deadLeases)) die("--dead-leases is expire or wait")
for (const l of loops) if (!["sigkill", "two-workers"].includes(l)) die(`unknown loop ${l} (sigkill, two-workers)`)
for (const d of databases) if (!["postgres", "embedded"].includes(d)) die(`unknown database ${d} (postgres, embedded)`)
if (databases.includes("postgres") && pgUrl === undefined) die("--databases postgres needs --pg <url>")

// ---- what must be built
const dist = (pkg, file) => path.join(root, "packages", pkg, "dist", file)
for (const [pkg, file] of [["downloader", "Testing.js"], ["arr-client", "Testing.js"], ["store", "index.js"]]) {
  if (!fs.existsSync(dist(pkg, file))) die(`packages/${pkg}/dist/${file} is missing: build it first (npm run build)`)
}
if (!fs.existsSync(cli)) die(`${path.relative(root, cli)} is missing: build it first (npm run build)`)

const Effect = await import("effect/Effect")
const SqlClient = await import("@effect/sql/SqlClient")
const { FakeProvider } = await import(pathToFileURL(dist("downloader", "Testing.js")).href)
const { FakeRadarr } = await import(pathToFileURL(dist("arr-client", "Testing.js")).href)
const { Database } = await import(pathToFileURL(dist("store", "index.js")).href)
const pg = pgUrl === undefined ? undefined : (await import("pg")).default

const started = Date.now()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stalkeer-fault-loops-"))
const MiB = 1024 * 1024
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`

/** A seeded PRNG (mulberry32): sizes, rates and kill moments follow from --seed (timing itself does not). */
const random = (() => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
})()
const uniform = (lo, hi) => lo + (hi - lo) * random()

const PASSWORD = `CanaryPw-${crypto.randomBytes(6).toString("hex")}@x`
const USERNAME = `fault-${crypto.randomBytes(3).toString("hex")}`
const RADARR_KEY = crypto.randomBytes(16).toString("hex")

// ---- results
const results = []
const check = (name, ok, figures) => {
  results.push({ name, ok })
  console.log(`${ok ? "PASS" : "FAIL"} ${name}: ${figures}`)
}
const info = (name, text) => console.log(`INFO ${name}: ${text}`)

// Everything the canary looks through, gathered as the loops run.
const transcripts = []
const dumps = []
const libraries = []

// ---- the world
const TITLES = [
  ["Alien", 1979], ["Heat", 1995], ["Jaws", 1975], ["Fargo", 1996], ["Rocky", 1976], ["Gravity", 2013],
  ["Arrival", 2016], ["Memento", 2000], ["Casablanca", 1942], ["Vertigo", 1958], ["Psycho", 1960],
  ["Amadeus", 1984], ["Titanic", 1997], ["Gladiator", 2000], ["Inception", 2010], ["Whiplash", 2014]
]

/** `count` movies of 1–8 MiB, each served at the rate that makes it last `seconds` (a [lo, hi] range). */
const makeMovies = (count, firstId, seconds) =>
  TITLES.slice(0, count).map(([title, year], i) => {
    const size = Math.floor(uniform(1, 8) * MiB) + Math.floor(uniform(0, 4096))
    return {
      id: firstId + i,
      title,
      year,
      ext: i % 3 === 2 ? "mp4" : "mkv",
      size,
      bytesPerSecond: Math.floor(size / uniform(seconds[0], seconds[1]))
    }
  })

const playlistOf = (provider, movies) =>
  ["#EXTM3U", ...movies.flatMap((m) => [
    `#EXTINF:-1 group-title="EN| MOVIES",EN - ${m.title} (${m.year}) 1080p`,
    provider.url(m.id)
  ]), ""].join("\n")

const radarrLibrary = (movies) => ({
  movies: movies.map((m, i) => ({
    id: i + 1,
    title: m.title,
    year: m.year,
    tmdbId: 900000 + m.id,
    path: `/movies/${m.title} (${m.year})`,
    rootFolderPath: "/movies",
    monitored: true,
    hasFile: false,
    isAvailable: true
  }))
})

/**
 * Starts the fake provider (throttled, `maxConnections`, kill-oldest) and Radarr (whose rescans read `library`, as
 * the real one reads its folders), runs `body`, closes them.
 */
const withFakes = (movies, maxConnections, library, body) =>
  Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const provider = yield* FakeProvider.make(
      { streams: movies.map((m) => ({ id: m.id, kind: "movie", ext: m.ext, size: m.size })), username: USERNAME, password: PASSWORD },
      { maxConnections }
    )
    for (const m of movies) {
      yield* provider.failNext(FakeProvider.throttle(m.bytesPerSecond), { streamId: m.id, times: 1e9 })
    }
    const radarr = yield* FakeRadarr.make(radarrLibrary(movies), {
      apiKey: RADARR_KEY,
      disk: { remote: "/movies", local: path.join(library, "movies") }
    })
    return yield* Effect.tryPromise({ try: () => body({ provider, radarr }), catch: (e) => e })
  })))
const now = (effect) => Effect.runPromise(effect)

// ---- databases
/** A scratch PostgreSQL database, dropped afterwards. */
const withScratch = async (f) => {
  const admin = async (statement) => {
    const client = new pg.Client({ connectionString: pgUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  const name = `stalkeer_fault_${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(pgUrl)
  url.pathname = `/${name}`
  try {
    return await f(url.toString())
  } finally {
    if (!keep) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}

/** Runs statements (text, params) on the database the CLI uses; between CLI runs only for the embedded one. */
const queryOn = (target) => async (statements) => {
  if (target.url !== undefined) {
    const client = new pg.Client({ connectionString: target.url })
    await client.connect()
    try {
      const out = []
      for (const [text, params] of statements) out.push((await client.query(text, params ?? [])).rows)
      return out
    } finally {
      await client.end()
    }
  }
  return Effect.runPromise(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const out = []
    for (const [text, params] of statements) out.push(yield* sql.unsafe(text, params ?? []))
    return out
  }).pipe(Effect.provide(Database.layerEmbedded({ dataDir: target.dataDir, owner: "fault-loops" })), Effect.scoped))
}
const one = async (query, text, params) => (await query([[text, params]]))[0]

/** Every row of every table, as JSON text lines (for the canary). */
const dumpAll = async (query, label) => {
  const tables = await one(query, `SELECT schemaname AS s, tablename AS t FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`)
  const rows = await query(tables.map(({ s, t }) => [`SELECT row_to_json(x)::text AS j FROM "${s}"."${t}" x`]))
  const text = rows.flatMap((r, i) => r.map((row) => `${tables[i].s}.${tables[i].t} ${row.j}`)).join("\n")
  dumps.push({ label, tables: tables.length, rows: rows.reduce((n, r) => n + r.length, 0), text })
}

// ---- the CLI, as a user runs it: a fresh HOME, only the environment given
const freshHome = (label) => {
  const home = path.join(tmp, label)
  fs.mkdirSync(home, { recursive: true })
  return home
}
const cliEnv = (home, extra) => ({
  PATH: process.env.PATH,
  LANG: "C.UTF-8",
  HOME: home,
  XDG_DATA_HOME: path.join(home, "data"),
  XDG_CONFIG_HOME: path.join(home, "config"),
  XDG_CACHE_HOME: path.join(home, "cache"),
  NO_COLOR: "1",
  STALKEER_LOG_LEVEL: "info",
  STALKEER_PROVIDER_USERNAME: USERNAME,
  STALKEER_PROVIDER_PASSWORD: PASSWORD,
  ...extra
})

/** Starts `stalkeer <args>`; `done` resolves with its exit, output and wall time. Output is kept for the canary. */
const start = (label, cliArgs, env) => {
  const t0 = Date.now()
  const child = spawn(process.execPath, [...HEAP, cli, ...cliArgs], { env, stdio: ["ignore", "pipe", "pipe"] })
  const out = [], err = []
  child.stdout.on("data", (b) => out.push(b))
  child.stderr.on("data", (b) => err.push(b))
  const done = new Promise((resolve, reject) => {
    child.on("error", reject)
    child.on("close", (code, signal) => {
      const result = { label, code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), ms: Date.now() - t0, pid: child.pid }
      transcripts.push(result)
      resolve(result)
    })
  })
  return { child, done, t0 }
}
const must = async (label, cliArgs, env) => {
  const r = await start(label, cliArgs, env).done
  if (r.code !== 0) throw new Error(`${label} (stalkeer ${cliArgs.join(" ")}) exited ${r.code ?? r.signal}:\n${(r.stderr || r.stdout).trim().split("\n").slice(-15).join("\n")}`)
  return r
}
/** Waits for a run, SIGKILLing it after `ms` (a hung run is a failure of its own). */
const within = async (run, ms) => {
  let hung = false
  const timer = setTimeout(() => {
    hung = true
    run.child.kill("SIGKILL")
  }, ms)
  const r = await run.done
  clearTimeout(timer)
  return { ...r, hung }
}

/** What the workers printed, in run order: per download, its starts (and resumes) and its completions. */
const workerEvents = (runs) => {
  const byId = new Map()
  const get = (id) => byId.get(id) ?? byId.set(id, { starts: 0, resumes: 0, completions: 0, startAfterCompletion: 0 }).get(id)
  for (const r of runs) {
    for (const line of r.stdout.split("\n")) {
      const s = /^↓ #(\d+) .*?( \(resuming at [\d.]+ MB\))?$/.exec(line)
      if (s !== null) {
        const e = get(Number(s[1]))
        e.starts++
        if (s[2] !== undefined) e.resumes++
        if (e.completions > 0) e.startAfterCompletion++
        continue
      }
      const c = /^✓ #(\d+) /.exec(line)
      if (c !== null) get(Number(c[1])).completions++
    }
  }
  return byId
}

const sha256File = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex")
const walk = (dir) =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? [path.join(dir, d.name) + "/", ...walk(path.join(dir, d.name))] : [path.join(dir, d.name)])
    : []

/** The library against the queue: each row's file once and identical, nothing else. */
const checkLibrary = async (name, library, rows, movies, provider) => {
  const byId = new Map(movies.map((m) => [m.id, m]))
  const expected = new Set()
  let identical = 0
  const problems = []
  for (const row of rows) {
    const id = Number(/:(\d+)$/.exec(row.entry_key)?.[1])
    const movie = byId.get(id)
    expected.add(row.target_path)
    if (movie === undefined) {
      problems.push(`#${row.id}: entry ${row.entry_key} is not one of ours`)
      continue
    }
    if (!fs.existsSync(row.target_path)) {
      problems.push(`#${row.id} ${movie.title}: no file at ${path.relative(library, row.target_path)}`)
      continue
    }
    const size = fs.statSync(row.target_path).size
    if (sha256File(row.target_path) === await now(provider.sha256(id))) identical++
    else problems.push(`#${row.id} ${movie.title}: content differs (${size} bytes, ${movie.size} expected)`)
  }
  const files = walk(library).filter((f) => !f.endsWith("/"))
  // A job's partial is `.stalkeer-<id>.part` beside its target: gone once the job completed; an unfinished job
  // keeps it to resume from. Anything else (a visible partial, a second copy) is a leftover.
  const states = new Map(rows.map((row) => [row.id, row.state]))
  const jobOf = (f) => Number(/^\.stalkeer-(\d+)\.part$/.exec(path.basename(f))?.[1] ?? NaN)
  const extra = files.filter((f) => !expected.has(f))
  const kept = extra.filter((f) => states.has(jobOf(f)) && states.get(jobOf(f)) !== "completed")
  const leftovers = extra.filter((f) => !kept.includes(f))
  const visible = leftovers.filter((f) => !path.basename(f).startsWith("."))
  check(`${name} files`, rows.length === movies.length && identical === movies.length && problems.length === 0 && visible.length === 0,
    `${identical}/${movies.length} movies in place, SHA-256-identical; ${visible.length} other visible files` +
      `${problems.length ? `; ${problems.slice(0, 4).join("; ")}` : ""}`)
  check(`${name} leftovers`, leftovers.length === 0,
    (leftovers.length === 0
      ? "no visible partial or temporary file, no partial of a completed job"
      : `${leftovers.length} files left: ${leftovers.slice(0, 5).map((f) => path.relative(library, f)).join(", ")}`) +
      (kept.length ? `; the partials of ${kept.length} unfinished jobs are kept (${kept.map((f) => path.basename(f)).join(", ")})` : ""))
}

/** Every row completed, and none completed twice. */
const checkRows = (name, rows, runs, expected, exactlyOnce) => {
  const events = workerEvents(runs)
  const notDone = rows.filter((r) => r.state !== "completed")
  const twice = [...events].filter(([, e]) => e.completions > 1 || e.startAfterCompletion > 0)
  const unseen = rows.filter((r) => r.state === "completed" && (events.get(r.id)?.completions ?? 0) === 0)
  const ok = rows.length === expected && notDone.length === 0 && twice.length === 0 && (!exactlyOnce || unseen.length === 0)
  const attempts = rows.map((r) => r.attempts)
  check(`${name} rows`, ok,
    `${rows.length - notDone.length}/${expected} completed` +
      (notDone.length ? ` (${notDone.map((r) => `#${r.id} ${r.state}${r.last_error ? `: ${r.last_error}` : ""}`).join("; ")})` : "") +
      `; completed twice: ${twice.length}${twice.length ? ` (${twice.map(([id, e]) => `#${id} ✓×${e.completions}, started after ✓ ×${e.startAfterCompletion}`).join("; ")})` : ""}` +
      `; attempts per job ${Math.min(...attempts)}–${Math.max(...attempts)} (max ${rows[0]?.max_attempts ?? "?"})` +
      (unseen.length ? `; ${unseen.length} completed with no ✓ line (a worker killed between the commit and its report)` : ""))
  return events
}

const checkConnections = async (name, provider, max) => {
  const observed = await now(provider.maxConcurrentObserved)
  const evicted = await now(provider.evictions)
  check(`${name} connections`, observed <= max && evicted === 0,
    `at most ${observed} at once at the fake (limit ${max}), ${evicted} evictions`)
  return { observed, evicted }
}

/** Seconds until the earliest job that is not done can run: a dead worker's lease expires, or a backoff ends. */
const DUE = `SELECT EXTRACT(EPOCH FROM (min(CASE WHEN state = 'running' THEN lease_expires_at
  WHEN state IN ('queued', 'retry-wait') THEN next_attempt_at END) - now()))::float8 AS wait FROM downloads`

const queueRows = (query) =>
  one(query, `SELECT id, entry_key, arr_item_id, state, attempts, max_attempts, durable_bytes::float8 AS durable, target_path, last_error,
    import_status, lease_owner FROM downloads ORDER BY id`)

/** A short account of the fake's request log. */
const requestStats = async (provider) => {
  const requests = await now(provider.requests)
  const served = requests.filter((r) => r.hop === "path" && r.streamId !== undefined)
  const outcomes = {}
  for (const r of served) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1
  return { requests, served, outcomes, bytes: await now(provider.bytesSent) }
}

// =====================================================================================================================
// 1. The SIGKILL loop
// =====================================================================================================================
const killLoop = async (kind) => {
  const name = `sigkill[${kind}]`
  const movies = makeMovies(6, 101, [1, 3])
  const max = 2
  const t0 = Date.now()
  const body = (databaseUrl) => {
    const home = freshHome(`home-${name}`)
    const library = path.join(home, "library")
    libraries.push(library)
    return withFakes(movies, max, library, async ({ provider, radarr }) => {
      const env = cliEnv(home, {
        ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
        STALKEER_PROVIDER_MAX_CONNECTIONS: String(max),
        STALKEER_RADARR_URL: radarr.url,
        STALKEER_RADARR_API_KEY: radarr.apiKey,
        STALKEER_RADARR_PATH_MAPPINGS: `/movies=${library}/movies`
      })
      const target = { url: databaseUrl, dataDir: path.join(home, "data", "stalkeer", "pglite") }
      const query = queryOn(target)
      const playlist = path.join(tmp, `${name}.m3u`)
      fs.writeFileSync(playlist, playlistOf(provider, movies))
      await must(`${name} process`, ["process", playlist], env)
      fs.rmSync(playlist)
      const queued = await must(`${name} radarr --no-wait`, ["radarr", "--no-wait"], env)
      if (!new RegExp(`${movies.length} queued`).test(queued.stdout)) {
        throw new Error(`${name}: radarr --no-wait did not queue ${movies.length}: ${queued.stdout.trim()}`)
      }

      // The kills.
      const runs = []
      let landed = 0, endedAlone = 0, runNo = 0, expired = 0
      const killT0 = Date.now()
      while (landed < kills && Date.now() - killT0 < 240_000) {
        const run = start(`${name} worker ${++runNo}`, ["worker", "--until-idle"], env)
        const at = uniform(200, 2500)
        const timer = setTimeout(() => {
          if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL")
        }, at)
        const r = await run.done
        clearTimeout(timer)
        runs.push(r)
        if (r.signal === "SIGKILL") landed++
        else {
          endedAlone++
          // Nothing left to claim: every job completed, or the rest wait on a dead worker's lease or a backoff.
          const [rows, [due]] = await query([[`SELECT state FROM downloads`], [DUE]])
          if (rows.every((row) => ["completed", "failed", "cancelled"].includes(row.state))) break
          await sleep(Math.min(60_000, Math.max(0, (due?.wait ?? 0) * 1000) + 500))
        }
        if (r.signal === "SIGKILL" && deadLeases === "expire") {
          const owner = `${os.hostname()}:${r.pid}#%`
          const [jobs, slots] = await query([
            [`UPDATE downloads SET lease_expires_at = now() - interval '1 millisecond'
              WHERE state = 'running' AND lease_owner LIKE $1 RETURNING id`, [owner]],
            [`UPDATE provider_slots SET expires_at = now() - interval '1 millisecond'
              WHERE holder LIKE $1 RETURNING slot`, [owner]]
          ])
          expired += jobs.length + slots.length
        }
      }
      const killMs = Date.now() - killT0

      // Then to completion: `--until-idle` exits while a job waits on a dead lease or a backoff, so it runs again
      // once the earliest of those is due.
      const finalT0 = Date.now()
      let finals = 0, hung = 0
      while (Date.now() - finalT0 < 200_000) {
        const r = await within(start(`${name} final worker ${++finals}`, ["worker", "--until-idle"], env), 180_000)
        runs.push(r)
        if (r.hung) hung++
        const [rows, [due]] = await query([[`SELECT state FROM downloads`], [DUE]])
        if (rows.every((row) => ["completed", "failed", "cancelled"].includes(row.state))) break
        await sleep(Math.min(60_000, Math.max(0, (due?.wait ?? 0) * 1000) + 500))
      }
      const finalMs = Date.now() - finalT0

      const rows = await queueRows(query)
      const stats = await requestStats(provider)
      const cut = stats.served.filter((r) => r.outcome === "aborted").length
      check(`${name} kills`, landed >= kills,
        `${landed} SIGKILLs landed (of ${kills} wanted) in ${secs(killMs)}, ${cut} requests cut by them (left mid-body); ` +
          `${endedAlone} runs ended on their own first; then ${finals} --until-idle runs to the end in ${secs(finalMs)}${hung ? ` (${hung} hung, killed)` : ""}`)
      await checkLibrary(name, library, rows, movies, provider)
      const events = checkRows(name, rows, runs, movies.length, false)
      await checkConnections(name, provider, max)
      const resumes = [...events.values()].reduce((n, e) => n + e.resumes, 0)
      const rescans = (await now(radarr.commands)).filter((c) => c.name === "RescanMovie")
      const imports = {}
      for (const row of rows) imports[row.import_status ?? "none"] = (imports[row.import_status ?? "none"] ?? 0) + 1
      const asked = new Set(rescans.map((c) => c.body?.movieId))
      const pending = rows.filter((row) => row.state === "completed" && row.import_status === "pending")
      const stuck = pending.length === 0 ? "" : ` (left pending by a kill after the commit, nothing retries them; Radarr was asked for ${pending.filter((row) => asked.has(row.arr_item_id)).length} of these ${pending.length} anyway)`
      info(name, `dead leases: ${deadLeases}${deadLeases === "expire" ? ` (${expired} job/slot leases of killed workers expired at once)` : " (60 s each)"}; ` +
        `requests ${stats.served.length} (${Object.entries(stats.outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}), ` +
        `${(stats.bytes / MiB).toFixed(1)} MiB served for ${(movies.reduce((n, m) => n + m.size, 0) / MiB).toFixed(1)} MiB of files; ` +
        `starts resuming from a durable offset > 0: ${resumes}; Radarr rescans asked ${rescans.length} (movies ${asked.size}/${movies.length}); ` +
        `import status ${Object.entries(imports).map(([k, v]) => `${k} ${v}`).join(", ")}${stuck}; ${secs(Date.now() - t0)}`)
      await dumpAll(query, name)
    })
  }
  return kind === "postgres" ? withScratch(body) : body(undefined)
}

// =====================================================================================================================
// 2. Two workers, one PostgreSQL, a one-connection provider that kills the oldest
// =====================================================================================================================
const twoWorkers = () => withScratch((databaseUrl) => {
  const name = "two-workers[postgres]"
  const movies = makeMovies(10, 201, [1, 2])
  const t0 = Date.now()
  const home = freshHome(`home-${name}`)
  const library = path.join(home, "library")
  libraries.push(library)
  return withFakes(movies, 1, library, async ({ provider, radarr }) => {
    const env = cliEnv(home, {
      DATABASE_URL: databaseUrl,
      STALKEER_PROVIDER_MAX_CONNECTIONS: "1",
      STALKEER_RADARR_URL: radarr.url,
      STALKEER_RADARR_API_KEY: radarr.apiKey,
      STALKEER_RADARR_PATH_MAPPINGS: `/movies=${library}/movies`
    })
    const query = queryOn({ url: databaseUrl })
    const playlist = path.join(tmp, `${name}.m3u`)
    fs.writeFileSync(playlist, playlistOf(provider, movies))
    await must(`${name} process`, ["process", playlist], env)
    fs.rmSync(playlist)
    const queued = await must(`${name} radarr --no-wait`, ["radarr", "--no-wait"], env)
    if (!new RegExp(`${movies.length} queued`).test(queued.stdout)) {
      throw new Error(`${name}: radarr --no-wait did not queue ${movies.length}: ${queued.stdout.trim()}`)
    }
    const both = await Promise.all([1, 2].map((n) => within(start(`${name} worker ${n}`, ["worker", "--until-idle"], env), 240_000)))
    const rows = await queueRows(query)
    const stats = await requestStats(provider)
    const total = movies.reduce((n, m) => n + m.size, 0)
    const cutBytes = stats.served.filter((r) => r.outcome !== "complete").reduce((n, r) => n + r.bytesSent, 0)
    const wholeTwice = movies.filter((m) => stats.served.filter((r) => r.streamId === m.id && r.outcome === "complete" && r.status === 200).length > 1)
    const exits = both.map((r) => (r.hung ? "hung" : r.code ?? r.signal)).join(", ")
    const summaries = both.map((r) => /Downloads: (\d+) completed/.exec(r.stdout)?.[1] ?? "?")
    check(`${name} workers`, both.every((r) => r.code === 0 && !r.hung),
      `exits ${exits}; completed ${summaries.join(" + ")} in ${secs(Math.max(...both.map((r) => r.ms)))}`)
    await checkConnections(name, provider, 1)
    await checkLibrary(name, library, rows, movies, provider)
    checkRows(name, rows, both, movies.length, true)
    const allowance = total * 1.05 + cutBytes
    check(`${name} bytes`, stats.bytes <= allowance && wholeTwice.length === 0,
      `${(stats.bytes / MiB).toFixed(2)} MiB served for ${(total / MiB).toFixed(2)} MiB of files (allowed ${(allowance / MiB).toFixed(2)}: ×1.05 + ${(cutBytes / MiB).toFixed(2)} of cut responses); ` +
        `${stats.served.length} requests (${Object.entries(stats.outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}); streams served whole twice: ${wholeTwice.length}`)
    info(name, `${secs(Date.now() - t0)}`)
    await dumpAll(query, name)
  })
})

// =====================================================================================================================
// 3. The canary
// =====================================================================================================================
const canary = () => {
  const forms = [...new Set([PASSWORD, encodeURIComponent(PASSWORD)])]
  const count = (text) => forms.reduce((n, f) => n + text.split(f).length - 1, 0)
  const names = libraries.flatMap((l) => walk(l).map((f) => path.relative(l, f))).join("\n")
  const homes = fs.readdirSync(tmp).filter((d) => d.startsWith("home-")).flatMap((d) => walk(path.join(tmp, d))).join("\n")
  const hits = {
    "library names": count(names),
    "home file names": count(homes),
    "stdout/stderr": transcripts.reduce((n, t) => n + count(t.stdout) + count(t.stderr), 0),
    "database rows": dumps.reduce((n, d) => n + count(d.text), 0)
  }
  const total = Object.values(hits).reduce((a, b) => a + b, 0)
  const rows = dumps.reduce((n, d) => n + d.rows, 0)
  check("canary", total === 0 && transcripts.length > 0 && dumps.length > 0,
    `${total} hits of the password (raw${forms.length > 1 ? ` and ${forms[1]}` : ""}): ${Object.entries(hits).map(([k, v]) => `${k} ${v}`).join(", ")} — ` +
      `searched ${transcripts.length} CLI runs' output, ${dumps.length} databases (${rows} rows in ${dumps.map((d) => d.tables).join(" + ")} tables), ${libraries.length} libraries`)
}

// =====================================================================================================================
console.log(`fault-loops: seed ${seed}, --kills ${kills}, dead leases: ${deadLeases}, databases: ${databases.join(", ")}, loops: ${loops.join(", ")}${pgUrl ? "" : " (no --pg: the two-worker loop is skipped)"}`)
let crashed = false
const guard = async (label, f) => {
  try {
    await f()
  } catch (error) {
    crashed = true
    check(label, false, `the loop could not run: ${error instanceof Error ? error.message : JSON.stringify(error)}`)
  }
}
if (loops.includes("sigkill")) for (const kind of databases) await guard(`sigkill[${kind}]`, () => killLoop(kind))
if (loops.includes("two-workers") && pgUrl !== undefined) await guard("two-workers[postgres]", twoWorkers)
canary()
const failed = results.filter((r) => !r.ok)
console.log(`fault-loops: ${results.length - failed.length}/${results.length} checks passed in ${secs(Date.now() - started)}${failed.length ? `; FAILED: ${failed.map((r) => r.name).join(", ")}` : ""}`)
if (keep || failed.length > 0 || crashed) {
  for (const t of transcripts) {
    fs.writeFileSync(path.join(tmp, `${t.label.replace(/[^\w.-]+/g, "_")}.log`), `exit ${t.code ?? t.signal} after ${t.ms} ms\n--- stdout\n${t.stdout}\n--- stderr\n${t.stderr}`)
  }
  console.log(`fault-loops: homes, libraries and every run's output kept in ${tmp}`)
} else fs.rmSync(tmp, { recursive: true, force: true })
process.exit(failed.length > 0 ? 1 : 0)
