/**
 * The single table from a failure to a process exit code and a one-line message.
 * 0 success · 1 a user error (bad input, bad config, upstream refused) · 2 usage error · 130 interrupted.
 */
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"

export const Success = 0
export const UserError = 1
export const Usage = 2
export const Interrupted = 130

export const fromExit = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return Success
  if (Cause.isInterruptedOnly(exit.cause)) return Interrupted
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) return Usage
  return UserError
}

/**
 * What the user reads when a command fails: one line, no stack trace. Defects (our bugs) say so and ask for a
 * report; their detail appears only with STALKEER_DEBUG=1.
 */
export const describe = (cause: Cause.Cause<unknown>, debug = false): Option.Option<string> => {
  if (Cause.isInterruptedOnly(cause)) return Option.some("interrupted")
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    // @effect/cli has already printed the usage problem and the help.
    if (ValidationError.isValidationError(error)) return Option.none()
    // The configuration names the keys of its own errors (Settings.InvalidConfig); this module stays free of the
    // workflows so that loading it costs nothing at start-up.
    if (ConfigError.isConfigError(error)) return Option.some(`invalid configuration: ${oneLine(String(error))}`)
    return Option.some(oneLine(messageOf(error)))
  }
  const defect = Cause.squash(cause)
  return Option.some(
    debug ? `internal error: ${Cause.pretty(cause)}` : `internal error: ${oneLine(messageOf(defect))} (set STALKEER_DEBUG=1 for details)`
  )
}

const messageOf = (error: unknown): string => {
  if (Predicate.hasProperty(error, "message") && typeof error.message === "string" && error.message.length > 0) {
    return error.message
  }
  if (Predicate.hasProperty(error, "_tag") && typeof error._tag === "string") return error._tag
  return String(error)
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").trim()
