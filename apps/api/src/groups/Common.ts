/** Schemas every group uses: integers in paths and query strings, paging as the *arr apps page. */
import * as Schema from "effect/Schema"

/** A whole number written in a path or query string (`"12"`); `"1.5"` and `"abc"` are refused. */
export const IntFromString = Schema.NumberFromString.pipe(Schema.int())

/** An object's id in a path: a positive integer. */
export const Id = IntFromString.pipe(Schema.positive())

/** The largest page: a client that wants everything pages through it (or uses `stalkeer items --json`). */
export const maxPageSize = 500

/** `?page=2&pageSize=100`: pages count from 1; the default page size is the handler's. */
export const paging = {
  page: Schema.optional(IntFromString.pipe(Schema.greaterThanOrEqualTo(1))),
  pageSize: Schema.optional(IntFromString.pipe(Schema.between(1, maxPageSize)))
}

/** A page of `records`, with the total that matches the filters (`totalRecords`), under `identifier`. */
export const Page = <S extends Schema.Schema.Any>(records: S, identifier: string) =>
  Schema.Struct({
    page: Schema.Int,
    pageSize: Schema.Int,
    totalRecords: Schema.Int,
    records: Schema.Array(records)
  }).annotations({ identifier })

export const Nullable = <S extends Schema.Schema.Any>(s: S) => Schema.NullOr(s)
