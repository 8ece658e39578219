import type * as Ingestion from "../src/Ingestion.js"
import * as Testing from "../src/Testing.js"

/** The database of a test file and the reset between tests: the ones every package's tests use. */
export const StoreLive = Testing.layerConfig()
export const reset = Testing.reset

/** A stored row with sensible defaults. */
export const row = (id: number, overrides: Partial<Ingestion.Row> = {}): Ingestion.Row => ({
  key: `xtream:movie:${id}`,
  urlTemplate: `http://panel.test/movie/{username}/{password}/${id}.mkv`,
  streamType: "movie",
  streamId: id,
  extension: "mkv",
  tvgId: null,
  tvgName: `Movie ${id} (2020)`,
  tvgLogo: null,
  groupTitle: "Movies",
  name: `Movie ${id} (2020)`,
  attributes: {},
  kind: "movie",
  title: `Movie ${id}`,
  titleKey: `movie ${id}`,
  year: 2020,
  season: null,
  episode: null,
  episodeEnd: null,
  resolution: "1080p",
  language: "en",
  subtitles: null,
  platform: null,
  confidence: 0.9,
  ...overrides
})
