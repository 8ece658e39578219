/** Schemas every group uses: integers in paths and query strings. */
import * as Schema from "effect/Schema"

/** A whole number written in a path or query string (`"12"`); `"1.5"` and `"abc"` are refused. */
export const IntFromString = Schema.NumberFromString.pipe(Schema.int())

/** An object's id in a path: a positive integer. */
export const Id = IntFromString.pipe(Schema.positive())
