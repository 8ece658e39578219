/**
 * What `stalkeer config show|init` do; loaded only when one of them runs (see `commands/Config.ts`).
 */
import type * as Command from "@effect/cli/Command"
import { ConfigSource } from "@stalkeer/config"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as AppEnv from "../AppEnv.js"
import type * as Definitions from "../commands/Config.js"

/** The effective configuration as YAML-like text, with every secret masked and snake_case keys as in the file. */
export const render = (value: unknown, indent = ""): string => {
  const lines: Array<string> = []
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    const v = Option.isOption(raw) ? Option.getOrNull(raw) : raw
    if (Redacted.isRedacted(v)) lines.push(`${indent}${name}: "<redacted>"`)
    else if (Duration.isDuration(v)) lines.push(`${indent}${name}: ${Duration.format(v)}`)
    else if (Array.isArray(v)) lines.push(`${indent}${name}: ${JSON.stringify(v)}`)
    else if (Predicate.isRecord(v) && Object.keys(v).length === 0) lines.push(`${indent}${name}: {}`)
    else if (Predicate.isRecord(v)) lines.push(`${indent}${name}:`, render(v, `${indent}  `))
    else lines.push(`${indent}${name}: ${v === null ? "~" : JSON.stringify(v)}`)
  }
  return lines.join("\n")
}

export const show = () =>
  Effect.gen(function*() {
    // One read of the configuration: its unknown-key warnings are logged once.
    const { paths, file, ...app } = yield* AppEnv.config
    yield* Console.log([
      `# file: ${file ?? "(none; environment and defaults only)"}`,
      `# data: ${paths.dataDir}`,
      `# playlist: ${paths.playlist} (archives in ${paths.archives})`,
      `# database: ${Option.isSome(app.database.url) ? "database.url" : `embedded, in ${paths.embeddedDatabase}`}`,
      render(app)
    ].join("\n"))
  })

export const init = (args: Command.Command.ParseConfig<typeof Definitions.initOptions>) =>
  Effect.gen(function*() {
    const target = yield* ConfigSource.writeExample({
      path: Option.getOrUndefined(args.path),
      env: yield* AppEnv.Env,
      force: args.force
    })
    yield* Console.log(`Wrote ${target}`)
  })
