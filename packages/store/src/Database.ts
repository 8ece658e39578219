/**
 * Where the catalogue lives. Every layer here provides the same `@effect/sql-pg` client, so there is one SQL
 * dialect whatever the backend:
 *
 * - `layerPostgres`: a real PostgreSQL 12+ server (`DATABASE_URL` or the config's `database.url`).
 * - `layerEmbedded`: PGlite (PostgreSQL in WebAssembly) in-process, reached through a private Unix socket in a
 *   fresh 0700 temporary directory. Nothing to install; data in `dataDir`, or in memory when omitted.
 * - `layerScratch`: a throwaway database created on a real server and dropped afterwards (tests, benchmarks).
 *
 * `layer` picks one of the first two from a configuration. None of them runs migrations: put `Migrations.layer` on
 * top. The library reads no environment variables and knows no default paths (`@stalkeer/config` does).
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as NodeChildProcess from "node:child_process"
import * as NodeFs from "node:fs/promises"
import * as NodeModule from "node:module"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as NodeUrl from "node:url"
import * as BulkCopy from "./BulkCopy.js"
import * as Errors from "./internal/errors.js"
import * as Template from "./internal/template.js"
import { StoreError } from "./StoreError.js"

export type Client = PgClient.PgClient | SqlClient.SqlClient

export interface PostgresOptions {
  readonly url: Redacted.Redacted<string>
  /** Pool size (default 4). */
  readonly maxConnections?: number | undefined
}

const connectionError = (operation: string) => (cause: unknown) =>
  new StoreError({ reason: "Connection", operation, detail: Errors.describe(cause), cause })

/** A real PostgreSQL server. */
export const layerPostgres = (options: PostgresOptions): Layer.Layer<Client, StoreError> =>
  PgClient.layer({
    url: options.url,
    maxConnections: options.maxConnections ?? 4,
    applicationName: "stalkeer"
  }).pipe(Layer.mapError(connectionError("Database.layerPostgres")))

export interface EmbeddedOptions {
  /** Directory of the database files (created if missing); omit for a throwaway in-memory database. */
  readonly dataDir?: string | undefined
  /**
   * Connections of the socket server and of the pool (they must match: the server refuses extra ones). PGlite
   * executes one statement at a time whatever this is; default 1.
   */
  readonly maxConnections?: number | undefined
  /**
   * How a new data directory, or the in-memory database, is created: from this cluster template file (made by the
   * store's build), or with PGlite's initdb when `false` (in a child process for a data directory, in this process
   * for the in-memory database). Default: the template shipped in the package's `dist`, and initdb when there is
   * none or it does not fit this PGlite version.
   */
  readonly template?: string | false | undefined
  /**
   * What this process is, in a few words (e.g. `stalkeer process`), recorded in the data directory's lock so that
   * another process refused access can say who holds it. No secrets: other local users may read it.
   */
  readonly owner?: string | undefined
}

interface LockOwner {
  readonly pid: number
  readonly command: string | undefined
  readonly since: Date | undefined
}

/** The lock's content: JSON, or a bare pid (written by earlier versions). */
const parseLock = (text: string): LockOwner | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === "number") return { pid: value, command: undefined, since: undefined }
    if (typeof value === "object" && value !== null && "pid" in value && typeof value.pid === "number") {
      const command = "command" in value && typeof value.command === "string" ? value.command : undefined
      const since = "since" in value && typeof value.since === "string" ? new Date(value.since) : undefined
      return { pid: value.pid, command, since: since !== undefined && Number.isNaN(since.getTime()) ? undefined : since }
    }
  } catch {
    // Damaged: treated as no owner.
  }
  return undefined
}

const ago = (ms: number): string => {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`
}

/** `process 4242 (stalkeer process) since 2026-01-02 08:21:05, 3 min ago`: who holds the lock, in one line. */
const describeOwner = (owner: LockOwner, now: Date = new Date()): string => {
  const since = owner.since === undefined
    ? ""
    : ` since ${localTime(owner.since)}, ${ago(now.getTime() - owner.since.getTime())} ago`
  return `process ${owner.pid}${owner.command === undefined ? "" : ` (${owner.command})`}${since}`
}

const localTime = (date: Date): string => {
  const pad = (n: number) => String(n).padStart(2, "0")
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${
    pad(date.getMinutes())
  }:${pad(date.getSeconds())}`
}

/** Refuse a second process on the same data directory: two PGlite instances on one directory corrupt it. */
const lockDataDir = (dataDir: string, command: string | undefined) => {
  const lockFile = NodePath.join(dataDir, "stalkeer.lock")
  const content = () => JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() })
  const take = async (): Promise<void> => {
    await NodeFs.mkdir(dataDir, { recursive: true })
    try {
      await NodeFs.writeFile(lockFile, content(), { flag: "wx" })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
      const owner = parseLock((await NodeFs.readFile(lockFile, "utf8")).trim())
      if (owner !== undefined && owner.pid !== process.pid && isAlive(owner.pid)) {
        throw new Error(
          `the embedded database in ${dataDir} is in use by ${describeOwner(owner)}; try again when it has finished`
        )
      }
      // A stale lock from a process that died: take it over.
      await NodeFs.writeFile(lockFile, content())
    }
  }
  return Effect.acquireRelease(
    Effect.tryPromise({ try: take, catch: connectionError("Database.layerEmbedded") }),
    () => Effect.promise(() => NodeFs.rm(lockFile, { force: true }))
  )
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Creates a new cluster (initdb) in a short-lived child process. PGlite's initdb runs a second PostgreSQL instance
 * plus initdb's own WebAssembly module and snapshots the helper's whole heap: ~750-850 MB of RSS that the WebAssembly
 * memories would keep for the life of the process. In a child that exits, the server process only pays for opening an
 * existing directory (~250 MB). Liftoff-only compilation makes the one-shot child faster and ~110 MB smaller.
 */
const initdbScript = `
const { PGlite } = require(process.argv[1])
PGlite.create({ dataDir: process.argv[2], initDbStartParams: process.argv.slice(3) })
  .then((db) => db.close())
  .then(() => process.exit(0), (error) => { console.error(String(error && error.stack || error)); process.exit(1) })
`

const initdb = (pglite: string, staging: string, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    NodeChildProcess.execFile(
      process.execPath,
      ["--liftoff-only", "-e", initdbScript, pglite, staging, ...Template.initdbParams],
      { signal, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) =>
        error === null ? resolve() : reject(new Error(`initdb failed: ${stderr.trim() || error.message}`))
    )
  })

/**
 * The template shipped by the build (`dist/pglite-template.tar.gz`): next to the built module, in `../dist` when
 * this module runs from `src` (tests), else in the installed package's `dist` (this code bundled into an app, as the
 * CLI is). Absent when nothing was built.
 */
const shippedTemplate = async (): Promise<string | undefined> => {
  const candidates = [`./${Template.TEMPLATE_FILE}`, `../dist/${Template.TEMPLATE_FILE}`].map((relative) =>
    NodeUrl.fileURLToPath(new URL(relative, import.meta.url))
  )
  try {
    const manifest = NodeModule.createRequire(import.meta.url).resolve("@stalkeer/store/package.json")
    candidates.push(NodePath.join(NodePath.dirname(manifest), "dist", Template.TEMPLATE_FILE))
  } catch {
    // Not resolvable by name from here: only the paths above.
  }
  for (const file of candidates) {
    if (await exists(file)) return file
  }
  return undefined
}

/**
 * Fills `staging` with a new cluster: from the template when there is a usable one (streamed, and checked whole
 * before anything is written: ~1–1.5 s), else with initdb in a child process. A template for another PGlite
 * version or other settings, or a damaged one, is not used; damage is also logged, since it means a broken
 * installation.
 */
const populate = (staging: string, template: string | false | undefined) =>
  Effect.gen(function*() {
    const fail = connectionError("Database.layerEmbedded")
    const pglite = NodeModule.createRequire(import.meta.url).resolve("@electric-sql/pglite")
    const file = template === false
      ? undefined
      : template ?? (yield* Effect.promise(shippedTemplate))
    if (file !== undefined) {
      const unpacked = yield* Effect.tryPromise({
        try: async () => Template.unpack(file, staging, Template.expectedMeta(Template.pgliteVersion(pglite))),
        catch: (cause) => cause
      }).pipe(
        Effect.as(true),
        Effect.catchAll((cause) =>
          Effect.zipRight(
            cause instanceof Template.TemplateMismatch
              ? Effect.logDebug(`Not using the cluster template: ${cause.message}`)
              : Effect.logWarning(`The cluster template ${file} is damaged, running initdb: ${Errors.describe(cause)}`),
            Effect.tryPromise({ try: () => emptyDir(staging), catch: fail }).pipe(Effect.as(false))
          )
        )
      )
      if (unpacked) return yield* Effect.logDebug(`Created the database cluster from the template ${file}`)
    }
    yield* Effect.logDebug("Creating the database cluster with initdb (no usable template)")
    yield* Effect.tryPromise({ try: (signal) => initdb(pglite, staging, signal), catch: fail })
  })

const emptyDir = async (dir: string): Promise<void> => {
  for (const name of await NodeFs.readdir(dir)) {
    await NodeFs.rm(NodePath.join(dir, name), { recursive: true, force: true })
  }
}

const createCluster = (dataDir: string, template: string | false | undefined) =>
  Effect.gen(function*() {
    const fail = connectionError("Database.layerEmbedded")
    if (yield* Effect.promise(() => exists(NodePath.join(dataDir, "PG_VERSION")))) return
    // Built next to the data directory (same file system, so the moves below are renames) and moved in with
    // PG_VERSION last: a crash part-way never leaves a directory that looks like a complete cluster.
    const staging = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => NodeFs.mkdtemp(NodePath.join(NodePath.dirname(dataDir), `.${NodePath.basename(dataDir)}-initdb-`)),
        catch: fail
      }),
      (staging) => Effect.promise(() => NodeFs.rm(staging, { recursive: true, force: true }))
    )
    yield* populate(staging, template)
    yield* Effect.tryPromise({
      try: async () => {
        const entries = (await NodeFs.readdir(staging)).filter((name) => name !== "PG_VERSION")
        for (const name of [...entries, "PG_VERSION"]) {
          const target = NodePath.join(dataDir, name)
          // No PG_VERSION means no usable cluster: leftovers of an interrupted initdb are replaced.
          await NodeFs.rm(target, { recursive: true, force: true })
          await NodeFs.rename(NodePath.join(staging, name), target)
        }
      },
      catch: fail
    })
  }).pipe(Effect.scoped)

/**
 * The cluster of a new in-memory database, read from the template (`template` as in `EmbeddedOptions`); `undefined`
 * when there is no usable one, and PGlite's initdb makes it. Damage is logged, as for a data directory.
 */
const memoryCluster = (template: string | false | undefined): Effect.Effect<Template.Tree | undefined> =>
  Effect.gen(function*() {
    const file = template === false ? undefined : template ?? (yield* Effect.promise(shippedTemplate))
    if (file === undefined) {
      return yield* Effect.as(Effect.logDebug("Creating the in-memory database with initdb (no template)"), undefined)
    }
    const pglite = NodeModule.createRequire(import.meta.url).resolve("@electric-sql/pglite")
    return yield* Effect.tryPromise({
      try: () => Template.read(file, Template.expectedMeta(Template.pgliteVersion(pglite))),
      catch: (cause) => cause
    }).pipe(
      Effect.tap(() => Effect.logDebug(`Creating the in-memory database from the template ${file}`)),
      Effect.catchAll((cause) =>
        Effect.as(
          cause instanceof Template.TemplateMismatch
            ? Effect.logDebug(`Not using the cluster template: ${cause.message}`)
            : Effect.logWarning(`The cluster template ${file} is damaged, running initdb: ${Errors.describe(cause)}`),
          undefined
        )
      )
    )
  })

/**
 * A process killed while PGlite was starting can leave `postmaster.pid` created but empty, and PostgreSQL refuses
 * to start on an empty lock file ("either another server is starting, or the lock file is the remnant of a previous
 * server startup crash"): every later open would fail. Stalkeer's own lock (`stalkeer.lock`, taken just before) says
 * no live process uses this directory, so an empty one is that remnant and is removed.
 */
const clearEmptyPidFile = (dataDir: string) =>
  Effect.promise(async () => {
    const file = NodePath.join(dataDir, "postmaster.pid")
    const size = await NodeFs.stat(file).then((s) => s.size, () => undefined)
    if (size === 0) await NodeFs.rm(file, { force: true })
    return size === 0
  }).pipe(
    Effect.tap((removed) => removed ? Effect.logWarning(`Removed an empty postmaster.pid left in ${dataDir} by a process killed while it started`) : Effect.void)
  )

const exists = (path: string): Promise<boolean> =>
  NodeFs.access(path).then(() => true, () => false)

/** The embedded PGlite database behind a private Unix socket, served in-process. */
export const layerEmbedded = (options: EmbeddedOptions = {}): Layer.Layer<Client, StoreError> =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const fail = connectionError("Database.layerEmbedded")
    const connections = options.maxConnections ?? 1
    if (options.dataDir !== undefined) {
      yield* lockDataDir(options.dataDir, options.owner)
      yield* createCluster(options.dataDir, options.template)
      yield* clearEmptyPidFile(options.dataDir)
    }
    // Loaded lazily: users of a real server never pay for the WebAssembly module.
    const { MemoryFS, PGlite } = yield* Effect.tryPromise({ try: () => import("@electric-sql/pglite"), catch: fail })
    const { PGLiteSocketServer } = yield* Effect.tryPromise({
      try: () => import("@electric-sql/pglite-socket"),
      catch: fail
    })
    const socketDir = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "stalkeer-pg-")), catch: fail }),
      (dir) => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))
    )
    // In memory: the cluster read from the template into PGlite's in-memory file system (a migrated database in
    // 0.6-0.8 s, ~200 MB of RSS), else PGlite's initdb in this process (~2 s or more, ~550 MB that stays). On disk,
    // `createCluster` has made it.
    const fs = options.dataDir === undefined ? yield* memoryCluster(options.template) : undefined
    const db = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () =>
          fs === undefined
            ? PGlite.create({ dataDir: options.dataDir ?? "memory://", postgresqlconf: [...Template.postgresqlConf] })
            : PGlite.create({ fs: Template.memoryFs(MemoryFS, fs), postgresqlconf: [...Template.postgresqlConf] }),
        catch: fail
      }),
      (db) => Effect.promise(() => db.close())
    )
    const port = 5432
    const server = new PGLiteSocketServer({
      db,
      path: NodePath.join(socketDir, `.s.PGSQL.${port}`),
      maxConnections: connections
    })
    yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => server.start(), catch: fail }),
      () => Effect.promise(() => server.stop())
    )
    // COPY cannot go through the socket server: bulk rows go to PGlite in-process (see `BulkCopy`).
    return Layer.merge(
      PgClient.layer({
        host: socketDir,
        port,
        username: "postgres",
        database: "postgres",
        maxConnections: connections,
        applicationName: "stalkeer"
      }).pipe(Layer.mapError(fail)),
      BulkCopy.layerPglite(db)
    )
  }))

export interface ScratchOptions {
  /** A server and a role allowed to `CREATE DATABASE`; the database in the URL is only used to connect. */
  readonly url: Redacted.Redacted<string>
  readonly maxConnections?: number | undefined
  /** Prefix of the generated database name (default `stalkeer_scratch`). */
  readonly prefix?: string | undefined
}

/**
 * A fresh, uniquely named database on a real server, dropped when the scope closes; returns its URL.
 * For tests and benchmarks that must not touch the server's own databases.
 */
export const scratchUrl = (options: ScratchOptions): Effect.Effect<Redacted.Redacted<string>, StoreError, Scope.Scope> =>
  Effect.gen(function*() {
    const fail = connectionError("Database.scratchUrl")
    const name = `${options.prefix ?? "stalkeer_scratch"}_${Date.now().toString(36)}_${
      Math.random().toString(36).slice(2, 8)
    }`
    const admin = (statement: string) =>
      Effect.scoped(
        Effect.flatMap(PgClient.make({ url: options.url, maxConnections: 1 }), (sql) => sql.unsafe(statement))
      ).pipe(Effect.provide(Reactivity.layer), Effect.mapError(fail))
    yield* Effect.acquireRelease(
      admin(`CREATE DATABASE ${name}`),
      () => Effect.ignore(admin(`DROP DATABASE IF EXISTS ${name}`))
    )
    const url = new URL(Redacted.value(options.url))
    url.pathname = `/${name}`
    return Redacted.make(url.toString())
  })

/** A fresh, uniquely named database on a real server, dropped when the layer is released. */
export const layerScratch = (options: ScratchOptions): Layer.Layer<Client, StoreError> =>
  Layer.unwrapScoped(
    Effect.map(scratchUrl(options), (url) => layerPostgres({ url, maxConnections: options.maxConnections }))
  )

export interface Options {
  /** A real server (`database.url`); when absent, the embedded database. */
  readonly url?: Redacted.Redacted<string> | undefined
  /** The embedded database's directory (ignored with `url`); omit for an in-memory one. */
  readonly dataDir?: string | undefined
  /** What this process is, for the embedded database's lock (see `EmbeddedOptions.owner`). */
  readonly owner?: string | undefined
}

/** The database a configuration names: the real server when it has a URL, else the embedded one. */
export const layer = (options: Options): Layer.Layer<Client, StoreError> =>
  options.url !== undefined
    ? layerPostgres({ url: options.url })
    : layerEmbedded({ dataDir: options.dataDir, owner: options.owner })
