#!/usr/bin/env node
// Benchmark of identification (`stalkeer enrich`): quality on a labelled world, requests per work, re-run cost, and
// throughput on the 200k corpus — all against the fake TMDB on loopback (`@stalkeer/tmdb/testing`).
//
//   node scripts/bench-enrich.mjs [--seed 1] [--no-throughput] [--concurrency 8]
//
// Build first: `npm run build`. Quality: bench/labelled-playlist.mjs writes a playlist naming the works of
// bench/tmdb-world.json the way panels do, with the truth; it is ingested into an in-memory embedded database and
// enriched (concurrency 1, so each work's requests can be counted). A work is one media row (kind, normalised title,
// year); its truth is the set of true TMDB ids of its entries. Resolvable: exactly one true id and the name does not
// fit several works (`expectAmbiguous`). Precision = identified works whose id is their one true id / identified;
// recall = those / resolvable. In the same run, the naive strategy — the first result of one search with the title
// and year — is scored the same way. Throughput: the 200k corpus (gen-playlist --entries 200000 --seed 1), whose
// works are mostly unknown to the world (each is still searched), enriched with the rate limit lifted.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "..")
const dist = (pkg, file = "index.js") => pathToFileURL(path.join(root, "packages", pkg, "dist", file)).href
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const seed = option("--seed", "1")
const concurrency = Number(option("--concurrency", "8"))

const Effect = await import("effect/Effect")
const Layer = await import("effect/Layer")
const Stream = await import("effect/Stream")
const NodeContext = await import("@effect/platform-node/NodeContext")
const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
const SqlClient = await import("@effect/sql/SqlClient")
const { PlaylistFile } = await import(dist("m3u-parser"))
const { Classifier } = await import(dist("classifier"))
const workKey = (kind, title, year) => `${kind}|${Classifier.normalizeTitle(title)}|${year}`
const { Database, Migrations, Works, Entries } = await import(dist("store"))
const { Tmdb } = await import(dist("tmdb"))
const { FakeTmdb } = await import(dist("tmdb", "Testing.js"))
const { Settings } = await import(dist("config"))
const { Enrich, Process, Identify } = await import(dist("workflows"))

// ---- the world, as the fake takes it ----
const raw = JSON.parse(fs.readFileSync(path.join(root, "bench/tmdb-world.json"), "utf8"))
const alt = (list) => (list ?? []).map((a) => ({ iso_3166_1: a.country, title: a.title }))
const trs = (list) => (list ?? []).map((t) => ({ iso_639_1: t.language, iso_3166_1: t.country, title: t.title }))
const world = {
  movies: raw.movies.map((m) => ({ ...m, alternativeTitles: alt(m.alternativeTitles), translations: trs(m.translations) })),
  tv: raw.tv.map((t) => ({ ...t, alternativeTitles: alt(t.alternativeTitles), translations: trs(t.translations) }))
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stalkeer-bench-enrich-"))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const pct = (a, b) => (b === 0 ? "—" : `${((100 * a) / b).toFixed(1)} %`)

/** Ingest `file` into the database of the layer, then run `body` with the fake and the database. */
const withCatalogue = (file, body) =>
  Effect.gen(function*() {
    const server = yield* FakeTmdb.make(world)
    const settings = yield* Settings.load({ env: { HOME: tmp } })
    // The database the caller provides, for the ingest too.
    const database = Layer.effectContext(Effect.map(SqlClient.SqlClient, (c) => SqlClient.SqlClient.context(c)))
    const ingested = yield* Process.run({
      settings: { ...settings, ingest: { ...settings.ingest, maxDrop: 1 } },
      source: { label: file, size: undefined, stream: PlaylistFile.stream(file) },
      database
    })
    return yield* body(server, ingested)
  }).pipe(
    Effect.scoped,
    Effect.provide(Migrations.layer.pipe(Layer.provideMerge(Database.layerEmbedded({})))),
    Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici))
  )

const client = (server, extra = {}) =>
  Tmdb.layer(FakeTmdb.clientOptions(server, { requestsPerSecond: Infinity, ...extra }))

// ---- quality ----
const playlist = path.join(tmp, "labelled.m3u")
const truthFile = path.join(tmp, "labelled.jsonl")
execFileSync(process.execPath, [path.join(root, "bench/labelled-playlist.mjs"), "--out", playlist, "--truth", truthFile, "--seed", seed])
const truth = new Map()
for (const line of fs.readFileSync(truthFile, "utf8").split("\n")) {
  if (line === "") continue
  const row = JSON.parse(line)
  truth.set(Number(/\/(\d+)\.\w+$/.exec(row.url)[1]), row)
}

const quality = await Effect.runPromise(withCatalogue(playlist, (server) =>
  Effect.gen(function*() {
    const works = yield* Works.pending({ ttlDays: 30 })
    // Naive: the first result of one search, title and year, in the work's language.
    const naive = new Map()
    yield* Effect.gen(function*() {
      const tmdb = yield* Tmdb.Tmdb
      for (const w of works) {
        const query = Identify.splitCountry(w.title).title
        const page = w.kind === "movie"
          ? yield* tmdb.searchMovie({ query, year: w.year ?? undefined, language: w.language ?? "en-US" })
          : yield* tmdb.searchTv({ query, firstAirDateYear: w.year ?? undefined, language: w.language ?? "en-US" })
        naive.set(w.id, page.results[0]?.id ?? null)
      }
    }).pipe(Effect.provide(client(server)))
    yield* server.reset
    const perWork = []
    let before = 0
    const first = yield* Enrich.run({
      language: "en-US",
      cacheTtlDays: 30,
      concurrency: 1,
      onProgress: () =>
        Effect.map(server.requestCount, (n) => {
          perWork.push(n - before)
          before = n
        })
    }).pipe(Effect.provide(client(server)))
    const again = yield* Enrich.run({ language: "en-US", cacheTtlDays: 30 }).pipe(Effect.provide(client(server)))
    const entries = yield* Entries.list({ limit: 1_000_000 })
    return { works, naive, perWork, first, again, entries }
  })))

// Per work (key row): the truth of its entries, and what each strategy said.
const workOf = new Map()
for (const e of quality.entries) {
  if (e.kind !== "movie" && e.kind !== "series") continue
  const t = truth.get(Number(/\/(\d+)\.\w+$/.exec(e.urlTemplate)[1]))
  if (t === undefined) continue
  const key = workKey(e.kind, e.title, e.year)
  const w = workOf.get(key) ?? { ids: new Set(), ambiguous: false, traps: new Set(), predicted: e.tmdbId, mediaKey: key }
  w.ids.add(t.tmdbId)
  if (t.expectAmbiguous) w.ambiguous = true
  for (const trap of t.traps) w.traps.add(trap)
  workOf.set(key, w)
}
// The naive answer of a work, by its media row's title/year (the key rows the bench enumerated).
const naiveOf = new Map()
for (const w of quality.works) naiveOf.set(`${w.kind}|${w.titleKey}|${w.year}`, quality.naive.get(w.id))

const score = (predict) => {
  const rows = { all: { identified: 0, right: 0, resolvable: 0, found: 0 } }
  for (const [key, w] of workOf) {
    const trueId = w.ids.size === 1 ? [...w.ids][0] : null
    const resolvable = trueId !== null && !w.ambiguous
    const p = predict(key, w)
    for (const bucket of ["all", ...w.traps]) {
      const r = rows[bucket] ??= { identified: 0, right: 0, resolvable: 0, found: 0 }
      if (resolvable) r.resolvable++
      if (p !== null && p !== undefined) {
        r.identified++
        if (p === trueId) r.right++
        if (p === trueId && resolvable) r.found++
      }
    }
  }
  return rows
}
const ours = score((key, w) => w.predicted)
const naive = score((key) => naiveOf.get(key) ?? null)

console.log(`Labelled world: ${world.movies.length} films, ${world.tv.length} series; playlist seed ${seed}: ${truth.size} entries, ${workOf.size} works`)
console.log("")
console.log("| works | resolvable | ours: identified | precision | recall | first result: precision | recall |")
console.log("| --- | --- | --- | --- | --- | --- | --- |")
for (const bucket of Object.keys(ours).sort((a, b) => (a === "all" ? -1 : b === "all" ? 1 : a.localeCompare(b)))) {
  const o = ours[bucket]
  const n = naive[bucket]
  console.log(`| ${bucket} | ${o.resolvable} | ${o.identified} | ${pct(o.right, o.identified)} | ${pct(o.found, o.resolvable)} | ${pct(n.right, n.identified)} | ${pct(n.found, n.resolvable)} |`)
}
const f = quality.first
console.log("")
console.log(`First run: ${f.works} works, ${f.requests} requests (median ${median(quality.perWork)} per work, mean ${(f.requests / f.works).toFixed(2)}), ${f.cacheHits} cache hits; identified ${f.identified}, ambiguous ${f.ambiguous}, low confidence ${f.lowConfidence}, not found ${f.notFound}, errors ${f.errors}`)
console.log(`Re-run: ${quality.again.works} works, ${quality.again.requests} requests`)

// ---- throughput on the 200k corpus ----
if (!args.includes("--no-throughput")) {
  const cacheDir = process.env.STALKEER_BENCH_DIR ?? path.join(os.tmpdir(), "stalkeer-bench")
  const corpus = path.join(cacheDir, "seed1-200k.m3u")
  if (!fs.existsSync(corpus)) {
    fs.mkdirSync(cacheDir, { recursive: true })
    const generator = process.env.STALKEER_GEN_PLAYLIST ?? path.resolve(root, "../shared/bench/gen-playlist.mjs")
    execFileSync(process.execPath, [generator, "--entries", "200000", "--seed", "1", "--out", corpus])
  }
  const t = await Effect.runPromise(withCatalogue(corpus, (server) =>
    Effect.gen(function*() {
      const started = Date.now()
      const s = yield* Enrich.run({ language: "en-US", cacheTtlDays: 30, concurrency }).pipe(Effect.provide(client(server)))
      return { s, seconds: (Date.now() - started) / 1000 }
    })))
  console.log(`200k corpus: ${t.s.works} works in ${t.seconds.toFixed(1)} s = ${Math.round(t.s.works / t.seconds)} works/s (concurrency ${concurrency}, rate limit lifted), ${t.s.requests} requests (${(t.s.requests / t.s.works).toFixed(2)} per work); identified ${t.s.identified}, not found ${t.s.notFound}, ambiguous ${t.s.ambiguous}, low confidence ${t.s.lowConfidence}`)
}
fs.rmSync(tmp, { recursive: true, force: true })
