/**
 * The wanted group: the `Plans` workflow with the preferences the CLI builds from the settings, collected with the
 * CLI's summary. Also what every handler that needs Radarr or Sonarr uses: the client, or a 503 naming the service
 * when it is not configured, and a Radarr/Sonarr failure as a 503 with the client's one-line message.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { ArrError, Radarr, Sonarr } from "@stalkeer/arr-client"
import { Choice, Plans } from "@stalkeer/workflows"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Api } from "../Api.js"
import * as ApiError from "../ApiError.js"
import { ApiSettings } from "../ApiSettings.js"
import * as Failures from "./internal/failures.js"

export type Service = "radarr" | "sonarr"

const names: Record<Service, ArrError.Service> = { radarr: "Radarr", sonarr: "Sonarr" }

const unavailable = (service: Service, message: string) =>
  new ApiError.Unavailable({ message: message.split("\n")[0]!, details: { service } })

/** The client's own words for a missing setting: which keys and variables to set. */
const notConfigured = (service: Service) =>
  Effect.flatMap(ApiSettings, (settings) => {
    const section = settings[service]
    const missing: Array<ArrError.Setting> = [
      ...(Option.isNone(section.url) ? ["url" as const] : []),
      ...(Option.isNone(section.apiKey) ? ["apiKey" as const] : [])
    ]
    const error = new ArrError.ArrError({
      reason: "MissingConfiguration",
      service: names[service],
      ...(missing.length > 0 ? { missing } : {})
    })
    return Effect.fail(unavailable(service, error.message))
  })

/** Radarr's client; 503 when it is not configured. */
export const radarr: Effect.Effect<Radarr.Service, ApiError.Unavailable, ApiSettings> = Effect.flatMap(
  Effect.serviceOption(Radarr.Radarr),
  Option.match({ onNone: () => notConfigured("radarr"), onSome: Effect.succeed })
)

/** Sonarr's client; 503 when it is not configured. */
export const sonarr: Effect.Effect<Sonarr.Service, ApiError.Unavailable, ApiSettings> = Effect.flatMap(
  Effect.serviceOption(Sonarr.Sonarr),
  Option.match({ onNone: () => notConfigured("sonarr"), onSome: Effect.succeed })
)

/**
 * A Radarr/Sonarr failure: 503 naming the service, with the client's message (one line, never the API key: the
 * server is down, refuses the key, is not what it should be…). Logged as a warning, for the operator.
 */
export const arrFailure = (service: Service) => (error: ArrError.ArrError): Effect.Effect<never, ApiError.Unavailable> =>
  Effect.zipRight(Effect.logWarning(error.message), Effect.fail(unavailable(service, error.message)))

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

export const layer = HttpApiBuilder.group(Api, "wanted", (handlers) =>
  handlers
    .handle("radarr", ({ urlParams }) =>
      Effect.gen(function*() {
        const settings = yield* ApiSettings
        const client = yield* radarr
        // The status first, as the CLI does: a Sonarr URL given for Radarr, or an old version, says so.
        yield* client.status
        const plans = yield* collect(Plans.movies({
          preferences: Choice.preferences(settings.matching),
          limit: urlParams.limit
        })).pipe(Effect.provideService(Radarr.Radarr, client))
        return { summary: plans.reduce(Plans.tally, Plans.emptySummary), plans: plans.map(Plans.movieJson) }
      }).pipe(
        Effect.catchTags({ ArrError: arrFailure("radarr"), StoreError: Failures.store("planning Radarr's wanted movies") })
      ))
    .handle("sonarr", ({ urlParams }) =>
      Effect.gen(function*() {
        const settings = yield* ApiSettings
        const client = yield* sonarr
        yield* client.status
        const plans = yield* collect(Plans.episodes({
          preferences: Choice.preferences(settings.matching),
          limit: urlParams.limit
        })).pipe(Effect.provideService(Sonarr.Sonarr, client))
        return { summary: plans.reduce(Plans.tally, Plans.emptySummary), plans: plans.map(Plans.episodeJson) }
      }).pipe(
        Effect.catchTags({ ArrError: arrFailure("sonarr"), StoreError: Failures.store("planning Sonarr's wanted episodes") })
      )))
