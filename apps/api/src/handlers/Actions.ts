/** The actions group: the store's `Schedules` and the scheduler's `trigger`, with intervals from the settings. */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Schedules } from "@stalkeer/store"
import { Jobs, Scheduler } from "@stalkeer/workflows"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Api } from "../Api.js"
import * as ApiError from "../ApiError.js"
import { ApiSettings } from "../ApiSettings.js"
import type { Job } from "../groups/Actions.js"
import * as Failures from "./internal/failures.js"

const toJson = (name: Jobs.Name, interval: Duration.Duration | null, state: Schedules.State | undefined): typeof Job.Type => {
  const lastStartedAt = state?.lastStartedAt ?? null
  return {
    name,
    intervalSeconds: interval === null ? null : Duration.toSeconds(interval),
    running: state?.running ?? false,
    holder: state?.holder ?? null,
    lastStartedAt,
    lastFinishedAt: state?.lastFinishedAt ?? null,
    lastStatus: state?.lastStatus ?? null,
    lastError: state?.lastError ?? null,
    requestedAt: state?.requestedAt ?? null,
    nextRunAt: interval === null
      ? null
      : lastStartedAt === null
      ? new Date()
      : new Date(lastStartedAt.getTime() + Duration.toMillis(interval)),
    runs: state?.runs ?? 0
  }
}

const intervals = Effect.map(ApiSettings, (settings) => new Map(Jobs.make(settings).map((job) => [job.name, job.interval])))

export const layer = HttpApiBuilder.group(Api, "actions", (handlers) =>
  handlers
    .handle("list", () =>
      Effect.gen(function*() {
        const every = yield* intervals
        const states = new Map((yield* Schedules.list).map((s) => [s.name, s]))
        return Jobs.names.map((name) => toJson(name, every.get(name) ?? null, states.get(name)))
      }).pipe(Effect.catchTag("StoreError", Failures.store("listing the jobs"))))
    .handle("run", ({ path }) =>
      Effect.gen(function*() {
        const settings = yield* ApiSettings
        const absent = Jobs.missing(settings, path.name)
        if (Option.isSome(absent)) {
          return yield* Effect.fail(new ApiError.Unavailable({
            message: `${path.name} is not configured: set ${absent.value}`,
            details: { service: path.name }
          }))
        }
        const current = yield* Schedules.get(path.name)
        if (Option.isSome(current) && current.value.running) {
          return yield* Effect.fail(new ApiError.Conflict({ message: `${path.name} is running (started ${current.value.lastStartedAt?.toISOString()} by ${current.value.holder})` }))
        }
        const state = yield* Scheduler.trigger(path.name)
        return toJson(path.name, (yield* intervals).get(path.name) ?? null, state)
      }).pipe(Effect.catchTag("StoreError", Failures.store("asking for a run")))))
