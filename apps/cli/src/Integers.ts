/**
 * Integer options and arguments with the range they allow. A value outside it is a usage error (exit 2) on one
 * line naming the option and the range — never a database error or a silent empty result. Every integer option
 * and argument of the CLI is made here. (A value that is not an integer at all is refused by @effect/cli itself.)
 */
import * as Args from "@effect/cli/Args"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"

export interface Range {
  readonly min: number
  readonly max: number
}

/** Row and entry counts: large enough for any catalogue, small enough to read. */
export const count: Range = { min: 1, max: 1_000_000_000 }

/** Years a title can carry. */
export const year: Range = { min: 1800, max: 2200 }

/** A row id (PostgreSQL `integer`). */
export const id: Range = { min: 1, max: 2_147_483_647 }

const show = (n: number) => (Math.abs(n) < 10_000 ? String(n) : n.toLocaleString("en-US"))

export const describeRange = (range: Range) => `an integer from ${show(range.min)} to ${show(range.max)}`

/** `n` if it lies in `range`, else the line that says what `label` allows. */
export const check = (label: string, n: number, range: Range): Effect.Effect<number, string> =>
  Number.isSafeInteger(n) && n >= range.min && n <= range.max
    ? Effect.succeed(n)
    : Effect.fail(`${label} must be ${describeRange(range)} (got ${n})`)

const help = (description: string, range: Range) => `${description} (${show(range.min)} to ${show(range.max)})`

/** `--name N`, an integer in `range`; the help states the range after `description`. */
export const option = (name: string, range: Range, description: string): Options.Options<number> =>
  Options.integer(name).pipe(
    Options.mapEffect((n) =>
      Effect.mapError(check(`--${name}`, n, range), (line) => ValidationError.invalidValue(HelpDoc.p(line)))
    ),
    Options.withDescription(help(description, range))
  )

/** `<name>`, an integer in `range`; the help states the range after `description`. */
export const argument = (name: string, range: Range, description: string): Args.Args<number> =>
  Args.integer({ name }).pipe(
    Args.mapEffect((n) => Effect.mapError(check(`<${name}>`, n, range), HelpDoc.p)),
    Args.withDescription(help(description, range))
  )
