/**
 * A progress line on stderr for long reads (bytes read, entries/s, ETA). Drawn only when stderr is a TTY and the
 * input is big enough to be worth it; otherwise every method is a no-op, so output stays clean in pipes and CI.
 */
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Render from "./Render.js"

export interface Progress {
  readonly addBytes: (n: number) => void
  readonly addEntries: (n: number) => void
  /** For callers that know the running total rather than increments. */
  readonly setEntries: (n: number) => void
}

const silent: Progress = { addBytes: () => {}, addEntries: () => {}, setEntries: () => {} }

/** Below this size a run is over before a progress line would help. */
export const MIN_BYTES = 4 * 1024 * 1024

export interface Options {
  readonly label: string
  /** Total size when known (a file), for a percentage and an ETA. */
  readonly totalBytes?: number | undefined
  readonly stream?: NodeJS.WriteStream
}

/** Draws the line every 200 ms for the scope, and clears it at the end. */
const redraw = (out: NodeJS.WriteStream, draw: Effect.Effect<void>) =>
  Effect.gen(function*() {
    // Finalizers run in reverse: the drawing fiber stops first, then the line is cleared.
    yield* Effect.addFinalizer(() => Effect.sync(() => out.write("\r\x1b[2K")))
    yield* draw.pipe(Effect.repeat(Schedule.spaced("200 millis")), Effect.forkScoped)
  })

export const make = (options: Options): Effect.Effect<Progress, never, Scope.Scope> =>
  Effect.gen(function*() {
    const out = options.stream ?? process.stderr
    const total = options.totalBytes
    if (!out.isTTY || (total !== undefined && total < MIN_BYTES)) return silent
    // Plain counters, bumped once per chunk from the stream; the drawing fiber only reads them.
    let bytes = 0
    let entries = 0
    const started = Date.now()
    const draw = Effect.sync(() => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001)
      const rate = Math.round(entries / seconds)
      const parts = [`${options.label}: ${mb(bytes)}${total ? ` / ${mb(total)} (${Math.floor((bytes / total) * 100)}%)` : ""}`]
      parts.push(`${entries.toLocaleString("en-US")} entries`, `${rate.toLocaleString("en-US")}/s`)
      if (total && bytes > 0 && bytes < total) parts.push(`ETA ${Render.duration(Math.ceil(((total - bytes) / bytes) * seconds) * 1000)}`)
      out.write(`\r\x1b[2K${parts.join(" · ")}`)
    })
    yield* redraw(out, draw)
    return {
      addBytes: (n) => {
        bytes += n
      },
      addEntries: (n) => {
        entries += n
      },
      setEntries: (n) => {
        entries = n
      }
    } satisfies Progress
  })

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`

/**
 * A progress line for work counted in items (works identified…): `label: done / total (pct) · rate/s · ETA`. Same
 * rules as `make`: only on a TTY, and only for a total worth it.
 */
export const counter = (options: { readonly label: string; readonly total: number; readonly unit: string; readonly stream?: NodeJS.WriteStream }) =>
  Effect.gen(function*() {
    const out = options.stream ?? process.stderr
    if (!out.isTTY || options.total < 20) return { set: (_: number) => {} }
    let done = 0
    const started = Date.now()
    const draw = Effect.sync(() => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001)
      const rate = done / seconds
      const parts = [
        `${options.label}: ${done.toLocaleString("en-US")} / ${options.total.toLocaleString("en-US")} ${options.unit} (${Math.floor((done / options.total) * 100)}%)`,
        `${rate.toFixed(rate < 10 ? 1 : 0)}/s`
      ]
      if (done > 0 && done < options.total) parts.push(`ETA ${Render.duration(Math.ceil(((options.total - done) / rate)) * 1000)}`)
      out.write(`\r\x1b[2K${parts.join(" · ")}`)
    })
    yield* redraw(out, draw)
    return {
      set: (n: number) => {
        done = n
      }
    }
  })

export interface Board {
  /** Sets (or adds) the line drawn for `key`. */
  readonly set: (key: number, line: string) => void
  readonly remove: (key: number) => void
  /** Writes a lasting line above the board (on stdout). */
  readonly print: (line: string) => Effect.Effect<void>
}

/**
 * A block of lines at the bottom of a TTY for concurrent work (one per download) under a footer (the total),
 * redrawn every 250 ms; lasting lines (a download started, done, failed) are printed above it. `undefined` when
 * stderr is not a TTY: the caller then prints plain periodic lines.
 */
export const board = (options: {
  readonly footer: () => string
  readonly stream?: NodeJS.WriteStream
}): Effect.Effect<Board | undefined, never, Scope.Scope> =>
  Effect.gen(function*() {
    const out = options.stream ?? process.stderr
    if (!out.isTTY) return undefined
    const lines = new Map<number, string>()
    let drawn = 0
    // A line longer than the terminal wraps and breaks the count of lines to go back up over.
    const fit = (line: string) => {
      // A pseudo-terminal may not know its size (0 columns): then COLUMNS, else 80.
      const width = Math.max(20, (out.columns || Number(process.env["COLUMNS"]) || 80) - 1)
      return line.length > width ? `${line.slice(0, width - 1)}…` : line
    }
    const clear = () => {
      if (drawn > 0) out.write(`\x1b[${drawn}A\r\x1b[J`)
      drawn = 0
    }
    const draw = () => {
      const all = [...lines.values(), options.footer()].map(fit)
      clear()
      out.write(all.join("\n") + "\n")
      drawn = all.length
    }
    yield* Effect.addFinalizer(() => Effect.sync(clear))
    yield* Effect.sync(draw).pipe(Effect.repeat(Schedule.spaced("250 millis")), Effect.forkScoped)
    return {
      set: (key, line) => void lines.set(key, line),
      remove: (key) => void lines.delete(key),
      print: (line) =>
        Effect.sync(() => {
          clear()
          process.stdout.write(`${line}\n`)
          draw()
        })
    } satisfies Board
  })
