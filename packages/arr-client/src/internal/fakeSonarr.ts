/**
 * The fake Sonarr's library and its endpoints: partial `SeriesResource`s and `EpisodeResource`s completed into what
 * Sonarr would send (seasons and statistics computed from the episodes), and the routes of `/api/v3` over them.
 * Episodes are indexed by series, so a library of tens of thousands answers in milliseconds.
 */
import * as FakeRadarr from "./fakeRadarr.js"
import * as Fake from "./fakeServer.js"

type Loose<T> = { readonly [K in keyof T]?: T[K] | null | undefined } & { readonly [field: string]: unknown }

/** A series in Sonarr's wire shape (`SeriesResource`); every field may be left out. Unknown fields pass through. */
export type SeriesResource = Loose<{
  id: number
  title: string
  sortTitle: string
  status: string
  year: number
  tvdbId: number
  tmdbId: number
  imdbId: string
  path: string
  rootFolderPath: string
  seasonFolder: boolean
  monitored: boolean
  seriesType: string
  runtime: number
  qualityProfileId: number
  alternateTitles: ReadonlyArray<Loose<{ title: string; seasonNumber: number }> | string>
}>

/** An episode in Sonarr's wire shape (`EpisodeResource`); `seriesId` ties it to its series. */
export type EpisodeResource = Loose<{
  id: number
  seriesId: number
  tvdbId: number
  episodeFileId: number
  seasonNumber: number
  episodeNumber: number
  title: string
  /** `YYYY-MM-DD`. */
  airDate: string
  /** ISO 8601; served as UTC with no fractional seconds. */
  airDateUtc: string
  runtime: number
  hasFile: boolean
  monitored: boolean
  absoluteEpisodeNumber: number
  lastSearchTime: string
}>

export type NamingResource = Loose<{
  renameEpisodes: boolean
  replaceIllegalCharacters: boolean
  colonReplacementFormat: number
  multiEpisodeStyle: number
  standardEpisodeFormat: string
  dailyEpisodeFormat: string
  animeEpisodeFormat: string
  seriesFolderFormat: string
  seasonFolderFormat: string
  specialsFolderFormat: string
}>

export interface Library {
  readonly series: ReadonlyArray<SeriesResource>
  readonly episodes: ReadonlyArray<EpisodeResource>
  /** Default: `/tv`. */
  readonly rootFolders?: ReadonlyArray<FakeRadarr.RootFolderResource> | undefined
  /** Default: `Any` (1) and `HD-1080p` (4). */
  readonly qualityProfiles?: ReadonlyArray<FakeRadarr.QualityProfileResource> | undefined
  /** Merged over Sonarr's defaults. */
  readonly naming?: NamingResource | undefined
}

/**
 * Whether to embed the series when `includeSeries=true` (default `"honour"`, as Sonarr does); `"ignore"` never
 * embeds it, to test a client that must then read each series itself.
 */
export type IncludeSeries = "honour" | "ignore"

type Resource = Record<string, unknown>

interface Series {
  readonly id: number
  readonly tvdbId: number
  readonly monitored: boolean
  readonly runtime: number
  readonly sortTitle: string
  resource: Resource
}

interface Episode {
  readonly id: number
  readonly seriesId: number
  readonly seasonNumber: number
  readonly episodeFileId: number
  readonly monitored: boolean
  /** Epoch millis, or `undefined` when unaired/unknown. */
  readonly airs: number | undefined
  readonly resource: Resource
}

const STANDARD = "{Series Title} - S{season:00}E{episode:00} - {Episode Title} {Quality Full}"

export const DEFAULT_NAMING = {
  id: 1,
  renameEpisodes: false,
  replaceIllegalCharacters: true,
  colonReplacementFormat: 4,
  customColonReplacementFormat: "",
  multiEpisodeStyle: 5,
  standardEpisodeFormat: STANDARD,
  dailyEpisodeFormat: "{Series Title} - {Air-Date} - {Episode Title} {Quality Full}",
  animeEpisodeFormat: STANDARD,
  seriesFolderFormat: "{Series Title}",
  seasonFolderFormat: "Season {season}",
  specialsFolderFormat: "Specials"
}

const PROFILES: ReadonlyArray<FakeRadarr.QualityProfileResource> = [{ id: 1, name: "Any" }, { id: 4, name: "HD-1080p" }]

const completeSeries = (input: SeriesResource, index: number): Series => {
  const id = Fake.num(input.id) ?? index + 1
  const title = Fake.str(input.title) ?? `Series ${id}`
  const year = Fake.num(input.year) ?? 0
  const tvdbId = Fake.num(input.tvdbId) ?? 0
  const rootFolderPath = Fake.str(input.rootFolderPath) ?? "/tv"
  const status = Fake.str(input.status) ?? "continuing"
  const alternateTitles = (input.alternateTitles ?? []).map((t) => (typeof t === "string" ? { title: t } : Fake.present(t)))
  const resource: Resource = {
    title,
    sortTitle: Fake.sortTitleOf(title),
    status,
    ended: status === "ended",
    overview: "",
    images: [],
    originalLanguage: { id: 1, name: "English" },
    year,
    path: `${rootFolderPath}/${Fake.folderOf(title, 0)}`,
    qualityProfileId: 1,
    seasonFolder: true,
    monitored: true,
    monitorNewItems: "all",
    useSceneNumbering: false,
    runtime: 0,
    tvdbId,
    tvRageId: 0,
    tvMazeId: 0,
    tmdbId: 0,
    seriesType: "standard",
    cleanTitle: Fake.cleanTitleOf(title),
    titleSlug: Fake.slugOf(title),
    rootFolderPath,
    genres: [],
    tags: [],
    added: "2025-01-01T00:00:00Z",
    ratings: { votes: 0, value: 0 },
    ...Fake.present(input),
    id,
    alternateTitles
  }
  return {
    id,
    tvdbId,
    monitored: resource.monitored === true,
    runtime: Fake.num(resource.runtime) ?? 0,
    sortTitle: Fake.str(resource.sortTitle) ?? "",
    resource
  }
}

const completeEpisode = (input: EpisodeResource, index: number, seriesById: ReadonlyMap<number, Series>): Episode => {
  const id = Fake.num(input.id) ?? index + 1
  const seriesId = Fake.num(input.seriesId) ?? 0
  const seasonNumber = Fake.num(input.seasonNumber) ?? 1
  const episodeNumber = Fake.num(input.episodeNumber) ?? index + 1
  const airDateUtc = Fake.normalizeDate(input.airDateUtc) ??
    (Fake.str(input.airDate) !== undefined ? Fake.normalizeDate(`${input.airDate}T00:00:00Z`) : undefined)
  const episodeFileId = Fake.num(input.episodeFileId) ?? (input.hasFile === true ? 100000 + id : 0)
  const resource: Resource = {
    seriesId,
    tvdbId: 0,
    seasonNumber,
    episodeNumber,
    airDate: airDateUtc?.slice(0, 10),
    runtime: seriesById.get(seriesId)?.runtime ?? 0,
    monitored: true,
    unverifiedSceneNumbering: false,
    ...Fake.present(input),
    id,
    airDateUtc,
    episodeFileId,
    hasFile: episodeFileId > 0
  }
  if ("lastSearchTime" in resource) resource.lastSearchTime = Fake.normalizeDate(resource.lastSearchTime)
  return {
    id,
    seriesId,
    seasonNumber,
    episodeFileId,
    monitored: resource.monitored === true,
    airs: airDateUtc === undefined ? undefined : Date.parse(airDateUtc),
    resource
  }
}

/** Seasons and statistics as Sonarr computes them from the episodes (specials apart). */
const withStatistics = (series: Series, episodes: ReadonlyArray<Episode>, now: number): Resource => {
  const stats = (items: ReadonlyArray<Episode>) => {
    const files = items.filter((e) => e.episodeFileId > 0).length
    const counted = items.filter((e) => e.episodeFileId > 0 || (e.monitored && e.airs !== undefined && e.airs <= now))
      .length
    return {
      episodeFileCount: files,
      episodeCount: counted,
      totalEpisodeCount: items.length,
      sizeOnDisk: 0,
      releaseGroups: [],
      percentOfEpisodes: counted === 0 ? 0 : Math.round((files / counted) * 10000) / 100
    }
  }
  const numbers = [...new Set(episodes.map((e) => e.seasonNumber))].sort((a, b) => a - b)
  const seasons = series.resource.seasons ?? numbers.map((seasonNumber) => ({
    seasonNumber,
    monitored: seasonNumber > 0,
    statistics: stats(episodes.filter((e) => e.seasonNumber === seasonNumber))
  }))
  const regular = episodes.filter((e) => e.seasonNumber > 0)
  return {
    seasons,
    statistics: { seasonCount: numbers.filter((n) => n > 0).length, ...stats(regular) },
    ...series.resource
  }
}

const missingPaging = (seriesById: ReadonlyMap<number, Series>): Fake.Paging<Episode> => ({
  keys: {
    "episodes.airDateUtc": (e) => e.airs,
    "episodes.lastSearchTime": (e) => Fake.str(e.resource.lastSearchTime),
    "series.sortTitle": (e) => seriesById.get(e.seriesId)?.sortTitle
  },
  defaultKey: "episodes.airDateUtc",
  defaultDirection: "descending",
  id: (e) => e.id
})

export const makeRouter = (library: Library, includeSeries: () => IncludeSeries) => {
  const series = library.series.map(completeSeries)
  const seriesById = new Map(series.map((s) => [s.id, s]))
  const episodes = library.episodes.map((e, i) => completeEpisode(e, i, seriesById))
  const episodesById = new Map(episodes.map((e) => [e.id, e]))
  const bySeries = new Map<number, Array<Episode>>()
  for (const episode of episodes) {
    const list = bySeries.get(episode.seriesId)
    if (list === undefined) bySeries.set(episode.seriesId, [episode])
    else list.push(episode)
  }
  const now = Date.now()
  // As given, before the statistics: a rescan computes them again from these.
  const given = new Map(series.map((s) => [s.id, s.resource]))
  for (const s of series) s.resource = withStatistics(s, bySeries.get(s.id) ?? [], now)
  const folders = FakeRadarr.rootFolders(library.rootFolders ?? [{ id: 1, path: "/tv" }])
  const profiles = FakeRadarr.qualityProfiles(library.qualityProfiles ?? PROFILES, false)
  const naming = { ...DEFAULT_NAMING, ...Fake.present(library.naming ?? {}) }
  const paging = missingPaging(seriesById)

  const render = (embed: boolean) => (e: Episode) =>
    embed && includeSeries() === "honour" && seriesById.has(e.seriesId)
      ? { ...e.resource, series: seriesById.get(e.seriesId)!.resource }
      : e.resource

  /** What a rescan found in the series' folders: the episodes (`season:episode`) that have a file now. */
  const setFiles = (seriesId: number, held: ReadonlySet<string>) => {
    const list = bySeries.get(seriesId) ?? []
    list.forEach((e, i) => {
      const present = held.has(`${e.seasonNumber}:${Fake.num(e.resource.episodeNumber)}`)
      const episodeFileId = present ? (e.episodeFileId || 100000 + e.id) : 0
      if (episodeFileId === e.episodeFileId) return
      const next: Episode = { ...e, episodeFileId, resource: { ...e.resource, episodeFileId, hasFile: episodeFileId > 0 } }
      list[i] = next
      episodesById.set(e.id, next)
      episodes[episodes.indexOf(e)] = next
    })
    const owner = seriesById.get(seriesId)
    if (owner !== undefined) owner.resource = withStatistics({ ...owner, resource: given.get(seriesId)! }, list, Date.now())
  }
  const pathOf = (id: number): string | undefined => Fake.str(seriesById.get(id)?.resource.path)
  const ids = (): Array<number> => series.map((s) => s.id)

  const route = (request: Fake.Request): Fake.Answer | undefined => {
    const { method, path, query } = request
    if (method !== "GET") return undefined
    switch (path) {
      case "/api/v3/wanted/missing": {
        const monitored = Fake.boolParam(query, "monitored", true)
        const now = Date.now()
        const missing = episodes.filter((e) => {
          const owner = seriesById.get(e.seriesId)
          if (owner === undefined || e.episodeFileId !== 0 || e.seasonNumber < 1 || e.airs === undefined) return false
          if (e.airs + owner.runtime * 60_000 > now) return false
          const both = e.monitored && owner.monitored
          return monitored ? both : !both
        })
        return Fake.page(missing, query, paging, render(Fake.boolParam(query, "includeSeries", false)))
      }
      case "/api/v3/series": {
        const tvdbId = query.get("tvdbId")
        const found = tvdbId === null ? series : series.filter((s) => String(s.tvdbId) === tvdbId)
        return Fake.ok(found.map((s) => s.resource))
      }
      case "/api/v3/episode": {
        const embed = render(Fake.boolParam(query, "includeSeries", false))
        const seriesId = Fake.idOf(query.get("seriesId") ?? undefined)
        const ids = query.getAll("episodeIds").map((id) => Fake.idOf(id))
        const fileId = Fake.idOf(query.get("episodeFileId") ?? undefined)
        if (seriesId !== undefined) {
          const season = Fake.idOf(query.get("seasonNumber") ?? undefined)
          const list = (bySeries.get(seriesId) ?? []).filter((e) => season === undefined || e.seasonNumber === season)
          return Fake.ok(list.map(embed))
        }
        if (ids.length > 0) {
          return Fake.ok(ids.flatMap((id) => {
            const episode = id === undefined ? undefined : episodesById.get(id)
            return episode === undefined ? [] : [embed(episode)]
          }))
        }
        if (fileId !== undefined) return Fake.ok(episodes.filter((e) => e.episodeFileId === fileId).map(embed))
        return Fake.badRequest("seriesId or episodeIds must be provided")
      }
      case "/api/v3/rootfolder":
        return Fake.ok(folders)
      case "/api/v3/qualityprofile":
        return Fake.ok(profiles)
      case "/api/v3/config/naming":
        return Fake.ok(naming)
    }
    const one = /^\/api\/v3\/(series|episode)\/([^/]+)$/.exec(path)
    if (one !== null) {
      const id = Fake.idOf(one[2]) ?? Number.NaN
      const found = one[1] === "series" ? seriesById.get(id)?.resource : episodesById.get(id)?.resource
      return found === undefined ? Fake.notFound("Sonarr") : Fake.ok(found)
    }
    return undefined
  }
  return { route, setFiles, pathOf, ids }
}
