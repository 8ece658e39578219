import { assert, describe, it } from "@effect/vitest"
import * as NodeCrypto from "node:crypto"
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as Tar from "../src/internal/tar.js"

const tempDir = () => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "stalkeer-tar-test-"))

const collect = async (source: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const parts: Array<Uint8Array> = []
  for await (const part of source) parts.push(part)
  return Buffer.concat(parts)
}

/** Feeds `bytes` in chunks of the given sizes, in turn: headers and contents straddle chunk boundaries. */
async function* chunked(bytes: Buffer, sizes: ReadonlyArray<number>): AsyncGenerator<Uint8Array> {
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    yield bytes.subarray(offset, offset + size)
    offset += size
  }
}

/** Every file and directory under `root`, with the content of files. */
const snapshot = async (root: string): Promise<Record<string, string>> => {
  const out: Record<string, string> = {}
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await NodeFs.readdir(NodePath.join(root, relative), { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`
      if (entry.isDirectory()) {
        out[`${path}/`] = ""
        await walk(path)
      } else {
        out[path] = (await NodeFs.readFile(NodePath.join(root, path))).toString("base64")
      }
    }
  }
  await walk("")
  return out
}

const longDir = `${"d".repeat(90)}/${"e".repeat(60)}`
const longName = `${"f".repeat(99)}`

describe("tar", () => {
  it("round-trips nested directories, long names, empty files and block-sized contents", async () => {
    const source = await tempDir()
    const target = await tempDir()
    try {
      await NodeFs.mkdir(NodePath.join(source, "a", "b", "empty-dir"), { recursive: true })
      await NodeFs.mkdir(NodePath.join(source, ...longDir.split("/")), { recursive: true })
      await NodeFs.writeFile(NodePath.join(source, "a", "b", "empty"), "")
      await NodeFs.writeFile(NodePath.join(source, "a", "block"), Buffer.alloc(512, 7))
      await NodeFs.writeFile(NodePath.join(source, "a", "random"), NodeCrypto.randomBytes(70_001))
      await NodeFs.writeFile(NodePath.join(source, ...longDir.split("/"), longName), "deep")
      await NodeFs.writeFile(NodePath.join(source, "PG_VERSION"), "18\n")

      const extra = [{ path: "meta.json", content: Buffer.from("{}") }]
      const archive = await collect(Tar.packDirectory(source, { extra }))
      assert.strictEqual(archive.length % 512, 0)
      // A 250-byte path needs ustar's prefix field.
      assert.isAbove(`${longDir}/${longName}`.length, 100)

      const events: Array<string> = []
      async function* spy(inner: AsyncIterable<Tar.TarEvent>): AsyncGenerator<Tar.TarEvent> {
        for await (const event of inner) {
          if (event._tag === "Entry") events.push(`${event.entry.type}:${event.entry.path}:${event.entry.size}`)
          yield event
        }
      }
      await Tar.extract(spy(Tar.read(chunked(archive, [7, 1000, 511, 4096]))), target)

      assert.strictEqual(events[0], "file:meta.json:2")
      assert.include(events, `file:${longDir}/${longName}:4`)
      assert.include(events, "file:a/b/empty:0")
      assert.include(events, "directory:a/b/empty-dir:0")
      const expected = await snapshot(source)
      expected["meta.json"] = Buffer.from("{}").toString("base64")
      assert.deepStrictEqual(await snapshot(target), expected)
    } finally {
      await NodeFs.rm(source, { recursive: true, force: true })
      await NodeFs.rm(target, { recursive: true, force: true })
    }
  })

  it("writes headers that ustar readers agree on", () => {
    const block = Tar.header({ path: `${longDir}/${longName}`, type: "file", mode: 0o600, size: 4 })
    assert.strictEqual(block.length, 512)
    assert.strictEqual(block.subarray(0, 100).toString("utf8").replace(/\0+$/, ""), longName)
    assert.strictEqual(block.subarray(345, 500).toString("utf8").replace(/\0+$/, ""), longDir)
    assert.strictEqual(block.subarray(257, 263).toString("latin1"), "ustar\0")
    assert.strictEqual(block.subarray(124, 136).toString("latin1"), "00000000004\0")
    assert.throws(() => Tar.header({ path: "x".repeat(101), type: "file", mode: 0o600, size: 0 }), /too long/)
  })

  it("refuses truncated archives, bad checksums and unsafe paths", async () => {
    const read = (bytes: Uint8Array) => collect((async function*() {
      for await (const event of Tar.read(chunked(Buffer.from(bytes), [100]))) {
        if (event._tag === "Data") yield event.chunk
      }
    })())
    const archive = Buffer.concat([
      ...Tar.entryBytes({ path: "f", type: "file", mode: 0o600, size: 3 }, Buffer.from("abc")),
      Tar.trailer()
    ])
    assert.strictEqual((await read(archive)).toString(), "abc")

    const rejects = async (bytes: Uint8Array, pattern: RegExp) => {
      const error = await read(bytes).then(() => undefined, (e: unknown) => e)
      assert.instanceOf(error, Error)
      assert.match((error as Error).message, pattern)
    }
    await rejects(archive.subarray(0, 1024), /truncated/)
    const corrupt = Buffer.from(archive)
    corrupt[0] = "g".charCodeAt(0)
    await rejects(corrupt, /checksum/)
    const evil = Tar.header({ path: "../evil", type: "file", mode: 0o600, size: 0 })
    await rejects(Buffer.concat([evil, Tar.trailer()]), /unsafe/)
  })
})
