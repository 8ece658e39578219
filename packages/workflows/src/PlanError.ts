/**
 * What can stop a plan before it starts, beyond the *arr client's own errors: the series a user named.
 */
import * as Schema from "effect/Schema"

export class PlanError extends Schema.TaggedError<PlanError>("@stalkeer/workflows/PlanError")("PlanError", {
  reason: Schema.Literal("SeriesNotFound", "SeriesAmbiguous"),
  /** What the user asked for (`--series`). */
  query: Schema.String,
  /** For an ambiguous name: the series it could be, as `Title (year) #id`. */
  matches: Schema.optional(Schema.Array(Schema.String))
}) {
  override get message(): string {
    switch (this.reason) {
      case "SeriesNotFound":
        return `Sonarr has no series ${JSON.stringify(this.query)}: give its Sonarr id or its title`
      case "SeriesAmbiguous":
        return `${JSON.stringify(this.query)} names several series in Sonarr (${(this.matches ?? []).join(", ")}): give its id`
    }
  }
}
