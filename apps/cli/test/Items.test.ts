import { assert, describe, it, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { fileURLToPath } from "node:url"
import * as Render from "../src/Render.js"
import { cli, TestLive } from "./CliHome.js"

const sample = fileURLToPath(new URL("../../../examples/sample.m3u", import.meta.url))

describe("Render.tableStream", () => {
  it.effect("sizes the columns on the first rows, then streams the rest in blocks with those widths", () =>
    Effect.gen(function*() {
      const rows = Stream.fromIterable([["1", "a"], ["22", "bb"], ["333", "c"], ["4", "d"]]).pipe(Stream.rechunk(1))
      const blocks = Chunk.toReadonlyArray(yield* Stream.runCollect(Render.tableStream(["id", "x"], rows, 2)))
      assert.deepStrictEqual(blocks, ["id  x\n--  --\n1   a\n22  bb", "333  c", "4   d"])
      assert.deepStrictEqual(Chunk.toReadonlyArray(yield* Stream.runCollect(Render.tableStream(["id"], Stream.empty))), [])
      // Fewer rows than the sample: one table, as Render.table would print it.
      const short = yield* Stream.runCollect(Render.tableStream(["id", "x"], Stream.make(["1", "a"], ["22", "bb"])))
      assert.deepStrictEqual(Chunk.toReadonlyArray(short), [Render.table(["id", "x"], [["1", "a"], ["22", "bb"]])])
    }))
})

layer(TestLive, { timeout: "120 seconds" })("stalkeer items, streamed", (it) => {
  it.effect("--json: every matching row whatever the limit, the same camelCase shape", () =>
    Effect.gen(function*() {
      const processed = yield* cli("process", sample)
      assert.match(processed.out, /96 entries/, processed.err)
      const r = yield* cli("items", "--json", "--limit", "1000000")
      const rows = r.out.split("\n").map((l) => JSON.parse(l))
      assert.strictEqual(rows.length, 96)
      assert.deepStrictEqual(Object.keys(rows[0]), [
        "id", "kind", "title", "year", "season", "episode", "episodeEnd", "resolution", "language", "subtitles", "platform",
        "groupTitle", "name", "url", "mediaId", "tmdbId", "imdbId", "tvdbId", "matchConfidence", "matchMethod", "firstSeenAt", "updatedAt"
      ])
      assert.strictEqual(new Set(rows.map((row) => row.id)).size, 96)
    }))

  it.effect("table: a full page says how many more there are, a last page does not", () =>
    Effect.gen(function*() {
      const page = yield* cli("items", "--limit", "5")
      const lines = page.out.split("\n")
      assert.strictEqual(lines.length, 2 + 5 + 1)
      assert.strictEqual(lines.at(-1), "(5 of 96; use --limit to see more)")
      const all = yield* cli("items", "--limit", "96")
      assert.strictEqual(all.out.split("\n").length, 2 + 96)
      const none = yield* cli("items", "--search", "no such title anywhere")
      assert.strictEqual(none.out, "No entries match.")
    }))
})
