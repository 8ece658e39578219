/**
 * `process`: bring the catalogue up to date with the provider — read the playlist given, or download the
 * configured one first, then ingest it with the configured filters, guards and classifier rules. The CLI and the
 * API both run it; they only supply the source, the database and a way to show progress.
 *
 * The download holds no database: a slow provider never keeps other commands waiting for the embedded one.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import type * as SqlClient from "@effect/sql/SqlClient"
import { AppConfig } from "@stalkeer/config"
import type { Settings } from "@stalkeer/config"
import type { ClassifierError } from "@stalkeer/classifier"
import type { M3uParseError } from "@stalkeer/m3u-parser"
import { PlaylistFile } from "@stalkeer/m3u-parser"
import type { StoreError } from "@stalkeer/store"
import type { Tmdb, TmdbError } from "@stalkeer/tmdb"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ClassifierRules from "./ClassifierRules.js"
import * as Credentials from "./Credentials.js"
import * as Enrich from "./Enrich.js"
import * as Ingest from "./Ingest.js"
import * as Playlist from "./Playlist.js"

export class ProcessError extends Schema.TaggedError<ProcessError>("@stalkeer/workflows/ProcessError")("ProcessError", {
  reason: Schema.Literal("NoSource", "NoPlaylistUrl")
}) {
  override get message(): string {
    return this.reason === "NoSource"
      ? "nothing to process: give a playlist file (or - for stdin), --url, or configure provider.playlist_url"
      : "no playlist URL configured: set provider.playlist_url (or base_url, username and password) in the config file, or STALKEER_PROVIDER_PLAYLIST_URL"
  }
}

/** A playlist already at hand: a file, standard input, an upload. */
export interface Source<E> {
  /** For progress and the run log: a path, `stdin`… (credentials are masked again before it is stored). */
  readonly label: string
  /** Size in bytes when known, for progress. */
  readonly size: number | undefined
  readonly stream: Stream.Stream<Uint8Array, E>
}

/** How a caller follows a run; every callback must be cheap. */
export interface Observer {
  /** Each phase as it starts: the download (when there is one), the ingest, then identification (if asked). */
  readonly phase?: ((phase: "download" | "ingest" | "enrich") => Effect.Effect<void>) | undefined
  /** Called when the playlist is opened for the ingest; what it returns follows the ingest (lives in its scope). */
  readonly reading?: ((source: { readonly label: string; readonly size: number | undefined }) => Effect.Effect<Reading, never, Scope.Scope>) | undefined
}

export interface Reading {
  readonly bytes: (n: number) => void
  readonly progress: (progress: Ingest.Progress) => void
}

/** Identification after the ingest (`process --enrich`). */
export interface EnrichStep<ET, RT> {
  readonly options: Enrich.Options
  /** The TMDB client, built only if the ingest succeeds. */
  readonly tmdb: Layer.Layer<Tmdb.Tmdb, ET, RT>
}

export interface Options<E, EDb, RDb = never, ET = never, RT = never> {
  readonly settings: Settings.Settings
  /** Read this instead of downloading the configured playlist. */
  readonly source?: Source<E> | undefined
  /** Download this URL instead of the configured one (ignored with `source`). */
  readonly url?: Redacted.Redacted<string> | undefined
  /** Accept a run the guards would refuse (see `Ingest.Options.force`). */
  readonly force?: boolean | undefined
  /** The migrated catalogue database, opened only for the ingest. */
  readonly database: Layer.Layer<SqlClient.SqlClient, EDb, RDb>
  readonly observer?: Observer | undefined
  /** Identify the catalogue's works through TMDB once the ingest has committed. */
  readonly enrich?: EnrichStep<ET, RT> | undefined
}

export interface Summary extends Ingest.Summary {
  /** What was ingested: the label of the source given, or the path of the downloaded playlist. */
  readonly source: string
  /** What identification did after the ingest (`enrich`), or null. */
  readonly enriched: Enrich.Summary | null
}

/** The configuration with `url`, when given, in place of the configured playlist URL. */
const withUrl = (settings: Settings.Settings, url: Redacted.Redacted<string> | undefined): Settings.Settings =>
  url === undefined ? settings : { ...settings, provider: { ...settings.provider, playlistUrl: Option.some(url) } }

/** Downloads the configured playlist (or `url`) to its configured path; `playlist download` and `process` share it. */
export const download = (settings: Settings.Settings, url?: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const configured = withUrl(settings, url)
    const playlistUrl = yield* Option.match(AppConfig.playlistUrl(configured.provider), {
      onNone: () => Effect.fail(new ProcessError({ reason: "NoPlaylistUrl" })),
      onSome: Effect.succeed
    })
    const { playlist } = settings
    return yield* Playlist.download({
      url: playlistUrl,
      destination: settings.paths.playlist,
      maxBytes: playlist.maxMegabytes * 1024 * 1024,
      timeout: Duration.seconds(playlist.timeoutSeconds),
      retry: { times: playlist.retries },
      archive: playlist.archive ? { dir: settings.paths.archives } : undefined,
      userAgent: Option.getOrUndefined(settings.provider.userAgent)
    })
  })

/** Download when needed, then ingest. See the module comment. */
export const run = <E = never, EDb = never, RDb = never, ET = never, RT = never>(
  options: Options<E, EDb, RDb, ET, RT>
): Effect.Effect<
  Summary,
  | ProcessError
  | ClassifierError.ClassifierError
  | Playlist.PlaylistError
  | Ingest.IngestError
  | StoreError.StoreError
  | M3uParseError.M3uParseError
  | TmdbError.TmdbError
  | E
  | EDb
  | ET,
  Requirements | RDb | RT
> =>
  Effect.gen(function*() {
    const settings = withUrl(options.settings, options.url)
    const observer = options.observer ?? {}
    const playlistUrl = AppConfig.playlistUrl(settings.provider)
    // Before the download: a bad rule should not cost a 300 MB download to discover.
    const rules = yield* ClassifierRules.fromConfig(settings.classifier)
    const fetched: Source<E | M3uParseError.M3uParseError> = options.source !== undefined ? options.source : yield* Effect.gen(function*() {
      if (Option.isNone(playlistUrl)) return yield* new ProcessError({ reason: "NoSource" })
      if (observer.phase) yield* observer.phase("download")
      const result = yield* download(settings)
      const fs = yield* FileSystem.FileSystem
      return { label: result.path, size: result.bytes, stream: PlaylistFile.stream(result.path).pipe(Stream.provideService(FileSystem.FileSystem, fs)) }
    })
    if (observer.phase) yield* observer.phase("ingest")
    return yield* Effect.gen(function*() {
      // The progress of the read lives as long as the ingest, not the identification after it.
      const summary = yield* Effect.scoped(Effect.gen(function*() {
        const reading = observer.reading ? yield* observer.reading({ label: fetched.label, size: fetched.size }) : undefined
        return yield* Ingest.run({
          source: reading === undefined ? fetched.stream : Stream.mapChunks(fetched.stream, (chunk) => {
            for (const bytes of chunk) reading.bytes(bytes.length)
            return chunk
          }),
          sourceLabel: fetched.label,
          credentials: Credentials.configured(settings.provider),
          // Any URL of the panel: Ingest keeps only its credential-free `scheme://host[:port]`.
          provider: {
            name: settings.provider.name,
            baseUrl: Option.match(playlistUrl, {
              onNone: () => Option.getOrNull(settings.provider.baseUrl),
              onSome: Redacted.value
            })
          },
          filters: settings.filters,
          force: options.force,
          graceDays: settings.ingest.graceDays,
          maxDrop: settings.ingest.maxDrop,
          classify: rules.classify,
          classifierVersion: rules.version,
          onProgress: reading === undefined ? undefined : (p) => Effect.sync(() => reading.progress(p))
        })
      }))
      const step = options.enrich
      if (step === undefined) return { ...summary, source: fetched.label, enriched: null } satisfies Summary
      if (observer.phase) yield* observer.phase("enrich")
      const enriched = yield* Enrich.run(step.options).pipe(Effect.provide(step.tmdb))
      return { ...summary, source: fetched.label, enriched } satisfies Summary
    }).pipe(Effect.provide(options.database))
  }).pipe(Effect.withSpan("Process.run"))

/** What `run` needs besides the database: the file system, and an HTTP client for the download. */
export type Requirements = HttpClient.HttpClient | FileSystem.FileSystem | Path.Path
