/**
 * The configuration an app runs with: read from the environment and the config file, validated against
 * `AppConfig`, with its paths resolved. The CLI and the API both start here.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as AppConfig from "./AppConfig.js"
import * as ConfigSource from "./ConfigSource.js"
import * as Paths from "./Paths.js"

export interface Settings extends AppConfig.AppConfig {
  readonly paths: Paths.Paths
  /** The config file that was read, if any. */
  readonly file: string | null
}

/** A value of the wrong type or shape; `detail` names each key as written and as a variable. */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>("@stalkeer/config/InvalidConfig")("InvalidConfig", {
  detail: Schema.String
}) {
  override get message(): string {
    return `invalid configuration: ${this.detail}`
  }
}

export interface LoadOptions {
  /** An explicit config file (`--config`): it must exist. Default: `STALKEER_CONFIG`, else the XDG location. */
  readonly file?: string | undefined
  readonly env: ConfigSource.Env
}

/** Reads, merges and validates the configuration; unknown keys are logged as warnings (see `ConfigSource.load`). */
export const load = Effect.fn("Settings.load")(function*(options: LoadOptions) {
  const loaded = yield* ConfigSource.load(options)
  const config = yield* Effect.withConfigProvider(AppConfig.appConfig, loaded.provider).pipe(
    Effect.mapError((error) => new InvalidConfig({ detail: ConfigSource.describeError(error) }))
  )
  return { ...config, paths: Paths.resolve(config, options.env, loaded.file), file: loaded.file } satisfies Settings
})
