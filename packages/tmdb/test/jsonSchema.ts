/**
 * A JSON-schema checker for the subset TMDB's OpenAPI spec uses in its responses (`type`, `properties`, `items`;
 * also `required`, `enum`, `const`, `nullable`, `anyOf`/`oneOf`/`allOf`, `additionalProperties`, type arrays),
 * with two stricter policies the spec cannot express on its own: every declared property must be present
 * (`complete`: the spec marks nothing required, yet TMDB sends every field) and no undeclared one may appear
 * (`closed`), so that the fake can drift in neither direction.
 */

export type JsonSchema = {
  readonly type?: string | ReadonlyArray<string>
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchema
  readonly enum?: ReadonlyArray<unknown>
  readonly const?: unknown
  readonly nullable?: boolean
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly oneOf?: ReadonlyArray<JsonSchema>
  readonly allOf?: ReadonlyArray<JsonSchema>
  readonly additionalProperties?: boolean | JsonSchema
}

export interface Policy {
  /** Property names TMDB sends as `null` although the spec types them (the spec declares no nullability). */
  readonly nullable?: ReadonlySet<string> | undefined
  /** Report declared properties that are missing. */
  readonly complete?: boolean | undefined
  /** Declared properties allowed to be missing even when `complete` (e.g. `id` of an appended object). */
  readonly optional?: ReadonlySet<string> | undefined
  /** Report properties the schema does not declare. */
  readonly closed?: boolean | undefined
  /** Undeclared properties allowed even when `closed` (e.g. appended responses). */
  readonly extra?: ReadonlySet<string> | undefined
}

const typeOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value

const hasType = (value: unknown, type: string): boolean => {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value)
    case "number":
      return typeof value === "number" && Number.isFinite(value)
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value)
    case "array":
      return Array.isArray(value)
    case "null":
      return value === null
    default:
      return typeof value === type
  }
}

/** The problems of `value` against `schema`, as `$.results[0].id: expected integer, got string`. */
export const check = (schema: JsonSchema, value: unknown, policy: Policy = {}, path = "$"): Array<string> => {
  const issues: Array<string> = []
  const key = /(?:\.([^.[\]]+)|\[\d+\])$/.exec(path)?.[1]

  if (schema.allOf !== undefined) for (const part of schema.allOf) issues.push(...check(part, value, policy, path))
  for (const alternatives of [schema.anyOf, schema.oneOf]) {
    if (alternatives === undefined) continue
    const results = alternatives.map((alternative) => check(alternative, value, policy, path))
    const passing = results.filter((r) => r.length === 0).length
    if (passing === 0) issues.push(`${path}: matches none of ${alternatives.length} alternatives (${results[0]?.[0]})`)
    if (alternatives === schema.oneOf && passing > 1) issues.push(`${path}: matches ${passing} oneOf alternatives`)
  }

  if (value === null) {
    const types = schema.type === undefined ? [] : typeof schema.type === "string" ? [schema.type] : schema.type
    const allowed = types.length === 0 || types.includes("null") || schema.nullable === true ||
      (key !== undefined && policy.nullable?.has(key) === true)
    if (!allowed) issues.push(`${path}: null where the spec says ${types.join(" | ")}`)
    return issues
  }

  if (schema.type !== undefined) {
    const types = typeof schema.type === "string" ? [schema.type] : schema.type
    if (!types.some((type) => hasType(value, type))) {
      issues.push(`${path}: expected ${types.join(" | ")}, got ${typeOf(value)}`)
      return issues
    }
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) issues.push(`${path}: not one of the enum values`)
  if (schema.const !== undefined && schema.const !== value) issues.push(`${path}: not the constant`)

  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => issues.push(...check(schema.items!, item, policy, `${path}[${i}]`)))
  }

  if (hasType(value, "object") && (schema.properties !== undefined || schema.type === "object")) {
    const object = value as Record<string, unknown>
    const declared = schema.properties ?? {}
    for (const name of schema.required ?? []) {
      if (!(name in object)) issues.push(`${path}.${name}: required but missing`)
    }
    if (policy.complete === true && schema.properties !== undefined) {
      for (const name of Object.keys(declared)) {
        if (!(name in object) && policy.optional?.has(name) !== true) issues.push(`${path}.${name}: declared but missing`)
      }
    }
    for (const [name, item] of Object.entries(object)) {
      const property = declared[name]
      if (property !== undefined) {
        issues.push(...check(property, item, policy, `${path}.${name}`))
      } else if (typeof schema.additionalProperties === "object") {
        issues.push(...check(schema.additionalProperties, item, policy, `${path}.${name}`))
      } else if (
        schema.properties !== undefined &&
        (schema.additionalProperties === false || policy.closed === true) &&
        policy.extra?.has(name) !== true
      ) {
        issues.push(`${path}.${name}: not declared by the spec`)
      }
    }
  }
  return issues
}
