/** The catalogue group: the store's `Entries` and `Runs`, shaped by the workflows' `Items.toJson`. */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Entries, Runs } from "@stalkeer/store"
import { Items } from "@stalkeer/workflows"
import * as Cache from "effect/Cache"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
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

/**
 * How long a filter's count is reused. A client paging through results, or many clients showing the same view,
 * asks for the same total again and again, and counting is most of a page's cost on a large catalogue; the catalogue
 * changes only when a job or a command writes it. So `totalRecords` may be this much older than `records`.
 */
export const countFor = Duration.seconds(10)

export const layer = HttpApiBuilder.group(Api, "catalogue", (handlers) =>
  Effect.gen(function*() {
    // Keyed by the filters only (not the page or the order): the count does not depend on them.
    const counts = yield* Cache.makeWith({
      capacity: 1024,
      // A failure (the database gone) is not kept: the next request asks again.
      timeToLive: (exit) => (Exit.isSuccess(exit) ? countFor : Duration.zero),
      lookup: (filters: string) => Entries.count(JSON.parse(filters) as Entries.Query)
    })
    const countOf = (query: Entries.Query) => {
      const { limit: _limit, offset: _offset, sort: _sort, ...filters } = query
      return counts.get(JSON.stringify(filters))
    }
    return handlers
    .handle("items", ({ urlParams }) =>
      Effect.gen(function*() {
        const query = toQuery(urlParams)
        // The page and the count are independent reads: on PostgreSQL they run side by side on two connections.
        const [records, total] = yield* Effect.all([Entries.list(query), countOf(query)], { concurrency: 2 })
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
      ))
  }))
