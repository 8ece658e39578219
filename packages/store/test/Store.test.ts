import { assert, describe, it, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Database from "../src/Database.js"
import * as Entries from "../src/Entries.js"
import * as Filters from "../src/Filters.js"
import * as Ingestion from "../src/Ingestion.js"
import * as Migrations from "../src/Migrations.js"
import * as Providers from "../src/Providers.js"
import * as Runs from "../src/Runs.js"
import { reset, row, StoreLive } from "./utils.js"

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

/** Start a run and write `rows` for provider "p". */
const ingest = (rows: ReadonlyArray<Ingestion.Row>, options: { gracePeriod?: number; batchSize?: number } = {}) =>
  Effect.gen(function*() {
    const provider = yield* Providers.ensure({ name: "p", baseUrl: "http://panel.test" })
    const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
    return yield* Ingestion.write({
      providerId: provider.id,
      runId,
      rows: Stream.fromIterable(rows),
      gracePeriod: options.gracePeriod ?? 86_400_000,
      batchSize: options.batchSize
    })
  })

const snapshot = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ readonly key: string; readonly name: string; readonly vanished: boolean }>`
    SELECT entry_key AS key, name, vanished_at IS NOT NULL AS vanished FROM playlist_entries ORDER BY entry_key`
})

describe("Database.layer", () => {
  it.effect("without a URL opens the embedded database (in memory without a directory)", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql<{ readonly version: string }>`SELECT version()`
      assert.include(row!.version, "PostgreSQL")
    }).pipe(Effect.provide(Database.layer({}))), { timeout: 60_000 })
})

layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("store", (it) => {
  describe("Migrations", () => {
    it.effect("re-running is a no-op", () =>
      Effect.gen(function*() {
        const again = yield* Migrations.run
        assert.deepStrictEqual(again, { applied: [], version: Migrations.latest })
        assert.strictEqual(yield* Migrations.current, Migrations.latest)
      }))

    it.effect("a schema newer than this build is refused with a clear message", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`INSERT INTO effect_sql_migrations (migration_id, name) VALUES (99, 'from_the_future')`
        const error = yield* Effect.flip(Migrations.run)
        yield* sql`DELETE FROM effect_sql_migrations WHERE migration_id = 99`
        assert.strictEqual(error.reason, "SchemaTooNew")
        assert.include(error.message, "version 99")
        assert.include(error.message, `up to ${Migrations.latest}`)
      }))
  })

  describe("Ingestion", () => {
    it.effect("first ingest adds everything and links entries to their works", () =>
      Effect.gen(function*() {
        yield* reset
        const episodes = range(1, 4).map((e) =>
          row(100 + e, {
            key: `xtream:series:${100 + e}`,
            kind: "series",
            title: "Show",
            titleKey: "show",
            year: null,
            season: 1,
            episode: e
          })
        )
        const result = yield* ingest([...range(1, 6).map((i) => row(i)), ...episodes], { batchSize: 2 })
        assert.deepStrictEqual(result, {
          added: 8,
          changed: 0,
          revived: 0,
          unchanged: 0,
          vanished: 0,
          removed: 0,
          duplicates: 0
        })
        const sql = yield* SqlClient.SqlClient
        const media = yield* sql<{ readonly kind: string; readonly n: number }>`
          SELECT kind, count(*)::integer AS n FROM media GROUP BY kind ORDER BY kind`
        assert.deepStrictEqual(media, [{ kind: "movie", n: 5 }, { kind: "series", n: 1 }])
        // stats counts works and episodes, not media rows of a kind that never exists ("0 episodes" before).
        assert.deepStrictEqual((yield* Entries.stats()).media, { movies: 5, series: 1, episodes: 3 })
        const unlinked = yield* sql<{ readonly n: number }>`
          SELECT count(*)::integer AS n FROM playlist_entries WHERE media_id IS NULL`
        assert.strictEqual(unlinked[0]!.n, 0)
        // An episode links to its series and keeps its own numbers.
        const linked = yield* sql<{ readonly kind: string; readonly title: string; readonly episode: number }>`
          SELECT m.kind, m.title, e.episode FROM playlist_entries e JOIN media m ON m.id = e.media_id
          WHERE e.entry_key = 'xtream:series:102'`
        assert.deepStrictEqual(linked, [{ kind: "series", title: "Show", episode: 2 }])
      }))

    it.effect("re-ingest counts unchanged, changed, vanished, revived and duplicates", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(range(1, 11).map((i) => row(i)))
        // 1-2 changed, 3 vanished, 4-10 unchanged, 11 new, 5 twice.
        const second = yield* ingest([
          row(1, { name: "Movie 1 (2020) 4K" }),
          row(2, { resolution: "2160p" }),
          ...range(4, 12).map((i) => row(i)),
          row(5)
        ])
        assert.deepStrictEqual(second, {
          added: 1,
          changed: 2,
          revived: 0,
          unchanged: 7,
          vanished: 1,
          removed: 0,
          duplicates: 1
        })
        const state = yield* snapshot
        assert.deepStrictEqual(state.filter((s) => s.vanished).map((s) => s.key), ["xtream:movie:3"])
        // 3 comes back.
        const third = yield* ingest(range(1, 12).map((i) => row(i)))
        assert.strictEqual(third.revived, 1)
        assert.strictEqual(third.changed, 2)
        assert.strictEqual(third.vanished, 0)
        assert.strictEqual(third.unchanged, 8)
        assert.isFalse((yield* snapshot).some((s) => s.vanished))
        // Nothing changed at all: nothing is written.
        const fourth = yield* ingest(range(1, 12).map((i) => row(i)))
        assert.strictEqual(fourth.unchanged, 11)
        assert.strictEqual(fourth.added + fourth.changed + fourth.revived + fourth.vanished, 0)
      }))

    it.effect("keys passed as unchanged are counted and kept; the rest vanish; hashes are read back", () =>
      Effect.gen(function*() {
        yield* reset
        const hashed = (i: number) => row(i, { rawHash: 2 ** 52 + i })
        yield* ingest([...range(1, 6).map(hashed), row(6)])
        const provider = yield* Providers.ensure({ name: "p", baseUrl: "http://panel.test" })
        const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
        let seen: Ingestion.Stored | undefined
        const result = yield* Ingestion.write({
          providerId: provider.id,
          runId,
          gracePeriod: 86_400_000,
          batchSize: 2,
          rows: (stored) => {
            seen = stored
            // 1-3 unchanged by hash (3 twice), 4 sent again as it is, 5 changed, 6 vanished, 7 new.
            return Stream.fromIterable<Ingestion.Input>([
              "xtream:movie:1", "xtream:movie:2", "xtream:movie:3", "xtream:movie:3",
              hashed(4), row(5, { name: "renamed", rawHash: 7 }), hashed(7)
            ])
          }
        })
        assert.isFalse(seen!.empty)
        assert.deepStrictEqual(seen!.live.get("xtream:movie:2"), { rawHash: 2 ** 52 + 2, kind: "movie" })
        assert.deepStrictEqual(seen!.live.get("xtream:movie:6"), { rawHash: null, kind: "movie" })
        assert.deepStrictEqual(result, {
          added: 1,
          changed: 1,
          revived: 0,
          unchanged: 4,
          vanished: 1,
          removed: 0,
          duplicates: 1
        })
        const state = yield* snapshot
        assert.deepStrictEqual(state.filter((s) => s.vanished).map((s) => s.key), ["xtream:movie:6"])
        assert.strictEqual(state.find((s) => s.key === "xtream:movie:5")!.name, "renamed")
        // A vanished entry is not offered for skipping: it has to be sent to be revived.
        const again = yield* Ingestion.write({
          providerId: provider.id,
          runId: yield* Runs.start({ providerId: provider.id, source: "test" }),
          gracePeriod: 86_400_000,
          rows: (stored) => {
            seen = stored
            return Stream.fromIterable<Ingestion.Input>([...range(1, 6).map((i) => `xtream:movie:${i}`), row(6), hashed(7)])
          }
        })
        assert.isFalse(seen!.live.has("xtream:movie:6"))
        assert.deepStrictEqual([again.revived, again.unchanged, again.vanished], [1, 6, 0])
      }))

    it.effect("a hash change alone updates the stored hash without counting a change", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest([row(1, { rawHash: 1 })])
        const result = yield* ingest([row(1, { rawHash: 2 })])
        assert.deepStrictEqual([result.changed, result.unchanged], [0, 1])
        const sql = yield* SqlClient.SqlClient
        const [stored] = yield* sql<{ readonly h: string }>`SELECT raw_hash::text AS h FROM playlist_entries`
        assert.strictEqual(stored!.h, "2")
      }))

    it.effect("a skipped key that is not a live entry is a defect, and nothing is written", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest([row(1)])
        const provider = yield* Providers.ensure({ name: "p", baseUrl: "http://panel.test" })
        const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
        const exit = yield* Effect.exit(Ingestion.write({
          providerId: provider.id,
          runId,
          gracePeriod: 0,
          rows: () => Stream.fromIterable<Ingestion.Input>([row(2), "xtream:movie:9"])
        }))
        assert.isTrue(Exit.isFailure(exit) && Exit.causeOption(exit).pipe(Option.exists((c) => c._tag === "Die")))
        assert.deepStrictEqual((yield* snapshot).map((s) => s.key), ["xtream:movie:1"])
      }))

    it.effect("the plain-insert path is taken only for a provider with no entries at all", () =>
      Effect.gen(function*() {
        yield* reset
        const empties: Array<boolean> = []
        const write = (rows: ReadonlyArray<Ingestion.Row>) =>
          Effect.gen(function*() {
            const provider = yield* Providers.ensure({ name: "p", baseUrl: "http://panel.test" })
            return yield* Ingestion.write({
              providerId: provider.id,
              runId: yield* Runs.start({ providerId: provider.id, source: "test" }),
              gracePeriod: 86_400_000,
              batchSize: 2,
              rows: (stored) => {
                empties.push(stored.empty)
                return Stream.fromIterable(rows)
              }
            })
          })
        const first = yield* write([...range(1, 6).map((i) => row(i)), row(3)])
        assert.deepStrictEqual([first.added, first.duplicates, first.unchanged], [5, 1, 0])
        // Everything vanishes; the provider still has (vanished) entries, so they are merged and revived.
        const gone = yield* write([])
        assert.strictEqual(gone.vanished, 5)
        const back = yield* write(range(1, 7).map((i) => row(i)))
        assert.deepStrictEqual([back.added, back.revived, back.unchanged, back.vanished], [1, 5, 0, 0])
        assert.deepStrictEqual(empties, [true, false, false])
        assert.isFalse((yield* snapshot).some((s) => s.vanished))
      }))

    it.effect("every value survives the COPY text format, copied straight in and staged for a merge", () =>
      Effect.gen(function*() {
        yield* reset
        const awkward = (id: number, tag: string): Ingestion.Row =>
          row(id, {
            name: `${tag} Tab\there, new\nline, CR\r, back\\slash, \\N, \\t literal, NUL\u0000gone, 東京 🎬 ﷽`,
            tvgName: "\\",
            tvgId: "\\N",
            tvgLogo: "",
            groupTitle: "|EN| ▎ Films\t4K",
            attributes: { "tvg-chno": "12\t3", quote: `"q" \\ \n\u0000x`, emoji: "🎬", empty: "" },
            title: null,
            titleKey: null,
            year: null,
            streamId: 2 ** 53 - 1,
            confidence: 0.123456,
            rawHash: 2 ** 53 - 2 - id
          })
        const expected = (r: Ingestion.Row) => ({
          name: r.name.replace("\u0000", ""),
          tvg_name: r.tvgName,
          tvg_id: r.tvgId,
          tvg_logo: r.tvgLogo,
          group_title: r.groupTitle,
          attributes: { ...r.attributes, quote: r.attributes["quote"]!.replace("\u0000", "") },
          title: null,
          year: null,
          stream_id: String(r.streamId),
          confidence: 0.123456,
          raw_hash: String(r.rawHash)
        })
        const sql = yield* SqlClient.SqlClient
        const stored = (key: string) =>
          Effect.map(
            sql<Record<string, unknown>>`SELECT name, tvg_name, tvg_id, tvg_logo, group_title, attributes, title, year,
              stream_id::text AS stream_id, confidence, raw_hash::text AS raw_hash
              FROM playlist_entries WHERE entry_key = ${key}`,
            ([r]) => ({ ...r, confidence: Math.round(Number(r!["confidence"]) * 1e6) / 1e6 })
          )
        // Into an empty provider: copied straight into the table.
        const first = awkward(1, "first")
        yield* ingest([first, row(2)])
        assert.deepStrictEqual(yield* stored(first.key), expected(first))
        // Into a provider with entries: staged, then merged (one changed, one new).
        const changed = awkward(1, "changed")
        const added = awkward(3, "added")
        const result = yield* ingest([changed, row(2), added])
        assert.deepStrictEqual([result.changed, result.added, result.unchanged], [1, 1, 1])
        assert.deepStrictEqual(yield* stored(changed.key), expected(changed))
        assert.deepStrictEqual(yield* stored(added.key), expected(added))
        // Read back unchanged: the stored row equals the one sent, so nothing is rewritten.
        const again = yield* ingest([changed, row(2), added])
        assert.deepStrictEqual([again.changed, again.unchanged], [0, 3])
      }))

    it.effect("vanished entries are removed after the grace period", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(range(1, 5).map((i) => row(i)))
        const kept = yield* ingest(range(1, 4).map((i) => row(i)), { gracePeriod: 86_400_000 })
        assert.strictEqual(kept.vanished, 1)
        assert.strictEqual(kept.removed, 0)
        assert.strictEqual((yield* snapshot).length, 4)
        const removed = yield* ingest(range(1, 4).map((i) => row(i)), { gracePeriod: 0 })
        assert.strictEqual(removed.vanished, 0)
        assert.strictEqual(removed.removed, 1)
        assert.deepStrictEqual((yield* snapshot).map((s) => s.key), range(1, 4).map((i) => `xtream:movie:${i}`))
      }))

    it.effect("a failing beforeCommit leaves the catalogue untouched", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(range(1, 6).map((i) => row(i)))
        const before = yield* snapshot
        const provider = yield* Providers.ensure({ name: "p" })
        const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
        let seen: Ingestion.Staged | undefined
        const exit = yield* Effect.exit(Ingestion.write({
          providerId: provider.id,
          runId,
          rows: Stream.fromIterable([row(1, { name: "changed" })]),
          gracePeriod: 0,
          beforeCommit: (staged) => {
            seen = staged
            return Effect.fail("refused" as const)
          }
        }))
        assert.deepStrictEqual(exit, Exit.fail("refused" as const))
        assert.deepStrictEqual(seen, { rows: 1, distinct: 1, live: 5 })
        assert.deepStrictEqual(yield* snapshot, before)
      }))

    it.effect("a source that fails mid-way leaves the catalogue untouched", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(range(1, 6).map((i) => row(i)))
        const before = yield* snapshot
        const provider = yield* Providers.ensure({ name: "p" })
        const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
        const exit = yield* Effect.exit(Ingestion.write({
          providerId: provider.id,
          runId,
          rows: Stream.concat(Stream.fromIterable(range(1, 50).map((i) => row(i, { name: "x" }))), Stream.fail("boom")),
          gracePeriod: 0,
          batchSize: 10
        }))
        assert.deepStrictEqual(exit, Exit.fail("boom"))
        assert.deepStrictEqual(yield* snapshot, before)
      }))

    it.effect("an interrupted write leaves the catalogue untouched and the connection usable", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest(range(1, 6).map((i) => row(i)))
        const before = yield* snapshot
        const provider = yield* Providers.ensure({ name: "p" })
        const runId = yield* Runs.start({ providerId: provider.id, source: "test" })
        const started = yield* Deferred.make<void>()
        const rows = Stream.concat(
          Stream.fromIterable(range(1, 30).map((i) => row(i, { name: "x" }))),
          Stream.concat(Stream.fromEffect(Deferred.succeed(started, undefined)).pipe(Stream.drain), Stream.never)
        )
        const fiber = yield* Effect.fork(
          Ingestion.write({ providerId: provider.id, runId, rows, gracePeriod: 0, batchSize: 10 })
        )
        yield* Deferred.await(started)
        yield* Effect.sleep("200 millis")
        yield* Fiber.interrupt(fiber)
        assert.deepStrictEqual(yield* snapshot, before)
      }))

    it.effect("an older run left running is marked interrupted by the next write", () =>
      Effect.gen(function*() {
        yield* reset
        const provider = yield* Providers.ensure({ name: "p" })
        const stale = yield* Runs.start({ providerId: provider.id, source: "killed" })
        yield* ingest([row(1)])
        const run = yield* Runs.get(stale)
        assert.strictEqual(run.status, "interrupted")
        assert.isNotNull(run.finishedAt)
      }))
  })

  describe("Providers, Filters, Runs", () => {
    it.effect("providers are upserted by name", () =>
      Effect.gen(function*() {
        yield* reset
        const a = yield* Providers.ensure({ name: "main", baseUrl: "http://a.test" })
        const b = yield* Providers.ensure({ name: "main" })
        const c = yield* Providers.ensure({ name: "main", baseUrl: "http://b.test" })
        assert.strictEqual(a.id, b.id)
        assert.strictEqual(b.baseUrl, "http://a.test")
        assert.strictEqual(c.baseUrl, "http://b.test")
        assert.deepStrictEqual((yield* Providers.list).map((p) => p.name), ["main"])
        assert.isTrue(Option.isNone(yield* Providers.findByName("other")))
      }))

    it.effect("filters: add, list, remove; invalid patterns are refused by name", () =>
      Effect.gen(function*() {
        yield* reset
        const a = yield* Filters.add({ field: "group", mode: "exclude", pattern: "^XXX" })
        const again = yield* Filters.add({ field: "group", mode: "exclude", pattern: "^XXX" })
        assert.strictEqual(again.id, a.id)
        yield* Filters.add({ field: "name", mode: "include", pattern: "(?:FR|EN)" })
        assert.deepStrictEqual((yield* Filters.list).map((f) => [f.field, f.mode, f.pattern]), [
          ["group", "exclude", "^XXX"],
          ["name", "include", "(?:FR|EN)"]
        ])
        const invalid = yield* Effect.flip(Filters.add({ field: "name", mode: "include", pattern: "([a-z" }))
        assert.strictEqual(invalid.reason, "InvalidInput")
        assert.include(invalid.message, "/([a-z/")
        const removed = yield* Filters.remove(a.id)
        assert.strictEqual(removed.pattern, "^XXX")
        assert.strictEqual((yield* Filters.list).length, 1)
        const missing = yield* Effect.flip(Filters.remove(a.id))
        assert.strictEqual(missing.reason, "NotFound")
      }))

    it.effect("filters: get by id, NotFound once removed", () =>
      Effect.gen(function*() {
        yield* reset
        const a = yield* Filters.add({ field: "name", mode: "exclude", pattern: "\\bCAM\\b" })
        const b = yield* Filters.add({ field: "group", mode: "include", pattern: "^EN" })
        assert.deepStrictEqual(yield* Filters.get(a.id), a)
        assert.strictEqual((yield* Filters.get(b.id)).pattern, "^EN")
        assert.instanceOf((yield* Filters.get(b.id)).createdAt, Date)
        yield* Filters.remove(a.id)
        const missing = yield* Effect.flip(Filters.get(a.id))
        assert.strictEqual(missing.reason, "NotFound")
        assert.include(missing.message, `no filter with id ${a.id}`)
      }))

    it.effect("runs are recorded and listed newest first", () =>
      Effect.gen(function*() {
        yield* reset
        const provider = yield* Providers.ensure({ name: "p" })
        const first = yield* Runs.start({ providerId: provider.id, source: "a.m3u" })
        yield* Runs.finish(first, {
          status: "succeeded",
          counts: { ...Runs.emptyCounts, total: 3, added: 3, byKind: { movie: 3 } }
        })
        const second = yield* Runs.start({ providerId: provider.id, source: "b.m3u" })
        yield* Runs.finish(second, { status: "failed", counts: Runs.emptyCounts, error: "boom" })
        const runs = yield* Runs.list()
        assert.deepStrictEqual(runs.map((r) => [r.id, r.status, r.source, r.error]), [
          [second, "failed", "b.m3u", "boom"],
          [first, "succeeded", "a.m3u", null]
        ])
        assert.deepStrictEqual(runs[1]!.counts, { ...Runs.emptyCounts, total: 3, added: 3, byKind: { movie: 3 } })
        const last = yield* Runs.lastSucceeded(provider.id)
        assert.strictEqual(Option.getOrThrow(last).id, first)
      }))
  })

  describe("Entries", () => {
    it.effect("list filters and stats", () =>
      Effect.gen(function*() {
        yield* reset
        yield* ingest([
          row(1, { title: "Alien", titleKey: "alien", year: 1979, groupTitle: "EN| Sci-Fi", name: "Alien (1979)" }),
          row(2, { title: "Aliens", titleKey: "aliens", year: 1986, groupTitle: "EN| Sci-Fi", resolution: "2160p" }),
          row(3, { title: "Amélie", titleKey: "amelie", year: 2001, groupTitle: "FR| Films", language: "fr", resolution: "720p" }),
          row(4, {
            key: "xtream:live:4",
            kind: "live",
            title: "BBC One",
            titleKey: "bbc one",
            year: null,
            resolution: null,
            groupTitle: "UK| General"
          })
        ])
        const titles = (items: ReadonlyArray<Entries.Item>) => items.map((i) => i.title)
        assert.deepStrictEqual(titles(yield* Entries.list({ kind: "movie" })), ["Alien", "Aliens", "Amélie"])
        assert.deepStrictEqual(titles(yield* Entries.list({ search: "alien" })), ["Alien", "Aliens"])
        assert.deepStrictEqual(titles(yield* Entries.list({ search: "100%" })), [])
        assert.deepStrictEqual(titles(yield* Entries.list({ year: 1986 })), ["Aliens"])
        assert.deepStrictEqual(titles(yield* Entries.list({ group: "fr|" })), ["Amélie"])
        assert.deepStrictEqual(titles(yield* Entries.list({ language: "FR" })), ["Amélie"])
        assert.deepStrictEqual(titles(yield* Entries.list({ resolution: "2160p" })), ["Aliens"])
        assert.deepStrictEqual(titles(yield* Entries.list({ kind: "movie", limit: 1, offset: 1 })), ["Aliens"])
        assert.strictEqual(yield* Entries.count({ kind: "movie" }), 3)
        // Sorted by a whitelisted field; empty values last in both directions; ties by id.
        const sorted = (field: Entries.SortField, direction: "asc" | "desc") =>
          Entries.list({ sort: { field, direction } }).pipe(Effect.map(titles))
        assert.deepStrictEqual(yield* sorted("year", "desc"), ["Amélie", "Aliens", "Alien", "BBC One"])
        assert.deepStrictEqual(yield* sorted("year", "asc"), ["Alien", "Aliens", "Amélie", "BBC One"])
        assert.deepStrictEqual(yield* sorted("resolution", "desc"), ["Aliens", "Alien", "Amélie", "BBC One"])
        assert.deepStrictEqual(yield* sorted("id", "desc"), ["BBC One", "Amélie", "Aliens", "Alien"])
        assert.deepStrictEqual(
          titles(yield* Entries.list({ sort: { field: "group", direction: "asc" }, limit: 2, offset: 2 })),
          ["Amélie", "BBC One"]
        )
        const item = (yield* Entries.list({ search: "Alien (1979)" }))[0]!
        assert.strictEqual(item.urlTemplate, "http://panel.test/movie/{username}/{password}/1.mkv")
        assert.strictEqual((yield* Entries.get(item.id)).key, "xtream:movie:1")
        assert.strictEqual((yield* Effect.flip(Entries.get(99_999))).reason, "NotFound")

        const stats = yield* Entries.stats()
        assert.strictEqual(stats.entries, 4)
        assert.strictEqual(stats.vanished, 0)
        assert.deepStrictEqual(stats.kinds, { movie: 3, live: 1 })
        assert.deepStrictEqual(stats.resolutions, { "1080p": 1, "2160p": 1, "720p": 1, none: 1 })
        assert.deepStrictEqual(stats.languages, { en: 3, fr: 1 })
        assert.deepStrictEqual(stats.topGroups[0], ["EN| Sci-Fi", 2])
        assert.deepStrictEqual(stats.media, { movies: 3, series: 0, episodes: 0 })
        assert.strictEqual(Option.getOrThrow(stats.lastRun).providerName, "p")
      }))
  })
})
