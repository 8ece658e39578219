/**
 * What `stalkeer config show|init` do; loaded only when one of them runs (see `commands/Config.ts`).
 */
import type * as Command from "@effect/cli/Command"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { ConfigSource, Paths } from "@stalkeer/config"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as AppEnv from "../AppEnv.js"
import type * as Definitions from "../commands/Config.js"

export class ConfigExists extends Data.TaggedError("ConfigExists")<{ readonly path: string }> {
  override get message() {
    return `${this.path} already exists (use --force to overwrite it)`
  }
}

/** The effective configuration as YAML-like text, with every secret masked and snake_case keys as in the file. */
export const render = (value: unknown, indent = ""): string => {
  const lines: Array<string> = []
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    const v = Option.isOption(raw) ? Option.getOrNull(raw) : raw
    if (Redacted.isRedacted(v)) lines.push(`${indent}${name}: "<redacted>"`)
    else if (Duration.isDuration(v)) lines.push(`${indent}${name}: ${Duration.format(v)}`)
    else if (Array.isArray(v)) lines.push(`${indent}${name}: ${JSON.stringify(v)}`)
    else if (Predicate.isRecord(v)) lines.push(`${indent}${name}:`, render(v, `${indent}  `))
    else lines.push(`${indent}${name}: ${v === null ? "~" : JSON.stringify(v)}`)
  }
  return lines.join("\n")
}

export const show = () =>
  Effect.gen(function*() {
    // One read of the configuration: its unknown-key warnings are logged once.
    const { paths: _paths, file, ...app } = yield* AppEnv.config
    yield* Console.log(`# file: ${file ?? "(none; environment and defaults only)"}\n${render(app)}`)
  })

export const init = (args: Command.Command.ParseConfig<typeof Definitions.initOptions>) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const env = yield* AppEnv.Env
    const target = Option.getOrElse(args.path, () => Paths.defaultConfigFile(env))
    if (!args.force && (yield* fs.exists(target))) return yield* new ConfigExists({ path: target })
    yield* fs.makeDirectory(paths.dirname(target), { recursive: true })
    // The file will hold provider credentials: readable by its owner only.
    yield* fs.writeFileString(target, ConfigSource.exampleYaml, { mode: 0o600 })
    yield* Console.log(`Wrote ${target}`)
  })
