/**
 * The one error family of `@stalkeer/arr-client`, for Radarr and Sonarr alike. Every message is one line and free
 * of secrets: it names the service and the API path (never the query string, never the API key, never a response
 * body beyond a short, scrubbed server message).
 *
 * - `MissingConfiguration`: no URL or no API key configured (or a URL that is not http(s)). Fatal.
 * - `Unauthorized`: the server refused the API key (401, which *arr answers with an empty body). Fatal.
 * - `NotFound`: no such movie, series, episode or command (404). Not retried.
 * - `Unreachable`: the connection failed (refused, reset, DNS). Retried, then reported with the attempts made.
 * - `Timeout`: no complete answer within the per-request timeout. Retried.
 * - `Server`: still 5xx after the retries.
 * - `Rejected`: any other 4xx (a missing filter, a validation failure). Not retried.
 * - `InvalidResponse`: a 2xx whose body is not JSON or not the expected shape.
 * - `UnsupportedVersion`: the server is not the expected application (Sonarr at Radarr's URL) or older than v3. Fatal.
 * - `CommandFailed`: a command ended `failed`, `aborted`, `cancelled` or `orphaned`.
 * - `CommandTimeout`: a command did not finish within the command timeout.
 */
import * as Schema from "effect/Schema"

export const Reason = Schema.Literal(
  "MissingConfiguration",
  "Unauthorized",
  "NotFound",
  "Unreachable",
  "Timeout",
  "Server",
  "Rejected",
  "InvalidResponse",
  "UnsupportedVersion",
  "CommandFailed",
  "CommandTimeout"
)
export type Reason = typeof Reason.Type

export const Service = Schema.Literal("Radarr", "Sonarr")
export type Service = typeof Service.Type

/** A setting of the `radarr` / `sonarr` configuration section. */
export const Setting = Schema.Literal("url", "apiKey")
export type Setting = typeof Setting.Type

export class ArrError extends Schema.TaggedError<ArrError>("@stalkeer/arr-client/ArrError")("ArrError", {
  reason: Reason,
  service: Service,
  /** The API path without its query string, e.g. `/api/v3/movie/12`. */
  path: Schema.optional(Schema.String),
  status: Schema.optional(Schema.Number),
  /** A short, secret-free explanation: an errno code, the schema problem, the server's (scrubbed) message. */
  detail: Schema.optional(Schema.String),
  /** Attempts made before giving up, when more than one. */
  attempts: Schema.optional(Schema.Number),
  /** The per-request timeout (`Timeout`) or the command timeout (`CommandTimeout`). */
  timeoutMillis: Schema.optional(Schema.Number),
  /** `host:port` of the server, for `Unreachable` and `UnsupportedVersion`. */
  host: Schema.optional(Schema.String),
  /** What the server says it is (`UnsupportedVersion`): its `appName` and `version`. */
  appName: Schema.optional(Schema.String),
  version: Schema.optional(Schema.String),
  /** The settings that are missing (`MissingConfiguration`). */
  missing: Schema.optional(Schema.Array(Setting)),
  /** The command's name and id (`CommandFailed`, `CommandTimeout`). */
  command: Schema.optional(Schema.String),
  commandId: Schema.optional(Schema.Number),
  /** The command's last status: how it ended (`CommandFailed`) or where it stood (`CommandTimeout`). */
  commandStatus: Schema.optional(Schema.String)
}) {
  /** Whether no later request can succeed either (no or bad configuration, the wrong server): stop the run. */
  get fatal(): boolean {
    return this.reason === "Unauthorized" || this.reason === "MissingConfiguration" ||
      this.reason === "UnsupportedVersion"
  }

  private get commandLabel(): string {
    return `${this.command ?? "?"}${this.commandId !== undefined ? ` (#${this.commandId})` : ""}`
  }

  override get message(): string {
    const name = this.service
    const section = name.toLowerCase()
    const env = `STALKEER_${name.toUpperCase()}`
    const at = this.path ?? "?"
    const gaveUp = this.attempts !== undefined && this.attempts > 1 ? ` (gave up after ${this.attempts} attempts)` : ""
    const detail = this.detail !== undefined && this.detail !== "" ? `: ${this.detail}` : ""
    switch (this.reason) {
      case "MissingConfiguration": {
        if (this.detail !== undefined) return `${name} is not configured: ${this.detail}`
        const missing = this.missing ?? ["url", "apiKey"]
        const keys = missing.map((s) => (s === "url" ? `${section}.url` : `${section}.api_key`))
        const vars = missing.map((s) => (s === "url" ? `${env}_URL` : `${env}_API_KEY`))
        return `${name} is not configured: set ${keys.join(" and ")} (${vars.join(", ")})`
      }
      case "Unauthorized":
        return `${name} refused the API key (HTTP 401 on ${at}): check ${section}.api_key (${env}_API_KEY)`
      case "NotFound":
        return `${name} has nothing at ${at} (HTTP 404)`
      case "Unreachable":
        return `Cannot reach ${name} at ${this.host ?? "its URL"}: ${this.detail ?? "network error"}${gaveUp}`
      case "Timeout": {
        const within = this.timeoutMillis !== undefined ? ` within ${formatMillis(this.timeoutMillis)}` : ""
        return `${name} did not answer ${at}${within}${gaveUp}`
      }
      case "Server":
        return `${name} failed with HTTP ${this.status ?? "5xx"} on ${at}${gaveUp}${detail}`
      case "Rejected":
        return `${name} rejected ${at} with HTTP ${this.status ?? "4xx"}${detail}`
      case "InvalidResponse":
        return `${name} answered ${at} with an unexpected body: ${this.detail ?? "undecodable"}`
      case "UnsupportedVersion": {
        const where = this.host !== undefined ? ` at ${this.host}` : ""
        const what = [this.appName, this.version].filter((s) => s !== undefined && s !== "").join(" ")
        if (this.appName !== undefined && this.appName.toLowerCase() !== section) {
          return `The server${where} is ${what === "" ? "not an *arr application" : what}, not ${name}: check ${section}.url`
        }
        if (this.version !== undefined) return `${what}${where} is too old: API v3 needs ${name} 3 or later`
        return `No ${name} API v3${where}${detail}`
      }
      case "CommandFailed":
        return `${name} command ${this.commandLabel} ${this.commandStatus ?? "failed"}${detail}`
      case "CommandTimeout": {
        const within = this.timeoutMillis !== undefined ? ` within ${formatMillis(this.timeoutMillis)}` : ""
        const last = this.commandStatus !== undefined ? ` (last status: ${this.commandStatus})` : ""
        return `${name} command ${this.commandLabel} did not finish${within}${last}`
      }
    }
  }
}

export const isArrError = (u: unknown): u is ArrError => u instanceof ArrError

const formatMillis = (millis: number): string => {
  if (millis < 1000) return `${Math.round(millis)} ms`
  const seconds = millis / 1000
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} min`
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`
}
