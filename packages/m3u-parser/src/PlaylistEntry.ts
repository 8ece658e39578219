/**
 * The data a playlist yields. Plain readonly objects (no classes) so the hot loop allocates as little as
 * possible and the same values serve the Effect API and the Promise facade.
 */

/** One playable item: an `#EXTINF` and its URL, or a bare URL. The directives before the URL apply to it alone. */
export interface PlaylistEntry {
  readonly _tag: "PlaylistEntry"
  /** 1-based line of the `#EXTINF`, or of the URL when there is none. */
  readonly line: number
  /** The `#EXTINF` duration (`-1` for streams), `null` for a bare URL or an unreadable number. */
  readonly duration: number | null
  /** Every `key=value` attribute of the `#EXTINF`, keys lower-cased; the first occurrence of a duplicate key wins. */
  readonly attributes: Readonly<Record<string, string>>
  /** Display name: the text after the comma that ends the attributes (a raw `", ` inside a value does not), trimmed. */
  readonly name: string
  readonly tvgName: string | null
  readonly tvgId: string | null
  readonly tvgLogo: string | null
  readonly groupTitle: string | null
  /** `#EXTGRP:` value in effect for this entry, if any. */
  readonly extGroup: string | null
  /** `headers["user-agent"]`: the User-Agent to send, from whichever convention the playlist uses. */
  readonly userAgent: string | null
  /** `headers["referer"]`: the Referer to send. */
  readonly referrer: string | null
  /**
   * Every request header the playlist asks for, names lower-cased (`user-agent`, `referer`, `origin`, `cookie`…),
   * merged from, first source winning: the URL's Kodi suffix (`url|User-Agent=…&Referer=…`, percent-decoded),
   * `#EXTHTTP:{…}`, `#EXTVLCOPT:http-user-agent` / `http-referrer`, `#KODIPROP:inputstream.adaptive.stream_headers`
   * (then `manifest_headers`), and the `#EXTINF` attributes `user-agent` / `http-user-agent` / `referrer` /
   * `http-referrer` / `referer` / `http-referer`.
   */
  readonly headers: Readonly<Record<string, string>>
  /** Every `#EXTVLCOPT:key=value` seen before the URL, keys lower-cased, surrounding quotes removed. */
  readonly vlcOptions: Readonly<Record<string, string>>
  /** Every `#KODIPROP:key=value` seen before the URL, keys lower-cased, surrounding quotes removed. */
  readonly kodiProps: Readonly<Record<string, string>>
  /** The stream location, without a Kodi `|headers` suffix (those are in `headers`). */
  readonly url: string
}

/** The `#EXTM3U` line and its attributes (`url-tvg`, `x-tvg-url`, …). */
export interface PlaylistHeader {
  readonly _tag: "PlaylistHeader"
  readonly line: number
  readonly attributes: Readonly<Record<string, string>>
}

export type M3uWarningKind =
  | "NoUrl" // an #EXTINF followed by another #EXTINF or the end of the file
  | "OrphanUrl" // a URL with no #EXTINF before it (still emitted as an entry)
  | "UnterminatedQuote" // a quoted attribute value never closed; recovered at end of line
  | "LineTooLong" // a line over the configured cap; skipped
  | "InvalidUtf8" // bytes that are not UTF-8; replaced with U+FFFD
  | "StrayText" // a line that is neither a directive, a URL nor a path (`=====sudan=====`); skipped

/** A recoverable problem: reported as data, never a failure. */
export interface M3uWarning {
  readonly _tag: "M3uWarning"
  readonly kind: M3uWarningKind
  readonly line: number
  readonly message: string
}

export type M3uEvent = PlaylistHeader | PlaylistEntry | M3uWarning

/** A whole playlist collected in memory (`M3u.parseString`, `parseM3u`). */
export interface Playlist {
  readonly header: PlaylistHeader | null
  readonly entries: ReadonlyArray<PlaylistEntry>
  readonly warnings: ReadonlyArray<M3uWarning>
}
