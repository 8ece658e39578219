/**
 * The embedded cluster template: a data directory initialised once at build time (`scripts/build-template.mjs`),
 * shipped as `dist/pglite-template.tar.gz` and unpacked into every new data directory. This spares each new
 * directory PGlite's initdb, which costs ~630 MB of RSS for seconds even in a child process.
 *
 * The archive's first entry is `TEMPLATE_META`, a JSON description checked before anything else is written: a
 * template from another PGlite version or other initdb settings is refused.
 */
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as NodeStream from "node:stream/promises"
import * as NodeZlib from "node:zlib"
import * as Tar from "./tar.js"

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

/** Packs the initialised data directory `dataDir` into the gzipped template `out` (build time). */
export const pack = (dataDir: string, out: string, meta: TemplateMeta): Promise<void> =>
  NodeStream.pipeline(
    // PostgreSQL's own modes for a data directory: private to its owner.
    Tar.packDirectory(dataDir, {
      extra: [{ path: TEMPLATE_META, content: Buffer.from(JSON.stringify(meta)) }],
      fileMode: 0o600,
      directoryMode: 0o700
    }),
    NodeZlib.createGzip({ level: 9 }),
    NodeFs.createWriteStream(out)
  )

/** The template does not describe this build (another PGlite version or other settings): use initdb instead. */
export class TemplateMismatch extends Error {}

/**
 * Unpacks the template `file` into the existing, empty directory `dest`, streaming (gunzip → tar → files) so that
 * memory stays flat. Fails with `TemplateMismatch` before writing anything when the template is not for `expected`,
 * and with an ordinary error when the archive is damaged (then `dest` holds a partial tree).
 */
export const unpack = (file: string, dest: string, expected: TemplateMeta): Promise<void> => {
  async function* checked(events: AsyncIterable<Tar.TarEvent>): AsyncGenerator<Tar.TarEvent> {
    const iterator = events[Symbol.asyncIterator]()
    const first = await iterator.next()
    if (first.done === true || first.value._tag !== "Entry" || first.value.entry.path !== TEMPLATE_META) {
      throw new TemplateMismatch(`${file} does not start with ${TEMPLATE_META}`)
    }
    const parts: Array<Buffer> = []
    let next = await iterator.next()
    while (next.done !== true && next.value._tag === "Data") {
      parts.push(Buffer.from(next.value.chunk))
      next = await iterator.next()
    }
    const found = Buffer.concat(parts).toString("utf8")
    if (found !== JSON.stringify(expected)) {
      throw new TemplateMismatch(`${file} is for ${found}, this build needs ${JSON.stringify(expected)}`)
    }
    while (next.done !== true) {
      yield next.value
      next = await iterator.next()
    }
  }
  // `pipeline` destroys every stream when any step fails; a damaged gzip (bad CRC, truncation) fails `read`.
  return NodeStream.pipeline(
    NodeFs.createReadStream(file),
    NodeZlib.createGunzip(),
    (source: AsyncIterable<Uint8Array>) => Tar.extract(checked(Tar.read(source)), dest)
  )
}
