import * as Schema from "effect/Schema"

/**
 * The one error family of `@stalkeer/classifier`. Classifying never fails; only building a service from
 * configured rules can.
 *
 * - `InvalidRule`: a configured rule cannot be used: a group pattern that is not a valid regular expression,
 *   an unknown kind, or a language code mapping that is not `CODE → ISO 639-1`. `rule` names it.
 */
export class ClassifierError extends Schema.TaggedError<ClassifierError>("@stalkeer/classifier/ClassifierError")(
  "ClassifierError",
  {
    reason: Schema.Literal("InvalidRule"),
    /** The offending rule as configured, e.g. `groupKinds[2].pattern "(FILMS"`. */
    rule: Schema.String,
    detail: Schema.optional(Schema.String),
    cause: Schema.optional(Schema.Defect)
  }
) {
  override get message(): string {
    const why = this.detail ?? (this.cause instanceof Error ? this.cause.message : undefined)
    return `Invalid classifier rule ${this.rule}${why === undefined ? "" : `: ${why}`}`
  }
}

export const isClassifierError = (u: unknown): u is ClassifierError => u instanceof ClassifierError
