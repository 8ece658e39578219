/**
 * The fake provider's content: deterministic bytes for a stream id and version, generated on the fly.
 *
 * Byte `i` is AES-128-CTR keystream byte `i` under a key derived from (id, version): random-looking, seekable (the
 * counter of any offset is `offset / 16`), and fast enough (OpenSSL, ~1.5 GB/s) to serve and hash multi-GiB files
 * without storing them. A container signature for the extension overlays the first bytes, and an MPEG-TS file gets
 * the 0x47 sync byte at every 188-byte packet, so magic-byte checks see what a real file would show.
 */
import * as Crypto from "node:crypto"

export interface StreamSpec {
  readonly id: number
  readonly kind: "movie" | "series"
  /** The container extension, without the dot: `mkv`, `mp4`, `ts`… */
  readonly ext: string
  /** Bytes. */
  readonly size: number
}

/** The unit of generation and of writes: large enough for throughput, small enough to never matter for memory. */
export const CHUNK_SIZE = 256 * 1024

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))

const uint32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
const uint32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]

/** An EBML header (Matroska/WebM) up to and including its DocType. */
const ebml = (docType: string) => [
  0x1a, 0x45, 0xdf, 0xa3, 0x80 | (4 * 4 + 3 + docType.length), // the header's size: its five children
  0x42, 0x86, 0x81, 0x01, // EBMLVersion 1
  0x42, 0xf7, 0x81, 0x01, // EBMLReadVersion 1
  0x42, 0xf2, 0x81, 0x04, // EBMLMaxIDLength 4
  0x42, 0xf3, 0x81, 0x08, // EBMLMaxSizeLength 8
  0x42, 0x82, 0x80 | docType.length, ...ascii(docType)
]

/** An ISO BMFF `ftyp` box: size, `ftyp`, major brand, minor version, two compatible brands. */
const ftyp = (brand: string) => [...uint32be(24), ...ascii("ftyp"), ...ascii(brand), 0, 0, 2, 0, ...ascii(brand), ...ascii("mp41")]

/** The bytes a file of this container starts with. Unknown extensions get none (random bytes from offset 0). */
export const signature = (ext: string, size: number): Uint8Array => {
  switch (ext.toLowerCase()) {
    case "mkv":
      return Uint8Array.from(ebml("matroska"))
    case "webm":
      return Uint8Array.from(ebml("webm"))
    case "mp4":
      return Uint8Array.from(ftyp("isom"))
    case "m4v":
      return Uint8Array.from(ftyp("M4V "))
    case "mov":
      return Uint8Array.from(ftyp("qt  "))
    case "avi":
      return Uint8Array.from([...ascii("RIFF"), ...uint32le(Math.min(Math.max(size - 8, 0), 0xffffffff)), ...ascii("AVI LIST")])
    case "mpg":
    case "mpeg":
      return Uint8Array.from([0x00, 0x00, 0x01, 0xba])
    case "flv":
      return Uint8Array.from([...ascii("FLV"), 0x01, 0x05, 0x00, 0x00, 0x00, 0x09])
    case "wmv":
    case "asf":
      return Uint8Array.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c])
    default:
      return new Uint8Array(0)
  }
}

const isTransportStream = (ext: string) => ["ts", "m2ts", "mts"].includes(ext.toLowerCase())

const MIME: Readonly<Record<string, string>> = {
  mkv: "video/x-matroska",
  webm: "video/webm",
  mp4: "video/mp4",
  m4v: "video/x-m4v",
  mov: "video/quicktime",
  avi: "video/x-msvideo",
  ts: "video/mp2t",
  m2ts: "video/mp2t",
  mpg: "video/mpeg",
  mpeg: "video/mpeg",
  flv: "video/x-flv",
  wmv: "video/x-ms-wmv"
}

/** The `Content-Type` a panel sends for the extension. */
export const contentType = (ext: string): string => MIME[ext.toLowerCase()] ?? "application/octet-stream"

const keyOf = (id: number, version: number) =>
  Crypto.createHash("sha256").update(`stalkeer-fake-provider:${id}:${version}`).digest().subarray(0, 16)

const counterBlock = (block: number) => {
  const iv = Buffer.alloc(16)
  iv.writeBigUInt64BE(BigInt(block), 8)
  return iv
}

const ZEROS = Buffer.alloc(CHUNK_SIZE + 16)

/**
 * The bytes `[start, end)` of stream `spec` at `version`, as buffers of at most `chunkSize` bytes (fresh ones: a
 * caller may keep them). Lazy: only one chunk exists at a time unless the caller keeps them.
 */
export function* chunks(
  spec: StreamSpec,
  version: number,
  start = 0,
  end = spec.size,
  chunkSize = CHUNK_SIZE
): Generator<Buffer, void, undefined> {
  const to = Math.min(end, spec.size)
  if (start >= to) return
  const size = Math.min(Math.max(1, chunkSize), CHUNK_SIZE)
  const cipher = Crypto.createCipheriv("aes-128-ctr", keyOf(spec.id, version), counterBlock(Math.floor(start / 16)))
  const head = signature(spec.ext, spec.size)
  const ts = isTransportStream(spec.ext)
  let skip = start % 16
  let at = start
  while (at < to) {
    const n = Math.min(size, to - at)
    let chunk = cipher.update(ZEROS.subarray(0, n + skip))
    if (skip > 0) {
      chunk = chunk.subarray(skip)
      skip = 0
    }
    for (let i = at; i < head.length && i < at + n; i++) chunk[i - at] = head[i]!
    if (ts) for (let i = (188 - (at % 188)) % 188; i < n; i += 188) chunk[i] = 0x47
    at += n
    yield chunk
  }
}

/** The bytes `[start, start + length)` of a stream, in one buffer: for spot checks, not whole files. */
export const bytesAt = (spec: StreamSpec, version: number, start: number, length: number): Buffer =>
  Buffer.concat([...chunks(spec, version, start, start + length)])

/** The placeholder a panel serves for an expired or banned line: a short MPEG-TS clip (188 × 256 bytes). */
export const PLACEHOLDER: StreamSpec = { id: -1, kind: "movie", ext: "ts", size: 188 * 256 }
