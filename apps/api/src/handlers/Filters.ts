/** The filters group: the store's `Filters`, as `stalkeer filters list|add|remove` use them. */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Filters } from "@stalkeer/store"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import * as ApiError from "../ApiError.js"
import * as Failures from "./internal/failures.js"

export const layer = HttpApiBuilder.group(Api, "filters", (handlers) =>
  handlers
    .handle("list", () => Filters.list.pipe(Effect.catchTag("StoreError", Failures.store("listing filters"))))
    .handle("add", ({ payload }) => {
      // The store refuses it too, but its message names the whole filter: the API names the field.
      const invalid = Filters.patternError(payload.pattern)
      if (invalid !== undefined) return Effect.fail(ApiError.badRequest("pattern", invalid))
      return Filters.add(payload).pipe(Effect.catchTag("StoreError", Failures.store("adding a filter")))
    })
    .handle("get", ({ path }) =>
      Filters.get(path.id).pipe(
        Effect.catchTag("StoreError", Failures.store("reading a filter", { name: "filter", id: path.id }))
      ))
    .handle("remove", ({ path }) =>
      Filters.remove(path.id).pipe(
        Effect.asVoid,
        Effect.catchTag("StoreError", Failures.store("removing a filter", { name: "filter", id: path.id }))
      )))
