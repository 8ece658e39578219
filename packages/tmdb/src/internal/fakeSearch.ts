/**
 * The fake TMDB's search: close enough to TMDB's for identification tests to be fair. Every name of a work — its
 * title, original title, alternative titles and translated titles — is normalised (case, accents, punctuation)
 * into tokens; a work matches when one of its names holds every token of the query. An apostrophe both joins and
 * splits (`Schindler's` is `schindlers` and `schindler s`, `d'Amélie` is `damelie` and `d amelie`). Results are
 * ordered by how well the best name matches (equal, then starting with the query, then containing it), then by
 * popularity. An inverted index keeps a search proportional to the candidates, not to the world.
 */

const FOLDED: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", þ: "th", ı: "i" }

const APOSTROPHES = /['’‘`´]/g

/**
 * Lower case, no accents, `&` as `and`, every non-alphanumeric character a space; apostrophes dropped (`joined`)
 * or made spaces (`split`).
 */
export const normalize = (text: string, apostrophes: "joined" | "split" = "joined"): string =>
  text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[ßæœøłđþı]/g, (c) => FOLDED[c] ?? c)
    .replace(APOSTROPHES, apostrophes === "joined" ? "" : " ")
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()

interface Name {
  /** Both apostrophe forms (the same string when there is none). */
  readonly normals: ReadonlyArray<string>
  readonly tokens: ReadonlySet<string>
}

export interface Indexed<W> {
  readonly work: W
  readonly names: ReadonlyArray<Name>
  readonly popularity: number
  readonly id: number
}

export interface Index<W> {
  readonly works: ReadonlyArray<Indexed<W>>
  readonly byToken: ReadonlyMap<string, ReadonlyArray<number>>
}

export const makeIndex = <W>(
  works: ReadonlyArray<W>,
  describe: (work: W) => { readonly id: number; readonly popularity: number; readonly names: ReadonlyArray<string> }
): Index<W> => {
  const byToken = new Map<string, Array<number>>()
  const indexed = works.map((work, position) => {
    const { id, names, popularity } = describe(work)
    const seen = new Set<string>()
    const normalized: Array<Name> = []
    for (const name of names) {
      const normals = [...new Set([normalize(name, "joined"), normalize(name, "split")])]
      if (normals[0] === "" || seen.has(normals[0]!)) continue
      seen.add(normals[0]!)
      const set = new Set(normals.flatMap((normal) => normal.split(" ")))
      normalized.push({ normals, tokens: set })
      for (const token of set) {
        const list = byToken.get(token)
        if (list === undefined) byToken.set(token, [position])
        else if (list[list.length - 1] !== position) list.push(position)
      }
    }
    return { work, names: normalized, popularity, id }
  })
  return { works: indexed, byToken }
}

/** 3: a name equals the query; 2: a name starts with it; 1: a name holds all its tokens; 0: no match. */
const relevance = (name: Name, query: string, queryTokens: ReadonlyArray<string>): number => {
  for (const token of queryTokens) if (!name.tokens.has(token)) return 0
  if (name.normals.includes(query)) return 3
  if (name.normals.some((normal) => normal.startsWith(`${query} `))) return 2
  return 1
}

/** The works matching `query` that `keep` accepts, best first. */
export const search = <W>(index: Index<W>, query: string, keep: (work: W) => boolean): Array<W> => {
  const normal = normalize(query)
  if (normal === "") return []
  const queryTokens = [...new Set(normal.split(" "))]
  let candidates: ReadonlyArray<number> | undefined
  for (const token of queryTokens) {
    const list = index.byToken.get(token)
    if (list === undefined) return []
    if (candidates === undefined || list.length < candidates.length) candidates = list
  }
  const scored: Array<{ readonly work: Indexed<W>; readonly score: number }> = []
  for (const position of candidates ?? []) {
    const work = index.works[position]!
    let score = 0
    for (const name of work.names) score = Math.max(score, relevance(name, normal, queryTokens))
    if (score > 0 && keep(work.work)) scored.push({ work, score })
  }
  scored.sort((a, b) => b.score - a.score || b.work.popularity - a.work.popularity || a.work.id - b.work.id)
  return scored.map((s) => s.work.work)
}
