/** The catalogue group: the store's `Entries` and `Runs`, shaped by the workflows' `Items.toJson`. */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Entries, Runs } from "@stalkeer/store"
import { Items } from "@stalkeer/workflows"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Api } from "../Api.js"
import type { ItemsQuery, Run } from "../groups/Catalogue.js"
import * as Failures from "./internal/failures.js"

const defaultPageSize = 50

const toQuery = (q: ItemsQuery): Entries.Query => {
  const page = q.page ?? 1
  const pageSize = q.pageSize ?? defaultPageSize
  return {
    kind: q.kind,
    search: q.search,
    year: q.year,
    group: q.group,
    language: q.language,
    resolution: q.resolution,
    unidentified: q.unidentified,
    tmdbId: q.tmdbId,
    limit: pageSize,
    offset: (page - 1) * pageSize,
    sort: q.sortKey === undefined
      ? undefined
      : { field: q.sortKey, direction: q.sortDirection === "descending" ? "desc" : "asc" }
  }
}

/** A run as JSON: the store's row without its provider id (the name says which). */
export const runJson = (run: Runs.Run): typeof Run.Type => ({
  id: run.id,
  providerName: run.providerName,
  source: run.source,
  status: run.status,
  startedAt: run.startedAt,
  finishedAt: run.finishedAt,
  counts: run.counts,
  error: run.error
})

export const layer = HttpApiBuilder.group(Api, "catalogue", (handlers) =>
  handlers
    .handle("items", ({ urlParams }) =>
      Effect.gen(function*() {
        const query = toQuery(urlParams)
        // The page and the count are independent reads: on PostgreSQL they run side by side on two connections.
        const [records, total] = yield* Effect.all([Entries.list(query), Entries.count(query)], { concurrency: 2 })
        return {
          page: urlParams.page ?? 1,
          pageSize: query.limit ?? defaultPageSize,
          sortKey: urlParams.sortKey ?? "default",
          sortDirection: urlParams.sortDirection ?? "ascending",
          totalRecords: total,
          records: records.map(Items.toJson)
        }
      }).pipe(Effect.catchTag("StoreError", Failures.store("listing items"))))
    .handle("item", ({ path }) =>
      Entries.get(path.id).pipe(
        Effect.map(Items.toJson),
        Effect.catchTag("StoreError", Failures.store("reading an item", { name: "item", id: path.id }))
      ))
    .handle("stats", () =>
      Entries.stats({ topGroups: 10 }).pipe(
        Effect.map((s) => ({
          entries: s.entries,
          vanished: s.vanished,
          kinds: s.kinds,
          resolutions: s.resolutions,
          languages: s.languages,
          topGroups: s.topGroups.map(([group, count]) => ({ group, count })),
          media: s.media,
          lastRun: Option.getOrNull(Option.map(s.lastRun, runJson))
        })),
        Effect.catchTag("StoreError", Failures.store("reading the statistics"))
      ))
    .handle("runs", ({ urlParams }) =>
      Runs.list({ limit: urlParams.limit ?? 20 }).pipe(
        Effect.map((runs) => runs.map(runJson)),
        Effect.catchTag("StoreError", Failures.store("listing runs"))
      ))
    .handle("run", ({ path }) =>
      Runs.get(path.id).pipe(
        Effect.map(runJson),
        Effect.catchTag("StoreError", Failures.store("reading a run", { name: "run", id: path.id }))
      )))
