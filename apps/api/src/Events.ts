/**
 * What happens in the service, as it happens: downloads (started, progress, completed, failed) and scheduled jobs
 * (started, finished), published by the worker and the scheduler and read by `GET /api/v1/events` (server-sent
 * events). In memory, per process: a client sees what happens from when it connects.
 *
 * The hub is bounded and slides (the oldest event is dropped for a reader that lags), so a slow client can never
 * hold up a download. Progress is published at most once a second per download.
 */
import type { Download } from "@stalkeer/downloader"
import type { Scheduler, Worker } from "@stalkeer/workflows"
import type { Downloads } from "@stalkeer/store"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as PubSub from "effect/PubSub"
import type * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"

/** A download as events name it: enough to show a line, no path or URL. */
export interface DownloadRef {
  readonly id: number
  readonly title: string
  readonly arr: Downloads.Arr
}

export type Event =
  | { readonly type: "download.started"; readonly download: DownloadRef; readonly resumingAt: number }
  | {
    readonly type: "download.progress"
    readonly download: DownloadRef
    readonly bytes: number
    readonly total: number | null
    readonly rate: number
    readonly etaSeconds: number | null
  }
  | { readonly type: "download.completed"; readonly download: DownloadRef; readonly imported: string }
  | { readonly type: "download.failed"; readonly download: DownloadRef; readonly error: string; readonly retrying: boolean }
  | { readonly type: "job.started"; readonly job: string; readonly at: string }
  | {
    readonly type: "job.finished"
    readonly job: string
    readonly status: "succeeded" | "failed" | "interrupted"
    readonly error: string | null
    readonly durationMs: number
  }

export interface Service {
  readonly publish: (event: Event) => Effect.Effect<void>
  /** A reader of every event published from now on, for as long as the scope lives. */
  readonly subscribe: Effect.Effect<Queue.Dequeue<Event>, never, Scope.Scope>
  /** `Worker.run`'s `onEvent`: its events as the API's, progress throttled. */
  readonly fromWorker: (event: Worker.Event) => Effect.Effect<void>
  /** `Scheduler.run`'s `onEvent`. */
  readonly fromScheduler: (event: Scheduler.Event) => Effect.Effect<void>
  /** Done when the service shuts down: open event streams end then, so the server can close. */
  readonly closed: Deferred.Deferred<void>
  readonly close: Effect.Effect<void>
}

export class Events extends Context.Tag("@stalkeer/api/Events")<Events, Service>() {}

const ref = (d: Downloads.Download): DownloadRef => ({ id: d.id, title: d.title, arr: d.arr })

const progressEvent = (d: Downloads.Download, p: Download.Progress): Event => ({
  type: "download.progress",
  download: ref(d),
  bytes: p.bytes,
  total: p.total,
  rate: Math.round(p.rate),
  etaSeconds: p.etaSeconds === null ? null : Math.round(p.etaSeconds)
})

export const make: Effect.Effect<Service> = Effect.gen(function*() {
  const hub = yield* PubSub.sliding<Event>(1024)
  const closed = yield* Deferred.make<void>()
  const publish = (event: Event) => Effect.asVoid(PubSub.publish(hub, event))
  const lastProgress = new Map<number, number>()
  return {
    publish,
    subscribe: PubSub.subscribe(hub),
    closed,
    close: Effect.asVoid(Deferred.succeed(closed, undefined)),
    fromWorker: (event) => {
      switch (event._tag) {
        case "Started":
          return publish({ type: "download.started", download: ref(event.download), resumingAt: event.download.durableBytes })
        case "Progress": {
          const now = Date.now()
          if (now - (lastProgress.get(event.download.id) ?? 0) < 1000) return Effect.void
          lastProgress.set(event.download.id, now)
          return publish(progressEvent(event.download, event.progress))
        }
        case "Completed":
          lastProgress.delete(event.download.id)
          return publish({ type: "download.completed", download: ref(event.download), imported: event.imported })
        case "Failed":
          lastProgress.delete(event.download.id)
          return publish({ type: "download.failed", download: ref(event.download), error: event.error, retrying: event.retrying })
      }
    },
    fromScheduler: (event) =>
      event._tag === "JobStarted"
        ? publish({ type: "job.started", job: event.name, at: event.at.toISOString() })
        : publish({ type: "job.finished", job: event.name, status: event.status, error: event.error, durationMs: event.durationMs })
  } satisfies Service
})

export const layer: Layer.Layer<Events> = Layer.effect(Events, make)
