import * as fs from "node:fs"
import { pathToFileURL } from "node:url"
const Effect = await import("effect/Effect")
const { FakeProvider } = await import(pathToFileURL("packages/downloader/dist/Testing.js").href)
const { FakeRadarr } = await import(pathToFileURL("packages/arr-client/dist/Testing.js").href)
const MiB = 1048576
const movies = [["Alien", 1979], ["Heat", 1995], ["Jaws", 1975], ["Fargo", 1996]].map(([t, y], i) => ({ id: 501 + i, title: t, year: y, size: (30 + 10 * i) * MiB }))
const lib = "/tmp/walk/library"
fs.mkdirSync(lib + "/movies", { recursive: true })
await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const provider = yield* FakeProvider.make({ streams: movies.map((m) => ({ id: m.id, kind: "movie", ext: "mkv", size: m.size })), username: "walker", password: "S3cret-pw" }, { maxConnections: 2 })
  for (const m of movies) yield* provider.failNext(FakeProvider.throttle(6 * MiB), { streamId: m.id, times: 1e9 })
  const radarr = yield* FakeRadarr.make({ movies: movies.map((m, i) => ({ id: i + 1, title: m.title, year: m.year, tmdbId: 900000 + m.id, path: `/movies/${m.title} (${m.year})`, rootFolderPath: "/movies", monitored: true, hasFile: false, isAvailable: true })) }, { apiKey: "0123456789abcdef0123456789abcdef" })
  fs.writeFileSync("/tmp/walk/playlist.m3u", ["#EXTM3U", ...movies.flatMap((m) => [`#EXTINF:-1 group-title="EN| MOVIES",EN - ${m.title} (${m.year}) 1080p`, provider.url(m.id)]), ""].join("\n"))
  fs.writeFileSync("/tmp/walk/env", [`export STALKEER_PROVIDER_USERNAME=walker`, `export STALKEER_PROVIDER_PASSWORD=S3cret-pw`, `export STALKEER_PROVIDER_MAX_CONNECTIONS=2`, `export STALKEER_RADARR_URL=${radarr.url}`, `export STALKEER_RADARR_API_KEY=0123456789abcdef0123456789abcdef`, `export STALKEER_RADARR_PATH_MAPPINGS=/movies=${lib}/movies`, ""].join("\n"))
  console.log("ready", radarr.url)
  yield* Effect.never
})))
