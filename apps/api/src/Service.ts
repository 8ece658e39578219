/**
 * `stalkeer serve`: the API, the scheduler and the download worker in one process, over one database.
 *
 * - The scheduler runs the `Jobs` (playlist + ingest, enrich, Radarr sync, Sonarr sync) on the configured
 *   intervals; the worker fetches whatever the syncs (or the API) enqueue, within the provider's connection limit.
 *   With PostgreSQL, several `serve` processes share the queue and the schedule (leases), on any machines.
 * - Both publish what they do to `Events` (the API's server-sent events) and to the log.
 * - A failure of the worker's loop itself (the database gone) is logged and the loop restarts after a pause: the
 *   service does not die of what a retry can fix.
 * - Shutdown (the scope closes: SIGTERM, SIGINT): event streams end first (a held-open response would keep the
 *   server from closing), then the worker and the scheduler are interrupted — each running download gives its job
 *   back with its durable offset, its connection slot released; each running job is recorded `interrupted` —, then
 *   the server stops accepting and finishes the responses in flight.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { Settings } from "@stalkeer/config"
import { Clients, Jobs, Scheduler, Worker } from "@stalkeer/workflows"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { Events } from "./Events.js"
import * as EventsModule from "./Events.js"
import * as Server from "./Server.js"

export interface Options {
  readonly settings: Settings.Settings
  readonly key: Redacted.Redacted
  /** This process in leases: host and pid. */
  readonly owner: string
  /** How often the scheduler looks for due jobs (default 15 s). */
  readonly tick?: Duration.DurationInput | undefined
  /** How often an idle worker polls the queue (default 2 s). */
  readonly pollInterval?: Duration.DurationInput | undefined
}

const restartAfter = Duration.seconds(10)

/** `self` forever: a failure is logged on one line and `self` starts again after a pause. */
const supervised = (name: string) => <E, R>(self: Effect.Effect<unknown, E, R>) =>
  self.pipe(
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.failCause(cause)
        : Effect.logError(`${name} stopped; restarting in ${Duration.format(restartAfter)}`, Cause.squash(cause))
    ),
    Effect.repeat(Schedule.spaced(restartAfter))
  )

/** The worker and the scheduler, forked for as long as the layer lives. */
const background = (options: Options) =>
  Layer.scopedDiscard(Effect.gen(function*() {
    const events = yield* Events
    yield* Effect.forkScoped(
      Worker.run({
        settings: options.settings,
        owner: options.owner,
        onEvent: events.fromWorker,
        pollInterval: options.pollInterval
      }).pipe(supervised("the download worker"))
    )
    yield* Effect.forkScoped(
      Scheduler.run({
        owner: options.owner,
        jobs: Jobs.make(options.settings),
        tick: options.tick,
        onEvent: events.fromScheduler
      })
    )
  }))

/** Ends every open event stream; added after the server starts, so it runs before the server closes. */
const endStreamsFirst = Layer.scopedDiscard(
  Effect.flatMap(Events, (events) => Effect.addFinalizer(() => events.close))
)

/**
 * The whole service. Needs the migrated database and the platform's file system; brings its own HTTP client,
 * optional Radarr/Sonarr/TMDB clients and event hub.
 */
export const layer = (options: Options) =>
  Layer.mergeAll(background(options), endStreamsFirst).pipe(
    Layer.provide(Server.layer({ settings: options.settings, key: options.key })),
    Layer.provideMerge(EventsModule.layer),
    Layer.provide(Clients.layer(options.settings)),
    Layer.provideMerge(NodeHttpClient.layerUndici)
  )
