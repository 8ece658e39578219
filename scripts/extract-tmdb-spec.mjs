#!/usr/bin/env node
// Copies the paths the fake TMDB serves out of TMDB's official OpenAPI spec into the tmdb package's test fixture,
// so that the contract test runs on a clean clone without the 3 MB spec next to it.
//
//   node scripts/extract-tmdb-spec.mjs [path/to/tmdb-v3.openapi.json]
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const source = process.argv[2] ?? path.resolve(root, "../shared/contracts/tmdb-v3.openapi.json")
const target = path.join(root, "packages/tmdb/test/fixtures/tmdb-v3.subset.json")
const served = [
  "/3/authentication",
  "/3/find/{external_id}",
  "/3/movie/{movie_id}",
  "/3/movie/{movie_id}/alternative_titles",
  "/3/movie/{movie_id}/external_ids",
  "/3/movie/{movie_id}/translations",
  "/3/search/movie",
  "/3/search/tv",
  "/3/tv/{series_id}",
  "/3/tv/{series_id}/alternative_titles",
  "/3/tv/{series_id}/external_ids",
  "/3/tv/{series_id}/translations"
]
const spec = JSON.parse(fs.readFileSync(source, "utf8"))
const subset = {
  openapi: spec.openapi,
  info: {
    ...spec.info,
    "x-subset": "The paths @stalkeer/tmdb serves in its fake, copied unchanged from TMDB's official spec " +
      "(developer.themoviedb.org/openapi/tmdb-api.json) by scripts/extract-tmdb-spec.mjs. Test data only; TMDB API " +
      "Terms of Use apply."
  },
  components: spec.components,
  paths: Object.fromEntries(served.map((p) => {
    if (spec.paths[p] === undefined) throw new Error(`${p} is not in ${source}`)
    return [p, spec.paths[p]]
  }))
}
fs.writeFileSync(target, JSON.stringify(subset))
console.log(`${target}: ${served.length} paths, ${fs.statSync(target).size} bytes`)
