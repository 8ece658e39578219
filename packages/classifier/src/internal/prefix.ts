/**
 * Leading markers: language/country codes, platforms, quality and collection prefixes in all the
 * structural forms providers use (`FR - `, `|FR|`, `||TR||`, `FR|`, `[EN]`, `(FR)`, `┃FR┃`, `VOD FR |`,
 * `4K-NF - `, `4K -SC- `, `HD : `, `lAR|`, `A+ `), plus decorations and site tags.
 * A prefix is only stripped when every token in it is a known marker, so `NCIS : Los Angeles` and
 * `OSS 117 : …` keep their heads.
 */
import { applyPrefixToken, type Marks } from "./tags.js"
import { AMBIGUOUS_BARE_CODES, LANGUAGE_CODES, SUBTITLE_WORDS } from "./vocabulary.js"

// Separators between a prefix and the title, by Unicode block and category rather than one by one.
// Bar-like ones only ever separate: `|`, `¦`, `‖`, `•`, `·`, `‧`, `∙`, `∣`, full-width `｜`/`￨`, dingbat bars `❘❙❚`,
// and whole blocks: arrows (U+2190–21FF), box drawing, block elements and geometric shapes (U+2500–25FF:
// `│ ┃ ▎ ▏ ■ ►`), dingbat arrows (U+2794–27BF: `➔ ➤ ➾`). Dash-like ones, the colon and every dash of category
// Pd (`- ‐ ‒ – — ―`), also join words, so a lone ambiguous code before them stays a title (`NO - Country…`).
const BAR_CLASS = "|¦‖•·‧∙∣｜￨❘❙❚\\u2190-\\u21FF\\u2500-\\u25FF\\u2794-\\u27BF"
const BAR = new RegExp(`[${BAR_CLASS}]`, "u")
const SEP_CHAR = new RegExp(`[${BAR_CLASS}:\\p{Pd}]`, "u")
// Hyphens glued to the next word join words (`X-Men`); only with a space after do they separate.
const HYPHENS_ONLY = /^[-\u2010\u2011]+$/

// `|FR|`, `||TR||`, `┃FR┃`, `▎NO▎`, `｜DE｜`, `|FR-4K HDR10+|`, `|VO|`, `|4K-LEG.|`, `|it|`
const PIPE_GROUP = new RegExp(`^[${BAR_CLASS}]{1,2}\\s*([^${BAR_CLASS}]{1,20}?)\\s*[${BAR_CLASS}]{1,2}\\s*`, "u")
// `FR - `, `FR: `, `FR| `, `VOD FR - `, `4K-AR - `, `EN-CAM - `, `HD : `, `NL | `, `lAR| `, `DE ➾ `, `NO ▎ `, `SQ — `,
// `FR—`: the head, then a run of separators (group 2), then the white space after it (group 3).
const BARE = new RegExp(
  `^([\\p{L}\\p{N}+.]{1,7}(?:[ -][\\p{L}\\p{N}+.]{1,7}){0,2})\\s*((?:[${BAR_CLASS}:]|\\p{Pd})(?:\\s*(?:[${BAR_CLASS}:]|\\p{Pd}))*)(\\s*)`,
  "u"
)
// The same with only `|`, `:` and `-`.
const ASCII_BARE = /^([\p{L}\p{N}+.]{1,7}(?:[ -][\p{L}\p{N}+.]{1,7}){0,2})\s*([|:-](?:\s*[|:-])*)(\s*)/u
// A zero-padded index before the title (`007 - Goldfinger`, `01: Title`, `003 ▎ Title`) numbers an entry in a
// series or a collection; it is not the title. Only a number with a leading zero qualifies: no year and no film
// whose title is a number starts with a 0 (`1917`, `300`, `2012`, `2001: A Space Odyssey`, `9 to 5`, `3 Idiots`
// keep theirs), and a separator and a title must follow, so a bare `007` stays the whole title. A title that starts
// with a digit (`01 - 1984`) must be set apart by a space, so `00:30 A X B` (a kick-off time) is not an index.
const INDEX = new RegExp(
  `^0\\d{1,3}(?:\\s*(?:[${BAR_CLASS}:]|\\p{Pd}|\\.(?=\\s))\\s*(?=[\\p{L}"'“‘«¿¡])|\\s*(?:[${BAR_CLASS}:]|\\p{Pd}|\\.)\\s+(?=\\p{N}))`,
  "u"
)
// `4K -SC- `
const DASH_CODE = /^([\p{L}\p{N}+]{1,4})\s+-([\p{L}]{2,4})-\s+/u
// `[EN] `, `(FR) `, `[VOSTFR] `, `[EN SUBS] `
const BRACKET_CODE = /^[[(]([\p{L}\p{N}+]{2,7}(?:[-/ ][\p{L}\p{N}+]{2,5})?)[\])]\s*/u
// `[ NetTorrent508.tld ] `: a bracketed web address.
const SITE_TAG = /^\[\s*[^\]\s]*\.[a-z]{2,4}\s*\]\s*/iu
// `A+ ` collection marker.
const COLLECTION = /^A\+\s+/
// Leading decorations: emoji, stars, arrows, bullets, invisible format characters.
const DECORATION = /^[\p{So}\p{Sk}\p{Cf}\p{Co}•·➾►▶»«*~=_\s-]+/u
// Arabic "series"/"film" words written before the title.
const AR_LEAD = /^(?:مسلسل|فيلم)\s+/u
const SPLIT = /[\s.-]+/u

const isAsciiWordStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 124 || c === 91 || c === 40

// Whether a non-ASCII UTF-16 unit is a separator, memoised (0 unknown, 1 yes, 2 no): names repeat few characters.
const nonAsciiSeparator = new Uint8Array(0x10000)

const isNonAsciiSeparator = (c: number): boolean => {
  let v = nonAsciiSeparator[c]!
  if (v === 0) nonAsciiSeparator[c] = v = SEP_CHAR.test(String.fromCharCode(c)) ? 1 : 2
  return v === 1
}

/**
 * The first separator in the first ~25 characters: 0 none, 1 an ASCII one (`|`, `:`, `-`), 2 another one. A hyphen
 * glued to the next character joins words (`EN-SUBS`, `4K-AR`), so the scan goes on past it.
 */
const separatorsEarly = (s: string): 0 | 1 | 2 => {
  const n = s.length < 26 ? s.length : 26
  let found: 0 | 1 = 0
  for (let k = 1; k < n; k++) {
    const c = s.charCodeAt(k)
    if (c < 0x80) {
      if (c === 124 || c === 58) return 1
      if (c === 45) {
        if (!(s.charCodeAt(k + 1) > 32)) return 1
        found = 1
      }
      continue
    }
    if (isNonAsciiSeparator(c)) return 2
  }
  return found
}

/** A bar-like character opens a `|FR|`-style group. */
const opensGroup = (s: string): boolean => {
  const c = s.charCodeAt(0)
  return c === 124 || (c >= 0x80 && BAR.test(s[0]!))
}

const languageOf = (u: string, marks: Marks): string | undefined => marks.codes?.get(u) ?? LANGUAGE_CODES.get(u)

/**
 * True when every token of `content` is a known prefix marker, recording what they say in `marks`.
 * `strong`: the prefix ended in a bar-like separator or a bracket, not a dash or colon.
 */
const allPrefixTokens = (content: string, bare: boolean, strong: boolean, marks: Marks): boolean => {
  const tokens = content.split(SPLIT)
  let known = 0
  for (const t of tokens) if (t.length > 0) known++
  if (known === 0) return false
  // A lone ambiguous code (`NO - `) in the bare dash/colon form more likely starts a title.
  if (bare && known === 1 && !strong && AMBIGUOUS_BARE_CODES.has(content.toUpperCase())) {
    return false
  }
  const probe: Marks = { ...marks }
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!
    if (t.length === 0) continue
    // A subtitle word next to a language code, both in capitals, names the subtitles, not the audio: `SUB EN`,
    // `EN-SUBS`, `NL SUBS`; `MULTI-SUB` is many subtitle languages, not multi-audio.
    const next = k + 1 < tokens.length ? tokens[k + 1]! : ""
    if (SUBTITLE_WORDS.has(t) || SUBTITLE_WORDS.has(next)) {
      const sub = SUBTITLE_WORDS.has(t) ? languageOf(next, marks) : t === "MULTI" ? "multi" : languageOf(t, marks)
      if (sub !== undefined) {
        if (probe.subs === null || probe.subs === "multi") probe.subs = sub
        k++
        continue
      }
    }
    if (!applyPrefixToken(t, bare, probe)) return false
  }
  Object.assign(marks, probe)
  return true
}

/** The index where the title starts once a zero-padded index at `i` (`007 - `) is skipped; `i` when there is none. */
export const skipIndex = (s: string, i: number): number => {
  if (s.charCodeAt(i) !== 48) return i
  const m = INDEX.exec(i === 0 ? s : s.slice(i))
  return m === null ? i : i + m[0].length
}

/** Returns the index where the title starts after stripping every leading marker of `s`. */
export const stripPrefixes = (s: string, marks: Marks): number => {
  let i = 0
  for (let guard = 0; guard < 6; guard++) {
    const rest = i === 0 ? s : s.slice(i)
    const c = rest.charCodeAt(0)
    let m: RegExpExecArray | null = null
    // Letters, digits and brackets never start a decoration run: skip the regex for them.
    if (!isAsciiWordStart(c)) {
      m = DECORATION.exec(rest)
      if (m !== null && m[0].length > 0 && m[0].length < rest.length) {
        i += m[0].length
        continue
      }
    }
    if (opensGroup(rest)) {
      m = PIPE_GROUP.exec(rest)
      if (m !== null && m[0].length < rest.length) {
        const content = m[1]!
        // Anything short inside leading pipes is a marker; record what we recognise.
        if (allPrefixTokens(content, false, true, marks) || /^[\p{L}\p{N}.+-]{1,5}$/u.test(content)) {
          i += m[0].length
          continue
        }
      }
      break
    }
    if (c === 91 || c === 40) {
      m = SITE_TAG.exec(rest)
      if (m !== null) {
        i += m[0].length
        continue
      }
      m = BRACKET_CODE.exec(rest)
      if (m !== null && m[0].length < rest.length && allPrefixTokens(m[1]!, false, true, marks)) {
        i += m[0].length
        continue
      }
      break
    }
    if (c === 65 && rest.charCodeAt(1) === 43) {
      m = COLLECTION.exec(rest)
      if (m !== null) {
        i += m[0].length
        continue
      }
    }
    // Bare prefixes need a separator within their first ~25 characters.
    const early = separatorsEarly(rest)
    if (early === 0) {
      m = c >= 0x600 && c <= 0x6ff ? AR_LEAD.exec(rest) : null
      if (m !== null) {
        i += m[0].length
        continue
      }
      break
    }
    m = DASH_CODE.exec(rest)
    if (m !== null && applyPrefixToken(m[1]!, true, { ...marks })) {
      applyPrefixToken(m[1]!, true, marks)
      const code = m[2]!.toUpperCase()
      if (m[2] === code && LANGUAGE_CODES.has(code)) applyPrefixToken(code, true, marks)
      i += m[0].length
      continue
    }
    // The common ASCII forms take the simpler expression; the general one only runs when another separator is near.
    m = (early === 1 ? ASCII_BARE : BARE).exec(rest)
    if (m !== null && m[0].length < rest.length && (m[3]!.length > 0 || !HYPHENS_ONLY.test(m[2]!))) {
      if (allPrefixTokens(m[1]!, true, m[2] === "|" || BAR.test(m[2]!), marks)) {
        i += m[0].length
        continue
      }
    }
    m = AR_LEAD.exec(rest)
    if (m !== null) {
      i += m[0].length
      continue
    }
    break
  }
  return i
}
