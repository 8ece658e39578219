/**
 * What the Radarr and Sonarr endpoints answer, decoded: the fields Stalkeer uses, with `null` for anything the
 * server left out (*arr omits null fields instead of sending `null`) and the stated default where a missing value
 * has an obvious meaning (`year` 0, `hasFile` false, `seasonFolder` true…). Unknown fields are ignored.
 *
 * These schemas describe the decoded values, so they also round-trip through JSON as they are. The wire formats,
 * tolerant of omissions, live in `internal/wire.ts`.
 */
import * as Schema from "effect/Schema"

const NullableString = Schema.NullOr(Schema.String)
const NullableNumber = Schema.NullOr(Schema.Number)

/** `GET /api/v3/system/status`. */
export const SystemStatus = Schema.Struct({
  /** `Radarr` or `Sonarr`. */
  appName: Schema.String,
  instanceName: NullableString,
  /** E.g. `6.0.3.10276`. */
  version: Schema.String,
  /** The URL base the server is configured with (`""` or e.g. `/radarr`). */
  urlBase: NullableString,
  branch: NullableString
})
export interface SystemStatus extends Schema.Schema.Type<typeof SystemStatus> {}

/** A movie of Radarr's library (`MovieResource`). */
export const Movie = Schema.Struct({
  id: Schema.Number,
  title: Schema.String,
  originalTitle: NullableString,
  sortTitle: NullableString,
  /** 0 when unknown (Radarr's wanted/missing leaves such movies out). */
  year: Schema.Number,
  tmdbId: Schema.Number,
  imdbId: NullableString,
  /** The movie's folder, e.g. `/movies/Alien (1979)`. */
  path: NullableString,
  rootFolderPath: NullableString,
  folderName: NullableString,
  monitored: Schema.Boolean,
  hasFile: Schema.Boolean,
  /** 0 when the movie has no file. */
  movieFileId: Schema.Number,
  /** Released enough for the movie's minimum availability (computed by Radarr). */
  isAvailable: Schema.Boolean,
  /** `tba`, `announced`, `inCinemas`, `released` or `deleted`. */
  status: NullableString,
  qualityProfileId: NullableNumber,
  /** The titles of `alternateTitles`. */
  alternateTitles: Schema.Array(Schema.String)
})
export interface Movie extends Schema.Schema.Type<typeof Movie> {}

/** A series of Sonarr's library (`SeriesResource`). */
export const Series = Schema.Struct({
  id: Schema.Number,
  title: Schema.String,
  sortTitle: NullableString,
  year: Schema.Number,
  /** 0 when unknown. */
  tvdbId: Schema.Number,
  /** `null` when unknown (Sonarr sends 0). */
  tmdbId: NullableNumber,
  imdbId: NullableString,
  /** The series' folder, e.g. `/tv/Breaking Bad`. */
  path: NullableString,
  rootFolderPath: NullableString,
  /** Whether episodes go into season sub-folders. */
  seasonFolder: Schema.Boolean,
  monitored: Schema.Boolean,
  /** `standard`, `daily` or `anime`. */
  seriesType: Schema.String,
  /** `continuing`, `ended`, `upcoming` or `deleted`. */
  status: NullableString,
  /** The titles of `alternateTitles`. */
  alternateTitles: Schema.Array(Schema.String)
})
export interface Series extends Schema.Schema.Type<typeof Series> {}

/** An episode (`EpisodeResource`). */
export const Episode = Schema.Struct({
  id: Schema.Number,
  seriesId: Schema.Number,
  tvdbId: NullableNumber,
  /** 0 when the episode has no file. */
  episodeFileId: Schema.Number,
  seasonNumber: Schema.Number,
  episodeNumber: Schema.Number,
  title: NullableString,
  /** `YYYY-MM-DD`, in the network's time zone. */
  airDate: NullableString,
  /** ISO 8601 UTC, e.g. `2008-01-28T03:00:00Z`. */
  airDateUtc: NullableString,
  hasFile: Schema.Boolean,
  monitored: Schema.Boolean,
  absoluteEpisodeNumber: NullableNumber,
  /** The series, when the request asked for it (`includeSeries=true`); `Sonarr.missing` always fills it. */
  series: Schema.NullOr(Series)
})
export interface Episode extends Schema.Schema.Type<typeof Episode> {}

/** `GET /api/v3/rootfolder` (both). */
export const RootFolder = Schema.Struct({
  id: Schema.Number,
  path: Schema.String,
  accessible: Schema.Boolean,
  /** Bytes free; `null` when the server could not tell. */
  freeSpace: NullableNumber
})
export interface RootFolder extends Schema.Schema.Type<typeof RootFolder> {}

/** `GET /api/v3/qualityprofile` (both). */
export const QualityProfile = Schema.Struct({
  id: Schema.Number,
  name: Schema.String
})
export interface QualityProfile extends Schema.Schema.Type<typeof QualityProfile> {}

/** Radarr's `GET /api/v3/config/naming`. Omitted fields take Radarr's defaults (`NamingConfig.Default`). */
export const RadarrNaming = Schema.Struct({
  renameMovies: Schema.Boolean,
  replaceIllegalCharacters: Schema.Boolean,
  /** `delete`, `dash`, `spaceDash`, `spaceDashSpace` or `smart` (a string enum in Radarr). */
  colonReplacementFormat: Schema.String,
  standardMovieFormat: Schema.String,
  movieFolderFormat: Schema.String
})
export interface RadarrNaming extends Schema.Schema.Type<typeof RadarrNaming> {}

/** Sonarr's `GET /api/v3/config/naming`. Omitted fields take Sonarr's defaults (`NamingConfig.Default`). */
export const SonarrNaming = Schema.Struct({
  renameEpisodes: Schema.Boolean,
  replaceIllegalCharacters: Schema.Boolean,
  /** 0 Delete, 1 Dash, 2 SpaceDash, 3 SpaceDashSpace, 4 Smart, 5 Custom (an int in Sonarr). */
  colonReplacementFormat: Schema.Number,
  /** 0 Extend, 1 Duplicate, 2 Repeat, 3 Scene, 4 Range, 5 PrefixedRange. */
  multiEpisodeStyle: Schema.Number,
  standardEpisodeFormat: Schema.String,
  dailyEpisodeFormat: Schema.String,
  animeEpisodeFormat: Schema.String,
  seriesFolderFormat: Schema.String,
  seasonFolderFormat: Schema.String,
  specialsFolderFormat: Schema.String
})
export interface SonarrNaming extends Schema.Schema.Type<typeof SonarrNaming> {}

/** A command's state (`CommandResource`), as `POST /api/v3/command` and `GET /api/v3/command/{id}` answer. */
export const Command = Schema.Struct({
  id: Schema.Number,
  /** The command's class name, e.g. `RescanMovie`. */
  name: Schema.String,
  /** Spaced, e.g. `Rescan Movie`. */
  commandName: NullableString,
  /** `queued`, `started`, `completed`, `failed`, `aborted`, `cancelled` or `orphaned`. */
  status: Schema.String,
  /** `unknown`, `successful` or `unsuccessful`. */
  result: NullableString,
  message: NullableString,
  queued: NullableString,
  started: NullableString,
  ended: NullableString
})
export interface Command extends Schema.Schema.Type<typeof Command> {}

/** The statuses in which a command has ended without completing. */
export const failedStatuses: ReadonlySet<string> = new Set(["failed", "aborted", "cancelled", "orphaned"])

/** A page of a paged endpoint (`wanted/missing`); there is no page count, it is `ceil(totalRecords / pageSize)`. */
export const Page = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    page: Schema.Number,
    pageSize: Schema.Number,
    totalRecords: Schema.Number,
    records: Schema.Array(item)
  })
export interface Page<A> {
  readonly page: number
  readonly pageSize: number
  readonly totalRecords: number
  readonly records: ReadonlyArray<A>
}
