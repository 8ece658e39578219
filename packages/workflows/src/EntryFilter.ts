/**
 * Which playlist entries a run keeps: the config file's `filters:` section and the runtime filters stored in the
 * database (`stalkeer filters add`), merged here and only here, so that `filters list`, the ingest and the API
 * always agree on what applies.
 *
 * A pattern is a JavaScript regular expression matched case-insensitively against the entry's group title or
 * name. For each field: when include patterns exist an entry must match one of them, and an entry matching any
 * exclude pattern is dropped.
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { AppConfig } from "@stalkeer/config"
import { Filters } from "@stalkeer/store"
import type { StoreError } from "@stalkeer/store"
import * as Effect from "effect/Effect"

/** One filter that applies, and where it comes from. */
export interface Rule {
  readonly field: Filters.Field
  readonly mode: Filters.Mode
  readonly pattern: string
  /** `null` for the config file's; the stored filter's id otherwise (what `filters remove` takes). */
  readonly id: number | null
}

/** The config file's filters as rules, in the order `filters list` shows them. */
export const fromConfig = (config: AppConfig.Filters): ReadonlyArray<Rule> => [
  ...config.includeGroups.map((pattern) => ({ field: "group", mode: "include", pattern, id: null }) as const),
  ...config.excludeGroups.map((pattern) => ({ field: "group", mode: "exclude", pattern, id: null }) as const),
  ...config.includeNames.map((pattern) => ({ field: "name", mode: "include", pattern, id: null }) as const),
  ...config.excludeNames.map((pattern) => ({ field: "name", mode: "exclude", pattern, id: null }) as const)
]

/** Every filter a run applies: the config file's, then the stored ones. */
export const active = (
  config: AppConfig.Filters
): Effect.Effect<ReadonlyArray<Rule>, StoreError.StoreError, SqlClient.SqlClient> =>
  Effect.map(Filters.list, (stored) => [
    ...fromConfig(config),
    ...stored.map((f): Rule => ({ field: f.field, mode: f.mode, pattern: f.pattern, id: f.id }))
  ])

/** `exclude group /XXX/ (config file)`: a rule in a message. */
export const describe = (rule: Rule): string =>
  `${rule.mode} ${rule.field} /${rule.pattern}/ (${rule.id === null ? "config file" : `runtime filter #${rule.id}`})`

/** The rules compiled, ready for `accepts`. */
export interface Compiled {
  readonly includeGroups: ReadonlyArray<RegExp>
  readonly excludeGroups: ReadonlyArray<RegExp>
  readonly includeNames: ReadonlyArray<RegExp>
  readonly excludeNames: ReadonlyArray<RegExp>
}

/** A rule whose pattern is not a valid regular expression. */
export interface Invalid {
  readonly rule: Rule
  readonly problem: string
}

/** Compiles every rule, or names the first one that is not a valid pattern. */
export const compile = (rules: ReadonlyArray<Rule>): Compiled | Invalid => {
  const compiled = { includeGroups: [], excludeGroups: [], includeNames: [], excludeNames: [] } as {
    [K in keyof Compiled]: Array<RegExp>
  }
  for (const rule of rules) {
    const problem = rule.pattern === "" ? "empty pattern" : Filters.patternError(rule.pattern)
    if (problem !== undefined) return { rule, problem }
    const regex = new RegExp(rule.pattern, Filters.patternFlags)
    const list = rule.field === "group"
      ? (rule.mode === "include" ? compiled.includeGroups : compiled.excludeGroups)
      : (rule.mode === "include" ? compiled.includeNames : compiled.excludeNames)
    list.push(regex)
  }
  return compiled
}

export const isInvalid = (result: Compiled | Invalid): result is Invalid => "problem" in result

const matchesAny = (regexes: ReadonlyArray<RegExp>, text: string): boolean => {
  for (const regex of regexes) if (regex.test(text)) return true
  return false
}

/** Whether an entry of this group title and name is kept. */
export const accepts = (f: Compiled, group: string, name: string): boolean =>
  (f.includeGroups.length === 0 || matchesAny(f.includeGroups, group)) &&
  (f.includeNames.length === 0 || matchesAny(f.includeNames, name)) &&
  !matchesAny(f.excludeGroups, group) &&
  !matchesAny(f.excludeNames, name)
