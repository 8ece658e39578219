/**
 * What `stalkeer radarr` and `stalkeer sonarr` do; loaded only when one runs (see `commands/Arr.ts`). The plans
 * are the `Plans` workflow's; this module picks the client, renders, and counts.
 */
import type * as Command from "@effect/cli/Command"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import type { Settings } from "@stalkeer/config"
import { Choice, Enqueue, Plans } from "@stalkeer/workflows"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Definitions from "../commands/Arr.js"
import * as Db from "../Db.js"
import * as Render from "../Render.js"
import * as DownloadsHandler from "./Downloads.js"

const radarrLayer = (settings: Settings.Settings) =>
  Radarr.layerConfig(settings.radarr).pipe(Layer.provide(NodeHttpClient.layerUndici))

const sonarrLayer = (settings: Settings.Settings) =>
  Sonarr.layerConfig(settings.sonarr).pipe(Layer.provide(NodeHttpClient.layerUndici))

const HEADER = ["wanted", "decision", "entry", "group", "res", "lang", "conf", "why"]

const cells = (plan: Plans.Plan): ReadonlyArray<string> => {
  const wanted = Plans.label(plan)
  const c = plan.choice
  const entry = c.entry
  return [
    Render.truncate(wanted, 44),
    c.decision,
    entry === null ? "" : Render.truncate(entry.name, 48),
    entry === null ? "" : Render.truncate(entry.groupTitle ?? "", 24),
    entry?.resolution ?? "",
    entry?.language ?? "",
    c.confidence === 0 ? "" : c.confidence.toFixed(2),
    Render.truncate(c.decision === "download" ? c.reasons.slice(1).join("; ") : c.reasons.at(-1) ?? "", 60)
  ]
}

const SKIPS: Record<Choice.SkipReason, string> = {
  "not-available": "not available yet",
  "not-in-catalogue": "not in the catalogue",
  language: "only in languages not allowed",
  excluded: "only excluded entries",
  unsure: "not sure enough"
}

const summaryLine = (noun: string, s: Plans.Summary): string => {
  if (s.wanted === 0) return `Nothing wanted: no monitored ${noun} is missing.`
  const skipped = s.wanted - s.planned
  const why = (Object.keys(SKIPS) as Array<Choice.SkipReason>)
    .filter((k) => s.skipped[k] > 0)
    .map((k) => `${Render.number(s.skipped[k])} ${SKIPS[k]}`)
  return `${Render.number(s.wanted)} wanted ${noun}: ${Render.number(s.planned)} to download, ${Render.number(skipped)} skipped` +
    (why.length > 0 ? ` (${why.join(", ")})` : "")
}

/** Prints the plans (a table, or JSON lines) as they come, then the summary (on stderr with `--json`). */
const render = <E, R>(plans: Stream.Stream<Plans.Plan, E, R>, noun: string, json: boolean) =>
  Effect.gen(function*() {
    let summary = Plans.emptySummary
    const counted = Stream.tap(plans, (plan) => Effect.sync(() => {
      summary = Plans.tally(summary, plan)
    }))
    if (json) {
      yield* Stream.runForEachChunk(counted, (chunk) =>
        Console.log(Chunk.toReadonlyArray(chunk).map((plan) => JSON.stringify(Plans.toJson(plan))).join("\n")))
      yield* Console.error(summaryLine(noun, summary))
    } else {
      yield* Stream.runForEach(Render.tableStream(HEADER, Stream.map(counted, cells)), (text) => Console.log(text))
      yield* Console.log(summaryLine(noun, summary))
    }
  })

const preferences = (settings: Settings.Settings) => Choice.preferences(settings.matching)

/** Enqueues what the plans chose, says so in one line, then (unless `--no-wait`) downloads until the queue is idle. */
const enqueueAndFetch = <E, R>(
  settings: Settings.Settings,
  enqueued: Stream.Stream<Enqueue.Enqueued, E, R>,
  noun: string,
  noWait: boolean
) =>
  Effect.gen(function*() {
    let summary = Plans.emptySummary
    const outcome = { queued: 0, already: 0, unplaceable: 0 }
    yield* Stream.runForEach(enqueued, (e) =>
      Effect.gen(function*() {
        summary = Plans.tally(summary, e.plan)
        if (e.outcome._tag === "Queued") outcome.queued++
        else if (e.outcome._tag === "AlreadyQueued") outcome.already++
        else if (e.outcome._tag === "Unplaceable") {
          outcome.unplaceable++
          yield* Effect.logWarning(`not queued: ${e.plan.kind === "movie" ? e.plan.movie.title : e.plan.series.title}: ${e.outcome.reason}`)
        }
      }))
    yield* Console.log(
      `${summaryLine(noun, summary)}; ${Render.number(outcome.queued)} queued, ${Render.number(outcome.already)} already in the queue` +
        (outcome.unplaceable > 0 ? `, ${Render.number(outcome.unplaceable)} without a place (see the warnings)` : "")
    )
    if (noWait) return
    const done = yield* DownloadsHandler.runWorker(settings, true)
    yield* Console.log(DownloadsHandler.summaryLine(done))
    yield* DownloadsHandler.waiting
  })

export const radarr = (args: Command.Command.ParseConfig<typeof Definitions.radarrOptions>) =>
  Db.use((settings) =>
    Effect.gen(function*() {
      // The status first: a Sonarr URL given for Radarr, or an old version, says so in one line.
      yield* Effect.flatMap(Radarr.Radarr, (r) => r.status)
      const options = { preferences: preferences(settings), limit: Option.getOrUndefined(args.limit) }
      if (args.dryRun) return yield* render(Plans.movies(options), "movies", args.json)
      yield* enqueueAndFetch(settings, Enqueue.radarr({ ...options, settings, force: args.force }), "movies", args.noWait)
    }).pipe(Effect.provide(radarrLayer(settings)))
  )

export const sonarr = (args: Command.Command.ParseConfig<typeof Definitions.sonarrOptions>) =>
  Db.use((settings) =>
    Effect.gen(function*() {
      yield* Effect.flatMap(Sonarr.Sonarr, (s) => s.status)
      const series = Option.isSome(args.series) ? yield* Plans.findSeries(args.series.value) : undefined
      const options = { preferences: preferences(settings), limit: Option.getOrUndefined(args.limit), seriesId: series?.id }
      if (args.dryRun) return yield* render(Plans.episodes(options), "episodes", args.json)
      yield* enqueueAndFetch(settings, Enqueue.sonarr({ ...options, settings, force: args.force }), "episodes", args.noWait)
    }).pipe(Effect.provide(sonarrLayer(settings)))
  )
