import { assert, describe, it } from "@effect/vitest"
import * as EntryFilter from "../src/EntryFilter.js"

const config = { includeGroups: ["^EN"], excludeGroups: ["XXX"], includeNames: [], excludeNames: ["trailer"] }

describe("EntryFilter", () => {
  it("lists the config file's filters as rules without an id", () => {
    assert.deepStrictEqual(EntryFilter.fromConfig(config).map(EntryFilter.describe), [
      "include group /^EN/ (config file)",
      "exclude group /XXX/ (config file)",
      "exclude name /trailer/ (config file)"
    ])
  })

  it("keeps an entry only when it matches an include (if any) and no exclude, case-insensitively", () => {
    const rules = [...EntryFilter.fromConfig(config), { field: "group", mode: "exclude", pattern: "kids", id: 7 } as const]
    const compiled = EntryFilter.compile(rules)
    assert.isFalse(EntryFilter.isInvalid(compiled))
    if (EntryFilter.isInvalid(compiled)) return
    assert.isTrue(EntryFilter.accepts(compiled, "en| Movies", "Heat"))
    assert.isFalse(EntryFilter.accepts(compiled, "FR| Films", "Heat"))
    assert.isFalse(EntryFilter.accepts(compiled, "EN| XXX", "Heat"))
    assert.isFalse(EntryFilter.accepts(compiled, "EN| Movies", "Heat Trailer"))
    assert.isFalse(EntryFilter.accepts(compiled, "EN| KIDS", "Bluey"))
  })

  it("names the first rule that is not a valid pattern, and where it comes from", () => {
    const result = EntryFilter.compile([
      { field: "name", mode: "include", pattern: "ok", id: null },
      { field: "group", mode: "exclude", pattern: "[a-", id: 3 }
    ])
    assert.isTrue(EntryFilter.isInvalid(result))
    if (!EntryFilter.isInvalid(result)) return
    assert.strictEqual(EntryFilter.describe(result.rule), "exclude group /[a-/ (runtime filter #3)")
    const empty = EntryFilter.compile([{ field: "name", mode: "exclude", pattern: "", id: null }])
    assert.isTrue(EntryFilter.isInvalid(empty) && empty.problem === "empty pattern")
  })
})
