/**
 * The edge where the CLI meets its environment: the configuration (`--config`, the variables), read once per
 * command through `@stalkeer/config`. The only module of the CLI that reads `process.env` (through `Env`, which
 * tests replace).
 */
import { Settings } from "@stalkeer/config"
import type { AppConfig, ConfigSource } from "@stalkeer/config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Root from "./Root.js"

/** The process environment; a test provides its own map instead. */
export class Env extends Context.Reference<Env>()("cli/Env", {
  defaultValue: (): ConfigSource.Env => process.env
}) {}

/**
 * The effective configuration (environment, then `--config`/default file, then defaults), with `fallback` as the
 * log level when `log.level` is not set: `warning` for a command, `info` for `serve` (a service's log).
 */
export const configWith = (fallback: AppConfig.LogLevel) =>
  Effect.gen(function*() {
    const { config: file } = yield* Root.command
    const settings = yield* Settings.load({ file: Option.getOrUndefined(file), env: yield* Env })
    // `log.level` applies for the rest of the command, unless `--log-level` already moved it from the default.
    if ((yield* FiberRef.get(FiberRef.currentMinimumLogLevel)) === LogLevel.Info) {
      const level = Option.getOrElse(settings.log.level, () => fallback)
      yield* FiberRef.set(FiberRef.currentMinimumLogLevel, LOG_LEVELS[level])
    }
    return settings
  }).pipe(Effect.withSpan("AppEnv.config"))

/** The configuration of a command. */
export const config = Effect.suspend(() => configWith("warning"))

const LOG_LEVELS: Record<AppConfig.LogLevel, LogLevel.LogLevel> = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  none: LogLevel.None
}
