/**
 * The clients of Radarr, Sonarr and TMDB that a long-running process (`stalkeer serve`) holds, as the settings
 * configure them. Each one is optional: a service not configured is simply absent from the context, and the code
 * that needs it asks with `Effect.serviceOption` and says what is missing ("Radarr is not configured").
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import type { Settings } from "@stalkeer/config"
import { Tmdb } from "@stalkeer/tmdb"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

export const radarrConfigured = (settings: Settings.Settings): boolean =>
  Option.isSome(settings.radarr.url) && Option.isSome(settings.radarr.apiKey)

export const sonarrConfigured = (settings: Settings.Settings): boolean =>
  Option.isSome(settings.sonarr.url) && Option.isSome(settings.sonarr.apiKey)

export const tmdbConfigured = (settings: Settings.Settings): boolean =>
  Option.isSome(settings.tmdb.apiKey) || Option.isSome(settings.tmdb.accessToken)

/**
 * Every configured client. The layer's type provides nothing on purpose: which services are present depends on the
 * settings, so no caller may assume one. (Construction cannot fail once the keys are known to be set.)
 */
export const layer = (settings: Settings.Settings): Layer.Layer<never, never, HttpClient.HttpClient> =>
  Layer.mergeAll(
    radarrConfigured(settings) ? Layer.orDie(Radarr.layerConfig(settings.radarr)) : Layer.empty,
    sonarrConfigured(settings) ? Layer.orDie(Sonarr.layerConfig(settings.sonarr)) : Layer.empty,
    tmdbConfigured(settings) ? Layer.orDie(Tmdb.layerConfig(settings.tmdb)) : Layer.empty
  ) as Layer.Layer<never, never, HttpClient.HttpClient>
