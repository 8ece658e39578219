#!/usr/bin/env node
// Benchmark of Radarr/Sonarr plans (`stalkeer radarr|sonarr --dry-run --json`, issue 14 §4): plan quality on a
// labelled world, and the time and memory of a plan at scale — through the CLI binary, against the fake TMDB
// (`@stalkeer/tmdb/testing`) and fake Radarr/Sonarr (`@stalkeer/arr-client/testing`) on loopback.
//
//   node scripts/bench-plan.mjs [--seed 1] [--pg postgres://postgres@127.0.0.1:5432/postgres] [--world-dir DIR] [--keep]
//   node scripts/bench-plan.mjs --scale [--runs 5] [--pg postgres://postgres@127.0.0.1:5432/postgres] [--databases embedded,postgres]
//   (either: [--no-plan] [--cli apps/cli/dist/bin.js])
//
// Build first: `npm run build` (at least packages/downloader, packages/tmdb, packages/arr-client and apps/cli).
//
// Quality: bench/arr-world.mjs writes the world (playlist + truth, Radarr and Sonarr libraries, the TMDB world
// extended with the works of the plan's traps, the matching preferences, and per wanted item the correct entries —
// see bench/README.md). The playlist is ingested and enriched with the CLI (`process`, then `enrich`) into a fresh
// embedded database (a scratch PostgreSQL database with --pg); then both plans run. Precision = correct downloads /
// downloads; recall = correct downloads / findable items (those with a correct entry whose name fits only its own
// work: a plain "The Office S01 E01" is right when downloaded, but no careful plan can tell it is the US one — as
// bench-enrich.mjs measures recall over resolvable works); "recall (any)" = correct downloads / items with any correct
// entry. Printed overall, for movies and episodes and per trap type, next to the naive strategy: a movie gets the
// first entry (playlist order) whose name contains its title; an episode the first entry whose name contains the
// series title and shows the same SxxEyy.
// Every wrong download is listed. --no-plan stops before the plans (after ingest + enrich, scoring the naive strategy
// only; with --scale after the ingest): to check the harness before the plan commands exist.
//
// Scale: the 200k corpus (gen-playlist --entries 200000 --seed 1, cached in $STALKEER_BENCH_DIR or
// <tmpdir>/stalkeer-bench), ingested without enrich (its works are mostly unknown to TMDB); a fake Radarr with 5,000
// missing movies and a fake Sonarr with 20,000 missing episodes taken from the corpus' truth (its titles, years,
// seasons and episodes; invented TMDB/TVDB ids >= 9000000), so the plans find entries by title and year. Each plan
// runs --runs times (default 5) with --max-old-space-size=160; wall time and peak RSS (`/usr/bin/time`, else
// /proc VmHWM) are medians. On the embedded database, and with --pg on PostgreSQL too.
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "..")
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
// Another build of the binary can be measured with --cli.
const cli = path.resolve(option("--cli", path.join(root, "apps/cli/dist/bin.js")))
const flag = (name) => args.includes(name)
const seed = option("--seed", "1")
const pgUrl = option("--pg", undefined)
const runs = Number(option("--runs", "5"))
const scale = flag("--scale")
const noPlan = flag("--no-plan")
// The binary's own heap limit; --node-flags adds more (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a plan).
const HEAP = ["--max-old-space-size=160", ...(option("--node-flags", "") ?? "").split(" ").filter(Boolean)]

const die = (message) => {
  process.stderr.write(`bench-plan: ${message}\n`)
  process.exit(1)
}

// ---- what must be built
const dist = (pkg, file) => path.join(root, "packages", pkg, "dist", file)
for (const [pkg, file] of [["downloader", "index.js"], ["tmdb", "Testing.js"], ["arr-client", "Testing.js"]]) {
  if (!fs.existsSync(dist(pkg, file))) die(`packages/${pkg}/dist/${file} is missing: build it first (cd packages/${pkg} && npm run build, or npm run build)`)
}
if (!fs.existsSync(cli)) die(`${path.relative(root, cli)} is missing: build it first (cd apps/cli && npm run build)`)
// The command lines of the help carry no colour codes.
const help = execFileSync(process.execPath, [cli, "--help"], { encoding: "utf8", env: { PATH: process.env.PATH, NO_COLOR: "1" } })
const missing = ["radarr", "sonarr"].filter((c) => !new RegExp(`^\\s*- ${c}\\b`, "m").test(help))
if (missing.length && !noPlan) {
  die(`the CLI has no \`${missing.join("`/`")}\` command (apps/cli/dist/bin.js --help): build the CLI with the plan commands `
    + "(cd apps/cli && npm run build), or run with --no-plan to check everything but the plans")
}
// A binary older than the sources it bundles measures code that is gone.
const newest = (dir) => {
  let t = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs)
  }
  return t
}
const sources = Math.max(newest(path.join(root, "apps/cli/src")), ...fs.readdirSync(path.join(root, "packages")).map((p) => {
  const src = path.join(root, "packages", p, "src")
  return fs.existsSync(src) ? newest(src) : 0
}))
if (cli === path.join(root, "apps/cli/dist/bin.js") && sources > fs.statSync(cli).mtimeMs) process.stderr.write("bench-plan: warning: apps/cli/dist/bin.js is older than the sources it bundles (cd apps/cli && npm run build)\n")

const Effect = await import("effect/Effect")
const { FakeTmdb } = await import(pathToFileURL(dist("tmdb", "Testing.js")).href)
const { FakeRadarr, FakeSonarr } = await import(pathToFileURL(dist("arr-client", "Testing.js")).href)

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stalkeer-bench-plan-"))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const pct = (a, b) => (b === 0 ? "—" : `${((100 * a) / b).toFixed(1)} %`)
const readJsonl = (file) => fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))

// ---- databases
const pg = pgUrl === undefined ? undefined : (await import("pg")).default
const admin = async (statement) => {
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
/** `f(databaseUrl)` on a scratch PostgreSQL database (dropped after), or `f(undefined)`: the embedded one. */
const withDatabase = async (kind, f) => {
  if (kind === "embedded") return f(undefined)
  const name = `stalkeer_bench_plan_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(pgUrl)
  url.pathname = `/${name}`
  try {
    return await f(url.toString())
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}

// ---- the CLI, as a user runs it: a fresh HOME, only the environment given
const hasTime = fs.existsSync("/usr/bin/time")
let homes = 0
const freshHome = () => {
  const home = path.join(tmp, `home-${++homes}`)
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
  STALKEER_LOG_LEVEL: "warning",
  NO_COLOR: "1",
  ...extra
})
/** Runs the CLI; resolves with its exit code, output, wall time (s) and peak RSS (MB). */
const runCli = (cliArgs, env) =>
  new Promise((resolve, reject) => {
    const timeFile = path.join(tmp, `time-${process.hrtime.bigint()}`)
    const [cmd, argv] = hasTime
      ? ["/usr/bin/time", ["-f", "%e %M", "-o", timeFile, process.execPath, ...HEAP, cli, ...cliArgs]]
      : [process.execPath, [...HEAP, cli, ...cliArgs]]
    const started = process.hrtime.bigint()
    const child = spawn(cmd, argv, { env, stdio: ["ignore", "pipe", "pipe"] })
    const out = [], err = []
    child.stdout.on("data", (b) => out.push(b))
    child.stderr.on("data", (b) => err.push(b))
    // Without /usr/bin/time: the kernel's high-water mark of the process, read until it exits.
    let hwm = 0
    const poll = hasTime ? undefined : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))
        if (m) hwm = Math.max(hwm, Number(m[1]))
      } catch {
        // gone already
      }
    }, 20)
    child.on("error", reject)
    child.on("close", (code) => {
      if (poll) clearInterval(poll)
      const wall = Number(process.hrtime.bigint() - started) / 1e9
      let rssKb = hwm
      if (hasTime && fs.existsSync(timeFile)) {
        const t = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ")
        rssKb = Number(t[1])
        fs.rmSync(timeFile)
      }
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), wall, rssMB: rssKb / 1024 })
    })
  })
const must = async (label, cliArgs, env) => {
  const r = await runCli(cliArgs, env)
  if (r.code !== 0) throw new Error(`${label} (stalkeer ${cliArgs.join(" ")}) exited ${r.code}:\n${(r.stderr || r.stdout).trim().split("\n").slice(-15).join("\n")}`)
  return r
}
const lines = (text) => text.trim().split("\n").filter((l) => l.trim() !== "")
const firstLine = (text) => lines(text)[0] ?? ""
const lastLine = (text) => lines(text).pop() ?? ""

/** The plan's JSON lines, by item key; other lines are counted. */
const parsePlan = (stdout) => {
  const byKey = new Map()
  let other = 0
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue
    let o
    try {
      o = JSON.parse(line)
    } catch {
      other++
      continue
    }
    if (o?.kind === "movie" && o.radarrId !== undefined) byKey.set(`movie:${o.radarrId}`, o)
    else if (o?.kind === "episode" && o.sonarrEpisodeId !== undefined) byKey.set(`episode:${o.sonarrEpisodeId}`, o)
    else other++
  }
  return { byKey, other }
}
const chosenStreamId = (line) => {
  if (line?.decision !== "download" || !line.entry) return null
  if (line.entry.streamId !== undefined && line.entry.streamId !== null) return String(line.entry.streamId)
  const m = /:(\d+)$/.exec(line.entry.key ?? "")
  return m ? m[1] : `?${line.entry.key}`
}

/** Starts the fakes for a Radarr and a Sonarr library (and TMDB when `world` is given), runs `body`, closes them. */
const withFakes = ({ world, radarr, sonarr }, body) =>
  Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const tmdb = world === undefined ? undefined : yield* FakeTmdb.make(world)
    const r = yield* FakeRadarr.make(radarr, { apiKey: "0123456789abcdef0123456789abcdef" })
    const s = yield* FakeSonarr.make(sonarr, { apiKey: "fedcba9876543210fedcba9876543210" })
    return yield* Effect.tryPromise({ try: () => body({ tmdb, radarr: r, sonarr: s }), catch: (e) => e })
  })))
const arrEnv = (fakes, matching) => ({
  STALKEER_RADARR_URL: fakes.radarr.url,
  STALKEER_RADARR_API_KEY: fakes.radarr.apiKey,
  STALKEER_SONARR_URL: fakes.sonarr.url,
  STALKEER_SONARR_API_KEY: fakes.sonarr.apiKey,
  STALKEER_MATCHING_LANGUAGES: matching.languages.join(","),
  STALKEER_MATCHING_RESOLUTIONS: matching.resolutions.join(","),
  STALKEER_MATCHING_EXCLUDE: matching.exclude.join(",")
})

// =====================================================================================================================
// Quality on the labelled world
// =====================================================================================================================
const quality = async () => {
  const dir = option("--world-dir", path.join(tmp, "world"))
  execFileSync(process.execPath, [path.join(root, "bench/arr-world.mjs"), "--out-dir", dir, "--seed", seed], { stdio: ["ignore", "ignore", "inherit"] })
  const load = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"))
  const raw = load("tmdb-world.json")
  // The world as the fake takes it (as scripts/bench-enrich.mjs builds it).
  const alt = (list) => (list ?? []).map((a) => ({ iso_3166_1: a.country, title: a.title }))
  const trs = (list) => (list ?? []).map((t) => ({ iso_639_1: t.language, iso_3166_1: t.country, title: t.title }))
  const world = {
    movies: raw.movies.map((m) => ({ ...m, alternativeTitles: alt(m.alternativeTitles), translations: trs(m.translations) })),
    tv: raw.tv.map((t) => ({ ...t, alternativeTitles: alt(t.alternativeTitles), translations: trs(t.translations) }))
  }
  const radarr = load("radarr.json"), sonarr = load("sonarr.json"), matching = load("matching.json")
  const truth = readJsonl(path.join(dir, "playlist.truth.jsonl"))
  const byStream = new Map(truth.map((t) => [t.streamId, t]))
  const items = readJsonl(path.join(dir, "expected.jsonl")).filter((x) => x.key !== undefined)
  for (const x of items) {
    x.correctSet = new Set(x.correct)
  }
  const playlist = path.join(dir, "playlist.m3u")
  const dbKind = pgUrl === undefined ? "embedded" : "postgres"

  const result = await withDatabase(dbKind, (databaseUrl) =>
    withFakes({ world, radarr, sonarr }, async (fakes) => {
      const env = cliEnv(freshHome(), {
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        STALKEER_TMDB_BASE_URL: fakes.tmdb.baseUrl,
        STALKEER_TMDB_API_KEY: fakes.tmdb.apiKey,
        STALKEER_TMDB_REQUESTS_PER_SECOND: "1000",
        ...arrEnv(fakes, matching)
      })
      const ingest = await must("ingest", ["process", playlist], env)
      const enrich = await must("enrich", ["enrich"], env)
      if (noPlan) return { ingest, enrich }
      const movies = await must("radarr plan", ["radarr", "--dry-run", "--json"], env)
      const episodes = await must("sonarr plan", ["sonarr", "--dry-run", "--json"], env)
      return { ingest, enrich, movies, episodes }
    }))

  // ---- the naive strategy, over the playlist's names in order
  const SXE = /S(\d{1,2})\s*E(\d{1,3})/i
  const naive = new Map()
  for (const x of items) {
    let hit
    if (x.kind === "movie") {
      const t = x.title.toLowerCase()
      hit = truth.find((e) => e.name.toLowerCase().includes(t))
    } else {
      const t = x.series.toLowerCase()
      hit = truth.find((e) => {
        if (!e.name.toLowerCase().includes(t)) return false
        const m = SXE.exec(e.name)
        return m !== null && Number(m[1]) === x.season && Number(m[2]) === x.episode
      })
    }
    naive.set(x.key, hit ? hit.streamId : null)
  }

  // ---- ours
  const plan = new Map()
  const problems = []
  if (!noPlan) {
    for (const [label, r] of [["radarr", result.movies], ["sonarr", result.episodes]]) {
      const { byKey, other } = parsePlan(r.stdout)
      if (other > 0) problems.push(`${label}: ${other} output lines that are not a plan line`)
      for (const [k, v] of byKey) plan.set(k, v)
    }
    const keys = new Set(items.map((x) => x.key))
    const absent = items.filter((x) => !plan.has(x.key))
    const unknown = [...plan.keys()].filter((k) => !keys.has(k))
    if (absent.length) problems.push(`${absent.length} wanted items have no plan line (e.g. ${absent.slice(0, 5).map((x) => x.key).join(", ")})`)
    if (unknown.length) problems.push(`${unknown.length} plan lines name no wanted item (e.g. ${unknown.slice(0, 5).join(", ")})`)
  }
  const ours = new Map(items.map((x) => [x.key, chosenStreamId(plan.get(x.key))]))

  const score = (chosen) => {
    const rows = {}
    for (const x of items) {
      const c = chosen.get(x.key)
      const right = c !== null && x.correctSet.has(c)
      for (const bucket of ["all", x.kind === "movie" ? "movies" : "episodes", ...x.traps]) {
        const r = rows[bucket] ??= { items: 0, withCorrect: 0, findable: 0, downloads: 0, right: 0, rightFindable: 0 }
        r.items++
        if (x.hasCorrect) r.withCorrect++
        if (x.findable) r.findable++
        if (c !== null) r.downloads++
        if (right) r.right++
        if (right && x.findable) r.rightFindable++
      }
    }
    return rows
  }
  const o = score(ours), n = score(naive)

  const entryText = (id) => {
    const t = byStream.get(id)
    if (!t) return `streamId ${id} (not in the playlist)`
    const ep = t.kind === "series" ? ` S${t.season}E${t.episode}${t.episodeEnd ? `-E${t.episodeEnd}` : ""}` : ""
    return `"${t.name}" [${t.group}] = ${t.tmdbId === null ? t.work : `${t.kind === "movie" ? "movie" : "tv"} ${t.tmdbId}`}${ep}, lang ${t.lang ?? "?"}${t.excluded ? ", excluded" : ""}`
  }
  const itemText = (x) => x.kind === "movie"
    ? `${x.key} ${x.title} (${x.year}) tmdb ${x.tmdbId}`
    : `${x.key} ${x.series} S${String(x.season).padStart(2, "0")}E${String(x.episode).padStart(2, "0")} tmdb ${x.tmdbId}`

  console.log(`Plan quality, arr-world seed ${seed} (${dbKind} database): ${truth.length} entries; Radarr ${radarr.movies.length} movies, Sonarr ${sonarr.series.length} series / ${sonarr.episodes.length} episodes; ${items.length} wanted items`)
  console.log(`matching: languages ${matching.languages.join(",")}; resolutions ${matching.resolutions.join(",")}; exclude ${matching.exclude.join(" ")}`)
  console.log(`ingest: ${firstLine(result.ingest.stdout || result.ingest.stderr)} (${result.ingest.wall.toFixed(1)} s)`)
  console.log(`enrich: ${lastLine(result.enrich.stdout || result.enrich.stderr)} (${result.enrich.wall.toFixed(1)} s)`)
  if (!noPlan) {
    console.log(`radarr plan: ${result.movies.wall.toFixed(2)} s, ${result.movies.rssMB.toFixed(0)} MB peak RSS; sonarr plan: ${result.episodes.wall.toFixed(2)} s, ${result.episodes.rssMB.toFixed(0)} MB peak RSS`)
  }
  for (const p of problems) console.log(`PROBLEM: ${p}`)
  console.log("")
  console.log("| items | n | with a correct entry | findable | ours: downloads | precision | recall | recall (any) | naive: downloads | precision | recall |")
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
  const order = ["all", "movies", "episodes", ...Object.keys(o).filter((k) => !["all", "movies", "episodes"].includes(k)).sort()]
  for (const bucket of order) {
    const a = o[bucket], b = n[bucket]
    const ourCells = noPlan ? "— | — | — | —" : `${a.downloads} | ${pct(a.right, a.downloads)} | ${pct(a.rightFindable, a.findable)} | ${pct(a.right, a.withCorrect)}`
    console.log(`| ${bucket} | ${a.items} | ${a.withCorrect} | ${a.findable} | ${ourCells} | ${b.downloads} | ${pct(b.right, b.downloads)} | ${pct(b.rightFindable, b.findable)} |`)
  }
  console.log("")
  console.log("recall = correct downloads / findable items (a correct entry whose name fits only its own work); recall (any) = correct downloads / items with any correct entry.")
  if (!noPlan) {
    const wrong = items.filter((x) => ours.get(x.key) !== null && !x.correctSet.has(ours.get(x.key)))
    console.log(`\nWrong downloads (${wrong.length}):`)
    for (const x of wrong) {
      const line = plan.get(x.key)
      console.log(`- ${itemText(x)} [${x.traps.join(", ")}]: chose ${entryText(ours.get(x.key))}; correct: ${x.correct.length ? x.correct.slice(0, 3).map(entryText).join("; ") + (x.correct.length > 3 ? ` (+${x.correct.length - 3})` : "") : "none"}; confidence ${line.confidence}; reasons ${JSON.stringify(line.reasons ?? [])}`)
    }
    const missed = items.filter((x) => x.findable && ours.get(x.key) === null)
    console.log(`\nFindable items skipped (${missed.length}):`)
    for (const x of missed.slice(0, 40)) {
      console.log(`- ${itemText(x)} [${x.traps.join(", ")}]: e.g. ${entryText(x.resolvable[0])}; reasons ${JSON.stringify(plan.get(x.key)?.reasons ?? [])}`)
    }
    if (missed.length > 40) console.log(`- … ${missed.length - 40} more`)
    const targets = [["precision", o.all.right, o.all.downloads, 99.5], ["recall", o.all.rightFindable, o.all.findable, 95]]
    console.log("")
    for (const [what, a, b, target] of targets) {
      const value = b === 0 ? 0 : (100 * a) / b
      console.log(`${what} ${value.toFixed(2)} % (target ≥ ${target} %): ${value >= target ? "met" : "NOT MET"}`)
    }
    console.log(`recall (any) ${pct(o.all.right, o.all.withCorrect)}: ${o.all.withCorrect - o.all.findable} items have correct entries only under names that fit several works`)
  }
  if (flag("--keep")) console.log(`\nworld and homes kept in ${tmp}`)
}

// =====================================================================================================================
// Scale: 5,000 missing movies and 20,000 missing episodes against the 200k corpus
// =====================================================================================================================
const hash = (s) => {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}
const corpusFiles = () => {
  const cacheDir = process.env.STALKEER_BENCH_DIR ?? path.join(os.tmpdir(), "stalkeer-bench")
  const corpus = path.join(cacheDir, "seed1-200k.m3u")
  const truth = path.join(cacheDir, "seed1-200k.truth.jsonl")
  if (!fs.existsSync(corpus) || !fs.existsSync(truth)) {
    fs.mkdirSync(cacheDir, { recursive: true })
    const generator = process.env.STALKEER_GEN_PLAYLIST ?? path.resolve(root, "../shared/bench/gen-playlist.mjs")
    // Both at once (the playlist's bytes do not depend on --truth), renamed into place when complete.
    execFileSync(process.execPath, [generator, "--entries", "200000", "--seed", "1", "--out", `${corpus}.part`, "--truth", `${truth}.part`])
    fs.renameSync(`${truth}.part`, truth)
    fs.renameSync(`${corpus}.part`, corpus)
  }
  return { corpus, truth }
}
/** Radarr and Sonarr libraries from the corpus' truth: its works' titles (the English one where shown), years, episodes. */
const scaleLibraries = async (truthFile, nMovies, nEpisodes) => {
  const movies = new Map(), series = new Map()
  const lines = readline.createInterface({ input: fs.createReadStream(truthFile), crlfDelay: Infinity })
  for await (const line of lines) {
    const t = JSON.parse(line)
    if (t.work === null || t.work === undefined || t.title === null || t.malformed === "no_url") continue
    if (t.kind !== "movie" && t.kind !== "series") continue
    const into = t.kind === "movie" ? movies : series
    let w = into.get(t.work)
    if (!w) into.set(t.work, w = { work: t.work, year: t.work_year, titles: new Map(), episodes: new Set() })
    // The English title names the work in Radarr/Sonarr; another language's only when no English one is shown.
    const weight = t.lang === "EN" ? 1000 : 1
    w.titles.set(t.title, (w.titles.get(t.title) ?? 0) + weight)
    if (t.kind === "series" && t.season !== null && t.season >= 1 && t.episode !== null) w.episodes.add(`${t.season}|${t.episode}`)
  }
  const titleOf = (w) => [...w.titles].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]
  const byHash = (m) => [...m.values()].sort((a, b) => hash(`${seed}:${a.work}`) - hash(`${seed}:${b.work}`) || (a.work < b.work ? -1 : 1))
  const radarrMovies = []
  for (const w of byHash(movies)) {
    if (radarrMovies.length >= nMovies + nMovies / 10) break
    if (!w.year) continue
    const id = radarrMovies.length + 1, title = titleOf(w), hasFile = id > nMovies
    radarrMovies.push({
      id, title, originalTitle: title, year: w.year, tmdbId: 9000000 + id, path: `/movies/${title.replace(/[\\/:*?"<>|]/g, "")} (${w.year})`,
      rootFolderPath: "/movies", monitored: true, hasFile, movieFileId: hasFile ? id : 0, isAvailable: true, status: "released",
      minimumAvailability: "released", qualityProfileId: 1, added: "2025-01-02T10:00:00Z"
    })
  }
  const sonarrSeries = [], episodes = []
  for (const w of byHash(series)) {
    if (episodes.length >= nEpisodes) break
    if (w.episodes.size === 0) continue
    const id = sonarrSeries.length + 1, title = titleOf(w)
    sonarrSeries.push({
      id, title, year: w.year ?? 0, tvdbId: 9000000 + id, tmdbId: 9500000 + id, path: `/tv/${title.replace(/[\\/:*?"<>|]/g, "")}`,
      rootFolderPath: "/tv", seasonFolder: true, monitored: true, seriesType: "standard", qualityProfileId: 1, status: "ended",
      added: "2025-01-02T10:00:00Z"
    })
    // Every episode up to the highest one the corpus shows in each season: the gaps are wanted with no entry.
    const maxOf = new Map()
    for (const k of w.episodes) {
      const [s, e] = k.split("|").map(Number)
      maxOf.set(s, Math.max(maxOf.get(s) ?? 0, e))
    }
    for (const [s, max] of [...maxOf].sort((a, b) => a[0] - b[0])) {
      for (let e = 1; e <= max && episodes.length < nEpisodes; e++) {
        const eid = episodes.length + 1
        const airDate = `${Math.min(2024, (w.year || 2000) + s - 1)}-0${1 + (e % 9)}-1${e % 10}`
        episodes.push({
          id: eid, seriesId: id, tvdbId: 90000000 + eid, episodeFileId: 0, seasonNumber: s, episodeNumber: e, title: `Episode ${e}`,
          airDate, airDateUtc: `${airDate}T02:00:00Z`, runtime: 45, hasFile: false, monitored: true
        })
      }
    }
  }
  return { radarr: { movies: radarrMovies }, sonarr: { series: sonarrSeries, episodes } }
}

const scaleBench = async () => {
  const { corpus, truth } = corpusFiles()
  const libs = await scaleLibraries(truth, 5000, 20000)
  const wantedMovies = libs.radarr.movies.filter((m) => !m.hasFile).length
  console.log(`node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? "?"}); ${hasTime ? "/usr/bin/time" : "/proc VmHWM"} for peak RSS`)
  console.log(`corpus ${corpus} (${(fs.statSync(corpus).size / 1048576).toFixed(1)} MiB); Radarr ${libs.radarr.movies.length} movies (${wantedMovies} missing); Sonarr ${libs.sonarr.series.length} series, ${libs.sonarr.episodes.length} missing episodes`)
  // The quality world's preferences (bench/arr-world.mjs MATCHING).
  const matching = { languages: ["en", "fr", "de"], resolutions: ["1080p", "2160p", "720p", "480p"], exclude: ["\\b(HD)?CAM\\b", "\\b(HD)?TS\\b", "\\bTELESYNC\\b"] }
  const rows = []
  const databases = option("--databases", pgUrl === undefined ? "embedded" : "embedded,postgres").split(",")
  if (databases.includes("postgres") && pgUrl === undefined) die("--databases postgres needs --pg URL")
  for (const dbKind of databases) {
    await withDatabase(dbKind, (databaseUrl) =>
      withFakes({ radarr: libs.radarr, sonarr: libs.sonarr }, async (fakes) => {
        const env = cliEnv(freshHome(), { ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...arrEnv(fakes, matching) })
        const ingest = await must("ingest", ["process", corpus], env)
        console.log(`${dbKind}: ingest ${ingest.wall.toFixed(1)} s, ${ingest.rssMB.toFixed(0)} MB: ${firstLine(ingest.stdout || ingest.stderr)}`)
        if (noPlan) return
        for (const [label, command] of [["radarr", "radarr"], ["sonarr", "sonarr"]]) {
          const measured = []
          for (let i = 0; i < runs; i++) {
            const r = await must(`${label} plan`, [command, "--dry-run", "--json"], env)
            const { byKey } = parsePlan(r.stdout)
            const downloads = [...byKey.values()].filter((l) => l.decision === "download").length
            measured.push({ wall: r.wall, rssMB: r.rssMB, lines: byKey.size, downloads })
            process.stderr.write(`${dbKind} ${label} run ${i + 1}: ${r.wall.toFixed(2)} s, ${r.rssMB.toFixed(0)} MB, ${byKey.size} items, ${downloads} downloads\n`)
          }
          rows.push({
            db: dbKind, label, items: measured[0].lines, downloads: measured[0].downloads,
            wall: median(measured.map((m) => m.wall)), rssMB: median(measured.map((m) => m.rssMB)),
            maxWall: Math.max(...measured.map((m) => m.wall)), maxRss: Math.max(...measured.map((m) => m.rssMB))
          })
        }
      }))
  }
  if (noPlan) return
  console.log("")
  console.log(`| database | plan | wanted items | downloads | wall (median of ${runs}) | peak RSS (median) | worst wall / RSS | target |`)
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |")
  for (const r of rows) {
    const ok = r.wall <= 10 && r.rssMB <= 250
    console.log(`| ${r.db === "embedded" ? "embedded (PGlite)" : "PostgreSQL"} | \`${r.label} --dry-run --json\` | ${r.items.toLocaleString("en-US")} | ${r.downloads.toLocaleString("en-US")} | ${r.wall.toFixed(2)} s | ${r.rssMB.toFixed(0)} MB | ${r.maxWall.toFixed(2)} s / ${r.maxRss.toFixed(0)} MB | ≤ 10 s, ≤ 250 MB: ${ok ? "met" : "NOT MET"} |`)
  }
  console.log("")
  console.log("Commands:")
  console.log(`  node scripts/bench-plan.mjs --scale --runs ${runs}${pgUrl ? ` --pg ${pgUrl}` : ""}${args.includes("--databases") ? ` --databases ${databases.join(",")}` : ""}`)
  console.log(`  # each plan, with the fakes' URLs and keys: STALKEER_RADARR_URL=… STALKEER_RADARR_API_KEY=… STALKEER_SONARR_URL=… STALKEER_SONARR_API_KEY=… [DATABASE_URL=…]`)
  console.log(`  /usr/bin/time -f "%e s %M KB" node ${HEAP.join(" ")} apps/cli/dist/bin.js radarr --dry-run --json > /dev/null`)
  console.log(`  /usr/bin/time -f "%e s %M KB" node ${HEAP.join(" ")} apps/cli/dist/bin.js sonarr --dry-run --json > /dev/null`)
}

try {
  if (scale) {
    await scaleBench()
  } else {
    await quality()
  }
} catch (e) {
  process.stderr.write(`bench-plan: ${e?.stack ?? e?.message ?? String(e)}\n`)
  process.exitCode = 1
} finally {
  if (!flag("--keep")) fs.rmSync(tmp, { recursive: true, force: true })
}
