/**
 * Radarr's and Sonarr's wire formats (camelCase, null fields omitted) and their transformations into the
 * `ArrResponse` values.
 *
 * Only identity fields are required (`id`; an episode's series, season and number; a command's status). Every other
 * field may be missing — the *arr apps omit nulls, and older versions lack newer fields — or `null`. Unknown fields
 * are ignored, so a newer server never breaks an older client.
 */
import * as Schema from "effect/Schema"
import * as ArrResponse from "../ArrResponse.js"

const str = Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
const num = Schema.optionalWith(Schema.NullOr(Schema.Number), { default: () => null })
const bool = Schema.optionalWith(Schema.NullOr(Schema.Boolean), { default: () => null })
const list = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.optionalWith(Schema.Array(item), { nullable: true, default: () => [] })
const nested = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

const Titled = Schema.Struct({ title: str })
const titles = (items: ReadonlyArray<{ readonly title: string | null }>): ReadonlyArray<string> =>
  items.flatMap((t) => (t.title === null || t.title.trim() === "" ? [] : [t.title]))

export const SystemStatus = Schema.transform(
  Schema.Struct({ appName: str, instanceName: str, version: str, urlBase: str, branch: str }),
  ArrResponse.SystemStatus,
  {
    strict: true,
    decode: (w) => ({ ...w, appName: w.appName ?? "", version: w.version ?? "" }),
    encode: (s) => s
  }
)

export const Movie = Schema.transform(
  Schema.Struct({
    id: Schema.Number,
    title: str,
    originalTitle: str,
    sortTitle: str,
    year: num,
    tmdbId: num,
    imdbId: str,
    path: str,
    rootFolderPath: str,
    folderName: str,
    monitored: bool,
    hasFile: bool,
    movieFileId: num,
    isAvailable: bool,
    status: str,
    qualityProfileId: num,
    alternateTitles: list(Titled),
    statistics: nested(Schema.Struct({ movieFileCount: num }))
  }),
  ArrResponse.Movie,
  {
    strict: true,
    decode: (w) => ({
      id: w.id,
      title: w.title ?? w.originalTitle ?? "",
      originalTitle: w.originalTitle,
      sortTitle: w.sortTitle,
      year: w.year ?? 0,
      tmdbId: w.tmdbId ?? 0,
      imdbId: w.imdbId,
      path: w.path,
      rootFolderPath: w.rootFolderPath,
      folderName: w.folderName,
      monitored: w.monitored ?? false,
      // Older Radarr builds lack `hasFile`; the file count and the file id say the same.
      hasFile: w.hasFile ?? ((w.statistics?.movieFileCount ?? 0) > 0 || (w.movieFileId ?? 0) > 0),
      movieFileId: w.movieFileId ?? 0,
      isAvailable: w.isAvailable ?? false,
      status: w.status,
      qualityProfileId: w.qualityProfileId,
      alternateTitles: titles(w.alternateTitles)
    }),
    encode: ({ alternateTitles, ...m }) => ({
      ...m,
      alternateTitles: alternateTitles.map((title) => ({ title })),
      statistics: null
    })
  }
)

export const Series = Schema.transform(
  Schema.Struct({
    id: Schema.Number,
    title: str,
    sortTitle: str,
    year: num,
    tvdbId: num,
    tmdbId: num,
    imdbId: str,
    path: str,
    rootFolderPath: str,
    seasonFolder: bool,
    monitored: bool,
    seriesType: str,
    status: str,
    alternateTitles: list(Titled)
  }),
  ArrResponse.Series,
  {
    strict: true,
    decode: (w) => ({
      id: w.id,
      title: w.title ?? "",
      sortTitle: w.sortTitle,
      year: w.year ?? 0,
      tvdbId: w.tvdbId ?? 0,
      tmdbId: w.tmdbId === null || w.tmdbId === 0 ? null : w.tmdbId,
      imdbId: w.imdbId,
      path: w.path,
      rootFolderPath: w.rootFolderPath,
      seasonFolder: w.seasonFolder ?? true,
      monitored: w.monitored ?? false,
      seriesType: w.seriesType ?? "standard",
      status: w.status,
      alternateTitles: titles(w.alternateTitles)
    }),
    encode: ({ alternateTitles, ...s }) => ({ ...s, alternateTitles: alternateTitles.map((title) => ({ title })) })
  }
)

export const Episode = Schema.transform(
  Schema.Struct({
    id: Schema.Number,
    seriesId: Schema.Number,
    tvdbId: num,
    episodeFileId: num,
    seasonNumber: Schema.Number,
    episodeNumber: Schema.Number,
    title: str,
    airDate: str,
    airDateUtc: str,
    hasFile: bool,
    monitored: bool,
    absoluteEpisodeNumber: num,
    series: nested(Series)
  }),
  ArrResponse.Episode,
  {
    strict: true,
    decode: (w) => ({
      ...w,
      tvdbId: w.tvdbId === 0 ? null : w.tvdbId,
      episodeFileId: w.episodeFileId ?? 0,
      hasFile: w.hasFile ?? (w.episodeFileId ?? 0) > 0,
      monitored: w.monitored ?? false
    }),
    encode: (e) => e
  }
)

export const RootFolder = Schema.transform(
  Schema.Struct({ id: Schema.Number, path: str, accessible: bool, freeSpace: num }),
  ArrResponse.RootFolder,
  {
    strict: true,
    decode: (w) => ({ ...w, path: w.path ?? "", accessible: w.accessible ?? false }),
    encode: (r) => r
  }
)

export const QualityProfile = Schema.transform(
  Schema.Struct({ id: Schema.Number, name: str }),
  ArrResponse.QualityProfile,
  { strict: true, decode: (w) => ({ id: w.id, name: w.name ?? "" }), encode: (q) => q }
)

// Radarr's enum is a camelCase string; read an int (an older build, a hand-written fixture) by its position.
const COLON_FORMATS = ["delete", "dash", "spaceDash", "spaceDashSpace", "smart"]

export const RadarrNaming = Schema.transform(
  Schema.Struct({
    renameMovies: bool,
    replaceIllegalCharacters: bool,
    colonReplacementFormat: Schema.optionalWith(Schema.NullOr(Schema.Union(Schema.String, Schema.Number)), {
      default: () => null
    }),
    standardMovieFormat: str,
    movieFolderFormat: str
  }),
  ArrResponse.RadarrNaming,
  {
    strict: true,
    decode: (w) => ({
      renameMovies: w.renameMovies ?? false,
      replaceIllegalCharacters: w.replaceIllegalCharacters ?? true,
      colonReplacementFormat: typeof w.colonReplacementFormat === "number"
        ? COLON_FORMATS[w.colonReplacementFormat] ?? "smart"
        : w.colonReplacementFormat ?? "smart",
      standardMovieFormat: w.standardMovieFormat ?? "{Movie Title} ({Release Year}) {Quality Full}",
      movieFolderFormat: w.movieFolderFormat ?? "{Movie Title} ({Release Year})"
    }),
    encode: (n) => n
  }
)

const STANDARD_EPISODE = "{Series Title} - S{season:00}E{episode:00} - {Episode Title} {Quality Full}"

export const SonarrNaming = Schema.transform(
  Schema.Struct({
    renameEpisodes: bool,
    replaceIllegalCharacters: bool,
    colonReplacementFormat: num,
    multiEpisodeStyle: num,
    standardEpisodeFormat: str,
    dailyEpisodeFormat: str,
    animeEpisodeFormat: str,
    seriesFolderFormat: str,
    seasonFolderFormat: str,
    specialsFolderFormat: str
  }),
  ArrResponse.SonarrNaming,
  {
    strict: true,
    decode: (w) => ({
      renameEpisodes: w.renameEpisodes ?? false,
      replaceIllegalCharacters: w.replaceIllegalCharacters ?? true,
      colonReplacementFormat: w.colonReplacementFormat ?? 4,
      multiEpisodeStyle: w.multiEpisodeStyle ?? 5,
      standardEpisodeFormat: w.standardEpisodeFormat ?? STANDARD_EPISODE,
      dailyEpisodeFormat: w.dailyEpisodeFormat ?? "{Series Title} - {Air-Date} - {Episode Title} {Quality Full}",
      animeEpisodeFormat: w.animeEpisodeFormat ?? STANDARD_EPISODE,
      seriesFolderFormat: w.seriesFolderFormat ?? "{Series Title}",
      seasonFolderFormat: w.seasonFolderFormat ?? "Season {season}",
      specialsFolderFormat: w.specialsFolderFormat ?? "Specials"
    }),
    encode: (n) => n
  }
)

export const Command = Schema.transform(
  Schema.Struct({
    id: Schema.Number,
    name: str,
    commandName: str,
    status: Schema.String,
    result: str,
    message: str,
    queued: str,
    started: str,
    ended: str
  }),
  ArrResponse.Command,
  { strict: true, decode: (w) => ({ ...w, name: w.name ?? "" }), encode: (c) => c }
)

/** A page of `item`s; a missing count or size is read from the records. */
export const Page = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.transform(
    Schema.Struct({ page: num, pageSize: num, totalRecords: num, records: list(item) }),
    ArrResponse.Page(Schema.typeSchema(item)),
    {
      strict: true,
      decode: (w) => ({
        page: w.page ?? 1,
        pageSize: w.pageSize ?? w.records.length,
        totalRecords: w.totalRecords ?? w.records.length,
        records: w.records
      }),
      encode: (p) => p
    }
  )
