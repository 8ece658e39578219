import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Cli from "./Cli.js"
import * as ExitCode from "./ExitCode.js"
import * as Invocation from "./Invocation.js"
import * as Stdio from "./Stdio.js"

const debug = process.env.STALKEER_DEBUG === "1"

const colors = process.stderr.isTTY === true && (process.env.NO_COLOR ?? "") === ""

// A service stopped by SIGTERM or Ctrl-C has done what it should: exit 0, as service managers expect, and no
// "interrupted" line (its log already says it stopped).
const service = Invocation.commandName(process.argv) === "stalkeer serve"

const main = Cli.run(process.argv, { colors }).pipe(
  Stdio.untilClosed,
  Effect.tapErrorCause((cause) =>
    Option.match(service && Cause.isInterruptedOnly(cause) ? Option.none() : ExitCode.describe(cause, debug), {
      onNone: () => Effect.void,
      onSome: (line) => Console.error(`stalkeer: ${line}`)
    })
  ),
  // What the commands use of the platform; not all of NodeContext (its process and worker layers cost start-up).
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer))
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  // Cli.run installs the CLI's own logger (standard error); the runtime's pretty one would write to stdout.
  disablePrettyLogger: true,
  teardown: (exit, onExit) =>
    onExit(service && Exit.isInterrupted(exit) ? ExitCode.Success : ExitCode.fromExit(exit as Exit.Exit<unknown, unknown>))
})

