/**
 * From a parsed entry to the row the store keeps: the credential-free source fields (URL template, attributes with
 * the accounts cut out) and the raw hash that lets an unchanged entry skip classification on the next run.
 */
import type { Classification } from "@stalkeer/classifier"
import type { PlaylistEntry } from "@stalkeer/m3u-parser"
import { StreamUrl } from "@stalkeer/m3u-parser"
import type { Ingestion } from "@stalkeer/store"

/**
 * Two 32-bit hashes (FNV-1a and a murmur-like multiply-shift) over one text, combined into an integer below 2^53:
 * the same in every process, and stored as a bigint. A digest, not a security boundary.
 */
export const hash53 = (text: string): number => {
  const h = new Hash53()
  h.update(text)
  return h.digest()
}

/**
 * `hash53` fed piece by piece: the digest of several `update`s equals `hash53` of their concatenation, without
 * building it (a concatenated string is flattened to be read, which allocated ~0.5 KB per playlist entry).
 */
class Hash53 {
  private a = 0x811c9dc5
  private b = 0x9747b28c
  update(text: string): void {
    let a = this.a
    let b = this.b
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995)
      b ^= b >>> 15
    }
    this.a = a
    this.b = b
  }
  digest(): number {
    return (this.a >>> 0) * 0x200000 + (this.b >>> 11)
  }
}

/** Attributes that already have a column. */
const COLUMN_ATTRIBUTES: ReadonlySet<string> = new Set(["tvg-id", "tvg-name", "tvg-logo", "group-title"])

const extraAttributes = (
  entry: PlaylistEntry.PlaylistEntry,
  credentials: StreamUrl.KnownCredentials
): Record<string, string> => {
  let out: Record<string, string> | undefined
  for (const key in entry.attributes) {
    if (COLUMN_ATTRIBUTES.has(key)) continue
    out ??= {}
    out[key] = StreamUrl.protect(entry.attributes[key]!, credentials)
  }
  for (const key in entry.vlcOptions) {
    out ??= {}
    out[`vlcopt:${key}`] = StreamUrl.protect(entry.vlcOptions[key]!, credentials)
  }
  // The request headers the stream needs, from whichever convention the playlist used (a Kodi `|User-Agent=…`
  // suffix is no longer in the URL): the downloader sends them.
  for (const key in entry.headers) {
    out ??= {}
    out[`header:${key}`] = StreamUrl.protect(entry.headers[key]!, credentials)
  }
  for (const key in entry.kodiProps) {
    out ??= {}
    out[`kodiprop:${key}`] = StreamUrl.protect(entry.kodiProps[key]!, credentials)
  }
  if (entry.extGroup !== null) {
    out ??= {}
    out["extgrp"] = entry.extGroup
  }
  return out ?? {}
}

/** The credential-free source fields of an entry: what is stored besides the classification, and what is hashed. */
export interface Source {
  readonly url: StreamUrl.StreamTemplate
  readonly tvgLogo: string | null
  readonly attributes: Record<string, string>
}

/** `configured` are the known accounts; an entry's own (found in its URL) come first in what its attributes lose. */
export const toSource = (entry: PlaylistEntry.PlaylistEntry, configured: ReadonlyArray<StreamUrl.StreamCredentials>): Source => {
  const url = StreamUrl.toTemplate(entry.url, configured)
  const known = url.credentials === null ? configured : [url.credentials, ...configured]
  return {
    url,
    tvgLogo: entry.tvgLogo === null || entry.tvgLogo === "" ? entry.tvgLogo : StreamUrl.protect(entry.tvgLogo, known),
    attributes: extraAttributes(entry, known)
  }
}

// Field separators for the hashed text: every field ends with one, and null differs from "", so field
// boundaries cannot shift. Control characters rather than non-characters: they keep an all-Latin-1 text one byte
// per character when it is flattened (half the garbage).
const END = "\u0001"
const NULL = "\u0002\u0001"

/**
 * A hash (`hash53`) of the credential-free source fields and the classifier version.
 * Only credential-free text goes in, so the stored hash reveals nothing about a credential. Every field ends with a
 * separator and null differs from "" (see `END`), so `hash53` of the fields joined gives the same value.
 */
export const rawHash = (version: string, entry: PlaylistEntry.PlaylistEntry, source: Source): number => {
  const h = new Hash53()
  const field = (value: string | null) => {
    if (value === null) return h.update(NULL)
    h.update(value)
    h.update(END)
  }
  field(version)
  field(source.url.template)
  field(entry.tvgId)
  field(entry.tvgName)
  field(source.tvgLogo)
  field(entry.groupTitle)
  field(entry.name)
  for (const key in source.attributes) {
    field(key)
    field(source.attributes[key]!)
  }
  return h.digest()
}

export const toRow = (
  entry: PlaylistEntry.PlaylistEntry,
  source: Source,
  c: Classification.Classification,
  titleKey: (title: string) => string,
  hash: number | null
): Ingestion.Row => {
  const url = source.url
  // A country that tells same-named works apart stays with the title (`The Office (US)`): it makes a work of its
  // own, and identification reads it as a hint.
  const title = c.title !== null && c.country !== null ? `${c.title} (${c.country})` : c.title
  return {
    key: url.key,
    urlTemplate: url.template,
    streamType: url.streamType,
    streamId: url.streamId,
    extension: url.extension,
    tvgId: entry.tvgId,
    tvgName: entry.tvgName,
    tvgLogo: source.tvgLogo,
    groupTitle: entry.groupTitle,
    name: entry.name,
    attributes: source.attributes,
    kind: c.kind,
    title,
    titleKey: title === null ? null : titleKey(title),
    year: c.year,
    season: c.season,
    episode: c.episode,
    episodeEnd: c.episodeEnd ?? null,
    resolution: c.resolution,
    language: c.language,
    subtitles: c.subtitles,
    platform: c.platform,
    confidence: c.confidence,
    rawHash: hash
  }
}

