/**
 * The command line being run. Kept apart from `AppEnv` (which loads the configuration code) so that the command tree
 * can provide it without loading anything heavy.
 */
import * as Context from "effect/Context"

/** The command line being run (`process.argv`); `Cli.run` provides the one it was given. */
export class Argv extends Context.Reference<Argv>()("cli/Argv", {
  defaultValue: (): ReadonlyArray<string> => process.argv
}) {}

/**
 * `stalkeer process`, `stalkeer filters add`: the command words of `argv`, for the embedded database's lock. Only
 * lowercase words before any option or value, so no path, URL or secret ends up in a file others can read.
 */
export const commandName = (argv: ReadonlyArray<string>): string => {
  const words: Array<string> = []
  for (const arg of argv.slice(2)) {
    if (!/^[a-z][a-z-]*$/.test(arg) || words.length === 2) break
    words.push(arg)
  }
  return ["stalkeer", ...words].join(" ")
}
