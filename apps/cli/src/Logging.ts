/**
 * Where the CLI's logs go: always standard error, one line per message, so that standard output holds only a
 * command's result (`items --json` stays pure JSON lines at any `--log-level`).
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Inspectable from "effect/Inspectable"
import * as List from "effect/List"
import * as Logger from "effect/Logger"
import * as DefaultServices from "effect/DefaultServices"
import * as Console from "effect/Console"
import * as Render from "./Render.js"

export interface Options {
  /** ANSI colours for the level (only when standard error is a terminal). */
  readonly colors?: boolean | undefined
  /**
   * Applied to every text written (message parts, annotations, the cause): the service's logger removes stream URLs'
   * credentials and the configured account with `StreamUrl.scrub`.
   */
  readonly clean?: ((text: string) => string) | undefined
}

const levelColor: Record<string, string> = { Fatal: "35", Error: "31", Warning: "33", Info: "32", Debug: "34", Trace: "90" }

const part = (value: unknown): string => {
  if (typeof value === "string") return value
  if (Duration.isDuration(value)) return Render.duration(value)
  return Inspectable.toStringUnknown(Inspectable.redact(value), 0)
}

/**
 * `[12:00:01.250] WARN message key=value span=1.2 s` on standard error (through the Console service, so tests can
 * capture it). Durations, as message parts or log spans, read like every other duration the CLI prints.
 */
export const make = (options: Options = {}): Logger.Logger<unknown, void> =>
  Logger.make(({ annotations, cause, context, date, logLevel, message, spans }) => {
    const services = FiberRefs.getOrDefault(context, DefaultServices.currentServices)
    const console = Context.get(services, Console.Console).unsafe
    const label = logLevel.label
    const level = options.colors === true && levelColor[logLevel._tag] !== undefined
      ? `\x1b[${levelColor[logLevel._tag]}m${label}\x1b[0m`
      : label
    const clean = options.clean ?? ((text: string) => text)
    let line = `[${date.toISOString().slice(11, 23)}] ${level} ${clean((Array.isArray(message) ? message : [message]).map(part).join(" "))}`
    for (const [key, value] of HashMap.toEntries(annotations)) line += ` ${key}=${clean(part(value))}`
    if (List.isCons(spans)) {
      const now = date.getTime()
      for (const span of spans) line += ` ${span.label}=${Render.duration(Duration.millis(now - span.startTime))}`
    }
    if (!Cause.isEmpty(cause)) line += `\n${clean(Cause.pretty(cause, { renderErrorCause: true }))}`
    console.error(line)
  })

/**
 * One JSON object per line on standard error, for a service whose log is read by a machine (journald, a container
 * runtime, a log shipper): `{"time","level","message", ...annotations, "spans"?, "error"?}`. `error` is the cause's
 * first line (an error's message), never a stack unless `STALKEER_DEBUG=1` put it in the message.
 */
export const json = (options: Pick<Options, "clean"> = {}): Logger.Logger<unknown, void> =>
  Logger.make(({ annotations, cause, context, date, logLevel, message, spans }) => {
    const services = FiberRefs.getOrDefault(context, DefaultServices.currentServices)
    const console = Context.get(services, Console.Console).unsafe
    const clean = options.clean ?? ((text: string) => text)
    const record: Record<string, unknown> = {
      time: date.toISOString(),
      level: logLevel.label.toLowerCase(),
      message: clean((Array.isArray(message) ? message : [message]).map(part).join(" "))
    }
    for (const [key, value] of HashMap.toEntries(annotations)) {
      if (key in record) continue
      record[key] = typeof value === "number" || typeof value === "boolean" ? value : clean(part(value))
    }
    if (List.isCons(spans)) {
      const now = date.getTime()
      record.spans = Object.fromEntries([...spans].map((span) => [span.label, now - span.startTime]))
    }
    if (!Cause.isEmpty(cause)) record.error = clean(Cause.pretty(cause).split("\n")[0]!)
    console.error(JSON.stringify(record))
  })

/** Runs `self` with `logger` as the only logger (it replaces Effect's default and the runtime's pretty logger). */
export const withLogger = (logger: Logger.Logger<unknown, void>) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.locally(self, FiberRef.currentLoggers, HashSet.make(logger))
