/**
 * What `stalkeer worker` and `stalkeer downloads …` do; loaded only when one runs (see `commands/Downloads.ts`). The
 * work is the `Worker` workflow's and the store's `Downloads`; this module wires the clients and renders.
 */
import type * as Command from "@effect/cli/Command"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Radarr, Sonarr } from "@stalkeer/arr-client"
import type { Download } from "@stalkeer/downloader"
import type { Settings } from "@stalkeer/config"
import { Downloads, ProviderSlots } from "@stalkeer/store"
import { Worker } from "@stalkeer/workflows"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Os from "node:os"
import type * as Definitions from "../commands/Downloads.js"
import * as Db from "../Db.js"
import * as Progress from "../Progress.js"
import * as Render from "../Render.js"

/** The HTTP client, and Radarr/Sonarr when configured (for the rescan after a download). */
export const clients = (settings: Settings.Settings) => {
  const http = NodeHttpClient.layerUndici
  const radarr = Option.isSome(settings.radarr.url) && Option.isSome(settings.radarr.apiKey)
    ? Radarr.layerConfig(settings.radarr).pipe(Layer.orDie)
    : Layer.empty
  const sonarr = Option.isSome(settings.sonarr.url) && Option.isSome(settings.sonarr.apiKey)
    ? Sonarr.layerConfig(settings.sonarr).pipe(Layer.orDie)
    : Layer.empty
  return Layer.mergeAll(radarr, sonarr).pipe(Layer.provideMerge(http))
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`

const started = (d: Downloads.Download) =>
  `↓ #${d.id} ${d.title}${d.durableBytes > 0 ? ` (resuming at ${mb(d.durableBytes)})` : ""}`

const progressLine = (d: Downloads.Download, p: Download.Progress) => {
  const pct = p.total === null ? "" : ` (${Math.floor((p.bytes / p.total) * 100)}%)`
  const eta = p.etaSeconds === null ? "" : ` · ETA ${Render.duration(p.etaSeconds * 1000)}`
  return `#${d.id} ${d.title}: ${mb(p.bytes)}${p.total === null ? "" : ` / ${mb(p.total)}`}${pct} · ${mb(p.rate)}/s${eta}`
}

const ended = (event: Worker.Event) =>
  event._tag === "Completed"
    ? `✓ #${event.download.id} ${event.download.title}: ${event.imported}`
    : event._tag === "Failed"
    ? `✗ #${event.download.id} ${event.download.title}: ${event.error}${event.retrying ? " (retried later)" : ""}`
    : ""

/**
 * Progress: on a TTY, a line per active download (bytes, rate, ETA) under a total, redrawn in place; elsewhere
 * plain lines, each download's start and end and every 10 s its bytes, rate and ETA.
 */
export const reporter = Effect.gen(function*() {
  const active = new Map<number, Download.Progress>()
  const counts = { completed: 0, failed: 0 }
  const board = yield* Progress.board({
    footer: () => {
      const rate = [...active.values()].reduce((sum, p) => sum + p.rate, 0)
      return `Downloads: ${active.size} active · ${mb(rate)}/s · ${counts.completed} completed · ${counts.failed} failed`
    }
  })
  const last = new Map<number, number>()
  return (event: Worker.Event): Effect.Effect<void> => {
    switch (event._tag) {
      case "Started":
        board?.set(event.download.id, `#${event.download.id} ${event.download.title}: starting`)
        return board?.print(started(event.download)) ?? Console.log(started(event.download))
      case "Progress": {
        active.set(event.download.id, event.progress)
        if (board !== undefined) {
          board.set(event.download.id, progressLine(event.download, event.progress))
          return Effect.void
        }
        const now = Date.now()
        if (now - (last.get(event.download.id) ?? 0) < 10_000) return Effect.void
        last.set(event.download.id, now)
        return Console.log(`  ${progressLine(event.download, event.progress)}`)
      }
      case "Completed":
      case "Failed": {
        if (event._tag === "Completed") counts.completed++
        else if (!event.retrying) counts.failed++
        active.delete(event.download.id)
        last.delete(event.download.id)
        board?.remove(event.download.id)
        return board?.print(ended(event)) ?? Console.log(ended(event))
      }
    }
  }
})

export const summaryLine = (s: Worker.Summary) =>
  `Downloads: ${Render.number(s.completed)} completed, ${Render.number(s.failed)} failed, ${Render.number(s.retrying)} to retry later`

/** Runs the worker with the settings' clients. */
export const runWorker = (settings: Settings.Settings, untilIdle: boolean) =>
  Effect.scoped(Effect.gen(function*() {
    const onEvent = yield* reporter
    return yield* Worker.run({ settings, owner: `${Os.hostname()}:${process.pid}`, untilIdle, onEvent })
  })).pipe(Effect.provide(clients(settings)))

export const worker = (args: Command.Command.ParseConfig<typeof Definitions.workerOptions>) =>
  Db.use((settings) =>
    Effect.gen(function*() {
      const summary = yield* runWorker(settings, args.untilIdle)
      yield* Console.log(summaryLine(summary))
      yield* waiting
    })
  )

const row = (d: Downloads.Download) => [
  String(d.id),
  d.state,
  Render.truncate(d.title, 48),
  d.totalBytes === null ? mb(d.durableBytes) : `${mb(d.durableBytes)} / ${mb(d.totalBytes)}`,
  String(d.attempts),
  Render.truncate(d.lastError ?? d.importDetail ?? "", 60)
]

export const toJson = (d: Downloads.Download) => ({
  id: d.id,
  state: d.state,
  title: d.title,
  wantedKey: d.wantedKey,
  entryKey: d.entryKey,
  targetPath: d.targetPath,
  durableBytes: d.durableBytes,
  totalBytes: d.totalBytes,
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt.toISOString(),
  lastError: d.lastError,
  lastErrorClass: d.lastErrorClass,
  importStatus: d.importStatus,
  importDetail: d.importDetail
})

export const list = (args: Command.Command.ParseConfig<typeof Definitions.listOptions>) =>
  Db.use(() =>
    Effect.gen(function*() {
      const rows = yield* Downloads.list({ state: Option.getOrUndefined(args.state), limit: args.limit })
      if (args.json) return yield* Effect.forEach(rows, (d) => Console.log(JSON.stringify(toJson(d))), { discard: true })
      if (rows.length === 0) return yield* Console.log("No downloads.")
      yield* Console.log(Render.table(["id", "state", "title", "bytes", "tries", "last"], rows.map(row)))
    })
  )

export const show = (args: { readonly id: number; readonly json: boolean }) =>
  Db.use(() =>
    Effect.flatMap(Downloads.get(args.id), (d) =>
      Console.log(args.json ? JSON.stringify(toJson(d)) : Object.entries(toJson(d)).map(([k, v]) => `${k}: ${v ?? ""}`).join("\n")))
  )

const clock = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19) + " UTC"

/** Queues the job again; a retry is the user saying "fixed it", so the provider's cooldown is lifted too. */
export const retry = (args: { readonly id: number }) =>
  Db.use(() =>
    Effect.gen(function*() {
      const d = yield* Downloads.retry(args.id)
      yield* Console.log(`#${d.id} queued again.`)
      const lifted = yield* ProviderSlots.lift(d.providerId)
      if (Option.isSome(lifted)) {
        yield* Console.log(`The provider's pause (until ${clock(lifted.value.until)}: ${lifted.value.reason}) is lifted.`)
      }
    })
  )

/** Why a worker that found nothing to do left downloads waiting: a provider pausing after refusals. */
export const waiting = Effect.gen(function*() {
  for (const { pending: count, providerId } of yield* Downloads.pendingByProvider()) {
    const pause = yield* ProviderSlots.cooldown(providerId)
    if (Option.isNone(pause)) continue
    yield* Console.log(
      `${Render.number(count)} ${count === 1 ? "download waits" : "downloads wait"}: the provider pauses until ${clock(pause.value.until)} ` +
        `after ${pause.value.reason}. Once fixed, \`stalkeer downloads retry <id>\` lifts the pause.`
    )
  }
})

export const cancel = (args: { readonly id: number }) =>
  Db.use(() => Effect.flatMap(Downloads.cancel(args.id), (d) => Console.log(`#${d.id} cancelled.`)))
