/** What the classifier reads from a playlist entry (a subset of `PlaylistEntry`, so any source can feed it). */
export interface ClassifyInput {
  readonly name: string
  readonly tvgName?: string | null | undefined
  readonly groupTitle?: string | null | undefined
  readonly url?: string | null | undefined
  readonly attributes?: Readonly<Record<string, string>> | undefined
}

export type Kind = "movie" | "series" | "live" | "unknown"
export type Resolution = "2160p" | "1080p" | "720p" | "480p"

/** What an entry is. `title`/`year`/`season`/`episode` and `normalizeTitle(title)` are what matching joins on. */
export interface Classification {
  readonly kind: Kind
  /** Clean title as written in the entry (no prefixes, tags, year or episode markers); `null` for separators. */
  readonly title: string | null
  readonly year: number | null
  readonly season: number | null
  readonly episode: number | null
  /** Last episode of a range such as `E01-E02`. */
  readonly episodeEnd?: number | undefined
  readonly resolution: Resolution | null
  /**
   * Audio language, ISO 639-1 lower-case (`"fr"`), or `null` when unknown or when the entry is an
   * original version with subtitles (`VOSTFR`, `SUBT AR`). This classifier never returns `"multi"` here:
   * multi-audio is reported in `multiAudio`.
   */
  readonly language: string | null
  /**
   * The entry is marked as carrying several audio tracks (`MULTI`, `DUAL`). `language` still holds the
   * marked or section audio language (e.g. `"fr"` for `FR: … (MULTI)`), so multi-audio never hides it.
   */
  readonly multiAudio: boolean
  /** Subtitle language (ISO 639-1, or `"multi"`), or `null`. */
  readonly subtitles: string | null
  /** Streaming platform prefix (`NF`, `D+`, `AMZ`, …), or `null`. */
  readonly platform: string | null
  /**
   * A country that tells two works of one title apart (`The Office (US)` → `US`), as written; `null` when none.
   * Not part of `title`, and not a language.
   */
  readonly country: string | null
  /** File extension from the URL (`mkv`, `mp4`, `ts`, …), or `null`. */
  readonly container: string | null
  /** Xtream stream id from the URL, or `null`. */
  readonly streamId: number | null
  /** 0..1: how sure the classifier is of `kind` and `title`. */
  readonly confidence: number
  /** Short machine-readable notes on which rules decided (`"kind:url-movie"`, `"kind:group-series"`, `"separator"`, …). */
  readonly reasons: ReadonlyArray<string>
}
