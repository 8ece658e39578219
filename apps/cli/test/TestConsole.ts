/** A Console that records what a command prints, so CLI tests assert on real output. */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

export interface Captured {
  readonly out: Array<string>
  readonly err: Array<string>
}

export const make = (): { readonly console: Console.Console; readonly captured: Captured } => {
  const captured: Captured = { out: [], err: [] }
  const write = (target: Array<string>) => (...args: ReadonlyArray<unknown>) =>
    Effect.sync(() => {
      target.push(args.map(String).join(" "))
    })
  const unsafe = {
    ...globalThis.console,
    log: (...args: ReadonlyArray<unknown>) => void captured.out.push(args.map(String).join(" ")),
    error: (...args: ReadonlyArray<unknown>) => void captured.err.push(args.map(String).join(" "))
  } as unknown as Console.UnsafeConsole
  const console: Console.Console = {
    [Console.TypeId]: Console.TypeId,
    assert: () => Effect.void,
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: write(captured.err),
    dir: () => Effect.void,
    dirxml: () => Effect.void,
    error: write(captured.err),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: write(captured.out),
    log: write(captured.out),
    table: () => Effect.void,
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: write(captured.err),
    warn: write(captured.err),
    unsafe
  }
  return { console, captured }
}
