/**
 * The process's standard output and error as pipes that a reader may close early (`stalkeer items --json | head`).
 * A closed reader is not a failure: the command stops, quietly, with exit 0, as `yes | head` does.
 */
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"

export class OutputError extends Data.TaggedError("OutputError")<{ readonly stream: string; readonly problem: string }> {
  override get message() {
    return `cannot write to ${this.stream}: ${this.problem}`
  }
}

/** The reader went away: EPIPE, and a write to the stream already torn down by it. */
const closedCodes = new Set(["EPIPE", "ERR_STREAM_DESTROYED", "ECONNRESET"])

/**
 * Completes when standard output or error is closed by its reader, fails on any other write error (a full disk).
 * The listeners stay for the life of the process: Node reports a failed write as an `error` event on a later tick,
 * and an `error` event nobody listens to kills the process with a stack trace, whenever it comes.
 */
export const watch = (streams: ReadonlyArray<readonly [name: string, stream: NodeJS.WriteStream]> = [
  ["standard output", process.stdout],
  ["standard error", process.stderr]
]): Effect.Effect<Effect.Effect<void, OutputError>> =>
  Effect.gen(function*() {
    const done = yield* Deferred.make<void, OutputError>()
    for (const [name, stream] of streams) {
      stream.on("error", (error: NodeJS.ErrnoException) => {
        Deferred.unsafeDone(
          done,
          closedCodes.has(error.code ?? "")
            ? Effect.void
            : Effect.fail(new OutputError({ stream: name, problem: error.message }))
        )
      })
    }
    return Deferred.await(done)
  })

/**
 * Runs `self` until it ends or an output stream closes; a closed reader interrupts `self` (its finalizers run: the
 * database is closed, locks released) and ends with success.
 */
export const untilClosed = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A | void, E | OutputError, R> =>
  Effect.flatMap(watch(), (closed) => Effect.raceFirst(self, closed))
