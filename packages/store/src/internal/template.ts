/**
 * The embedded cluster template: a data directory initialised once at build time (`scripts/build-template.mjs`),
 * shipped as `dist/pglite-template.tar.gz` and unpacked into every new data directory. This spares each new
 * directory PGlite's initdb, which costs ~630 MB of RSS for seconds even in a child process.
 *
 * The archive's first entry is `TEMPLATE_META`, a JSON description checked before anything else is written: a
 * template from another PGlite version or other initdb settings is refused. The archive is read and written by
 * node-tar, which keeps every extracted path inside the destination.
 *
 * An in-memory database (tests) starts from the same template: `read` turns it into a tree held in memory, which
 * `memoryFs` writes into the new instance's in-memory file system before PostgreSQL starts.
 *
 * PGlite's own `dumpDataDir`/`loadDataDir` do not fit: they hold the whole archive in memory (several copies of it
 * for `loadDataDir`: ~100 MB more at its peak, and ~1 s slower to gunzip than node's zlib).
 */
import * as NodeFs from "node:fs"
import * as NodeFsP from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import type { MemoryFS } from "@electric-sql/pglite"
import * as Tar from "tar"

export const TEMPLATE_FILE = "pglite-template.tar.gz"
export const TEMPLATE_META = ".stalkeer-template.json"
const FORMAT = 1

/**
 * Settings of the embedded server. WebAssembly memory never shrinks, so whatever PostgreSQL touches stays resident:
 * PostgreSQL's default 128 MB of shared buffers took ~150 MB more off a 200k-entry ingest's peak than 16 MB, at the
 * same speed. PGlite writes these lines as the whole postgresql.conf on every start.
 */
export const postgresqlConf: ReadonlyArray<string> = ["shared_buffers = 16MB", "wal_buffers = 1MB"]

/** The same settings as initdb arguments (`initDbStartParams`). */
export const initdbParams: ReadonlyArray<string> = postgresqlConf.flatMap((line) => [
  "-c",
  line.replace(/\s*=\s*/, "=")
])

export interface TemplateMeta {
  readonly format: number
  readonly pglite: string
  readonly initdbParams: ReadonlyArray<string>
}

/** What a template must say to be used with this build. */
export const expectedMeta = (pgliteVersion: string): TemplateMeta => ({
  format: FORMAT,
  pglite: pgliteVersion,
  initdbParams
})

/**
 * The version of the PGlite package that `resolvedEntry` (its resolved main module) belongs to. Its package.json is
 * not exported, so it is found by walking up from the entry.
 */
export const pgliteVersion = (resolvedEntry: string): string => {
  for (let dir = NodePath.dirname(resolvedEntry); dir !== NodePath.dirname(dir); dir = NodePath.dirname(dir)) {
    const file = NodePath.join(dir, "package.json")
    if (NodeFs.existsSync(file)) {
      const pkg = JSON.parse(NodeFs.readFileSync(file, "utf8")) as { name?: unknown; version?: unknown }
      if (pkg.name === "@electric-sql/pglite" && typeof pkg.version === "string") return pkg.version
    }
  }
  throw new Error(`cannot find the version of @electric-sql/pglite from ${resolvedEntry}`)
}

// PostgreSQL's own modes for a data directory: private to its owner.
const FILE_MODE = 0o600
const DIRECTORY_MODE = 0o700
// node-tar's default, 16 MB reads, took 40-60 MB more RSS to unpack the template.
const READ_SIZE = 64 * 1024
// The description is a few hundred bytes; anything much larger is not one.
const MAX_META_SIZE = 64 * 1024

/**
 * Packs the initialised data directory `dataDir` into the gzipped template `out` (build time). Entries are sorted
 * and carry no owner and a fixed mtime, so that equal trees give equal archives. Anything other than regular files
 * and directories is refused.
 */
export const pack = async (dataDir: string, out: string, meta: TemplateMeta): Promise<void> => {
  const entries = await NodeFsP.readdir(dataDir, { recursive: true, withFileTypes: true })
  const odd = entries.find((entry) => !entry.isFile() && !entry.isDirectory())
  if (odd !== undefined) {
    throw new Error(`${NodePath.join(odd.parentPath, odd.name)} is neither a file nor a directory`)
  }
  // A parent sorts before its contents ("a" < "a/b").
  const paths = entries.map((entry) => NodePath.relative(dataDir, NodePath.join(entry.parentPath, entry.name))).sort()
  // The description joins the tree in a copy: node-tar archives the files of one directory.
  const work = await NodeFsP.mkdtemp(NodePath.join(NodeOs.tmpdir(), "stalkeer-template-"))
  try {
    await NodeFsP.cp(dataDir, work, { recursive: true })
    await NodeFsP.writeFile(NodePath.join(work, TEMPLATE_META), JSON.stringify(meta))
    await Tar.create({
      file: out,
      cwd: work,
      gzip: { level: 9 },
      portable: true,
      mtime: new Date(0),
      noDirRecurse: true,
      onWriteEntry: (entry) => {
        if (entry.stat !== undefined) entry.stat.mode = entry.type === "Directory" ? DIRECTORY_MODE : FILE_MODE
      }
    }, [TEMPLATE_META, ...paths])
  } finally {
    await NodeFsP.rm(work, { recursive: true, force: true })
  }
}

/** The template does not describe this build (another PGlite version or other settings): use initdb instead. */
export class TemplateMismatch extends Error {}

/**
 * Reads the whole archive without writing anything: fails with `TemplateMismatch` unless it starts with the
 * description of `expected`, and with an ordinary error when it is damaged (gzip checks its CRC at the end).
 */
const check = async (file: string, expected: TemplateMeta): Promise<void> => {
  let first: { readonly path: string; readonly size: number } | undefined
  const parts: Array<Buffer> = []
  await Tar.list({
    file,
    strict: true,
    maxReadSize: READ_SIZE,
    onReadEntry: (entry) => {
      if (first !== undefined) return
      first = { path: entry.path, size: entry.size }
      if (entry.path === TEMPLATE_META && entry.type === "File" && entry.size <= MAX_META_SIZE) {
        entry.on("data", (chunk: Buffer) => parts.push(chunk))
      }
    }
  })
  if (first?.path !== TEMPLATE_META || first.size > MAX_META_SIZE) {
    throw new TemplateMismatch(`${file} does not start with ${TEMPLATE_META}`)
  }
  const found = Buffer.concat(parts).toString("utf8")
  if (found !== JSON.stringify(expected)) {
    throw new TemplateMismatch(`${file} is for ${found}, this build needs ${JSON.stringify(expected)}`)
  }
}

/**
 * Unpacks the template `file` into the existing, empty directory `dest`, streaming (file → gunzip → tar → files) so
 * that memory stays flat. The archive is read twice: checked whole first, so that it fails before writing anything
 * with `TemplateMismatch` when the template is not for `expected`, and with an ordinary error when it is damaged.
 *
 * node-tar keeps every path inside `dest` (it skips `..` entries and strips absolute roots); only files and
 * directories are extracted, with PostgreSQL's modes whatever the archive says. Any entry skipped or changed on the
 * way fails the unpacking once node-tar has finished (then `dest` holds a partial tree, and nothing writes to it
 * any more).
 */
export const unpack = async (file: string, dest: string, expected: TemplateMeta): Promise<void> => {
  await check(file, expected)
  const problems: Array<string> = []
  await Tar.extract({
    file,
    cwd: dest,
    maxReadSize: READ_SIZE,
    noMtime: true,
    // Running as root, node-tar would give files the owners the archive names.
    preserveOwner: false,
    fmode: FILE_MODE,
    dmode: DIRECTORY_MODE,
    filter: (path, entry) => {
      if (path === TEMPLATE_META) return false
      const type = entry instanceof Tar.ReadEntry ? entry.type : "Unsupported"
      if (type === "File" || type === "Directory") return true
      problems.push(`${path}: refused ${type}`)
      return false
    },
    onReadEntry: (entry) => {
      entry.mode = entry.type === "Directory" ? DIRECTORY_MODE : FILE_MODE
    },
    onwarn: (code, message) => {
      problems.push(`${code}: ${message}`)
    }
  })
  if (problems.length > 0) throw new Error(`${file} has unsafe or unsupported entries: ${problems.join("; ")}`)
}

/** A cluster read from a template into memory: its directories (parents first) and files, relative paths. */
export interface Tree {
  readonly directories: ReadonlyArray<string>
  readonly files: ReadonlyArray<{ readonly path: string; readonly data: Uint8Array }>
}

/**
 * Reads the template `file` into memory in one streaming pass (~40 MB of files for ~4.5 MB of archive), checking its
 * description first: fails with `TemplateMismatch` when it is not for `expected`, with an ordinary error when it is
 * damaged (gzip checks its CRC at the end) or holds anything but plain files and directories under relative paths.
 */
export const read = async (file: string, expected: TemplateMeta): Promise<Tree> => {
  const directories: Array<string> = []
  const files: Array<{ readonly path: string; readonly data: Uint8Array }> = []
  const meta: Array<Buffer> = []
  const problems: Array<string> = []
  let first = true
  let mismatch: string | undefined
  await Tar.list({
    file,
    strict: true,
    maxReadSize: READ_SIZE,
    onReadEntry: (entry) => {
      if (first) {
        first = false
        if (entry.path !== TEMPLATE_META || entry.type !== "File" || entry.size > MAX_META_SIZE) {
          mismatch = `${file} does not start with ${TEMPLATE_META}`
        } else {
          entry.on("data", (chunk: Buffer) => meta.push(chunk))
        }
        return
      }
      if (mismatch !== undefined) return
      const path = entry.path.replace(/\/+$/, "")
      if (path === "" || NodePath.posix.isAbsolute(path) || path.split("/").includes("..")) {
        problems.push(`${entry.path}: refused path`)
      } else if (entry.type === "Directory") {
        directories.push(path)
      } else if (entry.type === "File") {
        // One array per file, filled in place: no chunk is kept, nothing is copied twice. Zero chunks are not
        // copied: a new array reads as zeros, and its untouched pages (most of the 16 MB WAL segment) take no memory.
        const data = new Uint8Array(entry.size)
        let at = 0
        entry.on("data", (chunk: Buffer) => {
          if (!isZero(chunk)) data.set(chunk, at)
          at += chunk.length
        })
        files.push({ path, data })
      } else {
        problems.push(`${entry.path}: refused ${entry.type}`)
      }
    }
  })
  if (mismatch !== undefined) throw new TemplateMismatch(mismatch)
  const found = Buffer.concat(meta).toString("utf8")
  if (found !== JSON.stringify(expected)) {
    throw new TemplateMismatch(`${file} is for ${found}, this build needs ${JSON.stringify(expected)}`)
  }
  if (problems.length > 0) throw new Error(`${file} has unsafe or unsupported entries: ${problems.join("; ")}`)
  return { directories, files }
}

const ZEROS = Buffer.alloc(READ_SIZE)

/** Whether `chunk` holds only zero bytes (a longer chunk is taken for data). */
const isZero = (chunk: Buffer): boolean =>
  chunk.length <= ZEROS.length && chunk.equals(ZEROS.subarray(0, chunk.length))

/** PGlite's data directory in its own (Emscripten) file system. */
const PGDATA = "/pglite/data"

/** The calls of Emscripten's file system used here. */
interface EmscriptenFs {
  readonly mkdirTree: (path: string, mode?: number) => void
  readonly writeFile: (path: string, data: Uint8Array, options?: { readonly canOwn?: boolean }) => void
}

/**
 * An in-memory file system for a new PGlite instance (`PGlite.create({ fs })`) that holds the cluster `tree` before
 * PostgreSQL starts, so that PGlite finds a cluster and runs no initdb. Its files take the tree's arrays as they are
 * (`canOwn`), so the cluster is in memory once. `Base` is PGlite's `MemoryFS` (PGlite is loaded lazily).
 */
export const memoryFs = (Base: typeof MemoryFS, tree: Tree): MemoryFS => {
  let pending: Tree | undefined = tree
  return new (class extends Base {
    override async initialSyncFs(): Promise<void> {
      await super.initialSyncFs()
      if (pending === undefined || this.pg === undefined) return
      const fs: EmscriptenFs = this.pg.Module.FS
      fs.mkdirTree(PGDATA, DIRECTORY_MODE)
      for (const directory of pending.directories) fs.mkdirTree(`${PGDATA}/${directory}`, DIRECTORY_MODE)
      for (const { data, path } of pending.files) fs.writeFile(`${PGDATA}/${path}`, data, { canOwn: true })
      // The file system owns the arrays now; the tree is not written twice.
      pending = undefined
    }
  })()
}
