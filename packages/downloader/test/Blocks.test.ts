import { assert, describe, it } from "@effect/vitest"
import { Blocks } from "../src/internal/blocks.js"

const bytes = (from: number, length: number) => Uint8Array.from({ length }, (_, i) => (from + i) % 251)
const joined = (parts: ReadonlyArray<Uint8Array>) => Buffer.concat(parts.map((p) => Buffer.from(p)))

describe("Blocks", () => {
  it("gathers chunks into whole blocks, split across block ends, and hands the rest over only when asked", () => {
    const blocks = new Blocks(10)
    blocks.push(bytes(0, 7))
    blocks.push(bytes(7, 7))
    assert.strictEqual(blocks.pending, 14)
    const full = blocks.take(false)
    assert.deepStrictEqual(full.map((b) => b.length), [10])
    assert.strictEqual(blocks.pending, 4)
    blocks.push(bytes(14, 25))
    const rest = blocks.take(true)
    assert.deepStrictEqual(rest.map((b) => b.length), [10, 10, 9])
    assert.deepStrictEqual(joined([...full, ...rest]), Buffer.from(bytes(0, 39)))
    assert.strictEqual(blocks.pending, 0)
    assert.deepStrictEqual(blocks.take(true), [])
  })

  it("reuses a released block's memory, never one still taken", () => {
    const blocks = new Blocks(4)
    blocks.push(bytes(0, 4))
    const [first] = blocks.take(false)
    blocks.push(bytes(4, 4))
    const [second] = blocks.take(false)
    assert.notStrictEqual(second!.buffer, first!.buffer)
    assert.deepStrictEqual(Array.from(first!), Array.from(bytes(0, 4)))
    blocks.release(first!)
    blocks.push(bytes(8, 2))
    const [partial] = blocks.take(true)
    assert.strictEqual(partial!.buffer, first!.buffer)
    assert.deepStrictEqual(Array.from(partial!), Array.from(bytes(8, 2)))
    // A view of foreign memory is not adopted.
    blocks.release(new Uint8Array(16).subarray(0, 4))
    blocks.push(bytes(0, 4))
    assert.strictEqual(blocks.take(false)[0]!.buffer.byteLength, 4)
  })
})
