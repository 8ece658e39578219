/** `ping` and `health`; the checks are the `Health` workflow's. */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Health } from "@stalkeer/workflows"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { ApiSettings } from "../ApiSettings.js"

export const layer = HttpApiBuilder.group(Api, "system", (handlers) =>
  handlers.handle("health", () =>
    Effect.gen(function*() {
      const checks = yield* Health.check(yield* ApiSettings)
      return { ok: checks.every((c) => c.ok), version: "1", checks }
    })))

export const pingLayer = HttpApiBuilder.group(Api, "ping", (handlers) =>
  handlers.handle("ping", () => Effect.succeed({ status: "OK" as const })))
