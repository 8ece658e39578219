import { assert, describe, it } from "@effect/vitest"
import * as Items from "../src/Items.js"

describe("Items.toJson", () => {
  it("is camelCase, with dates as ISO strings and the stream URL masked", () => {
    const at = new Date("2026-01-02T03:04:05.000Z")
    const json = Items.toJson({
      id: 1, providerId: 1, key: "movie:42", urlTemplate: "http://panel.test/movie/{username}/{password}/42.mkv",
      name: "Heat (1995)", groupTitle: "EN| Movies", tvgId: null, tvgLogo: null, kind: "movie", title: "Heat",
      year: 1995, season: null, episode: null, episodeEnd: null, resolution: "1080p", language: "en", subtitles: null,
      platform: null, extension: "mkv", confidence: 0.9, mediaId: 12, firstSeenAt: at, updatedAt: at, vanishedAt: null,
      tmdbId: 949, imdbId: "tt0113277", tvdbId: null, matchConfidence: 0.97, matchMethod: "search", matchStatus: "identified",
      canonicalTitle: "Heat"
    })
    assert.strictEqual(json.url, "http://panel.test/movie/***/***/42.mkv")
    assert.strictEqual(json.firstSeenAt, "2026-01-02T03:04:05.000Z")
    assert.strictEqual(json.groupTitle, "EN| Movies")
    assert.strictEqual(json.tmdbId, 949)
    assert.strictEqual(json.matchMethod, "search")
    assert.notProperty(json, "urlTemplate")
    assert.notProperty(json, "providerId")
  })
})
