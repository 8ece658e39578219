import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import { version } from "../Version.js"

export const command = Command.make("version", {}, () => Console.log(`stalkeer ${version}`)).pipe(
  Command.withDescription("Print the version")
)
