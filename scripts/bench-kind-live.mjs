#!/usr/bin/env node
// Kind of the entries of live-TV and radio playlists in the style of public ones (no Xtream paths), written by
// packages/classifier/test/fixtures/live-playlist.mjs. Every entry is a channel or a station, so the figure that
// matters is the share typed neither movie nor series (target >= 99 %): a channel typed as a film could later be
// matched to a film and downloaded.
//
//   (cd packages/classifier && npx tsup) && node scripts/bench-kind-live.mjs [--seeds 1,2,3] [--channels 3000]
//        [--radio 600] [--failures 10] [--dist FILE] [--bare]
//
// --bare drops every attribute but group-title and tvg-name (no tvg-id, logo, catchup, radio="true"): how far
// names, groups and URLs alone go.
//
// Input to classify(): what @stalkeer/m3u-parser would give — name (text after the comma), tvgName, groupTitle
// (#EXTGRP as a fallback), the URL as written (with any Kodi `|User-Agent=` suffix), attributes with lower-cased keys.
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, "..")
const argv = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : dflt
}
const seeds = opt("seeds", "1,2,3").split(",").map((s) => s.trim()).filter(Boolean)
const channels = Number(opt("channels", "3000"))
const radio = Number(opt("radio", "600"))
const failuresShown = Number(opt("failures", "10"))
const bare = argv.includes("--bare")

// --dist FILE: another build of the classifier (e.g. of an older commit) to compare with in the same session.
const distEntry = path.resolve(opt("dist", path.join(repoRoot, "packages/classifier/dist/index.js")))
if (!fs.existsSync(distEntry)) {
  console.error(`missing ${distEntry}: build first with (cd packages/classifier && npx tsup)`)
  process.exit(1)
}
const { Classifier } = await import(distEntry)
const { generate } = await import(path.join(repoRoot, "packages/classifier/test/fixtures/live-playlist.mjs"))

const ATTR = /([A-Za-z0-9_-]+)="([^"]*)"/g
/** A tiny M3U reader: enough for the generator's output. */
const read = (text) => {
  const entries = []
  let pending = null
  let extgrp = null
  const lines = text.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "")
    if (line.startsWith("#EXTINF")) {
      const attributes = {}
      ATTR.lastIndex = 0
      let m
      let end = 0
      while ((m = ATTR.exec(line)) !== null) {
        attributes[m[1].toLowerCase()] = m[2]
        end = ATTR.lastIndex
      }
      const comma = line.indexOf(",", end)
      pending = { line: i + 1, attributes, name: comma >= 0 ? line.slice(comma + 1).trim() : "" }
      extgrp = null
    } else if (line.startsWith("#EXTGRP:")) extgrp = line.slice(8).trim()
    else if (line.startsWith("#") || line.trim() === "") continue
    else if (pending !== null) {
      const a = pending.attributes
      const attributes = bare ? Object.fromEntries(Object.entries(a).filter(([k]) => k === "group-title" || k === "tvg-name")) : a
      entries.push({ line: pending.line, input: { name: pending.name, tvgName: a["tvg-name"] ?? null, groupTitle: a["group-title"] ?? extgrp, url: line.trim(), attributes } })
      pending = null
    }
  }
  return entries
}

const pct = (ok, n) => (n === 0 ? "n/a" : ((100 * ok) / n).toFixed(2))
console.log(`# live-TV / radio playlists: kind of ${channels} channels + ${radio} stations per seed (all truly live)${bare ? ", attributes other than group-title and tvg-name dropped (--bare)" : ""}`)
const totals = { n: 0, vod: 0 }
for (const seed of seeds) {
  const { text, truth } = generate({ seed, channels, radio })
  const entries = read(text)
  const truthByLine = new Map(truth.map((t) => [t.line, t]))
  const kinds = { movie: 0, series: 0, live: 0, unknown: 0 }
  const byCategory = new Map()
  const misses = []
  const t0 = process.hrtime.bigint()
  const results = entries.map((e) => Classifier.classify(e.input))
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  for (let i = 0; i < entries.length; i++) {
    const t = truthByLine.get(entries[i].line)
    const k = results[i].kind
    kinds[k]++
    const c = byCategory.get(t.category) ?? { n: 0, movie: 0, series: 0, live: 0, unknown: 0 }
    c.n++
    c[k]++
    byCategory.set(t.category, c)
    if (k === "movie" || k === "series") misses.push(i)
  }
  const vod = kinds.movie + kinds.series
  totals.n += entries.length
  totals.vod += vod
  console.log(`\n## seed ${seed}: ${entries.length} entries (${truth.length} in truth), ${text.split("\n").length - 1} lines, classified in ${ms.toFixed(0)} ms`)
  console.log(`neither movie nor series: ${pct(entries.length - vod, entries.length)} % (target 99${(entries.length - vod) / entries.length >= 0.99 ? " ✓" : " ✗"}); live ${kinds.live}, unknown ${kinds.unknown}, movie ${kinds.movie}, series ${kinds.series}`)
  console.log(`| category | entries | live | unknown | movie | series |`)
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`)
  for (const [cat, c] of [...byCategory].sort((a, b) => b[1].n - a[1].n)) console.log(`| ${cat} | ${c.n} | ${c.live} | ${c.unknown} | ${c.movie} | ${c.series} |`)
  if (failuresShown > 0 && misses.length > 0) {
    console.log(`typed movie or series (first ${Math.min(failuresShown, misses.length)} of ${misses.length}):`)
    for (const i of misses.slice(0, failuresShown)) {
      const e = entries[i]
      console.log(`    ${results[i].kind} ${JSON.stringify(e.input.name)} [group ${JSON.stringify(e.input.groupTitle)}] tvg-id=${JSON.stringify(e.input.attributes["tvg-id"] ?? null)} ${e.input.url} (${results[i].reasons.join(",")})`)
    }
  }
}
if (seeds.length > 1) console.log(`\nall seeds: neither movie nor series ${pct(totals.n - totals.vod, totals.n)} % of ${totals.n}`)
