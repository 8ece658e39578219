/**
 * A minimal ustar (POSIX.1-1988) writer and streaming reader: regular files and directories only, which is all a
 * PostgreSQL data directory holds. Used to ship the embedded cluster template without an npm dependency.
 */
import * as NodeFs from "node:fs/promises"
import * as NodePath from "node:path"

const BLOCK = 512

export interface TarEntry {
  /** Relative path with `/` separators, without a trailing slash. */
  readonly path: string
  readonly type: "file" | "directory"
  /** Permission bits. */
  readonly mode: number
  /** Bytes of content (0 for directories). */
  readonly size: number
}

export type TarEvent =
  | { readonly _tag: "Entry"; readonly entry: TarEntry }
  /** Content of the last `Entry`, in order; the buffer is only valid until the next event is requested. */
  | { readonly _tag: "Data"; readonly chunk: Uint8Array }

const writeString = (block: Buffer, offset: number, length: number, value: string): void => {
  const bytes = Buffer.from(value, "utf8")
  if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`)
  bytes.copy(block, offset)
}

const writeOctal = (block: Buffer, offset: number, length: number, value: number): void => {
  const digits = value.toString(8)
  // length - 1 digits and a NUL terminator.
  if (digits.length > length - 1) throw new Error(`tar: ${value} does not fit in a ${length}-byte field`)
  writeString(block, offset, length, digits.padStart(length - 1, "0"))
}

/** Splits a path into ustar's `prefix` (≤ 155 bytes) and `name` (≤ 100 bytes) at a `/`. */
const splitName = (name: string): [prefix: string, name: string] => {
  if (Buffer.byteLength(name) <= 100) return ["", name]
  for (let i = name.indexOf("/"); i !== -1; i = name.indexOf("/", i + 1)) {
    const prefix = name.slice(0, i)
    const rest = name.slice(i + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== "") return [prefix, rest]
  }
  throw new Error(`tar: path too long for ustar: ${name}`)
}

const checksum = (block: Buffer): number => {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!
  return sum
}

/** The 512-byte header of an entry. Owner, group and mtime are zero so that equal trees give equal archives. */
export const header = (entry: TarEntry): Buffer => {
  const block = Buffer.alloc(BLOCK)
  const [prefix, name] = splitName(entry.type === "directory" ? `${entry.path}/` : entry.path)
  writeString(block, 0, 100, name)
  writeOctal(block, 100, 8, entry.mode & 0o7777)
  writeOctal(block, 108, 8, 0)
  writeOctal(block, 116, 8, 0)
  writeOctal(block, 124, 12, entry.type === "file" ? entry.size : 0)
  writeOctal(block, 136, 12, 0)
  block[156] = entry.type === "file" ? 0x30 : 0x35
  writeString(block, 257, 6, "ustar")
  writeString(block, 263, 2, "00")
  writeString(block, 345, 155, prefix)
  writeString(block, 148, 8, `${checksum(block).toString(8).padStart(6, "0")}\0 `)
  return block
}

const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK

/** One entry as archive bytes: header, content, padding. */
export const entryBytes = (entry: TarEntry, content?: Uint8Array): Array<Uint8Array> => {
  if (entry.type === "directory") return [header(entry)]
  const data = content ?? new Uint8Array(0)
  if (data.byteLength !== entry.size) {
    throw new Error(`tar: ${entry.path}: size ${entry.size} but ${data.byteLength} bytes`)
  }
  const pad = padding(data.byteLength)
  return pad === 0 ? [header(entry), data] : [header(entry), data, new Uint8Array(pad)]
}

/** The end-of-archive marker: two zero blocks. */
export const trailer = (): Uint8Array => new Uint8Array(2 * BLOCK)

/**
 * Archives the contents of `root` (not `root` itself), in sorted order so that equal trees give equal archives.
 * Anything other than regular files and directories is refused. `extra` files come first. `fileMode`/`directoryMode`
 * replace the modes found on disk (which depend on the umask of whoever made the tree).
 */
export async function* packDirectory(root: string, options: {
  readonly extra?: ReadonlyArray<{ readonly path: string; readonly content: Uint8Array }> | undefined
  readonly fileMode?: number | undefined
  readonly directoryMode?: number | undefined
} = {}): AsyncGenerator<Uint8Array> {
  for (const { content, path } of options.extra ?? []) {
    yield* entryBytes({ path, type: "file", mode: options.fileMode ?? 0o644, size: content.byteLength }, content)
  }
  async function* walk(relative: string): AsyncGenerator<Uint8Array> {
    const names = (await NodeFs.readdir(NodePath.join(root, relative))).sort()
    for (const name of names) {
      const path = relative === "" ? name : `${relative}/${name}`
      const full = NodePath.join(root, path)
      const stat = await NodeFs.lstat(full)
      if (stat.isDirectory()) {
        yield* entryBytes({ path, type: "directory", mode: options.directoryMode ?? stat.mode, size: 0 })
        yield* walk(path)
      } else if (stat.isFile()) {
        const content = await NodeFs.readFile(full)
        yield* entryBytes(
          { path, type: "file", mode: options.fileMode ?? stat.mode, size: content.byteLength },
          content
        )
      } else {
        throw new Error(`tar: ${full} is neither a file nor a directory`)
      }
    }
  }
  yield* walk("")
  yield trailer()
}

const readString = (block: Buffer, offset: number, length: number): string => {
  const field = block.subarray(offset, offset + length)
  const end = field.indexOf(0)
  return field.subarray(0, end === -1 ? length : end).toString("utf8")
}

const readOctal = (block: Buffer, offset: number, length: number, what: string): number => {
  const text = readString(block, offset, length).trim()
  if (!/^[0-7]+$/.test(text)) throw new Error(`tar: invalid ${what} field "${text}"`)
  return parseInt(text, 8)
}

const parseHeader = (block: Buffer): TarEntry => {
  if (readString(block, 257, 6) !== "ustar") throw new Error("tar: not a ustar header")
  if (readOctal(block, 148, 8, "checksum") !== checksum(block)) throw new Error("tar: header checksum mismatch")
  const name = readString(block, 0, 100)
  const prefix = readString(block, 345, 155)
  const full = prefix === "" ? name : `${prefix}/${name}`
  const typeflag = block[156]
  const type = typeflag === 0x30 || typeflag === 0 ? "file" : typeflag === 0x35 ? "directory" : undefined
  if (type === undefined) throw new Error(`tar: ${full}: unsupported entry type ${String.fromCharCode(typeflag!)}`)
  const path = full.replace(/\/+$/, "")
  const segments = path.split("/")
  if (path === "" || path.startsWith("/") || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new Error(`tar: unsafe path "${full}"`)
  }
  return {
    path,
    type,
    mode: readOctal(block, 100, 8, "mode"),
    size: type === "file" ? readOctal(block, 124, 12, "size") : 0
  }
}

const isZero = (block: Buffer): boolean => {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false
  return true
}

/**
 * Reads an archive as it streams in: each entry, then its content in the chunks it arrived in (no copies). Fails on
 * a bad header, and on an archive that ends before its end-of-archive marker (a truncated download or file).
 */
export async function* read(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEvent> {
  let pending = Buffer.alloc(0)
  let remaining = 0
  let skip = 0
  let zeroBlocks = 0
  for await (const input of source) {
    // Anything after the end-of-archive marker is record padding; it is read (so that a gzip source gets to check
    // its CRC) but ignored.
    if (zeroBlocks === 2) continue
    let chunk = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
    while (chunk.length > 0) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length)
        remaining -= n
        yield { _tag: "Data", chunk: chunk.subarray(0, n) }
        chunk = chunk.subarray(n)
      } else if (skip > 0) {
        const n = Math.min(skip, chunk.length)
        skip -= n
        chunk = chunk.subarray(n)
      } else {
        const need = BLOCK - pending.length
        if (chunk.length < need) {
          pending = Buffer.concat([pending, chunk])
          break
        }
        const block = pending.length === 0
          ? chunk.subarray(0, BLOCK)
          : Buffer.concat([pending, chunk.subarray(0, need)])
        pending = Buffer.alloc(0)
        chunk = chunk.subarray(need)
        if (isZero(block)) {
          if (++zeroBlocks === 2) break
          continue
        }
        if (zeroBlocks > 0) throw new Error("tar: header after a zero block")
        const entry = parseHeader(block)
        yield { _tag: "Entry", entry }
        remaining = entry.size
        skip = padding(entry.size)
      }
    }
  }
  if (zeroBlocks !== 2) throw new Error("tar: archive is truncated (no end-of-archive marker)")
}

/**
 * Writes the entries of `events` under `dest` (which must exist). Files are created exclusively (`wx`): an archive
 * cannot overwrite anything, nor write through a symbolic link.
 */
export const extract = async (events: AsyncIterable<TarEvent>, dest: string): Promise<void> => {
  let file: { handle: NodeFs.FileHandle; path: string; left: number } | undefined
  const close = async () => {
    if (file === undefined) return
    const { handle, left, path } = file
    file = undefined
    await handle.close()
    if (left !== 0) throw new Error(`tar: ${path} is truncated`)
  }
  try {
    for await (const event of events) {
      if (event._tag === "Data") {
        if (file === undefined) throw new Error("tar: content without an entry")
        let written = 0
        while (written < event.chunk.byteLength) {
          written += (await file.handle.write(event.chunk, written)).bytesWritten
        }
        file.left -= written
        continue
      }
      await close()
      const { entry } = event
      const target = NodePath.join(dest, ...entry.path.split("/"))
      if (entry.type === "directory") {
        await NodeFs.mkdir(target, { recursive: true, mode: entry.mode & 0o777 })
      } else {
        await NodeFs.mkdir(NodePath.dirname(target), { recursive: true })
        file = { handle: await NodeFs.open(target, "wx", entry.mode & 0o777), path: entry.path, left: entry.size }
      }
    }
    await close()
  } finally {
    await file?.handle.close()
  }
}
