/**
 * Season/episode markers in the forms providers write them. Each finder returns where the marker sits
 * so the caller can cut the title before it. Tried strongest-first: an explicit `S01E02` beats the
 * `1x02` form, which also appears inside titles (`Red Road 3x12`).
 */
export interface EpisodeMarker {
  readonly start: number
  readonly end: number
  readonly season: number | null
  readonly episode: number
  readonly episodeEnd: number | null
  /** An absolute number with no season word (`E24`, ` - 0112`): channel names have that shape too (`E24`). */
  readonly absolute?: true
}

// Boundaries: a marker never starts inside a word or a number (`1920x1080` is not `20x10`).
const B = "(?<![\\p{L}\\p{N}])"
const A = "(?![\\p{L}\\p{N}])"

// `S01E02`, `S01 E02`, `S1 E2`, `T01E02`; ranges `E01-E02`, `E01E02`, `E01 - E02` (a bare ` - 38` after
// the marker is an episode title, not a range).
const SXE = new RegExp(`${B}[ST](\\d{1,3})[ ._-]{0,2}E[ ._]?(\\d{1,4})(?:(?:[-–]E?|\\s[-–]\\sE|E)(\\d{1,4}))?${A}`, "iu")

const SEASON_WORDS = "Seasons?|Saison|Staffel|Temporada|Temp\\.?|Stagione|Seizoen|Sezon|Сезон|Sezonul|S[äa]song|S[æa]son|Kausi|Évad|الموسم"
const EPISODE_WORDS = "Episodes?|[ÉE]pisodes?|Episodio|Epis[óo]dio|Ep\\.?|Eps\\.?|Folge|Cap[íi]tulo|Cap\\.?|Серия|Эпизод|B[öo]l[üu]m|Aflevering|Afl\\.?|Odcinek|Avsnitt|Jakso|R[ée]sz|Epizoda|الحلقة"
const WORDS = new RegExp(
  `${B}(?:${SEASON_WORDS})\\s*\\.?\\s*(\\d{1,3})\\s*[-–,:.]?\\s*(?:${EPISODE_WORDS})\\s*\\.?\\s*(\\d{1,4})(?:\\s*[-–]\\s*(\\d{1,4}))?${A}`,
  "iu"
)
// Turkish: `12. Bölüm (2. Sezon)`, `2. Sezon 12. Bölüm`, and the single-season `12. Bölüm`.
const TR_EP_SEASON = /(?<![\p{L}\p{N}])(\d{1,4})\.\s*B[öo]l[üu]m\s*\(?\s*(\d{1,3})\.\s*Sezon\s*\)?/iu
const TR_SEASON_EP = /(?<![\p{L}\p{N}])(\d{1,3})\.\s*Sezon\s*[-–,]?\s*(\d{1,4})\.\s*B[öo]l[üu]m/iu
const TR_EP = /(?<![\p{L}\p{N}])(\d{1,4})\.\s*B[öo]l[üu]m(?![\p{L}\p{N}])/iu
// Arabic: `… الحلقة 12`, optionally with `الموسم 2` on either side.
const AR_EP = /الحلقة\s*(\d{1,4})/u
const AR_SEASON = /الموسم\s*(\d{1,3})/u
const X_FORM = new RegExp(`${B}(\\d{1,2})x(\\d{2,3})${A}`, "giu")
const EP_ONLY = new RegExp(`${B}(?:${EPISODE_WORDS})\\s*\\.?\\s*(\\d{1,4})${A}`, "iu")
const ABSOLUTE_E = /(?<![\p{L}\p{N}])E(\d{2,4})(?![\p{L}\p{N}])/u
const DASH_NUMBER_END = /\s[-–]\s(\d{2,4})\s*$/u

const num = (s: string | undefined): number | null => (s === undefined ? null : Number(s))

/** Finds the season/episode marker in `s`, or `null`. `absolute` allows the bare ` - 0112` form. */
export const findEpisode = (s: string, absolute: boolean): EpisodeMarker | null => {
  let m = SXE.exec(s)
  if (m !== null) {
    return { start: m.index, end: m.index + m[0].length, season: Number(m[1]), episode: Number(m[2]), episodeEnd: num(m[3]) }
  }
  m = WORDS.exec(s)
  if (m !== null) {
    return { start: m.index, end: m.index + m[0].length, season: Number(m[1]), episode: Number(m[2]), episodeEnd: num(m[3]) }
  }
  m = TR_EP_SEASON.exec(s)
  if (m !== null) return { start: m.index, end: m.index + m[0].length, season: Number(m[2]), episode: Number(m[1]), episodeEnd: null }
  m = TR_SEASON_EP.exec(s)
  if (m !== null) return { start: m.index, end: m.index + m[0].length, season: Number(m[1]), episode: Number(m[2]), episodeEnd: null }
  m = TR_EP.exec(s)
  if (m !== null) return { start: m.index, end: m.index + m[0].length, season: null, episode: Number(m[1]), episodeEnd: null }
  m = AR_EP.exec(s)
  if (m !== null) {
    const sm = AR_SEASON.exec(s)
    const start = sm !== null && sm.index < m.index ? sm.index : m.index
    const end = sm !== null && sm.index > m.index ? sm.index + sm[0].length : m.index + m[0].length
    return { start, end, season: sm !== null ? Number(sm[1]) : null, episode: Number(m[1]), episodeEnd: null }
  }
  // `1x02`: the last occurrence, since titles may contain the same shape earlier.
  X_FORM.lastIndex = 0
  let last: RegExpExecArray | null = null
  while ((m = X_FORM.exec(s)) !== null) last = m
  if (last !== null) {
    return { start: last.index, end: last.index + last[0].length, season: Number(last[1]), episode: Number(last[2]), episodeEnd: null }
  }
  m = EP_ONLY.exec(s)
  if (m !== null) return { start: m.index, end: m.index + m[0].length, season: null, episode: Number(m[1]), episodeEnd: null }
  m = ABSOLUTE_E.exec(s)
  if (m !== null) return { start: m.index, end: m.index + m[0].length, season: null, episode: Number(m[1]), episodeEnd: null, absolute: true }
  if (absolute) {
    m = DASH_NUMBER_END.exec(s)
    // A 4-digit 19xx/20xx after a dash is a year (`T - 2017`), not an absolute episode.
    if (m !== null && !/^(?:19|20)\d\d$/.test(m[1]!)) {
      return { start: m.index, end: m.index + m[0].length, season: null, episode: Number(m[1]), episodeEnd: null, absolute: true }
    }
  }
  return null
}
