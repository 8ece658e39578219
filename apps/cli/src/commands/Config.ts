/**
 * `stalkeer config show|init`: their options here, their work in `handlers/Config.ts`, loaded when one runs.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"

const handlers = Effect.promise(() => import("../handlers/Config.js"))

const show = Command.make("show", {}, () => Effect.flatMap(handlers, (h) => h.show())).pipe(
  Command.withDescription("Print the effective configuration, secrets masked")
)

export const initOptions = {
  path: Args.text({ name: "path" }).pipe(
    Args.withDescription("Where to write it (default: ~/.config/stalkeer/stalkeer.yml)"),
    Args.optional
  ),
  force: Options.boolean("force").pipe(Options.withDescription("Overwrite an existing file"))
}

const init = Command.make("init", initOptions, (args) => Effect.flatMap(handlers, (h) => h.init(args))).pipe(
  Command.withDescription("Write a commented example config file")
)

export const command = Command.make("config").pipe(
  Command.withDescription("Show or create the configuration"),
  Command.withSubcommands([show, init])
)
