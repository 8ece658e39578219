import { assert, describe, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Classifier } from "@stalkeer/classifier"
import type { PlaylistEntry } from "@stalkeer/m3u-parser"
import { StreamUrl } from "@stalkeer/m3u-parser"
import { Entries, Runs } from "@stalkeer/store"
import * as Testing from "@stalkeer/store/testing"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Ingest from "../src/Ingest.js"

const StoreLive = Testing.layerConfig()

const CANARY = "CanaryPw-9f3a"
const USER = "canaryuser"
const HOST = "http://panel.test:8080"

interface Spec {
  readonly id: number
  readonly group?: string
  readonly name?: string
  readonly kind?: "movie" | "series" | "live"
}

const extinf = (s: Spec) => {
  const name = s.name ?? `Movie ${s.id} (2020) 1080p`
  return `#EXTINF:-1 tvg-id="" tvg-name="${name}" tvg-logo="" group-title="${s.group ?? "EN| Movies"}",${name}\n` +
    `${HOST}/${s.kind ?? "movie"}/${USER}/${CANARY}/${s.id}.mkv\n`
}

const playlist = (specs: ReadonlyArray<Spec>, extra = "") =>
  `#EXTM3U url-tvg="${HOST}/xmltv.php?username=${USER}&password=${CANARY}"\n${specs.map(extinf).join("")}${extra}`

const bytes = (text: string) => Stream.make(new TextEncoder().encode(text))

const movies = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ id: from + i }))

/** The default classifier, counting its calls: how the tests see which entries were (re-)classified. */
const callCounter = () => {
  let count = 0
  return {
    get count() {
      return count
    },
    reset: () => {
      count = 0
    },
    classify: (entry: PlaylistEntry.PlaylistEntry) => {
      count++
      return Classifier.classify(entry)
    }
  }
}

const reset = Testing.reset

const ingest = (text: string, options: Partial<Ingest.Options<never, never>> = {}) =>
  Ingest.run({ source: bytes(text), sourceLabel: "test.m3u", provider: { name: "main" }, ...options })

const keys = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ readonly key: string; readonly name: string; readonly vanished: boolean }>`
    SELECT entry_key AS key, name, vanished_at IS NOT NULL AS vanished FROM playlist_entries ORDER BY id`
})

layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("Ingest", (it) => {
  describe("counts", () => {
    it.effect("first run, unchanged re-run, then changed / vanished / new / filtered / warnings", () =>
      Effect.gen(function*() {
        yield* reset
        const first = yield* ingest(playlist([
          ...movies(1, 9),
          { id: 100, kind: "series", group: "EN| Series", name: "Show S01E01" },
          { id: 101, kind: "series", group: "EN| Series", name: "Show S01E02" },
          { id: 200, kind: "live", group: "UK| General", name: "UK: BBC One HD" }
        ]))
        assert.strictEqual(first.counts.total, 11)
        assert.strictEqual(first.counts.added, 11)
        assert.deepStrictEqual(first.counts.byKind, { movie: 8, series: 2, live: 1 })

        const again = yield* ingest(playlist([
          ...movies(1, 9),
          { id: 100, kind: "series", group: "EN| Series", name: "Show S01E01" },
          { id: 101, kind: "series", group: "EN| Series", name: "Show S01E02" },
          { id: 200, kind: "live", group: "UK| General", name: "UK: BBC One HD" }
        ]))
        assert.strictEqual(again.counts.unchanged, 11)
        assert.strictEqual(again.counts.added + again.counts.changed + again.counts.vanished, 0)

        // 1 renamed, 2 gone, 9 new, XXX group filtered, one #EXTINF without URL (a warning), series dropped.
        const next = yield* ingest(
          playlist([
            { id: 1, name: "Movie 1 (2020) 2160p" },
            ...movies(3, 10),
            { id: 300, group: "XXX Adult" },
            { id: 200, kind: "live", group: "UK| General", name: "UK: BBC One HD" },
            { id: 100, kind: "series", group: "EN| Series", name: "Show S01E01" },
            { id: 101, kind: "series", group: "EN| Series", name: "Show S01E02" }
          ], "#EXTINF:-1,Broken entry without URL\n=== decorative line ===\n"),
          { filters: { includeGroups: [], excludeGroups: ["^xxx"], includeNames: [], excludeNames: [] } }
        )
        assert.deepStrictEqual(
          { ...next.counts, byKind: undefined },
          {
            total: 12,
            added: 1,
            changed: 1,
            revived: 0,
            unchanged: 9,
            vanished: 1,
            removed: 0,
            filtered: 1,
            warnings: 2,
            duplicates: 0,
            byKind: undefined
          }
        )
        assert.deepStrictEqual(next.counts.byKind, { movie: 8, live: 1, series: 2 })

        const runs = yield* Runs.list()
        assert.deepStrictEqual(runs.map((r) => r.status), ["succeeded", "succeeded", "succeeded"])
        assert.deepStrictEqual(runs[0]!.counts, next.counts)
        assert.strictEqual(runs[0]!.source, "test.m3u")
        const movie1 = yield* Entries.list({ search: "Movie 1 " })
        assert.strictEqual(movie1[0]!.resolution, "2160p")
      }))

    it.effect("unchanged entries are not classified again; a new classifier version re-classifies all", () =>
      Effect.gen(function*() {
        yield* reset
        const calls = callCounter()
        const counting = (kind?: "live") => (entry: PlaylistEntry.PlaylistEntry) => {
          const c = calls.classify(entry)
          return kind === undefined ? c : { ...c, kind }
        }
        const text = playlist([...movies(1, 6), { id: 100, kind: "series", group: "EN| Series", name: "Show S01E01" }])
        const first = yield* ingest(text, { classify: counting(), classifierVersion: "a" })
        assert.deepStrictEqual([first.counts.added, calls.count], [6, 6])

        calls.reset()
        const again = yield* ingest(text, { classify: counting(), classifierVersion: "a" })
        assert.strictEqual(calls.count, 0)
        assert.deepStrictEqual([again.counts.unchanged, again.counts.changed, again.counts.total], [6, 0, 6])
        // Kinds of skipped entries come from the catalogue.
        assert.deepStrictEqual(again.counts.byKind, { movie: 5, series: 1 })

        // One entry renamed: only it is classified.
        calls.reset()
        const renamed = yield* ingest(text.replace(",Movie 3 (2020) 1080p\n", ",Movie 3 (2021) 1080p\n"), {
          classify: counting(),
          classifierVersion: "a"
        })
        assert.strictEqual(calls.count, 1)
        assert.deepStrictEqual([renamed.counts.changed, renamed.counts.unchanged], [1, 5])

        // New rules, new version: everything is classified again and the new classification is stored.
        calls.reset()
        const upgraded = yield* ingest(text, { classify: counting("live"), classifierVersion: "b" })
        assert.strictEqual(calls.count, 6)
        assert.deepStrictEqual([upgraded.counts.changed, upgraded.counts.unchanged], [6, 0])
        assert.deepStrictEqual(upgraded.counts.byKind, { live: 6 })
        const sql = yield* SqlClient.SqlClient
        const kinds = yield* sql<{ readonly kind: string }>`SELECT DISTINCT kind FROM playlist_entries`
        assert.deepStrictEqual(kinds.map((k) => k.kind), ["live"])
      }))

    it.effect("a custom classifier without a version classifies every entry on every run", () =>
      Effect.gen(function*() {
        yield* reset
        const calls = callCounter()
        const { classify } = calls
        const text = playlist(movies(1, 5))
        yield* ingest(text, { classify })
        const again = yield* ingest(text, { classify })
        assert.strictEqual(calls.count, 8)
        assert.strictEqual(again.counts.unchanged, 4)
      }))

    it.effect("new credentials in the URLs alone change nothing and re-classify nothing", () =>
      Effect.gen(function*() {
        yield* reset
        const calls = callCounter()
        const { classify } = calls
        const text = playlist(movies(1, 5))
        yield* ingest(text, { classify, classifierVersion: "a" })
        const sql = yield* SqlClient.SqlClient
        const hashes = sql<{ readonly h: string }>`SELECT raw_hash::text AS h FROM playlist_entries ORDER BY id`
        const before = yield* hashes
        calls.reset()
        const moved = yield* ingest(text.replaceAll(CANARY, "OtherPw-77c1").replaceAll(USER, "otheruser"), {
          classify,
          classifierVersion: "a"
        })
        assert.strictEqual(calls.count, 0)
        assert.deepStrictEqual([moved.counts.unchanged, moved.counts.changed], [4, 0])
        assert.deepStrictEqual(yield* hashes, before)
        assert.isTrue(before.every((b) => b.h !== null))
      }))

    it.effect("runtime filters from the database apply, and an invalid one is named", () =>
      Effect.gen(function*() {
        yield* reset
        const sql = yield* SqlClient.SqlClient
        yield* sql`INSERT INTO filters (field, mode, pattern) VALUES ('name', 'include', 'movie [12] ')`
        const run = yield* ingest(playlist(movies(1, 6)))
        assert.strictEqual(run.counts.added, 2)
        assert.strictEqual(run.counts.filtered, 3)

        yield* sql`INSERT INTO filters (field, mode, pattern) VALUES ('group', 'exclude', '(unclosed')`
        const error = yield* Effect.flip(ingest(playlist(movies(1, 6))))
        assert.strictEqual(error._tag, "IngestError")
        if (error._tag === "IngestError") {
          assert.strictEqual(error.reason, "InvalidFilter")
          assert.include(error.message, "exclude group /(unclosed/")
          assert.include(error.message, "runtime filter #2")
        }
        const fromConfig = yield* Effect.flip(ingest(playlist(movies(1, 2)), {
          filters: { includeGroups: ["[a-"], excludeGroups: [], includeNames: [], excludeNames: [] }
        }))
        assert.include(fromConfig.message, "include group /[a-/ (config file)")
      }))
  })

  describe("guards", () => {
    it.effect("a playlist that lost more than maxDrop is refused unless forced", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(playlist(movies(1, 11)))
        const error = yield* Effect.flip(ingest(playlist(movies(1, 5))))
        assert.strictEqual(error._tag, "IngestError")
        if (error._tag === "IngestError") {
          assert.strictEqual(error.reason, "DropGuard")
          assert.strictEqual(error.previous, 10)
          assert.strictEqual(error.current, 4)
          assert.include(error.message, "--force")
        }
        assert.isFalse((yield* keys).some((k) => k.vanished))
        const [refused] = yield* Runs.list({ limit: 1 })
        assert.strictEqual(refused!.status, "refused")
        assert.include(refused!.error ?? "", "--force")

        // Within the allowed drop: accepted.
        const fine = yield* ingest(playlist(movies(1, 11)), { maxDrop: 0.5 })
        assert.strictEqual(fine.counts.unchanged, 10)
        const forced = yield* ingest(playlist(movies(1, 5)), { force: true })
        assert.strictEqual(forced.counts.vanished, 6)
      }))

    it.effect("a drop caused by filters is guarded like any other", () =>
      Effect.gen(function*() {
        yield* reset
        const text = playlist([...movies(1, 9), { id: 9, group: "FR| Films" }, { id: 10, group: "FR| Films" }])
        yield* ingest(text)
        // A mistyped include filter keeps 2 of 10: refused, nothing vanishes.
        const error = yield* Effect.flip(ingest(text, {
          filters: { includeGroups: ["^FR"], excludeGroups: [], includeNames: [], excludeNames: [] }
        }))
        assert.strictEqual(error._tag === "IngestError" ? error.reason : error._tag, "DropGuard")
        if (error._tag === "IngestError") {
          assert.strictEqual(error.previous, 10)
          assert.strictEqual(error.current, 2)
          assert.strictEqual(error.filtered, 8)
          assert.include(error.message, "filters removed 8")
        }
        // One that matches nothing at all says so.
        const none = yield* Effect.flip(ingest(text, {
          filters: { includeGroups: ["^DE"], excludeGroups: [], includeNames: [], excludeNames: [] }
        }))
        assert.strictEqual(none._tag === "IngestError" ? none.reason : none._tag, "AllFiltered")
        assert.isFalse((yield* keys).some((k) => k.vanished))
        const [refused] = yield* Runs.list({ limit: 1 })
        assert.strictEqual(refused!.status, "refused")
        // --force accepts it.
        const forced = yield* ingest(text, {
          force: true,
          filters: { includeGroups: ["^FR"], excludeGroups: [], includeNames: [], excludeNames: [] }
        })
        assert.strictEqual(forced.counts.vanished, 8)
      }))

    it.effect("an empty playlist is refused", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(playlist(movies(1, 4)))
        const error = yield* Effect.flip(ingest(playlist([])))
        assert.strictEqual(error._tag === "IngestError" ? error.reason : error._tag, "EmptyPlaylist")
        assert.strictEqual((yield* keys).filter((k) => !k.vanished).length, 3)
      }))

    it.effect("a source that fails mid-way leaves the catalogue and records a failed run", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(playlist(movies(1, 4)))
        const before = yield* keys
        const source = Stream.concat(
          bytes(playlist(movies(1, 50).map((m) => ({ ...m, name: `Changed ${m.id}` })))),
          Stream.fail(new Error(`socket hang up fetching ${HOST}/get.php?username=${USER}&password=${CANARY}`))
        )
        const error = yield* Effect.flip(
          Ingest.run({ source, sourceLabel: "test", provider: { name: "main" }, batchSize: 10 })
        )
        assert.include(error.message, "socket hang up")
        assert.deepStrictEqual(yield* keys, before)
        const [failed] = yield* Runs.list({ limit: 1 })
        assert.strictEqual(failed!.status, "failed")
        assert.include(failed!.error ?? "", "socket hang up")
        assert.notInclude(failed!.error ?? "", CANARY)
      }))

    it.effect("an interrupted run leaves the previous catalogue and is marked interrupted", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(playlist(movies(1, 4)))
        const before = yield* keys
        const reading = yield* Deferred.make<void>()
        // Some entries, then a source that never ends (a stalled download).
        const source = Stream.concat(
          bytes(playlist(movies(1, 40).map((m) => ({ ...m, name: `Changed ${m.id}` })))),
          Stream.never
        )
        const fiber = yield* Effect.fork(Ingest.run({
          source,
          sourceLabel: "stalled",
          provider: { name: "main" },
          batchSize: 10,
          onProgress: (p) => (p.entries > 0 ? Deferred.succeed(reading, undefined) : Effect.void)
        }))
        yield* Deferred.await(reading)
        yield* Effect.sleep("300 millis")
        yield* Fiber.interrupt(fiber)
        assert.deepStrictEqual(yield* keys, before)
        const [interrupted] = yield* Runs.list({ limit: 1 })
        assert.strictEqual(interrupted!.status, "interrupted")
        assert.strictEqual(interrupted!.source, "stalled")
        assert.isNotNull(interrupted!.finishedAt)
      }))
  })

  describe("credentials", () => {
    it.effect("every URL shape loses the account, and configured credentials are cut wherever they appear", () =>
      Effect.gen(function*() {
        yield* reset
        const shapes = [
          `${HOST}/hls/${USER}/${CANARY}/11/index.m3u8`,
          `${HOST}/play/${USER}/${CANARY}/12.m3u8?token=abc123`,
          `${HOST}/timeshift/${USER}/${CANARY}/60/2024-01-01:10-00/13.ts`,
          // Shapes no rule knows: only the configured account reveals them.
          `http://cdn.test/u-${USER}/p-${CANARY}/14.ts`,
          `http://cdn.test/stream?acct=${USER}&pin=${CANARY}&id=15`
        ]
        const text = "#EXTM3U\n" + shapes.map((u, i) =>
          `#EXTINF:-1 tvg-id="c${i}" tvg-logo="http://img.test/${USER}/${i}.png" group-title="Live",Channel ${i}\n${u}\n`
        ).join("")
        const summary = yield* Ingest.run({
          source: bytes(text),
          sourceLabel: `/data/${USER}/playlist.m3u`,
          credentials: [{ username: USER, password: Redacted.make(CANARY) }],
          provider: { name: "main" }
        })
        assert.strictEqual(summary.counts.added, shapes.length)
        const sql = yield* SqlClient.SqlClient
        for (const name of ["playlist_entries", "ingest_runs", "providers", "media"]) {
          for (const { row } of yield* sql<{ readonly row: string }>`SELECT t::text AS row FROM ${sql(name)} t`) {
            assert.notInclude(row, CANARY, `table ${name}`)
            assert.notInclude(row, USER, `table ${name}`)
          }
        }
        // Without the configured account, the shapes StreamUrl knows are still cut.
        yield* reset
        yield* Ingest.run({ source: bytes(text), sourceLabel: "x.m3u", provider: { name: "main" } })
        const known = yield* sql<{ readonly row: string }>`SELECT t::text AS row FROM playlist_entries t`
        for (const { row } of known.slice(0, 3)) assert.notInclude(row, CANARY)
      }))

    it.effect("the password never reaches the database, logs or output, and URLs rebuild exactly", () =>
      Effect.gen(function*() {
        yield* reset
        const originals = [
          `${HOST}/movie/${USER}/${CANARY}/1.mkv`,
          `${HOST}/series/${USER}/${CANARY}/2.mp4`,
          `${HOST}/${USER}/${CANARY}/3`,
          `${HOST}/play.php?username=${USER}&password=${CANARY}&stream=4&type=movie`,
          `http://${USER}:${CANARY}@other.test/vod/5.ts`
        ]
        const text = `#EXTM3U url-tvg="${HOST}/xmltv.php?username=${USER}&password=${CANARY}" ` +
          `x-tvg-url="${HOST}/xmltv.php?username=${USER}&password=${CANARY}"\n` +
          originals.map((u, i) =>
            `#EXTINF:-1 tvg-id="x${i}" tvg-name="Item ${i}" ` +
            `tvg-logo="${HOST}/images/${USER}/${CANARY}/${i}.png" catchup-source="${HOST}/timeshift/${USER}/${CANARY}/{utc}/${i}.ts" ` +
            `group-title="G",Item ${i}\n#EXTVLCOPT:http-referrer=${HOST}/?password=${CANARY}\n${u}\n`
          ).join("")

        const logs: Array<string> = []
        const capture = Logger.replace(
          Logger.defaultLogger,
          Logger.make(({ message }) => logs.push(JSON.stringify(message)))
        )
        const summary = yield* Ingest.run({
          source: bytes(text),
          sourceLabel: `${HOST}/get.php?username=${USER}&password=${CANARY}&type=m3u_plus`,
          provider: { name: "main", baseUrl: `http://${USER}:${CANARY}@panel.test:8080/` },
          onProgress: (p) => Effect.logInfo(`progress ${JSON.stringify(p)}`)
        }).pipe(Effect.provide(capture))
        assert.strictEqual(summary.counts.added, 5)
        assert.notInclude(JSON.stringify(summary), CANARY)
        assert.isAbove(logs.length, 0)
        assert.notInclude(logs.join("\n"), CANARY)

        const sql = yield* SqlClient.SqlClient
        const tables = yield* sql<{ readonly name: string }>`
          SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`
        assert.isAtLeast(tables.length, 6)
        for (const { name } of tables) {
          const dump = yield* sql<{ readonly row: string }>`SELECT t::text AS row FROM ${sql(name)} t`
          for (const { row } of dump) {
            assert.notInclude(row, CANARY, `table ${name}`)
          }
        }
        const [run] = yield* Runs.list({ limit: 1 })
        assert.strictEqual(run!.source, `${HOST}/get.php?username=***&password=***&type=m3u_plus`)

        const items = yield* Entries.list({ limit: 10 })
        const credentials = { username: USER, password: Redacted.make(CANARY) }
        assert.deepStrictEqual(
          items.map((i) => StreamUrl.fromTemplate(i.urlTemplate, credentials)).sort(),
          [...originals].sort()
        )
        // Identity survives a password change.
        const rotated = yield* Ingest.run({
          source: bytes(text.replaceAll(CANARY, "NewPass-1")),
          sourceLabel: "rotated",
          provider: { name: "main" }
        })
        assert.strictEqual(rotated.counts.unchanged, 5)
      }))
  })

  describe("request headers", () => {
    it.effect("are stored from every convention, credential-free, for the downloader", () =>
      Effect.gen(function*() {
        yield* reset
        const text = "#EXTM3U\n" +
          `#EXTINF:-1 tvg-id="a" group-title="Live",A\n${HOST}/live/${USER}/${CANARY}/1.ts|User-Agent=Kodi%2F20&Referer=${HOST}/?password=${CANARY}\n` +
          `#KODIPROP:inputstream.adaptive.license_type=clearkey\n#EXTINF:-1 tvg-id="b" group-title="Live",B\n` +
          `#EXTVLCOPT:http-user-agent="VLC/3"\n${HOST}/live/${USER}/${CANARY}/2.ts\n`
        yield* ingest(text)
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ readonly key: string; readonly template: string; readonly attributes: string }>`
          SELECT entry_key AS key, url_template AS template, attributes::text AS attributes
          FROM playlist_entries ORDER BY entry_key`
        assert.strictEqual(rows[0]!.template, `${HOST}/live/{username}/{password}/1.ts`)
        const first = JSON.parse(rows[0]!.attributes)
        assert.strictEqual(first["header:user-agent"], "Kodi/20")
        assert.strictEqual(first["header:referer"], `${HOST}/?password={password}`)
        const second = JSON.parse(rows[1]!.attributes)
        assert.strictEqual(second["header:user-agent"], "VLC/3")
        assert.strictEqual(second["kodiprop:inputstream.adaptive.license_type"], "clearkey")
        for (const row of rows) assert.notInclude(row.attributes, CANARY)
      }))
  })

  describe("progress", () => {
    it.effect("reports entries as they are read", () =>
      Effect.gen(function*() {
        yield* reset
        const seen: Array<number> = []
        const text = playlist(movies(1, 201))
        const encoded = new TextEncoder().encode(text)
        const chunks = Chunk.fromIterable(
          Array.from({ length: Math.ceil(encoded.length / 4096) }, (_, i) => encoded.subarray(i * 4096, (i + 1) * 4096))
        )
        yield* Ingest.run({
          source: Stream.fromChunk(chunks).pipe(Stream.rechunk(1)),
          sourceLabel: "chunks",
          provider: { name: "main" },
          onProgress: (p) => Effect.sync(() => seen.push(p.entries))
        })
        assert.isAbove(seen.length, 3)
        assert.strictEqual(seen[seen.length - 1], 200)
        assert.deepStrictEqual([...seen].sort((a, b) => a - b), seen)
      }))
  })
})
