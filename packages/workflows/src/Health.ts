/**
 * Whether Stalkeer's dependencies answer, each in one line: the database, Radarr, Sonarr, TMDB and the provider
 * (`GET /api/v1/health`). Every check runs with a deadline, side by side with the others; a dependency not configured
 * is reported as such, not as a failure. Radarr and Sonarr are asked once (their clients' retries would turn
 * "connection refused" into "no answer in time"); the provider is checked by opening a TCP connection to its host
 * and closing it: no request, so no credential is sent and no connection of the account is used.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as SqlClient from "@effect/sql/SqlClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import { AppConfig } from "@stalkeer/config"
import type { Settings } from "@stalkeer/config"
import { Tmdb } from "@stalkeer/tmdb"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as NodeNet from "node:net"

export type Name = "database" | "radarr" | "sonarr" | "tmdb" | "provider"

export interface Check {
  readonly name: Name
  readonly configured: boolean
  readonly ok: boolean
  /** What was found (a version, the database kind) or what went wrong, in one line without secrets. */
  readonly message: string
  readonly durationMs: number
}

const deadline = Duration.seconds(5)

const version = (status: { readonly appName: string; readonly version: string }) => `${status.appName} ${status.version}`

const messageOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message.split("\n")[0]!
    : String(error)

/** Runs `probe` with the deadline; its success value is the check's message. */
const probe = <R>(name: Name, run: Effect.Effect<string, unknown, R> | undefined): Effect.Effect<Check, never, R> => {
  if (run === undefined) {
    return Effect.succeed({ name, configured: false, ok: true, message: "not configured", durationMs: 0 })
  }
  return run.pipe(
    Effect.timeoutFail({ duration: deadline, onTimeout: () => new Error(`no answer within ${Duration.format(deadline)}`) }),
    Effect.either,
    Effect.timed,
    Effect.map(([took, result]) => ({
      name,
      configured: true,
      ok: Either.isRight(result),
      message: Either.isRight(result) ? result.right : messageOf(result.left),
      durationMs: Duration.toMillis(took)
    }))
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

/** Every check; TMDB is used when the context holds its client (`Clients.layer`). */
export const check = (
  settings: Settings.Settings
): Effect.Effect<ReadonlyArray<Check>, never, SqlClient.SqlClient | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const once = { retry: { times: 0 } }
    const radarr = Option.map(Either.getRight(Radarr.fromSettings(settings.radarr, once)), Radarr.make)
    const sonarr = Option.map(Either.getRight(Sonarr.fromSettings(settings.sonarr, once)), Sonarr.make)
    const tmdb = yield* Effect.serviceOption(Tmdb.Tmdb)
    const provider = providerAddress(settings.provider)
    return yield* Effect.all([
      probe("database", Effect.as(sql`SELECT 1`, Option.isSome(settings.database.url) ? "PostgreSQL" : "embedded PostgreSQL (PGlite)")),
      probe("radarr", Option.getOrUndefined(Option.map(radarr, (make) => Effect.flatMap(make, (r) => Effect.map(r.status, version))))),
      probe("sonarr", Option.getOrUndefined(Option.map(sonarr, (make) => Effect.flatMap(make, (s) => Effect.map(s.status, version))))),
      probe("tmdb", Option.getOrUndefined(Option.map(tmdb, (t) => Effect.as(t.searchMovie({ query: "stalkeer" }), "answers")))),
      probe("provider", Option.getOrUndefined(Option.map(provider, connect)))
    ], { concurrency: "unbounded" })
  })
