/**
 * The fakes' view of a library on this machine, for rescans: a path the app knows (`/movies/Alien (1979)`) is read
 * under `local` when it lies under `remote`, as the app in its container would see it. What counts as a video is
 * what Radarr and Sonarr import: a video extension, not a hidden file.
 *
 * @internal
 */
import * as Fs from "node:fs"
import * as NodePath from "node:path"

export interface Disk {
  /** The library's root as the app sees it, e.g. `/movies`. */
  readonly remote: string
  /** The same folder on this machine. */
  readonly local: string
}

export const localPath = (disk: Disk, path: string): string | undefined => {
  const remote = disk.remote.replace(/\/+$/, "")
  if (path !== remote && !path.startsWith(`${remote}/`)) return undefined
  return NodePath.join(disk.local, path.slice(remote.length))
}

const VIDEO = /\.(mkv|mp4|m4v|avi|ts|m2ts|mov|wmv|mpg|mpeg|webm|flv)$/i

/** Names of the video files under `dir`, in its sub-folders too; none when it cannot be read. */
export const videoFiles = (dir: string): Array<string> => {
  let entries: Array<Fs.Dirent>
  try {
    entries = Fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((entry) =>
    entry.name.startsWith(".")
      ? []
      : entry.isDirectory()
      ? videoFiles(NodePath.join(dir, entry.name))
      : entry.isFile() && VIDEO.test(entry.name)
      ? [entry.name]
      : []
  )
}

/** `S01E02` and `S01E02-E03` (or `E02E03`) in a file name: the episodes it holds, as `season:episode`. */
export const episodesIn = (name: string): Array<string> => {
  const m = /S(\d{1,2})E(\d{1,3})(?:-?E(\d{1,3}))?/i.exec(name)
  if (m === null) return []
  const season = Number(m[1])
  const first = Number(m[2])
  const last = m[3] === undefined ? first : Math.max(first, Number(m[3]))
  return Array.from({ length: last - first + 1 }, (_, i) => `${season}:${first + i}`)
}
