/**
 * Gathers network chunks (64 KiB each) into fixed-size blocks for the file, reusing blocks the writer has released:
 * one copy per byte, and no fresh memory per block (fresh memory costs a page fault every 4 KiB, and garbage).
 *
 * @internal
 */
export class Blocks {
  private readonly free: Array<Uint8Array> = []
  private readonly full: Array<Uint8Array> = []
  private current: Uint8Array | null = null
  private filled = 0

  constructor(readonly size: number) {}

  /** Bytes gathered and not yet taken. */
  get pending(): number {
    return this.full.length * this.size + this.filled
  }

  push(bytes: Uint8Array): void {
    let from = 0
    while (from < bytes.length) {
      if (this.current === null) {
        this.current = this.free.pop() ?? new Uint8Array(this.size)
        this.filled = 0
      }
      const n = Math.min(bytes.length - from, this.size - this.filled)
      this.current.set(n === bytes.length ? bytes : bytes.subarray(from, from + n), this.filled)
      this.filled += n
      from += n
      if (this.filled === this.size) {
        this.full.push(this.current)
        this.current = null
        this.filled = 0
      }
    }
  }

  /** The full blocks, and with `all` the partly filled one too (as a view of its bytes). */
  take(all: boolean): Array<Uint8Array> {
    const out = this.full.splice(0)
    if (all && this.current !== null && this.filled > 0) {
      out.push(this.current.subarray(0, this.filled))
      this.current = null
      this.filled = 0
    }
    return out
  }

  /** A taken block, once written: its memory gathers again. */
  release(block: Uint8Array): void {
    if (block.buffer.byteLength === this.size && this.free.length < 64) {
      this.free.push(new Uint8Array(block.buffer, 0, this.size))
    }
  }
}
