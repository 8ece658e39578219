/**
 * What `items`, `stats` and `runs` do; loaded only when one of them runs (see `commands/Catalogue.ts`).
 */
import type * as Command from "@effect/cli/Command"
import { Entries, Runs } from "@stalkeer/store"
import { Items } from "@stalkeer/workflows"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Definitions from "../commands/Catalogue.js"
import * as Db from "../Db.js"
import * as Render from "../Render.js"

const episodeLabel = (item: Entries.Item) =>
  item.season === null && item.episode === null
    ? ""
    : `${item.season === null ? "" : `S${String(item.season).padStart(2, "0")}`}${
      item.episode === null ? "" : `E${String(item.episode).padStart(2, "0")}`
    }${item.episodeEnd === null ? "" : `-E${String(item.episodeEnd).padStart(2, "0")}`}`

const itemCells = (i: Entries.Item): ReadonlyArray<string> => [
  String(i.id),
  i.kind,
  Render.truncate(i.title ?? (i.name === "" ? "(no name)" : i.name), 50),
  i.year === null ? "" : String(i.year),
  episodeLabel(i),
  i.resolution ?? "",
  i.language ?? "",
  Render.truncate(i.groupTitle ?? "", 30),
  identification(i)
]

/** `tmdb:238`, `tmdb:238 (manual)`, `ambiguous`, `not found`…; nothing for live channels. */
const identification = (i: Entries.Item): string => {
  if (i.kind !== "movie" && i.kind !== "series") return ""
  if (i.tmdbId !== null) return `tmdb:${i.tmdbId}${i.matchMethod === "override" ? " (manual)" : ""}`
  return i.matchStatus === null ? "-" : i.matchStatus.replace("-", " ")
}

/** Rows are streamed from a database cursor to stdout: memory stays flat for `--limit` of any size. */
export const items = (args: Command.Command.ParseConfig<typeof Definitions.itemOptions>) =>
  Db.use(() =>
    Effect.gen(function*() {
      const query: Items.Query = {
        kind: Option.getOrUndefined(args.kind),
        search: Option.getOrUndefined(args.search),
        year: Option.getOrUndefined(args.year),
        group: Option.getOrUndefined(args.group),
        language: Option.getOrUndefined(args.language),
        resolution: Option.getOrUndefined(args.resolution),
        unidentified: args.unidentified,
        tmdbId: Option.getOrUndefined(args.tmdb),
        limit: args.limit
      }
      let shown = 0
      const rows = Items.stream(query).pipe(Stream.tap(() => Effect.sync(() => shown++)))
      if (args.json) {
        return yield* Stream.runForEachChunk(rows, (chunk) => Console.log(Chunk.toReadonlyArray(chunk).map((item) => JSON.stringify(Items.toJson(item))).join("\n")))
      }
      const header = ["id", "kind", "title", "year", "ep", "res", "lang", "group", "identified"]
      yield* Stream.runForEach(Render.tableStream(header, Stream.map(rows, itemCells)), (text) => Console.log(text))
      if (shown === 0) return yield* Console.log("No entries match.")
      // Only a full page may have more behind it; the count runs once the cursor has let go of the connection.
      if (shown < args.limit) return
      const total = yield* Items.count(query)
      if (total > shown) yield* Console.log(`(${Render.number(shown)} of ${Render.number(total)}; use --limit to see more)`)
    })
  )

const runLine = (run: Runs.Run) => {
  const took = run.finishedAt === null ? "" : ` (${Render.duration(run.finishedAt.getTime() - run.startedAt.getTime())})`
  return `#${run.id} ${run.status} at ${run.startedAt.toISOString()}${took} from ${run.source}`
}

export const stats = () =>
  Db.use(() =>
    Effect.gen(function*() {
      const s = yield* Entries.stats({ topGroups: 10 })
      yield* Console.log([
        `Catalogue: ${Render.number(s.entries)} entries (${Render.number(s.vanished)} vanished, kept for the grace period); ` +
        `${Render.number(s.media.movies)} movies, ${Render.number(s.media.series)} series, ${Render.number(s.media.episodes)} episodes`,
        Render.counts("Kinds", s.kinds, s.entries),
        Render.counts("Resolutions", s.resolutions, s.entries),
        Render.counts("Languages", s.languages, s.entries),
        s.topGroups.length === 0
          ? "Top groups: none"
          : ["Top groups:", ...s.topGroups.map(([g, n]) => `  ${Render.number(n).padStart(9)}  ${Render.truncate(g, 70)}`)].join("\n"),
        Option.match(s.lastRun, { onNone: () => "Last run: none", onSome: (run) => `Last run: ${runLine(run)}` })
      ].join("\n\n"))
    })
  )

export const runs = (args: Command.Command.ParseConfig<typeof Definitions.runsOptions>) =>
  Db.use(() =>
    Effect.gen(function*() {
      const list = yield* Runs.list({ limit: args.limit })
      if (list.length === 0) return yield* Console.log("No runs yet. Ingest a playlist with `stalkeer process <file>`.")
      yield* Console.log(Render.table(
        ["id", "status", "started", "secs", "entries", "added", "changed", "unchanged", "vanished", "removed", "filtered", "warnings", "source"],
        list.map((r) => [
          String(r.id),
          r.status,
          r.startedAt.toISOString().replace("T", " ").slice(0, 19),
          r.finishedAt === null ? "" : ((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1),
          Render.number(r.counts.total),
          Render.number(r.counts.added + r.counts.revived),
          Render.number(r.counts.changed),
          Render.number(r.counts.unchanged),
          Render.number(r.counts.vanished),
          Render.number(r.counts.removed),
          Render.number(r.counts.filtered),
          Render.number(r.counts.warnings),
          Render.truncate(r.source, 40)
        ])
      ))
      const failed = list.filter((r) => r.error !== null)
      for (const r of failed.slice(0, 5)) yield* Console.log(`#${r.id}: ${r.error}`)
    })
  )
