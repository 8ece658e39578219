import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Cli from "./Cli.js"
import * as ExitCode from "./ExitCode.js"
import * as Stdio from "./Stdio.js"

const debug = process.env.STALKEER_DEBUG === "1"

const colors = process.stderr.isTTY === true && (process.env.NO_COLOR ?? "") === ""

const main = Cli.run(process.argv, { colors }).pipe(
  Stdio.untilClosed,
  Effect.tapErrorCause((cause) =>
    Option.match(ExitCode.describe(cause, debug), {
      onNone: () => Effect.void,
      onSome: (line) => Console.error(`stalkeer: ${line}`)
    })
  ),
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  // Cli.run installs the CLI's own logger (standard error); the runtime's pretty one would write to stdout.
  disablePrettyLogger: true,
  teardown: (exit, onExit) => onExit(ExitCode.fromExit(exit as Exit.Exit<unknown, unknown>))
})

