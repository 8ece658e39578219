import { assert, describe, it } from "@effect/vitest"
import type { Candidates } from "@stalkeer/store"
import * as Choice from "../src/Choice.js"

let next = 1
const entry = (overrides: Partial<Candidates.Candidate> = {}): Candidates.Candidate => {
  const id = next++
  return {
    entryId: id,
    providerId: 1,
    key: `xtream:movie:${id}`,
    streamId: String(id),
    name: `Entry ${id}`,
    groupTitle: "VOD",
    urlTemplate: `http://panel.test/movie/{username}/{password}/${id}.mkv`,
    extension: "mkv",
    title: "The Godfather",
    year: 1972,
    season: null,
    episode: null,
    episodeEnd: null,
    resolution: "1080p",
    language: "en",
    firstSeenAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date("2026-01-01T00:00:00Z"),
    via: "tmdb",
    workId: 1,
    matchConfidence: 0.97,
    matchMethod: "search",
    ...overrides
  }
}

const prefs = (overrides: Partial<Choice.Preferences> = {}): Choice.Preferences => ({
  languages: [],
  resolutions: ["1080p", "2160p", "720p", "480p"],
  exclude: [],
  ...overrides
})

const found = { found: "tmdb id 238" }

describe("Choice.choose", () => {
  it("nothing to choose from: skipped as not in the catalogue", () => {
    const choice = Choice.choose([], prefs(), found)
    assert.strictEqual(choice.decision, "skip")
    assert.strictEqual(choice.skip, "not-in-catalogue")
    assert.isNull(choice.entry)
  })

  it("the user's languages first, in their order; a known language not listed is never chosen", () => {
    const tr = entry({ language: "tr", resolution: "2160p" })
    const en = entry({ language: "en", resolution: "720p" })
    const fr = entry({ language: "fr", resolution: "480p" })
    const unknown = entry({ language: null, resolution: "1080p" })
    const choice = Choice.choose([tr, en, fr, unknown], prefs({ languages: ["fr", "en"] }), found)
    assert.strictEqual(choice.entry, fr)
    assert.deepStrictEqual(choice.reasons, ["tmdb id 238", "language fr allowed", "480p (4th preference)", "best of 3 allowed entries"])
    const rejected = new Map(choice.rejected.map((r) => [r.candidate, r.reasons]))
    assert.deepStrictEqual(rejected.get(tr), ["language tr not allowed"])
    assert.deepStrictEqual(rejected.get(en), ["language en ranks after fr"])
    assert.deepStrictEqual(rejected.get(unknown), ["language unknown ranks after fr"])
  })

  it("only unlisted languages: skipped, saying which", () => {
    const choice = Choice.choose([entry({ language: "tr" }), entry({ language: "ar" })], prefs({ languages: ["en"] }), found)
    assert.strictEqual(choice.decision, "skip")
    assert.strictEqual(choice.skip, "language")
    assert.strictEqual(choice.reasons.at(-1), "only in languages not allowed (ar, tr)")
    assert.strictEqual(choice.rejected.length, 2)
  })

  it("exclude patterns rule out by name or group, case-insensitively", () => {
    const cam = entry({ name: "The Godfather (1972) cam" })
    const grouped = entry({ groupTitle: "TS | NEW" })
    const good = entry({ resolution: "720p" })
    const choice = Choice.choose([cam, grouped, good], prefs({ exclude: [/\bCAM\b/iu, /^TS\b/iu] }), found)
    assert.strictEqual(choice.entry, good)
    const excluded = Choice.choose([cam, grouped], prefs({ exclude: [/\bCAM\b/iu, /^TS\b/iu] }), found)
    assert.strictEqual(excluded.skip, "excluded")
    assert.deepStrictEqual(excluded.rejected.map((r) => r.reasons), [["excluded by /\\bCAM\\b/"], ["excluded by /^TS\\b/"]])
  })

  it("resolutions in the preferred order, then the entry seen most recently", () => {
    const old = entry({ resolution: "2160p", updatedAt: new Date("2026-01-01T00:00:00Z") })
    const recent = entry({ resolution: "2160p", updatedAt: new Date("2026-03-01T00:00:00Z") })
    const sd = entry({ resolution: null })
    const choice = Choice.choose([old, sd, recent], prefs({ resolutions: ["2160p", "1080p"] }), found)
    assert.strictEqual(choice.entry, recent)
    assert.include(choice.reasons, "2160p preferred")
    assert.deepStrictEqual(choice.rejected.map((r) => [r.candidate, r.reasons[0]]), [
      [old, "an equal entry seen less recently"],
      [sd, "unknown resolution ranks after 2160p"]
    ])
  })

  it("confidence: identification's for an id, 1 for a manual match, fixed for the title fallback", () => {
    assert.strictEqual(Choice.choose([entry()], prefs(), found).confidence, 0.97)
    assert.strictEqual(Choice.choose([entry({ matchMethod: "override", matchConfidence: 1 })], prefs(), found).confidence, 1)
    const fallback = Choice.choose([entry({ via: "title", matchConfidence: null })], prefs(), { found: "title \"Heat\" (1995)" })
    assert.strictEqual(fallback.confidence, Choice.FALLBACK_CONFIDENCE)
    assert.include(fallback.reasons, "fallback: same title and year (work not identified)")
  })

  it("below the minimum confidence nothing is downloaded", () => {
    const choice = Choice.choose([entry({ matchConfidence: 0.6 })], prefs(), found)
    assert.strictEqual(choice.decision, "skip")
    assert.strictEqual(choice.skip, "unsure")
    assert.isNull(choice.entry)
  })

  it("a multi-episode entry says that it holds the wanted episode", () => {
    const double = entry({ season: 1, episode: 1, episodeEnd: 2 })
    const choice = Choice.choose([double], prefs(), { found: "tvdb id 1 S01E02", episode: { season: 1, episode: 2 } })
    assert.include(choice.reasons, "S01E01-E02 holds E02")
  })

  it("preferences come from the configuration's matching section", () => {
    const p = Choice.preferences({ languages: ["fr"], resolutions: ["720p"], exclude: ["\\bcam\\b"] })
    assert.isTrue(p.exclude[0]!.test("Film CAM"))
  })
})
