/**
 * Where a planned download goes: the folder Radarr or Sonarr expects, under a name it parses reliably, as this
 * machine reaches it — and the same place as Radarr/Sonarr see it, for the import.
 *
 * - A movie goes into its Radarr folder (`movie.path`): `Title (Year).ext`.
 * - An episode goes into its series folder (`series.path`), in the season folder when the series uses them
 *   (`seasonFolder`, formatted by the naming config: `Season {season}` → `Season 1`, `{season:00}` → `01`; specials
 *   by `specialsFolderFormat`): `Series - S01E02.ext`, `Series - S01E01-E02.ext` for a double episode.
 * - Every name is sanitised (`SafePath`) and the result confined under the item's root folder: a title like
 *   `../../etc` cannot leave it. Partial files go to a hidden staging folder in that root (same filesystem, so the
 *   publish is a link; Radarr and Sonarr skip folders whose names start with a dot).
 * - `path_mappings` (`remote=local`) translate the *arr's paths to this machine's, longest prefix first.
 */
import type { ArrResponse } from "@stalkeer/arr-client"
import type { AppConfig } from "@stalkeer/config"
import { SafePath } from "@stalkeer/downloader"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as NodePath from "node:path"

export interface Placement {
  /** The file as this machine writes it. */
  readonly target: string
  /** The hidden folder for partial files, on the target's filesystem. */
  readonly staging: string
  /** The file as Radarr/Sonarr see it. */
  readonly remote: string
  readonly extension: string
}

/** The staging folder's name in a root folder. */
export const STAGING = ".stalkeer-partial"

/** `path` as this machine reaches it: the longest `remote` prefix replaced by its `local`. */
export const toLocal = (path: string, mappings: ReadonlyArray<AppConfig.PathMapping>): string => {
  const clean = (p: string) => p.replace(/[\\/]+$/, "")
  const best = [...mappings]
    .filter((m) => path === clean(m.remote) || path.startsWith(`${clean(m.remote)}/`))
    .sort((a, b) => clean(b.remote).length - clean(a.remote).length)[0]
  return best === undefined ? path : clean(best.local) + path.slice(clean(best.remote).length)
}

/** A Sonarr season folder format with its season: `Season {season}`, `S{season:00}`. */
export const seasonFolder = (format: string, season: number): string =>
  format.replace(/\{season(?::(0+))?\}/gi, (_, zeros: string | undefined) => String(season).padStart(zeros?.length ?? 1, "0"))

export type Problem = { readonly _tag: "NoFolder" } | { readonly _tag: "NoExtension" } | { readonly _tag: "Outside"; readonly detail: string }

export const describe = (problem: Problem): string =>
  problem._tag === "NoFolder"
    ? "Radarr/Sonarr gave no folder for it"
    : problem._tag === "NoExtension"
    ? "its container is not a known video format"
    : `its path leaves the root folder (${problem.detail})`

const place = (
  remoteRoot: string,
  folders: ReadonlyArray<string>,
  file: string,
  extension: string,
  mappings: ReadonlyArray<AppConfig.PathMapping>
): Either.Either<Placement, Problem> => {
  const root = toLocal(remoteRoot, mappings)
  const segments = folders.map((f) => SafePath.segment(f))
  return Either.map(
    Either.mapLeft(SafePath.within(root, ...segments, file), (e): Problem => ({ _tag: "Outside", detail: e.message })),
    (target) => ({
      target,
      staging: NodePath.join(root, STAGING),
      remote: [remoteRoot.replace(/[\\/]+$/, ""), ...segments, file].join("/"),
      extension
    })
  )
}

const rootAndFolder = (path: string | null, root: string | null, fallback: string) => {
  if (path === null) return null
  const parent = root ?? NodePath.posix.dirname(path)
  return { root: parent, folder: NodePath.posix.basename(path) || fallback }
}

/** The placement of a movie's file, from Radarr's `movie` and the entry's container. */
export const movie = (
  m: ArrResponse.Movie,
  container: string | null,
  mappings: ReadonlyArray<AppConfig.PathMapping>
): Either.Either<Placement, Problem> => {
  const extension = SafePath.extension(container)
  if (Option.isNone(extension)) return Either.left({ _tag: "NoExtension" })
  const at = rootAndFolder(m.path, m.rootFolderPath, `${m.title} (${m.year})`)
  if (at === null) return Either.left({ _tag: "NoFolder" })
  return place(at.root, [at.folder], SafePath.movieFile(m.title, m.year > 0 ? m.year : null, extension.value), extension.value, mappings)
}

/** The placement of an episode's file (`episodeEnd` for a double-episode entry). */
export const episode = (
  series: ArrResponse.Series,
  e: { readonly seasonNumber: number; readonly episodeNumber: number },
  episodeEnd: number | null,
  container: string | null,
  naming: Pick<ArrResponse.SonarrNaming, "seasonFolderFormat" | "specialsFolderFormat">,
  mappings: ReadonlyArray<AppConfig.PathMapping>
): Either.Either<Placement, Problem> => {
  const extension = SafePath.extension(container)
  if (Option.isNone(extension)) return Either.left({ _tag: "NoExtension" })
  const at = rootAndFolder(series.path, series.rootFolderPath, series.title)
  if (at === null) return Either.left({ _tag: "NoFolder" })
  const season = !series.seasonFolder
    ? []
    : [e.seasonNumber === 0 ? naming.specialsFolderFormat : seasonFolder(naming.seasonFolderFormat, e.seasonNumber)]
  const end = episodeEnd !== null && episodeEnd > e.episodeNumber ? episodeEnd : null
  const file = SafePath.episodeFile(series.title, e.seasonNumber, e.episodeNumber, end, extension.value)
  return place(at.root, [at.folder, ...season], file, extension.value, mappings)
}
