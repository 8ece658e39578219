/**
 * `GET /ping` (no key, for load balancers and container health checks, as the *arr apps have it) and
 * `GET /api/v1/health`: whether the database answers and Radarr, Sonarr, TMDB and the provider can be reached.
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Schema from "effect/Schema"
import { Authorization } from "../Authorization.js"

export const Pong = Schema.Struct({ status: Schema.Literal("OK") })

export class Ping extends HttpApiGroup.make("ping")
  .add(HttpApiEndpoint.get("ping", "/ping").addSuccess(Pong))
{}

/** One dependency's state. `configured: false` is not a failure: the feature is simply off. */
export const Check = Schema.Struct({
  name: Schema.Literal("database", "radarr", "sonarr", "tmdb", "provider"),
  configured: Schema.Boolean,
  ok: Schema.Boolean,
  /** What was found (a version, the database kind) or what went wrong, in one line without secrets. */
  message: Schema.String,
  durationMs: Schema.Number
}).annotations({ identifier: "HealthCheck" })

export const Health = Schema.Struct({
  /** True when every configured dependency answered. */
  ok: Schema.Boolean,
  version: Schema.String,
  checks: Schema.Array(Check)
}).annotations({ identifier: "Health" })

export class System extends HttpApiGroup.make("system")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Health))
  .middleware(Authorization)
  .prefix("/api/v1")
{}
