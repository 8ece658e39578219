#!/usr/bin/env node
// Benchmark of @stalkeer/m3u-parser against the npm parsers a user would otherwise pick.
//
//   node scripts/bench-parser.mjs [playlist.m3u] [--runs 3] [--speed] [--memory] [--correctness]
//                                 [--only <text>] [--compare <dist dir>]
//
// --only <text>: only the parsers whose name contains <text> (speed and memory).
// --compare <dir>: a side-by-side run of another build of ours (a copy of dist/ from before a change): speed runs
//   alternate between that build and the current one, run by run, so both see the same machine load.
//
// With no mode flag all three run. Build the package first: `cd packages/m3u-parser && npx tsup`.
// - speed: each parser in its own child process (so peak RSS is per parser), median of --runs runs; wall time and
//   CPU time (user + system of the child, every thread), which a loaded machine disturbs less.
// - memory: ours on a ~50 MB and a ~500 MB playlist (the 200k corpus repeated 10×), peak RSS of each.
// - correctness: tvg-name, group-title, display name and URL of every well-formed entry of the truth file,
//   and every malformed truth row reported as a warning.
// The corpus (gen-playlist --entries 200000 --seed 1) is generated into $STALKEER_BENCH_DIR (default
// <tmpdir>/stalkeer-bench) when no path is given; the generator is $STALKEER_GEN_PLAYLIST or
// ../shared/bench/gen-playlist.mjs next to the repo.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, "..")
// $STALKEER_PARSER_DIST: another build of ours (a copy of dist/ from before a change) for a side-by-side run.
const dist = process.env.STALKEER_PARSER_DIST ?? path.join(repoRoot, "packages/m3u-parser/dist")
const self = fileURLToPath(import.meta.url)

const parsers = {
  // ours, Effect API: M3u.parseFile (FileSystem stream) → entries → count
  "ours: Effect stream (file)": async (file) => {
    const { M3u } = await import(pathToFileURL(path.join(dist, "index.js")).href)
    const Effect = await import("effect/Effect")
    const Stream = await import("effect/Stream")
    const { NodeFileSystem } = await import("@effect/platform-node")
    return () =>
      Effect.runPromise(
        M3u.parseFile(file).pipe(Stream.filter(M3u.isEntry), Stream.runCount, Effect.provide(NodeFileSystem.layer))
      )
  },
  // ours, Effect API over the platform's own file stream (a fresh buffer per chunk): what a caller writes who
  // does not know PlaylistFile
  "ours: Effect M3u.parse(FileSystem.stream)": async (file) => {
    const { M3u } = await import(pathToFileURL(path.join(dist, "index.js")).href)
    const Effect = await import("effect/Effect")
    const Stream = await import("effect/Stream")
    const FileSystem = await import("@effect/platform/FileSystem")
    const { NodeFileSystem } = await import("@effect/platform-node")
    return () =>
      Effect.runPromise(
        Effect.flatMap(FileSystem.FileSystem, (fs) =>
          M3u.parse(fs.stream(file)).pipe(Stream.filter(M3u.isEntry), Stream.runCount)).pipe(
          Effect.provide(NodeFileSystem.layer)
        )
      )
  },
  "ours: streamM3u (createReadStream)": async (file) => {
    const { streamM3u } = await import(pathToFileURL(path.join(dist, "Promise.js")).href)
    return async () => {
      let n = 0
      for await (const _ of streamM3u(fs.createReadStream(file))) n++
      return n
    }
  },
  // the same entries as parseM3u keeps, from the byte path: what holding every entry costs, whatever the API
  "ours: streamM3u (createReadStream), keeping every entry": async (file) => {
    const { streamM3u } = await import(pathToFileURL(path.join(dist, "Promise.js")).href)
    return async () => {
      const all = []
      for await (const entry of streamM3u(fs.createReadStream(file))) all.push(entry)
      return all.length
    }
  },
  "ours: parseM3u (readFileSync string)": async (file) => {
    const { parseM3u } = await import(pathToFileURL(path.join(dist, "Promise.js")).href)
    return () => parseM3u(fs.readFileSync(file, "utf8")).entries.length
  },
  "iptv-playlist-parser": async (file) => {
    const parser = createRequire(import.meta.url)("iptv-playlist-parser")
    return () => parser.parse(fs.readFileSync(file, "utf8")).items.length
  },
  "m3u-parser-generator": async (file) => {
    const { M3uParser } = await import("m3u-parser-generator")
    return () => new M3uParser().parse(fs.readFileSync(file, "utf8")).medias.length
  }
}

// ---- child: one parser, one run, one JSON line ----
if (process.argv[2] === "--child") {
  const [, , , name, file] = process.argv
  const run = await parsers[name](file)
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const entries = await run()
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const c1 = process.cpuUsage(c0)
  const cpuSeconds = (c1.user + c1.system) / 1e6 // every thread of the process (GC helpers too): steadier under load
  process.stdout.write(JSON.stringify({ entries, seconds, cpuSeconds, rssMB: process.resourceUsage().maxRSS / 1024 }) + "\n")
  process.exit(0)
}

const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const runs = Number(option("--runs", "3"))
const withValue = ["--runs", "--only", "--compare"]
const positional = args.filter((a, i) => !a.startsWith("--") && !withValue.includes(args[i - 1] ?? ""))
const only = option("--only", undefined)
const compare = option("--compare", undefined)
const selected = (names) => names.filter((name) => only === undefined || name.includes(only))
const modes = ["--speed", "--memory", "--correctness"].filter(flag)
const all = modes.length === 0

if (!fs.existsSync(path.join(dist, "index.js"))) {
  console.error(`No build in ${dist}: run \`cd packages/m3u-parser && npx tsup\` first.`)
  process.exit(1)
}

const cacheDir = process.env.STALKEER_BENCH_DIR ?? path.join(os.tmpdir(), "stalkeer-bench")
const generator = process.env.STALKEER_GEN_PLAYLIST ?? path.resolve(repoRoot, "../shared/bench/gen-playlist.mjs")
const corpus = () => {
  const out = path.join(cacheDir, "seed1-200k.m3u")
  const truth = path.join(cacheDir, "seed1-200k.truth.jsonl")
  if (!fs.existsSync(out) || !fs.existsSync(truth)) {
    if (!fs.existsSync(generator)) throw new Error(`generator not found: ${generator} (set STALKEER_GEN_PLAYLIST)`)
    fs.mkdirSync(cacheDir, { recursive: true })
    console.error(`generating ${out} …`)
    execFileSync(process.execPath, [generator, "--entries", "200000", "--seed", "1", "--out", out + ".tmp", "--truth", truth + ".tmp"])
    fs.renameSync(truth + ".tmp", truth)
    fs.renameSync(out + ".tmp", out)
  }
  return { file: out, truth }
}
const given = positional[0]
const playlist = given ?? corpus().file
const truthFile = given
  ? [given.replace(/\.m3u$/, ".truth.jsonl"), given + ".truth.jsonl"].find((f) => fs.existsSync(f))
  : corpus().truth

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const child = (name, file, build = dist) =>
  JSON.parse(execFileSync(process.execPath, [self, "--child", name, file], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    env: { ...process.env, STALKEER_PARSER_DIST: build }
  }))
const summary = (results) =>
  ({
    entries: results[0].entries,
    seconds: median(results.map((r) => r.seconds)),
    cpuSeconds: median(results.map((r) => r.cpuSeconds)),
    rssMB: median(results.map((r) => r.rssMB))
  })
const measure = (name, file, n) => summary(Array.from({ length: n }, () => child(name, file)))
/** The same parser from two builds, run by run in turn (old first, then new), so both see the same load. */
const measurePair = (name, file, n) => {
  const before = []
  const after = []
  for (let i = 0; i < n; i++) {
    before.push(child(name, file, compare))
    after.push(child(name, file))
  }
  return [summary(before), summary(after)]
}
const table = (rows) => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)))
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join("  "))
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "))
  }
}

console.log(`node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? "?"})`)
console.log(`playlist ${playlist} (${(fs.statSync(playlist).size / 1048576).toFixed(1)} MiB)`)
console.log(compare === undefined ? `build ${dist}\n` : `builds: [before] ${compare}, [after] ${dist}\n`)

if (all || flag("--speed")) {
  console.log(`## speed: median of ${runs} runs, each in its own process (in-process time, excludes module load)\n`)
  const rows = [["parser", "entries", "seconds", "entries/s", "CPU s", "entries/CPU s", "peak RSS MB"]]
  const row = (name, r) =>
    [name, r.entries, r.seconds.toFixed(3), Math.round(r.entries / r.seconds).toLocaleString("en-US"),
      r.cpuSeconds.toFixed(3), Math.round(r.entries / r.cpuSeconds).toLocaleString("en-US"), r.rssMB.toFixed(0)]
  for (const name of selected(Object.keys(parsers))) {
    if (compare !== undefined && name.startsWith("ours")) {
      const [before, after] = measurePair(name, playlist, runs)
      rows.push(row(`${name} [before]`, before), row(`${name} [after]`, after))
    } else {
      rows.push(row(name, measure(name, playlist, runs)))
    }
  }
  table(rows)
  console.log()
}

if (all || flag("--memory")) {
  const big = path.join(cacheDir, "seed1-200k-x10.m3u")
  if (!fs.existsSync(big)) {
    fs.mkdirSync(cacheDir, { recursive: true })
    const tmp = big + ".tmp"
    fs.writeFileSync(tmp, "")
    for (let i = 0; i < 10; i++) fs.appendFileSync(tmp, fs.readFileSync(playlist))
    fs.renameSync(tmp, big)
  }
  const mb = (f) => (fs.statSync(f).size / 1048576).toFixed(0)
  console.log(`## memory: peak RSS on ${mb(playlist)} MiB vs ${mb(big)} MiB (the same playlist 10×), median of ${runs}\n`)
  const rows = [["parser", `RSS ${mb(playlist)} MiB`, `RSS ${mb(big)} MiB`, "difference MB", `entries/s (${mb(big)} MiB)`]]
  const row = (name, small, large) =>
    [name, small.rssMB.toFixed(0), large.rssMB.toFixed(0), (large.rssMB - small.rssMB).toFixed(1),
      Math.round(large.entries / large.seconds).toLocaleString("en-US")]
  for (const name of selected(["ours: Effect stream (file)", "ours: Effect M3u.parse(FileSystem.stream)", "ours: streamM3u (createReadStream)"])) {
    if (compare !== undefined) {
      const [smallBefore, smallAfter] = measurePair(name, playlist, runs)
      const [largeBefore, largeAfter] = measurePair(name, big, runs)
      rows.push(row(`${name} [before]`, smallBefore, largeBefore), row(`${name} [after]`, smallAfter, largeAfter))
    } else {
      rows.push(row(name, measure(name, playlist, runs), measure(name, big, runs)))
    }
  }
  table(rows)
  console.log()
}

if (all || flag("--correctness")) {
  console.log("## correctness vs the truth file (join by URL; group-title is read from the raw #EXTINF line at truth.line)\n")
  if (!truthFile) {
    console.log(`no truth file next to ${playlist}; skipped`)
  } else {
    const { streamM3u } = await import(pathToFileURL(path.join(dist, "Promise.js")).href)
    const byUrl = new Map()
    const warnings = new Map() // line -> kinds
    for await (const entry of streamM3u(fs.createReadStream(playlist), {
      onWarning: (w) => warnings.set(w.line, [...(warnings.get(w.line) ?? []), w.kind])
    })) byUrl.set(entry.url, entry)
    const lines = fs.readFileSync(playlist, "utf8").split(/\r\n|\n|\r/)
    const groupOf = (line) => /group-title="([^"]*)"/i.exec(lines[line - 1] ?? "")?.[1] ?? null
    const expectedWarning = { no_url: "NoUrl", orphan_url: "OrphanUrl", unterminated_quote: "UnterminatedQuote" }
    const c = { wellFormed: 0, found: 0, tvgName: 0, group: 0, display: 0, rawQuote: 0, rawQuoteOk: 0, malformed: 0, reported: 0 }
    const misses = []
    for (const row of fs.readFileSync(truthFile, "utf8").split("\n")) {
      if (!row) continue
      const t = JSON.parse(row)
      if (t.malformed) {
        c.malformed++
        if ((warnings.get(t.line) ?? []).includes(expectedWarning[t.malformed])) c.reported++
        else if (misses.length < 5) misses.push(`malformed ${t.malformed} at line ${t.line} not reported`)
        continue
      }
      c.wellFormed++
      const e = byUrl.get(t.url)
      if (!e) continue
      c.found++
      const nameOk = e.tvgName === t.tvg_name
      if (nameOk) c.tvgName++
      else if (misses.length < 5) misses.push(`tvg-name at line ${t.line}: ${JSON.stringify(e.tvgName)} ≠ ${JSON.stringify(t.tvg_name)}`)
      if (e.groupTitle === groupOf(t.line)) c.group++
      if (e.name === (t.display ?? t.tvg_name ?? "").trim()) c.display++
      if (t.quirks.includes("raw_dquote")) {
        c.rawQuote++
        if (nameOk) c.rawQuoteOk++
      }
    }
    const pct = (n, d) => `${n}/${d} (${((100 * n) / d).toFixed(3)}%)`
    console.log(`well-formed entries found by URL: ${pct(c.found, c.wellFormed)}`)
    console.log(`tvg-name exact:                  ${pct(c.tvgName, c.wellFormed)}  (raw-quote titles: ${c.rawQuoteOk}/${c.rawQuote})`)
    console.log(`group-title exact:               ${pct(c.group, c.wellFormed)}`)
    console.log(`display name exact (trimmed):    ${pct(c.display, c.wellFormed)}`)
    console.log(`URL exact (join key):            ${pct(c.found, c.wellFormed)}`)
    console.log(`malformed rows reported:         ${pct(c.reported, c.malformed)}`)
    for (const m of misses) console.log("  e.g. " + m)
  }
}
