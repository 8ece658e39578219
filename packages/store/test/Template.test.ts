import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as Tar from "tar"
import * as Template from "../src/internal/template.js"

const tempDir = Effect.acquireRelease(
  Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "stalkeer-template-test-"))),
  (dir) => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))
)

const meta = Template.expectedMeta("0.0.0-test")

const exists = (path: string) => Effect.promise(() => NodeFs.access(path).then(() => true, () => false))
const list = (dir: string) => Effect.promise(() => NodeFs.readdir(dir, { recursive: true }).then((names) => names.sort()))
const mode = (path: string) => Effect.promise(() => NodeFs.stat(path).then((stat) => stat.mode & 0o777))

/** A small tree shaped like a data directory, with the loose modes a umask of 022 gives. */
const makeTree = (root: string) =>
  Effect.promise(async () => {
    const tree = NodePath.join(root, "tree")
    await NodeFs.mkdir(NodePath.join(tree, "base", "1"), { recursive: true, mode: 0o755 })
    await NodeFs.writeFile(NodePath.join(tree, "PG_VERSION"), "17\n", { mode: 0o644 })
    await NodeFs.writeFile(NodePath.join(tree, "base", "1", "1259"), Buffer.alloc(100_000, 7), { mode: 0o644 })
    await NodeFs.writeFile(NodePath.join(tree, "postgresql.conf"), "", { mode: 0o644 })
    return tree
  })

/** Unpacks `archive` into a new empty directory; `error` is why it failed, if it did. */
const unpackInto = (root: string, archive: string) =>
  Effect.gen(function*() {
    const dest = NodePath.join(root, "dest")
    yield* Effect.promise(() => NodeFs.mkdir(dest))
    const error = yield* Effect.promise(() =>
      Template.unpack(archive, dest, meta).then(() => undefined, (error: unknown) => error)
    )
    return { dest, error }
  })

describe("the cluster template", () => {
  it.scoped("unpacks what it packed, with PostgreSQL's modes and without the description", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const tree = yield* makeTree(root)
      const archive = NodePath.join(root, "template.tar.gz")
      yield* Effect.promise(() => Template.pack(tree, archive, meta))
      const { dest, error } = yield* unpackInto(root, archive)
      assert.isUndefined(error)
      assert.deepStrictEqual(yield* list(dest), yield* list(tree))
      const content = yield* Effect.promise(() => NodeFs.readFile(NodePath.join(dest, "base", "1", "1259")))
      assert.isTrue(content.equals(Buffer.alloc(100_000, 7)))
      for (const dir of ["base", "base/1"]) assert.strictEqual(yield* mode(NodePath.join(dest, dir)), 0o700, dir)
      for (const file of ["PG_VERSION", "base/1/1259"]) assert.strictEqual(yield* mode(NodePath.join(dest, file)), 0o600)

      // The description comes first; equal trees give equal archives.
      const entries: Array<string> = []
      yield* Effect.promise(() => Tar.list({ file: archive, onReadEntry: (entry) => entries.push(entry.path) }))
      assert.deepStrictEqual(entries, [Template.TEMPLATE_META, "PG_VERSION", "base/", "base/1/", "base/1/1259",
        "postgresql.conf"])
      const again = NodePath.join(root, "again.tar.gz")
      yield* Effect.promise(() => Template.pack(tree, again, meta))
      const [a, b] = yield* Effect.promise(() => Promise.all([NodeFs.readFile(archive), NodeFs.readFile(again)]))
      assert.isTrue(a.equals(b))
    }))

  it.scoped("refuses a template for another build, or without a description, before writing anything", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const tree = yield* makeTree(root)
      const other = NodePath.join(root, "other.tar.gz")
      yield* Effect.promise(() => Template.pack(tree, other, { ...meta, pglite: "0.0.1" }))
      const bare = NodePath.join(root, "bare.tar.gz")
      yield* Effect.promise(() => Tar.create({ file: bare, gzip: true, cwd: tree }, ["PG_VERSION", "base"]))
      for (const archive of [other, bare]) {
        const { dest, error } = yield* unpackInto(root, archive)
        assert.instanceOf(error, Template.TemplateMismatch, archive)
        assert.deepStrictEqual(yield* list(dest), [], archive)
        yield* Effect.promise(() => NodeFs.rm(dest, { recursive: true }))
      }
    }))

  it.scoped("refuses a damaged template before writing anything", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const tree = yield* makeTree(root)
      const archive = NodePath.join(root, "template.tar.gz")
      yield* Effect.promise(() => Template.pack(tree, archive, meta))
      const good = yield* Effect.promise(() => NodeFs.readFile(archive))
      const flipped = Buffer.from(good)
      flipped[Math.floor(good.length / 2)]! ^= 0xff
      for (const damaged of [good.subarray(0, good.length - 10), flipped]) {
        yield* Effect.promise(() => NodeFs.writeFile(archive, damaged))
        const { dest, error } = yield* unpackInto(root, archive)
        assert.instanceOf(error, Error)
        assert.notInstanceOf(error, Template.TemplateMismatch)
        assert.deepStrictEqual(yield* list(dest), [])
        yield* Effect.promise(() => NodeFs.rm(dest, { recursive: true }))
      }
    }))

  it.scoped("never writes outside the destination: `..` and absolute entries fail the unpacking", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const tree = yield* makeTree(root)
      yield* Effect.promise(() => NodeFs.writeFile(NodePath.join(tree, Template.TEMPLATE_META), JSON.stringify(meta)))
      const escape = NodePath.join(root, "escape")
      const absolute = NodePath.join(root, "absolute")
      yield* Effect.promise(() => Promise.all([NodeFs.writeFile(escape, "x"), NodeFs.writeFile(absolute, "y")]))
      const archive = NodePath.join(root, "evil.tar.gz")
      // preservePaths writes the paths as given: `../escape` and `/tmp/…/absolute`.
      yield* Effect.promise(() =>
        Tar.create({ file: archive, gzip: true, cwd: tree, preservePaths: true }, [
          Template.TEMPLATE_META,
          "PG_VERSION",
          "../escape",
          absolute
        ])
      )
      const entries: Array<string> = []
      yield* Effect.promise(() => Tar.list({ file: archive, onReadEntry: (entry) => entries.push(entry.path) }))
      assert.deepStrictEqual(entries, [Template.TEMPLATE_META, "PG_VERSION", "../escape", absolute])
      yield* Effect.promise(() => Promise.all([NodeFs.rm(escape), NodeFs.rm(absolute)]))

      const { error } = yield* unpackInto(root, archive)
      assert.instanceOf(error, Error)
      assert.notInstanceOf(error, Template.TemplateMismatch)
      assert.match((error as Error).message, /unsafe or unsupported entries/)
      assert.isFalse(yield* exists(escape), "nothing written at ../escape")
      assert.isFalse(yield* exists(absolute), "nothing written at the absolute path")
      assert.deepStrictEqual(
        (yield* Effect.promise(() => NodeFs.readdir(root))).sort(),
        ["dest", "evil.tar.gz", "tree"]
      )
    }))

  it.scoped("refuses anything but files and directories", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const tree = yield* makeTree(root)
      yield* Effect.promise(() => NodeFs.writeFile(NodePath.join(tree, Template.TEMPLATE_META), JSON.stringify(meta)))
      // A link to outside: extracted, it would let a later entry write through it.
      yield* Effect.promise(() => NodeFs.symlink(root, NodePath.join(tree, "pg_wal")))
      const archive = NodePath.join(root, "link.tar.gz")
      yield* Effect.promise(() =>
        Tar.create({ file: archive, gzip: true, cwd: tree }, [Template.TEMPLATE_META, "PG_VERSION", "pg_wal"])
      )
      const { dest, error } = yield* unpackInto(root, archive)
      assert.match(String(error), /pg_wal: refused SymbolicLink/)
      assert.deepStrictEqual(yield* list(dest), ["PG_VERSION"])
      assert.strictEqual(yield* mode(NodePath.join(dest, "PG_VERSION")), 0o600, "PostgreSQL's mode, not the archive's")

      // Nor does the build pack one.
      const packed = yield* Effect.flip(Effect.tryPromise(() => Template.pack(tree, NodePath.join(root, "t.tar.gz"), meta)))
      assert.match(String(packed.error), /pg_wal is neither a file nor a directory/)
    }))

  it.scoped("reads a template into memory: the same files and bytes, and refuses what unpacking refuses", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const tree = yield* makeTree(root)
      // Zeros then data (as a WAL segment holds): zero chunks are skipped, not lost.
      const sparse = Buffer.concat([Buffer.alloc(300_000), Buffer.alloc(5, 3), Buffer.alloc(70_000)])
      yield* Effect.promise(() => NodeFs.writeFile(NodePath.join(tree, "base", "1", "sparse"), sparse))
      const archive = NodePath.join(root, "template.tar.gz")
      yield* Effect.promise(() => Template.pack(tree, archive, meta))
      const read = yield* Effect.promise(() => Template.read(archive, meta))
      assert.deepStrictEqual(read.directories, ["base", "base/1"])
      assert.deepStrictEqual(read.files.map((file) => file.path), ["PG_VERSION", "base/1/1259", "base/1/sparse",
        "postgresql.conf"])
      for (const file of read.files) {
        const expected = yield* Effect.promise(() => NodeFs.readFile(NodePath.join(tree, file.path)))
        assert.isTrue(Buffer.from(file.data).equals(expected), file.path)
      }

      const refused = (file: string) =>
        Effect.promise(() => Template.read(file, meta).then(() => undefined, (error: unknown) => error))
      const other = NodePath.join(root, "other.tar.gz")
      yield* Effect.promise(() => Template.pack(tree, other, { ...meta, pglite: "0.0.1" }))
      assert.instanceOf(yield* refused(other), Template.TemplateMismatch)
      const good = yield* Effect.promise(() => NodeFs.readFile(archive))
      const damaged = NodePath.join(root, "damaged.tar.gz")
      yield* Effect.promise(() => NodeFs.writeFile(damaged, good.subarray(0, good.length - 10)))
      const damage = yield* refused(damaged)
      assert.instanceOf(damage, Error)
      assert.notInstanceOf(damage, Template.TemplateMismatch)

      yield* Effect.promise(() => NodeFs.writeFile(NodePath.join(tree, Template.TEMPLATE_META), JSON.stringify(meta)))
      yield* Effect.promise(() => NodeFs.writeFile(NodePath.join(root, "escape"), "x"))
      const evil = NodePath.join(root, "evil.tar.gz")
      yield* Effect.promise(() =>
        Tar.create({ file: evil, gzip: true, cwd: tree, preservePaths: true }, [
          Template.TEMPLATE_META,
          "PG_VERSION",
          "../escape"
        ])
      )
      assert.match(String(yield* refused(evil)), /\.\.\/escape: refused path/)
    }))
})
