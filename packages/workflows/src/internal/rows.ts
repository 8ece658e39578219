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
  let a = 0x811c9dc5
  let b = 0x9747b28c
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  return (a >>> 0) * 0x200000 + (b >>> 11)
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
 * Only credential-free text goes in, so the stored hash reveals nothing about a credential. The fields are joined
 * first: one pass over a flat string measured several times faster than a pass per field.
 */
export const rawHash = (version: string, entry: PlaylistEntry.PlaylistEntry, source: Source): number => {
  let text = version + END + source.url.template + END +
    (entry.tvgId === null ? NULL : entry.tvgId + END) +
    (entry.tvgName === null ? NULL : entry.tvgName + END) +
    (source.tvgLogo === null ? NULL : source.tvgLogo + END) +
    (entry.groupTitle === null ? NULL : entry.groupTitle + END) +
    entry.name + END
  for (const key in source.attributes) text += key + END + source.attributes[key]! + END
  return hash53(text)
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

