/**
 * The API key `serve` runs with: `api.key` (or `STALKEER_API_KEY`) when configured; else the one generated on an
 * earlier start, kept in `<config dir>/api-key`; else a new one — 32 hex characters from the system's CSPRNG, as
 * Radarr's are — written there, readable by its owner only, for the caller to print once.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type { Settings } from "@stalkeer/config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as NodeCrypto from "node:crypto"

export class ApiKeyError extends Schema.TaggedError<ApiKeyError>("@stalkeer/api/ApiKeyError")("ApiKeyError", {
  reason: Schema.Literal("Unreadable", "Unwritable", "Invalid"),
  file: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    switch (this.reason) {
      case "Unreadable":
        return `cannot read the API key in ${this.file}: ${this.detail}`
      case "Unwritable":
        return `cannot store a new API key in ${this.file}: ${this.detail}; set api.key (STALKEER_API_KEY) instead`
      case "Invalid":
        return `the API key in ${this.file} ${this.detail}; delete the file to get a new one, or set api.key`
    }
  }
}

export interface Resolved {
  readonly key: Redacted.Redacted
  /** Where it came from: the configuration, the file of an earlier start, or generated now into `file`. */
  readonly source: "config" | "file" | "generated"
  readonly file: string
}

export const fileName = "api-key"

/** Keys shorter than this are refused from the file (a truncated write, an edit gone wrong). */
const minLength = 16

const describe = (error: unknown) =>
  typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error)

export const resolve = (settings: Settings.Settings): Effect.Effect<Resolved, ApiKeyError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const file = path.join(settings.paths.configDir, fileName)
    if (Option.isSome(settings.api.key)) return { key: settings.api.key.value, source: "config", file } as const
    const existing = yield* fs.readFileString(file).pipe(
      Effect.map(Option.some),
      Effect.catchIf(
        (e) => e._tag === "SystemError" && e.reason === "NotFound",
        () => Effect.succeed(Option.none<string>())
      ),
      Effect.mapError((e) => new ApiKeyError({ reason: "Unreadable", file, detail: describe(e) }))
    )
    if (Option.isSome(existing)) {
      const key = existing.value.trim()
      if (key.length < minLength || /\s/.test(key)) {
        return yield* new ApiKeyError({ reason: "Invalid", file, detail: `is not a key (${minLength}+ characters, no spaces)` })
      }
      return { key: Redacted.make(key), source: "file", file } as const
    }
    const key = NodeCrypto.randomBytes(16).toString("hex")
    yield* Effect.gen(function*() {
      yield* fs.makeDirectory(settings.paths.configDir, { recursive: true, mode: 0o700 })
      // `wx`: never replace a key another process has just written; owner-only from the first byte.
      yield* fs.writeFileString(file, `${key}\n`, { flag: "wx", mode: 0o600 })
    }).pipe(Effect.mapError((e) => new ApiKeyError({ reason: "Unwritable", file, detail: describe(e) })))
    return { key: Redacted.make(key), source: "generated", file } as const
  })
