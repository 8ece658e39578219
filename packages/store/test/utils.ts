import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Database from "../src/Database.js"
import type * as Ingestion from "../src/Ingestion.js"
import * as Migrations from "../src/Migrations.js"

/**
 * The database of a test file: in-memory PGlite by default; with `DATABASE_URL` set, a fresh database created on
 * that server for this file and dropped afterwards.
 */
const url = process.env.DATABASE_URL
export const backend = url === undefined || url === "" ? "pglite" : "postgres"

export const DatabaseLive: Layer.Layer<Database.Client, unknown> = backend === "postgres"
  ? Database.layerScratch({ url: Redacted.make(url!), prefix: "stalkeer_test" })
  : Database.layerEmbedded()

export const StoreLive = Migrations.layer.pipe(Layer.provideMerge(DatabaseLive))

export const reset = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`TRUNCATE playlist_entries, media, ingest_runs, filters, providers RESTART IDENTITY CASCADE`
})

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
