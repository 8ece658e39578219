/**
 * In-process CLI runs in a private home: data and config directories in a temporary folder, and the database either
 * the embedded PGlite there or, when DATABASE_URL is set, a scratch database on that server dropped afterwards.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { assert } from "@effect/vitest"
import { Database } from "@stalkeer/store"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as AppEnv from "../src/AppEnv.js"
import * as Cli from "../src/Cli.js"
import * as ExitCode from "../src/ExitCode.js"
import * as TestConsole from "./TestConsole.js"

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

/** Runs `stalkeer <args>` in this process with the home's environment; output and the one-line error captured. */
export const cli = (...args: Array<string>) => cliWith({}, ...args)

/** `cli` with these variables added to the home's environment. */
export const cliWith = (extra: Readonly<Record<string, string>>, ...args: Array<string>) =>
  Effect.gen(function*() {
    const home = yield* Home
    const { captured, console } = TestConsole.make()
    const exit = yield* Cli.run(["node", "stalkeer", ...args]).pipe(
      Effect.withConsole(console),
      Effect.provideService(AppEnv.Env, { ...home.env, ...extra }),
      // Each run starts from the defaults a new process has (a command sets the log level from its config).
      Effect.locally(FiberRef.currentMinimumLogLevel, LogLevel.Info),
      Effect.exit
    )
    const out = captured.out.join("\n")
    const err = captured.err.join("\n")
    if (Exit.isFailure(exit)) {
      return { exit, out, err: [err, Option.getOrElse(ExitCode.describe(exit.cause), () => "")].join("\n") }
    }
    return { exit, out, err }
  })

/** `cli`, asserting success. */
export const ok = (...args: Array<string>) =>
  Effect.tap(cli(...args), (r) => Effect.sync(() => assert.isTrue(Exit.isSuccess(r.exit), `${args.join(" ")}: ${r.err}`)))

/** A loopback HTTP server for the scope, answering with `handler`; its base URL. */
export const httpServer = (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
  Effect.map(
    Effect.acquireRelease(
      Effect.async<ReturnType<typeof createServer>>((resume) => {
        const server = createServer(handler)
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    ),
    (server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  )
