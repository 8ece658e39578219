/**
 * Leading markers: language/country codes, platforms, quality and collection prefixes in all the
 * structural forms providers use (`FR - `, `|FR|`, `||TR||`, `FR|`, `[EN]`, `(FR)`, `┃FR┃`, `VOD FR |`,
 * `4K-NF - `, `4K -SC- `, `HD : `, `lAR|`, `A+ `), plus decorations and site tags.
 * A prefix is only stripped when every token in it is a known marker, so `NCIS : Los Angeles` and
 * `OSS 117 : …` keep their heads.
 */
import { applyPrefixToken, type Marks } from "./tags.js"
import { AMBIGUOUS_BARE_CODES, LANGUAGE_CODES } from "./vocabulary.js"

// `|FR|`, `||TR||`, `┃FR┃`, `|FR-4K HDR10+|`, `|VO|`, `|4K-LEG.|`, `|it|`
const PIPE_GROUP = /^[|┃‖¦]{1,2}\s*([^|┃‖¦]{1,20}?)\s*[|┃‖¦]{1,2}\s*/u
// `FR - `, `FR: `, `FR| `, `VOD FR - `, `4K-AR - `, `EN-CAM - `, `HD : `, `NL | `, `lAR| `, `DE ➾ `
const BARE = /^([\p{L}\p{N}+.]{1,7}(?:[ -][\p{L}\p{N}+.]{1,7}){0,2})\s*(?:([|┃:➾–-])\s+|([|┃:])(?=\S))/u
// `4K -SC- `
const DASH_CODE = /^([\p{L}\p{N}+]{1,4})\s+-([\p{L}]{2,4})-\s+/u
// `[EN] `, `(FR) `, `[VOSTFR] `
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

const hasSeparatorEarly = (s: string): boolean => {
  const n = s.length < 26 ? s.length : 26
  for (let k = 1; k < n; k++) {
    const c = s.charCodeAt(k)
    if (c === 124 || c === 58 || c === 45 || c === 0x2013 || c === 0x279e || c === 0x2503) return true
  }
  return false
}

const allPrefixTokens = (content: string, bare: boolean, separator: string | undefined, marks: Marks): boolean => {
  const tokens = content.split(SPLIT)
  let known = 0
  for (const t of tokens) if (t.length > 0) known++
  if (known === 0) return false
  // A lone ambiguous code (`NO - `) in the bare dash/colon form more likely starts a title.
  if (bare && known === 1 && separator !== "|" && separator !== "┃" && AMBIGUOUS_BARE_CODES.has(content.toUpperCase())) {
    return false
  }
  const probe: Marks = { ...marks }
  for (const t of tokens) {
    if (t.length === 0) continue
    if (!applyPrefixToken(t, bare, probe)) return false
  }
  Object.assign(marks, probe)
  return true
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
    if (c === 124 || c === 0x2503 || c === 0x2016 || c === 0xa6) {
      m = PIPE_GROUP.exec(rest)
      if (m !== null && m[0].length < rest.length) {
        const content = m[1]!
        // Anything short inside leading pipes is a marker; record what we recognise.
        if (allPrefixTokens(content, false, "|", marks) || /^[\p{L}\p{N}.+-]{1,5}$/u.test(content)) {
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
      if (m !== null && m[0].length < rest.length && allPrefixTokens(m[1]!, false, "]", marks)) {
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
    if (!hasSeparatorEarly(rest)) {
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
    m = BARE.exec(rest)
    if (m !== null && m[0].length < rest.length) {
      const sep = m[2] ?? m[3]
      if (allPrefixTokens(m[1]!, true, sep, marks)) {
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
