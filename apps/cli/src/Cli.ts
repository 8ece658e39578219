/**
 * The `stalkeer` command tree. Commands only parse arguments, call a workflow and render its result.
 */
import * as Command from "@effect/cli/Command"
import * as ArrCommands from "./commands/Arr.js"
import * as CatalogueCommands from "./commands/Catalogue.js"
import * as ConfigCommand from "./commands/Config.js"
import * as Dryrun from "./commands/Dryrun.js"
import * as DownloadsCommands from "./commands/Downloads.js"
import * as EnrichCommands from "./commands/Enrich.js"
import * as FiltersCommand from "./commands/Filters.js"
import * as MigrateCommand from "./commands/Migrate.js"
import * as PlaylistCommand from "./commands/Playlist.js"
import * as ProcessCommand from "./commands/Process.js"
import * as ServeCommand from "./commands/Serve.js"
import * as VersionCommand from "./commands/Version.js"
import * as Effect from "effect/Effect"
import * as Invocation from "./Invocation.js"
import * as Logging from "./Logging.js"
import * as Root from "./Root.js"
import { version } from "./Version.js"

export const root = Root.command.pipe(Command.withSubcommands([
  Dryrun.command,
  ProcessCommand.command,
  EnrichCommands.enrich,
  EnrichCommands.match,
  ArrCommands.radarr,
  ArrCommands.sonarr,
  DownloadsCommands.worker,
  DownloadsCommands.downloads,
  ...CatalogueCommands.commands,
  FiltersCommand.command,
  PlaylistCommand.command,
  ServeCommand.command,
  MigrateCommand.command,
  ConfigCommand.command,
  VersionCommand.command
]))

const app = Command.run(root, { name: "stalkeer", version })

export interface RunOptions {
  /** Colour the log level (standard error is a terminal and NO_COLOR is unset). */
  readonly colors?: boolean | undefined
}

/** Runs the command line `argv` (as in `process.argv`); every log line goes to standard error. */
export const run = (argv: ReadonlyArray<string>, options: RunOptions = {}) =>
  app(argv).pipe(
    Logging.withLogger(Logging.make({ colors: options.colors })),
    Effect.provideService(Invocation.Argv, argv)
  )
