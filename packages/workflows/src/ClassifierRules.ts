/**
 * The classifier with the rules of the config file's `classifier:` section, for `process` and `dryrun` alike.
 * Without rules it is the built-in classifier, whose cached results stay valid between runs; with rules, a hash of
 * them joins the classifier version, so changing a rule re-classifies every entry on the next run.
 */
import type { Classification } from "@stalkeer/classifier"
import { ClassifierError, ClassifierService } from "@stalkeer/classifier"
import type { AppConfig } from "@stalkeer/config"
import type { PlaylistEntry } from "@stalkeer/m3u-parser"
import * as Effect from "effect/Effect"
import { hash53 } from "./internal/rows.js"

export interface Configured {
  /** `undefined` for the built-in rules. */
  readonly classify: ((entry: PlaylistEntry.PlaylistEntry) => Classification.Classification) | undefined
  /** Identifies the rules (see `Ingest.Options.classifierVersion`). */
  readonly version: string | undefined
}

/** Validates the configured rules; a bad pattern, kind or code fails with a `ClassifierError` naming it. */
export const fromConfig = (
  rules: AppConfig.ClassifierRules
): Effect.Effect<Configured, ClassifierError.ClassifierError> => {
  if (rules.groupKinds.length === 0 && Object.keys(rules.languageCodes).length === 0) {
    return Effect.succeed({ classify: undefined, version: undefined })
  }
  return ClassifierService.make(rules).pipe(
    Effect.map((service) => ({
      classify: service.classifySync,
      version: `rules:${hash53(JSON.stringify(rules)).toString(36)}`
    })),
    // Named as the user wrote it: `classifier.group_kinds[0]`, not the library's `groupKinds[0]`.
    Effect.mapError((e) =>
      new ClassifierError.ClassifierError({
        ...e,
        rule: e.rule.replace(/^groupKinds/, "classifier.group_kinds").replace(/^languageCodes/, "classifier.language_codes")
      })
    )
  )
}
