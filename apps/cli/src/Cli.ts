/**
 * The `stalkeer` command tree. Commands only parse arguments, call a workflow and render its result.
 */
import * as Command from "@effect/cli/Command"
import * as CatalogueCommands from "./commands/Catalogue.js"
import * as ConfigCommand from "./commands/Config.js"
import * as Dryrun from "./commands/Dryrun.js"
import * as FiltersCommand from "./commands/Filters.js"
import * as MigrateCommand from "./commands/Migrate.js"
import * as PlaylistCommand from "./commands/Playlist.js"
import * as ProcessCommand from "./commands/Process.js"
import * as VersionCommand from "./commands/Version.js"
import * as Root from "./Root.js"
import { version } from "./Version.js"

export const root = Root.command.pipe(Command.withSubcommands([
  Dryrun.command,
  ProcessCommand.command,
  ...CatalogueCommands.commands,
  FiltersCommand.command,
  PlaylistCommand.command,
  MigrateCommand.command,
  ConfigCommand.command,
  VersionCommand.command
]))

export const run = Command.run(root, { name: "stalkeer", version })
