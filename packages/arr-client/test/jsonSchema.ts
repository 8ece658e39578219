/**
 * A JSON-schema checker for the subset the Radarr and Sonarr OpenAPI specs use in their responses (`type`,
 * `properties`, `items`, `$ref`, `enum`, `nullable`, `allOf`/`anyOf`/`oneOf`, `additionalProperties`, `format:
 * date-time`), adapted from packages/tmdb/test/jsonSchema.ts, with the policies the *arr apps need: a declared
 * field may be missing (they omit nulls), and a `null` is itself a fault (`noNulls`: they never send one).
 */

export type JsonSchema = {
  readonly $ref?: string
  readonly type?: string | ReadonlyArray<string>
  readonly format?: string
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchema
  readonly enum?: ReadonlyArray<unknown>
  readonly nullable?: boolean
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly oneOf?: ReadonlyArray<JsonSchema>
  readonly allOf?: ReadonlyArray<JsonSchema>
  readonly additionalProperties?: boolean | JsonSchema
}

export interface Policy {
  /** Resolves `#/components/schemas/X`. */
  readonly resolve: (ref: string) => JsonSchema
  /** Report any `null`, even where the spec allows one. */
  readonly noNulls?: boolean | undefined
  /** What a `format: date-time` string must look like. */
  readonly dateTime?: RegExp | undefined
  /** Properties whose objects may hold undeclared fields (a command's `body` carries the command's own fields). */
  readonly open?: ReadonlySet<string> | undefined
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
    default:
      return typeof value === type
  }
}

/** The problems of `value` against `schema`, as `$.records[0].id: expected integer, got string`. */
export const check = (raw: JsonSchema, value: unknown, policy: Policy, path = "$"): Array<string> => {
  const schema = raw.$ref !== undefined ? policy.resolve(raw.$ref) : raw
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
    if (policy.noNulls === true) issues.push(`${path}: null (the *arr apps omit null fields)`)
    else if (schema.nullable !== true && schema.type !== undefined) issues.push(`${path}: null where the spec says ${schema.type}`)
    return issues
  }

  if (schema.type !== undefined) {
    const types = typeof schema.type === "string" ? [schema.type] : schema.type
    if (!types.some((type) => hasType(value, type))) {
      issues.push(`${path}: expected ${types.join(" | ")}, got ${typeOf(value)}`)
      return issues
    }
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    issues.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`)
  }
  if (schema.format === "date-time" && typeof value === "string" && policy.dateTime !== undefined) {
    if (!policy.dateTime.test(value)) issues.push(`${path}: ${value} is not a date as the *arr apps write them`)
  }

  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => issues.push(...check(schema.items!, item, policy, `${path}[${i}]`)))
  }

  if (hasType(value, "object") && schema.properties !== undefined) {
    const object = value as Record<string, unknown>
    for (const name of schema.required ?? []) {
      if (!(name in object)) issues.push(`${path}.${name}: required but missing`)
    }
    const open = key !== undefined && policy.open?.has(key) === true
    for (const [name, item] of Object.entries(object)) {
      const property = schema.properties[name]
      if (property !== undefined) {
        issues.push(...check(property, item, policy, `${path}.${name}`))
      } else if (typeof schema.additionalProperties === "object") {
        issues.push(...check(schema.additionalProperties, item, policy, `${path}.${name}`))
      } else if (schema.additionalProperties === false && !open) {
        issues.push(`${path}.${name}: not declared by the spec`)
      }
    }
  }
  return issues
}
