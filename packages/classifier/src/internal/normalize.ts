/**
 * Matching key for titles: case, diacritics, punctuation and `&`/`and` folded, white space collapsed.
 * Compatibility decomposition (NFKD) also folds `³` to `3` and full-width forms to ASCII.
 */
const MARKS = /\p{M}+/gu
const AMPERSAND = /\s*&\s*/g
const NON_WORD = /[^\p{L}\p{N}]+/gu
const SPECIAL: ReadonlyArray<readonly [RegExp, string]> = [
  [/ß/g, "ss"], [/æ/g, "ae"], [/œ/g, "oe"], [/ø/g, "o"], [/đ/g, "d"], [/ł/g, "l"], [/ı/g, "i"]
]

export const normalizeTitle = (title: string): string => {
  let s = title.normalize("NFKD").replace(MARKS, "").toLowerCase()
  for (const [re, r] of SPECIAL) s = s.replace(re, r)
  s = s.replace(AMPERSAND, " and ").replace(NON_WORD, " ").trim()
  if (s.length > 0) return s
  // Only punctuation or symbols (`★`, `?`): keep the raw text rather than return an empty key.
  const raw = title.trim().toLowerCase().replace(/\s+/g, " ")
  return raw
}
