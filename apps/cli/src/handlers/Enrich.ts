/**
 * What `stalkeer enrich` and `stalkeer match set|clear|list` do; loaded only when one runs (see
 * `commands/Enrich.ts`). The work is the `Enrich` workflow's and the store's `Works`.
 */
import type * as Command from "@effect/cli/Command"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { Settings } from "@stalkeer/config"
import { Works } from "@stalkeer/store"
import { Tmdb } from "@stalkeer/tmdb"
import { Enrich } from "@stalkeer/workflows"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Definitions from "../commands/Enrich.js"
import * as Db from "../Db.js"
import * as Progress from "../Progress.js"
import * as Render from "../Render.js"

/** Some works could not be looked up (TMDB failing): the summary is printed, and the exit code says so. */
export class EnrichIncomplete extends Data.TaggedError("EnrichIncomplete")<{ readonly errors: number }> {
  override get message() {
    return `${this.errors} work${this.errors === 1 ? "" : "s"} could not be looked up; \`stalkeer enrich\` continues with them`
  }
}

/** Fails with `EnrichIncomplete` when works were left for lack of answers. */
export const complete = (s: Enrich.Summary) => s.errors > 0 ? Effect.fail(new EnrichIncomplete({ errors: s.errors })) : Effect.void

/** The TMDB client the configuration describes (`tmdb:`), over the platform's HTTP client. */
export const tmdbLayer = (settings: Settings.Settings) =>
  Tmdb.layerConfig(settings.tmdb).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** `Enrich.Options` from the configuration. */
export const enrichOptions = (settings: Settings.Settings): Enrich.Options => ({
  language: settings.tmdb.language,
  cacheTtlDays: settings.tmdb.cacheTtlDays
})

export const summaryLine = (s: Enrich.Summary): string => {
  if (s.works === 0) return "Nothing to identify: every work is identified or was refused (see --retry-unidentified)."
  const parts = [
    `${Render.number(s.identified)} identified`,
    `${Render.number(s.ambiguous)} ambiguous`,
    `${Render.number(s.lowConfidence)} low confidence`,
    `${Render.number(s.notFound)} not found`
  ]
  if (s.errors > 0) parts.push(`${Render.number(s.errors)} error${s.errors === 1 ? "" : "s"} (left for the next run)`)
  return [
    `Identified ${Render.number(s.works)} works in ${Render.duration(s.durationMs)}: ${parts.join(", ")}; ` +
    `${Render.number(s.requests)} requests to TMDB, ${Render.number(s.cacheHits)} answers from the cache`,
    ...s.errorSamples.map((line) => `  ${line}`)
  ].join("\n")
}

export const enrich = (args: Command.Command.ParseConfig<typeof Definitions.enrichOptions>) =>
  Db.use((settings) =>
    Effect.gen(function*() {
      const total = yield* Works.pending({
        kind: Option.getOrUndefined(args.kind),
        limit: Option.getOrUndefined(args.limit),
        retryUnidentified: args.retryUnidentified,
        ttlDays: settings.tmdb.cacheTtlDays
      }).pipe(Effect.map((works) => works.length))
      const progress = yield* Progress.counter({ label: "enrich", total, unit: "works" })
      const summary = yield* Enrich.run({
        ...enrichOptions(settings),
        kind: Option.getOrUndefined(args.kind),
        limit: Option.getOrUndefined(args.limit),
        retryUnidentified: args.retryUnidentified,
        onProgress: (p) => Effect.sync(() => progress.set(p.done))
      }).pipe(Effect.provide(tmdbLayer(settings)))
      yield* Console.log(args.json ? JSON.stringify(summary) : summaryLine(summary))
      yield* complete(summary)
    }).pipe(
      Effect.scoped,
      Effect.onInterrupt(() =>
        Console.error("stalkeer: interrupted; the works identified so far are kept, and `stalkeer enrich` continues")
      )
    )
  )

const targetOf = (text: string): Works.Target =>
  /^\d+$/.test(text) ? { mediaId: Number(text) } : { entryKey: text }

export const set = (args: Command.Command.ParseConfig<typeof Definitions.setOptions> & { readonly target: string }) =>
  Db.use((settings) =>
    Effect.gen(function*() {
      const work = yield* Works.setOverride(targetOf(args.target), args.tmdb, Option.getOrUndefined(args.kind))
      // Applied at once when TMDB is configured and answers; else by the next `enrich`.
      const applied = yield* Enrich.run({ ...enrichOptions(settings), only: [work.id] }).pipe(
        Effect.provide(tmdbLayer(settings)),
        Effect.map((s) => s.identified === 1),
        Effect.catchAll((error) => Effect.as(Effect.logWarning(`not applied yet: ${error.message}`), false))
      )
      yield* Console.log(
        `Work #${work.id} (${work.kind}) matched to TMDB ${args.tmdb}` +
          (applied ? "." : "; it is applied at the next `stalkeer enrich`.")
      )
    })
  )

export const clear = (args: { readonly target: string }) =>
  Db.use(() =>
    Effect.gen(function*() {
      const removed = yield* Works.clearOverride(targetOf(args.target))
      yield* Console.log(removed ? "Manual match removed; the work is identified by search at the next enrich." : "That work has no manual match.")
    })
  )

export const list = () =>
  Db.use(() =>
    Effect.gen(function*() {
      const rows = yield* Works.overrides
      if (rows.length === 0) return yield* Console.log("No manual matches.")
      yield* Console.log(Render.table(
        ["media", "kind", "title", "year", "tmdb", "applied"],
        rows.map((o) => [String(o.id), o.kind, Render.truncate(o.title, 50), o.year === null ? "" : String(o.year), String(o.tmdbId), o.applied ? "yes" : "no"])
      ))
    })
  )
