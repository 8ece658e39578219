#!/usr/bin/env node
// Accuracy and speed of @stalkeer/classifier against the generator's ground truth, with
// parse-torrent-title on the same names in the same run.
//
//   (cd packages/classifier && npx tsup) && node scripts/bench-classifier.mjs [--seeds 1,2,3] [--corpus DIR]
//        [--passes 5] [--no-ptt] [--failures 8] [--entries 200000] [--neutral-urls] [--dist FILE]
//
// --neutral-urls adds, per seed, the kind accuracy once the Xtream path is taken out of every URL, as on
// ordinary (non-Xtream) playlists: `http://H/movie/U/P/123.mkv` → `http://H/123.mkv` ("neutral"), and the same
// without any extension, `http://H/123` ("no-ext"), beside the original URLs. Per true kind (with what each was
// typed as) and per real_style:n quirk.
//
// Corpus: DIR/seedN.m3u + DIR/seedN.truth.jsonl (default DIR /tmp/corpus). When missing, the generator
// (../shared/bench/gen-playlist.mjs from the repo root, or $STALKEER_GEN_PLAYLIST) writes them into
// <os.tmpdir()>/stalkeer-classifier-bench/ and later runs reuse them.
//
// Input to classify(): { name: display ?? tvg_name, tvgName: tvg_name, groupTitle, url, attributes }.
// The truth has no group title, so the #EXTINF line named by the truth row's `line` is read from the
// playlist (with a tiny line reader, not @stalkeer/m3u-parser) for group-title and the other attributes;
// a preceding #EXTGRP line is used when group-title is absent.
import { spawnSync } from "node:child_process"
import fs from "node:fs"
import { createRequire } from "node:module"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, "..")
const require = createRequire(import.meta.url)

const argv = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : dflt
}
const flag = (name) => argv.includes(`--${name}`)
const seeds = opt("seeds", "1,2,3").split(",").map((s) => s.trim()).filter(Boolean)
const corpusDir = opt("corpus", "/tmp/corpus")
const passes = Number(opt("passes", "5"))
const pttPasses = Number(opt("ptt-passes", "3"))
const failuresShown = Number(opt("failures", "8"))
const entries = opt("entries", "200000")
const runPtt = !flag("no-ptt")
const neutralUrls = flag("neutral-urls")

// --dist FILE: another build of the classifier (e.g. of an older commit) to compare with in the same session.
const distEntry = path.resolve(opt("dist", path.join(repoRoot, "packages/classifier/dist/index.js")))
if (!fs.existsSync(distEntry)) {
  console.error(`missing ${distEntry}: build first with (cd packages/classifier && npx tsup)`)
  process.exit(1)
}
const { Classifier } = await import(distEntry)
const ptt = runPtt ? require("parse-torrent-title") : null

// ---------------------------------------------------------------------------------------------- corpus
const corpusFor = (seed) => {
  const m3u = path.join(corpusDir, `seed${seed}.m3u`)
  const truth = path.join(corpusDir, `seed${seed}.truth.jsonl`)
  if (fs.existsSync(m3u) && fs.existsSync(truth)) return { m3u, truth }
  const cache = path.join(os.tmpdir(), "stalkeer-classifier-bench")
  fs.mkdirSync(cache, { recursive: true })
  const cm3u = path.join(cache, `seed${seed}-${entries}.m3u`)
  const ctruth = path.join(cache, `seed${seed}-${entries}.truth.jsonl`)
  if (!fs.existsSync(cm3u) || !fs.existsSync(ctruth)) {
    const gen = process.env.STALKEER_GEN_PLAYLIST ?? path.resolve(repoRoot, "../shared/bench/gen-playlist.mjs")
    if (!fs.existsSync(gen)) {
      console.error(`no corpus for seed ${seed} in ${corpusDir} and no generator at ${gen}`)
      process.exit(1)
    }
    console.error(`generating seed ${seed} (${entries} entries) into ${cache} …`)
    const r = spawnSync(process.execPath, [gen, "--entries", entries, "--seed", seed, "--out", cm3u, "--truth", ctruth], { stdio: "inherit" })
    if (r.status !== 0) process.exit(1)
  }
  return { m3u: cm3u, truth: ctruth }
}

const ATTR = /([A-Za-z0-9_-]+)="([^"]*)"/g
const load = ({ m3u, truth }) => {
  const lines = fs.readFileSync(m3u, "utf8").split("\n")
  const rows = []
  for (const l of fs.readFileSync(truth, "utf8").split("\n")) {
    if (l.length === 0) continue
    const t = JSON.parse(l)
    let line = lines[t.line - 1] ?? ""
    if (line.endsWith("\r")) line = line.slice(0, -1)
    const attributes = {}
    if (line.startsWith("#EXTINF")) {
      ATTR.lastIndex = 0
      let m
      while ((m = ATTR.exec(line)) !== null) attributes[m[1].toLowerCase()] = m[2]
    }
    let groupTitle = attributes["group-title"] ?? null
    if (groupTitle === null) {
      for (let k = t.line - 2; k >= Math.max(0, t.line - 4); k--) {
        const p = lines[k] ?? ""
        if (p.startsWith("#EXTGRP:")) {
          groupTitle = p.slice(8).replace(/\r$/, "").trim()
          break
        }
        if (!p.startsWith("#EXTVLCOPT") && p.trim() !== "") break
      }
    }
    const input = { name: t.display ?? t.tvg_name ?? "", tvgName: t.tvg_name, groupTitle, url: t.url, attributes }
    rows.push({ t, input, styles: t.quirks.filter((q) => q.startsWith("real_style:")).map((q) => q.slice(11)) })
  }
  return rows
}

// ---------------------------------------------------------------------------------------------- scoring
const norm = (s) => (s == null ? null : String(s).toLowerCase().replace(/\s+/g, " ").trim())
const lower = (s) => (s == null ? null : String(s).toLowerCase())
const pct = (ok, n) => (n === 0 ? "   n/a" : `${((100 * ok) / n).toFixed(2).padStart(6)}`)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const FIELDS = {
  kind: { applies: () => true, ok: (t, c) => c.kind === t.kind, exp: (t) => t.kind, got: (c) => c.kind },
  title: { applies: (t) => t.title !== null, ok: (t, c) => norm(c.title) === norm(t.title), exp: (t) => t.title, got: (c) => c.title },
  year: { applies: (t) => t.kind !== "live", ok: (t, c) => (c.year ?? null) === t.year, exp: (t) => t.year, got: (c) => c.year },
  "season+episode": { applies: (t) => t.kind === "series", ok: (t, c) => (c.season ?? null) === t.season && (c.episode ?? null) === t.episode, exp: (t) => `S${t.season}E${t.episode}`, got: (c) => `S${c.season}E${c.episode}` },
  resolution: { applies: () => true, ok: (t, c) => (c.resolution ?? null) === t.resolution, exp: (t) => t.resolution, got: (c) => c.resolution },
  language: { applies: () => true, ok: (t, c) => (c.language ?? null) === lower(t.lang), exp: (t) => t.lang, got: (c) => c.language },
  "subtitles (info)": { applies: () => true, ok: (t, c) => (c.subtitles ?? null) === lower(t.subs), exp: (t) => t.subs, got: (c) => c.subtitles },
  "multiAudio (info)": { applies: () => true, ok: (t, c) => Boolean(c.multiAudio) === Boolean(t.multi), exp: (t) => t.multi, got: (c) => c.multiAudio },
  "platform (info)": { applies: () => true, ok: (t, c) => (c.platform ?? null) === t.platform, exp: (t) => t.platform, got: (c) => c.platform }
}
const TARGETS = { kind: 99.9, title: 98, year: 99.5, "season+episode": 99.8, resolution: 99, language: 97 }

const pttAdapter = (name, url) => {
  const r = ptt.parse(name ?? "")
  const res = r.resolution === "4k" || r.resolution === "2160p" ? "2160p" : ["1080p", "720p", "480p"].includes(r.resolution) ? r.resolution : null
  const lang = (r.languagelist ?? []).find((l) => l !== "multi" && l.length === 2) ?? null
  // parse-torrent-title has no notion of kind: give it the URL path, the same evidence we use.
  const kind = /\/series\//.test(url ?? "") ? "series" : /\/movie\//.test(url ?? "") ? "movie" : "live"
  return { kind, title: r.title ?? null, year: r.year ?? null, season: r.season ?? null, episode: r.episode ?? null, resolution: res, language: lang, subtitles: null, multiAudio: (r.languagelist ?? []).includes("multi"), platform: null }
}

const score = (rows, results) => {
  const out = {}
  for (const [f, def] of Object.entries(FIELDS)) {
    let n = 0
    let ok = 0
    for (let i = 0; i < rows.length; i++) {
      const t = rows[i].t
      if (t.malformed !== null || !def.applies(t)) continue
      n++
      if (def.ok(t, results[i])) ok++
    }
    out[f] = { n, ok }
  }
  return out
}

// ---------------------------------------------------------------------------------------------- neutral URLs
// The Xtream path (`/movie/U/P/`, `/series/U/P/`, `/live/U/P/`, bare `/U/P/`) decides the kind outright; ordinary
// playlists have none. These variants keep only the host and the stream id, with or without the extension.
const XTREAM = /^([a-z][a-z0-9+.-]*:\/\/[^/]+)\/(?:(?:movie|movies|series|live|vod)\/)?[^/]+\/[^/]+\/(\d+)(\.[A-Za-z0-9]{1,5})?$/i
const URL_VARIANTS = {
  original: (u) => u,
  neutral: (u) => (u == null ? u : u.replace(XTREAM, (_, host, id, ext) => `${host}/${id}${ext ?? ""}`)),
  "no-ext": (u) => (u == null ? u : u.replace(XTREAM, (_, host, id) => `${host}/${id}`))
}
const KINDS = ["movie", "series", "live", "unknown"]

const neutralSection = (rows, originalResults) => {
  console.log(`\nkind with neutral URLs (--neutral-urls): "neutral" = Xtream path removed (http://H/123.mkv), "no-ext" = also no extension (http://H/123);`)
  console.log(`unknown counts as a miss; "live→movie" and "movie precision" are the figures that matter for matching (a channel typed as a film).`)
  const perVariant = {}
  for (const [variant, rewrite] of Object.entries(URL_VARIANTS)) {
    const results = variant === "original" ? originalResults : rows.map((r) => Classifier.classify({ ...r.input, url: rewrite(r.input.url) }))
    const byKind = {}
    const byStyle = new Map()
    let n = 0
    let ok = 0
    let typedMovie = 0
    let typedMovieOk = 0
    for (let i = 0; i < rows.length; i++) {
      const { t, styles } = rows[i]
      if (t.malformed !== null) continue
      const got = results[i].kind
      n++
      if (got === t.kind) ok++
      if (got === "movie") {
        typedMovie++
        if (t.kind === "movie") typedMovieOk++
      }
      const k = (byKind[t.kind] ??= { n: 0, ok: 0, as: {} })
      k.n++
      if (got === t.kind) k.ok++
      k.as[got] = (k.as[got] ?? 0) + 1
      for (const st of styles.length > 0 ? styles : ["none"]) {
        const e = byStyle.get(st) ?? { n: 0, ok: 0 }
        e.n++
        if (got === t.kind) e.ok++
        byStyle.set(st, e)
      }
    }
    perVariant[variant] = { n, ok, byKind, byStyle, typedMovie, typedMovieOk }
  }
  const variants = Object.keys(URL_VARIANTS)
  console.log(`| true kind | rows | ${variants.map((v) => `${v} %`).join(" | ")} | ${variants.slice(1).map((v) => `${v}: typed as ${KINDS.join(" / ")}`).join(" | ")} |`)
  console.log(`| --- | ---: | ${variants.map(() => "---:").join(" | ")} | ${variants.slice(1).map(() => "---").join(" | ")} |`)
  for (const kind of ["movie", "series", "live"]) {
    const k0 = perVariant.original.byKind[kind]
    if (!k0) continue
    const cells = variants.map((v) => pct(perVariant[v].byKind[kind].ok, perVariant[v].byKind[kind].n).trim())
    const as = variants.slice(1).map((v) => KINDS.map((g) => perVariant[v].byKind[kind].as[g] ?? 0).join(" / "))
    console.log(`| ${kind} | ${k0.n} | ${cells.join(" | ")} | ${as.join(" | ")} |`)
  }
  console.log(`| all | ${perVariant.original.n} | ${variants.map((v) => `${pct(perVariant[v].ok, perVariant[v].n).trim()}${v === "original" ? "" : perVariant[v].ok / perVariant[v].n >= 0.97 ? " ✓" : " ✗"}`).join(" | ")} | target 97 (neutral, no-ext), 100 (original) | |`)
  console.log(`| movie precision (typed movie that are movies) | | ${variants.map((v) => `${pct(perVariant[v].typedMovieOk, perVariant[v].typedMovie).trim()} of ${perVariant[v].typedMovie}`).join(" | ")} | | |`)
  console.log(`\nkind per style with neutral URLs:`)
  console.log(`| style | rows | ${variants.join(" | ")} |`)
  console.log(`| --- | ---: | ${variants.map(() => "---:").join(" | ")} |`)
  const keys = [...Array.from({ length: 20 }, (_, i) => String(i + 1)), "none"]
  for (const key of keys) {
    const e0 = perVariant.original.byStyle.get(key)
    if (!e0) continue
    console.log(`| ${key} | ${e0.n} | ${variants.map((v) => { const e = perVariant[v].byStyle.get(key); return `${pct(e.ok, e.n).trim()} (${e.n - e.ok} miss)` }).join(" | ")} |`)
  }
  if (failuresShown > 0) {
    for (const v of variants.slice(1)) {
      const results = rows.map((r) => Classifier.classify({ ...r.input, url: URL_VARIANTS[v](r.input.url) }))
      const shapes = new Map()
      for (let i = 0; i < rows.length; i++) {
        const t = rows[i].t
        if (t.malformed !== null || results[i].kind === t.kind) continue
        const name = rows[i].input.tvgName || rows[i].input.name
        const key = `${t.kind}→${results[i].kind}|${rows[i].input.groupTitle}|${name.replace(/\p{L}+/gu, "a").replace(/\d+/g, "0")}`
        const e = shapes.get(key)
        if (e) e.count++
        else shapes.set(key, { count: 1, i, got: results[i].kind })
      }
      const top = [...shapes.values()].sort((a, b) => b.count - a.count).slice(0, failuresShown)
      console.log(`\ntop kind misses with ${v} URLs:`)
      for (const { count, i, got } of top) {
        const r = rows[i]
        console.log(`    ×${count} ${JSON.stringify(r.input.tvgName || r.input.name)} [group ${JSON.stringify(r.input.groupTitle)}] ${URL_VARIANTS[v](r.input.url)} expected=${r.t.kind} got=${got}`)
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------- run
console.log(`# @stalkeer/classifier bench  (node ${process.version}, ${os.cpus().length} cpu, ${os.cpus()[0]?.model ?? "?"}, load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(" ")})`)
console.log(`Scoring rules:
  * malformed rows (truth.malformed != null: no_url, orphan_url, unterminated_quote) are EXCLUDED from every denominator;
  * kind: all rows; a separator is correct when classified "live" (the truth's kind for separators; we never return "unknown" for them);
  * title: rows whose truth title is non-null (separators have null), exact after lower-casing and collapsing white space;
  * year: movie + series rows (live is always null), null = null counts as correct;
  * season+episode: series rows, both equal (null season = null for absolute/Arabic/Turkish single-season forms);
  * resolution: all rows, null = null counts;
  * language: all rows; correct when our \`language\` equals the truth \`lang\` lower-cased (null = null counts).
    We never output "multi" as a language: MULTI/DUAL entries keep their audio language (the truth's \`lang\`), and
    multi-audio is scored separately as \`multiAudio\` vs truth \`multi\` (informational);
  * subtitles / multiAudio / platform: informational, same null = null rule.
  * speed: median of ${passes} timed passes of classify() over every name (no I/O, inputs prebuilt); parse-torrent-title: median of ${pttPasses}.`)

const perSeed = []
for (const seed of seeds) {
  const corpus = corpusFor(seed)
  const rows = load(corpus)
  const inputs = rows.map((r) => r.input)

  // Warm-up, then timed passes.
  let results = inputs.map((x) => Classifier.classify(x))
  const times = []
  for (let p = 0; p < passes; p++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < inputs.length; i++) results[i] = Classifier.classify(inputs[i])
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  const ms = median(times)
  const ours = score(rows, results)

  let theirs = null
  let pttMs = null
  let pttResults = null
  if (runPtt) {
    const names = rows.map((r) => (r.input.tvgName && r.input.tvgName.trim() ? r.input.tvgName : r.input.name))
    const urls = rows.map((r) => r.input.url)
    const pt = []
    for (let p = 0; p < pttPasses; p++) {
      const t0 = process.hrtime.bigint()
      pttResults = names.map((n, i) => pttAdapter(n, urls[i]))
      pt.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
    pttMs = median(pt)
    theirs = score(rows, pttResults)
  }

  console.log(`\n## seed ${seed}: ${rows.length} truth rows (${rows.filter((r) => r.t.malformed !== null).length} malformed excluded), ${corpus.m3u}`)
  console.log(`| field | denominator | @stalkeer/classifier % | target | parse-torrent-title % |`)
  console.log(`| --- | ---: | ---: | ---: | ---: |`)
  for (const f of Object.keys(FIELDS)) {
    const o = ours[f]
    const target = TARGETS[f] !== undefined ? `${TARGETS[f]}${(100 * o.ok) / o.n >= TARGETS[f] ? " ✓" : " ✗"}` : "info"
    const th = theirs ? pct(theirs[f].ok, theirs[f].n) : "-"
    console.log(`| ${f} | ${o.n} | ${pct(o.ok, o.n)} | ${target} | ${f === "kind" ? `${th} (kind from URL path)` : th} |`)
  }
  const rate = Math.round(inputs.length / (ms / 1000))
  const best = Math.min(...times)
  console.log(`| names/s | ${inputs.length} | ${rate.toLocaleString("en-US")} (median ${ms.toFixed(0)} ms, ${((ms * 1000) / inputs.length).toFixed(2)} µs/name; best pass ${Math.round(inputs.length / (best / 1000)).toLocaleString("en-US")}/s) | 200,000${rate >= 200000 ? " ✓" : " ✗"} | ${pttMs ? `${Math.round(inputs.length / (pttMs / 1000)).toLocaleString("en-US")} (median ${pttMs.toFixed(0)} ms)` : "-"} |`)
  console.log(`${pttMs ? `speed ratio in this run: ${(pttMs / ms).toFixed(1)}× parse-torrent-title; ` : ""}load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`)

  // Title by kind.
  const byKind = {}
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i].t
    if (t.malformed !== null || t.title === null) continue
    const k = (byKind[t.kind] ??= { n: 0, ok: 0 })
    k.n++
    if (FIELDS.title.ok(t, results[i])) k.ok++
  }
  console.log(`title by kind: ${Object.entries(byKind).map(([k, v]) => `${k} ${pct(v.ok, v.n).trim()}% of ${v.n}`).join(", ")}`)

  // Per style.
  const styleKeys = [...Array.from({ length: 20 }, (_, i) => String(i + 1)), "none"]
  const styles = new Map(styleKeys.map((k) => [k, { n: 0, f: {} }]))
  const perStyleFields = ["title", "year", "season+episode", "language", "resolution"]
  for (let i = 0; i < rows.length; i++) {
    const { t, styles: st } = rows[i]
    if (t.malformed !== null) continue
    for (const key of st.length > 0 ? st : ["none"]) {
      const s = styles.get(key)
      if (!s) continue
      s.n++
      for (const f of perStyleFields) {
        if (!FIELDS[f].applies(t)) continue
        const a = (s.f[f] ??= { n: 0, ok: 0 })
        a.n++
        if (FIELDS[f].ok(t, results[i])) a.ok++
      }
    }
  }
  console.log(`\nper style (real_style:n from the truth's quirks; an entry with several styles counts in each):`)
  console.log(`| style | rows | ${perStyleFields.join(" | ")} |`)
  console.log(`| --- | ---: | ${perStyleFields.map(() => "---:").join(" | ")} |`)
  for (const [k, s] of styles) {
    if (s.n === 0) continue
    console.log(`| ${k} | ${s.n} | ${perStyleFields.map((f) => (s.f[f] ? `${pct(s.f[f].ok, s.f[f].n).trim()} (${s.f[f].n - s.f[f].ok} miss)` : "-")).join(" | ")} |`)
  }

  // Failures.
  if (failuresShown > 0) {
    console.log(`\ntop failures (up to ${failuresShown} per field, most frequent name shapes first):`)
    for (const [f, def] of Object.entries(FIELDS)) {
      if (f.endsWith("(info)") && f !== "subtitles (info)") continue
      const fails = []
      for (let i = 0; i < rows.length; i++) {
        const t = rows[i].t
        if (t.malformed !== null || !def.applies(t) || def.ok(t, results[i])) continue
        fails.push(i)
      }
      if (fails.length === 0) continue
      // Group by a shape key (digits and letters folded) so one bad rule shows once with its count.
      const shapes = new Map()
      for (const i of fails) {
        const name = rows[i].input.tvgName || rows[i].input.name
        const key = `${String(def.exp(rows[i].t))}→${String(def.got(results[i]))}|${name.replace(/\p{L}+/gu, "a").replace(/\d+/g, "0")}`
        const e = shapes.get(key)
        if (e) e.count++
        else shapes.set(key, { count: 1, i })
      }
      const top = [...shapes.values()].sort((a, b) => b.count - a.count).slice(0, failuresShown)
      console.log(`- ${f}: ${fails.length} misses`)
      for (const { count, i } of top) {
        const r = rows[i]
        console.log(`    ×${count} ${JSON.stringify(r.input.tvgName || r.input.name)} [group ${JSON.stringify(r.input.groupTitle)}] styles=${r.styles.join(",") || "-"} expected=${JSON.stringify(def.exp(r.t))} got=${JSON.stringify(def.got(results[i]))}`)
      }
    }
  }
  if (neutralUrls) neutralSection(rows, results)
  perSeed.push({ seed, ours, theirs, rate, pttRate: pttMs ? Math.round(inputs.length / (pttMs / 1000)) : null })
}

if (perSeed.length > 1) {
  console.log(`\n## summary`)
  console.log(`| field | ${perSeed.map((p) => `seed ${p.seed}`).join(" | ")} | target |`)
  console.log(`| --- | ${perSeed.map(() => "---:").join(" | ")} | ---: |`)
  for (const f of Object.keys(TARGETS)) console.log(`| ${f} | ${perSeed.map((p) => pct(p.ours[f].ok, p.ours[f].n).trim()).join(" | ")} | ${TARGETS[f]} |`)
  console.log(`| names/s | ${perSeed.map((p) => p.rate.toLocaleString("en-US")).join(" | ")} | 200,000 |`)
  if (runPtt) console.log(`| ptt names/s | ${perSeed.map((p) => p.pttRate.toLocaleString("en-US")).join(" | ")} | - |`)
}
