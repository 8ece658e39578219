/**
 * The `stalkeer` command tree. Commands only parse arguments, call a workflow and render its result.
 */
import * as Command from "@effect/cli/Command"
import * as Dryrun from "./commands/Dryrun.js"
import * as VersionCommand from "./commands/Version.js"
import { version } from "./Version.js"

export const root = Command.make("stalkeer").pipe(
  Command.withDescription("Fill Radarr/Sonarr libraries from your IPTV provider's catalogue"),
  Command.withSubcommands([Dryrun.command, VersionCommand.command])
)

export const run = Command.run(root, { name: "stalkeer", version })
