/**
 * Plain-text rendering of command results. Pure functions returning strings, so they are easy to test.
 */
import type { Dryrun, Ingest } from "@stalkeer/workflows"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Stream from "effect/Stream"

export const number = (n: number) => n.toLocaleString("en-US")

/**
 * The one way the CLI writes a duration: `250 ms`, `1.2 s`, `2 min 5 s`, `1 h 2 min` (not Effect's
 * `1s 188ms 549909ns`). Precision drops as the value grows: nobody needs the milliseconds of a minute.
 */
export const duration = (input: Duration.DurationInput): string => {
  const ms = Duration.toMillis(Duration.decode(input))
  if (!Number.isFinite(ms)) return "forever"
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min${seconds % 60 === 0 ? "" : ` ${seconds % 60} s`}`
  const minutes = Math.round(seconds / 60)
  return `${Math.floor(minutes / 60)} h${minutes % 60 === 0 ? "" : ` ${minutes % 60} min`}`
}

const share = (n: number, total: number) => (total === 0 ? "0.0" : ((n / total) * 100).toFixed(1))

/** `label  count  share` rows, largest first. */
export const counts = (title: string, values: Readonly<Record<string, number>>, total: number, limit = 12): string => {
  const rows = Object.entries(values).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, limit)
  if (rows.length === 0) return `${title}: none`
  const width = Math.max(...rows.map(([k]) => k.length))
  return [`${title}:`, ...rows.map(([k, n]) => `  ${k.padEnd(width)}  ${number(n).padStart(9)}  ${share(n, total).padStart(5)}%`)].join("\n")
}

type Row = ReadonlyArray<string>

/** Each column as wide as its widest cell among `rows` and the header. */
const columnWidths = (header: Row, rows: ReadonlyArray<Row>): Array<number> => {
  const widths = header.map((h) => h.length)
  for (const row of rows) row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length))
  return widths
}

const tableLine = (widths: ReadonlyArray<number>, cells: Row) =>
  cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()

const tableHead = (widths: ReadonlyArray<number>, header: Row) => [tableLine(widths, header), tableLine(widths, widths.map((w) => "-".repeat(w)))]

/** A table with a header row; every cell already a string. */
export const table = (header: Row, rows: ReadonlyArray<Row>): string => {
  const widths = columnWidths(header, rows)
  return [...tableHead(widths, header), ...rows.map((r) => tableLine(widths, r))].join("\n")
}

/**
 * A table of any length as a stream of text blocks (one per chunk of rows), holding at most `sample` rows: the
 * columns are sized on the first `sample` rows, and a longer cell further down just pushes its line out. No rows,
 * no output.
 */
export const tableStream = <E, R>(header: Row, rows: Stream.Stream<Row, E, R>, sample = 500): Stream.Stream<string, E, R> =>
  Stream.suspend(() => {
    let widths: ReadonlyArray<number> | undefined
    const pending: Array<Row> = []
    const flush = () => {
      const w = widths = columnWidths(header, pending)
      const text = [...tableHead(w, header), ...pending.map((r) => tableLine(w, r))].join("\n")
      pending.length = 0
      return text
    }
    const body = Stream.mapChunks(rows, (chunk) => {
      if (widths !== undefined) {
        const w = widths
        return Chunk.of(Chunk.toReadonlyArray(chunk).map((r) => tableLine(w, r)).join("\n"))
      }
      for (const row of chunk) pending.push(row)
      return pending.length >= sample ? Chunk.of(flush()) : Chunk.empty()
    })
    return Stream.concat(body, Stream.suspend(() => (pending.length > 0 ? Stream.make(flush()) : Stream.empty)))
  })

export const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

export const dryrunSummary = (source: string, s: Dryrun.Summary): string => {
  const seconds = s.durationMs / 1000
  const rate = seconds > 0 ? Math.round(s.entries / seconds) : s.entries
  const warningTotal = Object.values(s.warnings).reduce((a, b) => a + (b ?? 0), 0)
  const parts = [
    `${source}: ${number(s.entries)} entries in ${duration(s.durationMs)} (${number(rate)} entries/s)`,
    counts("Kinds", s.kinds, s.entries),
    counts("Resolutions", s.resolutions, s.entries),
    counts("Languages", s.languages, s.entries),
    s.topGroups.length === 0
      ? "Top groups: none"
      : ["Top groups:", ...s.topGroups.map(([g, n]) => `  ${number(n).padStart(9)}  ${truncate(g || "(no group)", 70)}`)].join("\n"),
    warningTotal === 0
      ? "Warnings: none"
      : [
        `Warnings: ${number(warningTotal)}`,
        ...Object.entries(s.warnings).map(([k, n]) => `  ${k}: ${number(n ?? 0)}`),
        ...s.warningSamples.map((w) => `  line ${w.line}: ${w.message}`)
      ].join("\n")
  ]
  return parts.join("\n\n")
}

export const ingestSummary = (source: string, s: Ingest.Summary): string => {
  const c = s.counts
  const seconds = s.durationMs / 1000
  const rate = seconds > 0 ? Math.round(c.total / seconds) : c.total
  const rows: Array<readonly [string, number]> = [
    ["new", c.added],
    ["revived", c.revived],
    ["changed", c.changed],
    ["unchanged", c.unchanged],
    ["vanished", c.vanished],
    ["removed", c.removed],
    ["filtered", c.filtered],
    ["warnings", c.warnings],
    ["duplicates", c.duplicates]
  ]
  const kept = Object.values(c.byKind).reduce((a, b) => a + b, 0)
  return [
    `${source}: ${number(c.total)} entries in ${duration(s.durationMs)} (${number(rate)} entries/s), run #${s.runId}`,
    ["Changes:", ...rows.filter(([, n]) => n > 0).map(([k, n]) => `  ${k.padEnd(10)}  ${number(n).padStart(9)}`)].join("\n"),
    counts("Kinds", c.byKind, kept)
  ].join("\n\n")
}
