/**
 * The root `stalkeer` command and its global options. Subcommands read them with `yield* Root.command`.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"

export const config = Options.file("config", { exists: "yes" }).pipe(
  Options.withDescription("Config file (default: $STALKEER_CONFIG, else ~/.config/stalkeer/stalkeer.yml)"),
  Options.optional
)

export const command = Command.make("stalkeer", { config }).pipe(
  Command.withDescription("Fill Radarr/Sonarr libraries from your IPTV provider's catalogue")
)
