/**
 * `ping` and `health`. Each health check runs with a deadline, side by side with the others, and says in one line
 * what it found; a dependency not configured is reported as such, not as a failure. The provider is checked by
 * opening a TCP connection to its host and closing it: no request, so no credential is sent and no connection of
 * the account is used.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as SqlClient from "@effect/sql/SqlClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import { AppConfig } from "@stalkeer/config"
import { Tmdb } from "@stalkeer/tmdb"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as NodeNet from "node:net"
import { Api } from "../Api.js"
import { ApiSettings } from "../ApiSettings.js"

type Name = "database" | "radarr" | "sonarr" | "tmdb" | "provider"

const deadline = Duration.seconds(5)

const version = (status: { readonly appName: string; readonly version: string }) => `${status.appName} ${status.version}`

const messageOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message.split("\n")[0]!
    : String(error)

/** Runs `probe` with the deadline; its success value is the check's message. */
const check = <R>(name: Name, probe: Effect.Effect<string, unknown, R> | undefined) => {
  if (probe === undefined) {
    return Effect.succeed({ name, configured: false, ok: true, message: "not configured", durationMs: 0 })
  }
  const started = Date.now()
  return probe.pipe(
    Effect.timeoutFail({ duration: deadline, onTimeout: () => new Error(`no answer within ${Duration.format(deadline)}`) }),
    Effect.match({
      onFailure: (error) => ({ name, configured: true, ok: false, message: messageOf(error), durationMs: Date.now() - started }),
      onSuccess: (message) => ({ name, configured: true, ok: true, message, durationMs: Date.now() - started })
    })
  )
}

/** host:port of the provider's playlist or panel URL, without anything else of it. */
const providerAddress = (provider: AppConfig.Provider): Option.Option<{ host: string; port: number }> =>
  Option.flatMap(
    Option.orElse(Option.map(AppConfig.playlistUrl(provider), Redacted.value), () => provider.baseUrl),
    (url) => {
      if (!URL.canParse(url)) return Option.none()
      const u = new URL(url)
      return Option.some({ host: u.hostname, port: u.port === "" ? (u.protocol === "https:" ? 443 : 80) : Number(u.port) })
    }
  )

const connect = (address: { host: string; port: number }) =>
  Effect.async<string, Error>((resume) => {
    const socket = NodeNet.connect({ host: address.host, port: address.port })
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.succeed(`${address.host}:${address.port} accepts connections`))
    })
    socket.once("error", (error: NodeJS.ErrnoException) => {
      resume(Effect.fail(new Error(`${address.host}:${address.port}: ${error.code ?? error.message}`)))
    })
    return Effect.sync(() => socket.destroy())
  })

export const layer = HttpApiBuilder.group(Api, "system", (handlers) =>
  handlers.handle("health", () =>
    Effect.gen(function*() {
      const settings = yield* ApiSettings
      const sql = yield* SqlClient.SqlClient
      // A health check asks once: the clients' retries would turn "connection refused" into "no answer in time".
      const once = { retry: { times: 0 } }
      const radarr = Option.map(Either.getRight(Radarr.fromSettings(settings.radarr, once)), Radarr.make)
      const sonarr = Option.map(Either.getRight(Sonarr.fromSettings(settings.sonarr, once)), Sonarr.make)
      const tmdb = yield* Effect.serviceOption(Tmdb.Tmdb)
      const provider = providerAddress(settings.provider)
      const checks = yield* Effect.all([
        check("database", Effect.as(sql`SELECT 1`, Option.isSome(settings.database.url) ? "PostgreSQL" : "embedded PostgreSQL (PGlite)")),
        check("radarr", Option.getOrUndefined(Option.map(radarr, (make) => Effect.flatMap(make, (r) => Effect.map(r.status, version))))),
        check("sonarr", Option.getOrUndefined(Option.map(sonarr, (make) => Effect.flatMap(make, (s) => Effect.map(s.status, version))))),
        check("tmdb", Option.getOrUndefined(Option.map(tmdb, (t) => Effect.as(t.searchMovie({ query: "stalkeer" }), "answers")))),
        check("provider", Option.getOrUndefined(Option.map(provider, connect)))
      ], { concurrency: "unbounded" })
      return { ok: checks.every((c) => c.ok), version: "1", checks }
    })))

export const pingLayer = HttpApiBuilder.group(Api, "ping", (handlers) =>
  handlers.handle("ping", () => Effect.succeed({ status: "OK" as const })))
