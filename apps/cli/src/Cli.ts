/**
 * The `stalkeer` command tree. Commands only parse arguments, call a workflow and render its result.
 */
import * as Command from "@effect/cli/Command"
import * as ConfigCommand from "./commands/Config.js"
import * as Dryrun from "./commands/Dryrun.js"
import * as PlaylistCommand from "./commands/Playlist.js"
import * as VersionCommand from "./commands/Version.js"
import * as Root from "./Root.js"
import { version } from "./Version.js"

export const root = Root.command.pipe(Command.withSubcommands([
  Dryrun.command,
  PlaylistCommand.command,
  ConfigCommand.command,
  VersionCommand.command
]))

export const run = Command.run(root, { name: "stalkeer", version })
