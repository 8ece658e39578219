/** A private home for CLI tests and a way to run a command line in process, capturing what it prints. */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Database } from "@stalkeer/store"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as AppEnv from "../src/AppEnv.js"
import * as Cli from "../src/Cli.js"
import * as ExitCode from "../src/ExitCode.js"
import * as TestConsole from "./TestConsole.js"

/**
 * Data and config directories in a temporary folder, and the database either the embedded PGlite there or, when
 * DATABASE_URL is set, a scratch database on that server dropped afterwards.
 */
export class Home extends Effect.Service<Home>()("test/Home", {
  scoped: Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "stalkeer-cli-"))),
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
    )
    const server = process.env.DATABASE_URL
    const databaseUrl = server ? yield* Database.scratchUrl({ url: Redacted.make(server), prefix: "stalkeer_cli" }) : undefined
    const env: Record<string, string> = { HOME: dir, XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "config") }
    if (databaseUrl !== undefined) env.STALKEER_DATABASE_URL = Redacted.value(databaseUrl)
    return { dir, env } as const
  })
}) {}

export const TestLive = Layer.mergeAll(Home.Default, NodeContext.layer)

/** `stalkeer …args` in this process, in the current Home; `err` ends with the one-line error a user would read. */
export const cli = (...args: Array<string>) =>
  Effect.gen(function*() {
    const home = yield* Home
    const { captured, console } = TestConsole.make()
    const exit = yield* Cli.run(["node", "stalkeer", ...args]).pipe(
      Effect.withConsole(console),
      Effect.provideService(AppEnv.Env, home.env),
      Effect.exit
    )
    const out = captured.out.join("\n")
    const err = captured.err.join("\n")
    if (Exit.isFailure(exit)) {
      return { exit, out, err: [err, Option.getOrElse(ExitCode.describe(exit.cause), () => "")].join("\n") }
    }
    return { exit, out, err }
  })
