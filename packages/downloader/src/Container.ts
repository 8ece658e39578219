/**
 * Is this body a video? Providers answer failures with a success status: an HTML error or debug page under 200, a
 * JSON error, or — for an expired or banned account — a short MPEG-TS placeholder instead of the requested `.mkv`.
 * The first bytes and the content type decide before a byte is written.
 */

export type Kind = "matroska" | "mp4" | "avi" | "mpegts" | "mpeg-ps" | "flv" | "asf"

export type Verdict =
  | { readonly _tag: "Video"; readonly container: Kind }
  /** `seen` says what it looked like, for a one-line error: "an HTML page", "a JSON document"… */
  | { readonly _tag: "NotVideo"; readonly seen: string }
  /** A video, but not the container the URL asked for: a placeholder stands in for the real file. */
  | { readonly _tag: "Placeholder"; readonly container: Kind; readonly expected: string }
  /** Too few bytes yet to tell. */
  | { readonly _tag: "NeedMore" }

/** Bytes the sniffer wants before it decides (four MPEG-TS packets). */
export const SNIFF_BYTES = 4 * 188

/** The containers an extension may legitimately hold. */
const EXPECTED: Record<string, ReadonlyArray<Kind>> = {
  mkv: ["matroska"],
  webm: ["matroska"],
  mp4: ["mp4"],
  m4v: ["mp4"],
  mov: ["mp4"],
  avi: ["avi"],
  ts: ["mpegts"],
  mpg: ["mpeg-ps", "mpegts"],
  mpeg: ["mpeg-ps", "mpegts"],
  flv: ["flv"],
  wmv: ["asf"]
}

const ascii = (bytes: Uint8Array, at: number, text: string) => {
  if (bytes.length < at + text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false
  return true
}

const containerOf = (bytes: Uint8Array): Kind | null => {
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return "matroska"
  if (ascii(bytes, 4, "ftyp")) return "mp4"
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "AVI ")) return "avi"
  if (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0x01 && bytes[3] === 0xba) return "mpeg-ps"
  if (ascii(bytes, 0, "FLV")) return "flv"
  if (bytes[0] === 0x30 && bytes[1] === 0x26 && bytes[2] === 0xb2 && bytes[3] === 0x75) return "asf"
  if (bytes[0] === 0x47) {
    // A sync byte every 188 bytes over the packets we have.
    for (let at = 188; at < Math.min(bytes.length, SNIFF_BYTES); at += 188) if (bytes[at] !== 0x47) return null
    return "mpegts"
  }
  return null
}

const TEXTUAL = /^(text\/|application\/(json|xml|xhtml|javascript|problem))/i

/** What a body that is not a video looks like, in words. */
const describe = (bytes: Uint8Array, contentType: string | undefined): string => {
  const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 256)).trimStart().toLowerCase()
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.includes("<body")) return "an HTML page"
  if (head.startsWith("{") || head.startsWith("[")) return "a JSON document"
  if (head.startsWith("<?xml") || head.startsWith("<")) return "an XML or HTML document"
  if (bytes.length === 0) return "an empty body"
  if (contentType !== undefined && TEXTUAL.test(contentType)) return `a ${contentType.split(";")[0]!.trim()} body`
  return "bytes of no known video container"
}

/**
 * The verdict on the first bytes of a body at offset 0 (`contentType` as the server sent it; `extension` the one
 * the URL asked for, without its dot). Needs up to `SNIFF_BYTES`; fewer is `NeedMore` unless `complete`.
 */
export const sniff = (
  bytes: Uint8Array,
  options: { readonly contentType?: string | undefined; readonly extension?: string | undefined; readonly complete?: boolean }
): Verdict => {
  const contentType = options.contentType
  if (contentType !== undefined && TEXTUAL.test(contentType)) return { _tag: "NotVideo", seen: describe(bytes, contentType) }
  if (bytes.length < SNIFF_BYTES && options.complete !== true) {
    // A recognisable non-MPEG-TS signature needs only its first bytes.
    const early = bytes.length >= 12 ? containerOf(bytes) : null
    if (early === null || early === "mpegts") return { _tag: "NeedMore" }
  }
  const container = containerOf(bytes)
  if (container === null) return { _tag: "NotVideo", seen: describe(bytes, contentType) }
  const expected = options.extension === undefined ? undefined : EXPECTED[options.extension.toLowerCase()]
  if (expected !== undefined && !expected.includes(container)) {
    return { _tag: "Placeholder", container, expected: options.extension! }
  }
  return { _tag: "Video", container }
}
