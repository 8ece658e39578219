/**
 * What `stalkeer serve` does; loaded only when it runs. The service itself is `@stalkeer/api`'s `Service`; this
 * handler picks the API key, the log format and the database, and keeps shutdown within its deadline.
 *
 * Logs: JSON lines when standard error is not a terminal (a service manager's journal), readable lines on one; at
 * `info` unless `log.level` says otherwise; every text scrubbed of stream URLs' credentials and the configured account.
 */
import { ApiKey, Service } from "@stalkeer/api"
import type { Settings } from "@stalkeer/config"
import { StreamUrl } from "@stalkeer/m3u-parser"
import { Credentials } from "@stalkeer/workflows"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Os from "node:os"
import * as AppEnv from "../AppEnv.js"
import * as Db from "../Db.js"
import * as Logging from "../Logging.js"

/** A clean stop takes a few seconds (leases released, responses finished); past this the process exits anyway. */
const shutdownDeadlineMs = 9_000

const logger = (settings: Settings.Settings) => {
  const accounts = Credentials.configured(settings.provider)
  const clean = (text: string) => accounts.reduce((t, account) => StreamUrl.scrub(t, account), StreamUrl.scrub(text))
  return process.stderr.isTTY === true
    ? Logging.make({ colors: (process.env.NO_COLOR ?? "") === "", clean })
    : Logging.json({ clean })
}

export const run = () =>
  Effect.flatMap(AppEnv.configWith("info"), (settings) => serve(settings).pipe(Logging.withLogger(logger(settings))))

const serve = (settings: Settings.Settings) =>
  Effect.gen(function*() {
    const key = yield* ApiKey.resolve(settings)
    if (key.source === "generated") {
      // The one time the key is shown: on the terminal (or journal) of the first start, never in a log line.
      yield* Console.error(
        `stalkeer: generated an API key for the HTTP API: ${Redacted.value(key.key)}\n` +
          `stalkeer: it is kept in ${key.file} (readable by you only); send it as X-Api-Key`
      )
    }
    const host = settings.api.address.includes(":") ? `[${settings.api.address}]` : settings.api.address
    yield* Effect.logInfo(`the API: http://${host}:${settings.api.port}/api/v1, docs at /api/docs?apikey=…`)
    yield* Layer.launch(
      Service.layer({ settings, key: key.key, owner: `${Os.hostname()}:${process.pid}` }).pipe(Layer.provide(Db.layer(settings)))
    ).pipe(
      Effect.onInterrupt(() =>
        Effect.zipRight(
          Effect.logInfo("stopping: downloads give their jobs back, running jobs are recorded interrupted"),
          Effect.sync(() => {
            // Whatever hangs (a stuck socket), the process ends within the deadline.
            setTimeout(() => process.exit(0), shutdownDeadlineMs).unref()
          })
        )
      )
    )
  })
