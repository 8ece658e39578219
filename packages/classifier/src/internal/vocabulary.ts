/**
 * Token vocabularies. Everything here describes *markers* providers put around titles (language and
 * country codes, quality, codecs, subtitle tags, platforms); nothing names a specific title.
 * Keys are upper-cased; lookups upper-case the token first unless noted.
 */
import type { Resolution } from "../Classification.js"

/** Language / country codes written as prefixes or `(XX)` tags, mapped to ISO 639-1. */
export const LANGUAGE_CODES: ReadonlyMap<string, string> = new Map([
  ["FR", "fr"], ["FRA", "fr"], ["FRE", "fr"], ["QC", "fr"], ["VF", "fr"], ["VFF", "fr"], ["VFQ", "fr"],
  ["EN", "en"], ["ENG", "en"], ["UK", "en"], ["GB", "en"], ["US", "en"], ["USA", "en"], ["AU", "en"],
  ["DE", "de"], ["GER", "de"], ["DEU", "de"], ["AT", "de"], ["CH", "de"],
  ["ES", "es"], ["ESP", "es"], ["SPA", "es"], ["LA", "es"], ["LAT", "es"], ["MX", "es"], ["LATINO", "es"],
  ["IT", "it"], ["ITA", "it"],
  ["AR", "ar"], ["ARA", "ar"], ["ARB", "ar"],
  ["TR", "tr"], ["TUR", "tr"],
  ["RU", "ru"], ["RUS", "ru"],
  ["PL", "pl"], ["POL", "pl"],
  ["NL", "nl"], ["NLD", "nl"], ["DUT", "nl"],
  ["PT", "pt"], ["POR", "pt"], ["BR", "pt"],
  ["KR", "ko"], ["KO", "ko"], ["KOR", "ko"],
  ["JP", "ja"], ["JA", "ja"], ["JAP", "ja"],
  ["CN", "zh"], ["ZH", "zh"], ["CHN", "zh"],
  ["SE", "sv"], ["SV", "sv"], ["SWE", "sv"],
  ["DK", "da"], ["DA", "da"], ["DAN", "da"],
  ["NO", "no"], ["NOR", "no"],
  ["FI", "fi"], ["FIN", "fi"],
  ["GR", "el"], ["EL", "el"], ["GRE", "el"],
  ["HU", "hu"], ["HUN", "hu"],
  ["CZ", "cs"], ["CS", "cs"], ["CZE", "cs"],
  ["RO", "ro"], ["ROM", "ro"],
  ["BG", "bg"], ["BUL", "bg"],
  ["HR", "hr"], ["RS", "sr"], ["SR", "sr"],
  ["AL", "sq"], ["SQ", "sq"], ["ALB", "sq"],
  ["IL", "he"], ["HE", "he"], ["HEB", "he"],
  ["IR", "fa"], ["FA", "fa"], ["PER", "fa"],
  ["IN", "hi"], ["HI", "hi"], ["HIN", "hi"],
  ["PK", "ur"], ["UR", "ur"],
  ["TH", "th"], ["VN", "vi"], ["VI", "vi"],
  ["UA", "uk"], ["UKR", "uk"],
  // Smaller sections providers also label by country or language code (ISO 3166 / 639-1 / 639-2).
  ["SK", "sk"], ["SVK", "sk"], ["SLK", "sk"], ["SI", "sl"], ["SL", "sl"], ["SLO", "sl"], ["SLV", "sl"],
  ["MK", "mk"], ["MKD", "mk"], ["BA", "bs"], ["BIH", "bs"], ["BS", "bs"], ["BOS", "bs"], ["CRO", "hr"], ["HRV", "hr"], ["SRB", "sr"],
  ["LT", "lt"], ["LV", "lv"], ["EE", "et"], ["ET", "et"], ["EST", "et"], ["IS", "is"], ["ISL", "is"],
  ["GE", "ka"], ["GEO", "ka"], ["KA", "ka"], ["AM", "hy"], ["ARM", "hy"], ["HY", "hy"], ["AZ", "az"], ["AZE", "az"],
  ["KZ", "kk"], ["KK", "kk"], ["KAZ", "kk"], ["UZ", "uz"], ["UZB", "uz"], ["KU", "ku"], ["KUR", "ku"],
  ["ID", "id"], ["MY", "ms"], ["MS", "ms"], ["MSA", "ms"], ["PH", "tl"], ["TL", "tl"], ["FIL", "tl"],
  ["BD", "bn"], ["BN", "bn"], ["TA", "ta"], ["TAM", "ta"], ["TE", "te"], ["TEL", "te"], ["ML", "ml"], ["PA", "pa"]
])

/**
 * Codes that are also ordinary English words: accepted inside `|XX|` / `[XX]` brackets, but not in the
 * bare `XX - ` form, where they more likely start a title (`NO - …`, `IN - …`).
 */
export const AMBIGUOUS_BARE_CODES: ReadonlySet<string> = new Set(["NO", "IN", "HE", "AL", "SE", "HI", "TH", "VI", "EL", "DA", "SR", "CS", "RO", "HU", "FA", "UR", "SV", "JA", "KO", "ZH", "CH", "AT", "IL", "IR", "PK", "GB", "AU", "VF",
  "IS", "ID", "MY", "MS", "AM", "PA", "TA", "TE", "BA", "BS", "ET", "KA", "KU", "TL", "ML", "BD", "SI", "SL", "GE", "LT", "EE"])

/** Streaming-platform prefixes, mapped to the canonical form reported in `platform`. */
export const PLATFORMS: ReadonlyMap<string, string> = new Map([
  ["NF", "NF"], ["NETFLIX", "NF"], ["D+", "D+"], ["DSNP", "D+"], ["AMZ", "AMZ"], ["PRIME", "AMZ"],
  ["HBO", "HBO"], ["MAX", "HBO"], ["ATV+", "ATV+"], ["ATVP", "ATV+"], ["P+", "P+"], ["PMTP", "P+"],
  ["C+", "C+"], ["SHAHID", "SHAHID"], ["OSN", "OSN"], ["OSN+", "OSN"], ["STZ", "STZ"], ["HULU", "HULU"]
])

/** Resolution words (upper-cased). `HDR`, `HEVC`, codecs, `3D`, `CAM` are deliberately absent. */
export const RESOLUTIONS: ReadonlyMap<string, Resolution> = new Map([
  ["4K", "2160p"], ["UHD", "2160p"], ["2160P", "2160p"], ["ᵁᴴᴰ", "2160p"], ["4KUHD", "2160p"],
  ["FHD", "1080p"], ["1080P", "1080p"], ["FULLHD", "1080p"], ["ᶠᴴᴰ", "1080p"], ["1080I", "1080p"],
  ["HD", "720p"], ["720P", "720p"], ["ᴴᴰ", "720p"], ["HDTV720", "720p"],
  ["SD", "480p"], ["SDTV", "480p"], ["480P", "480p"], ["576P", "480p"], ["ˢᴰ", "480p"]
])

/** Audio-language tags (upper-cased) → ISO 639-1. `DUB`/`DUBLADO` are the Brazilian "dubbed" markers. */
export const AUDIO_TAGS: ReadonlyMap<string, string> = new Map([
  ["VF", "fr"], ["VFF", "fr"], ["VFQ", "fr"], ["VFI", "fr"], ["TRUEFRENCH", "fr"], ["FRENCH", "fr"], ["FRENCHDUB", "fr"],
  ["LATINO", "es"], ["LATI", "es"], ["CASTELLANO", "es"], ["SPANISH", "es"], ["ESPAÑOL", "es"], ["ESPANOL", "es"],
  ["GERMAN", "de"], ["DEUTSCH", "de"],
  ["ITA", "it"], ["ITALIAN", "it"], ["ITALIANO", "it"],
  ["ENGLISH", "en"],
  ["RUSSIAN", "ru"], ["TURKISH", "tr"], ["POLISH", "pl"], ["DUTCH", "nl"], ["ARABIC", "ar"],
  ["DUB", "pt"], ["DUBLADO", "pt"], ["DUBLADA", "pt"], ["DUBLADOS", "pt"], ["DUBLAJ", "tr"], ["مدبلج", "ar"]
])

/** Subtitle tags (upper-cased) → ISO 639-1, `"multi"`, or `""` (the section's language). */
export const SUBTITLE_TAGS: ReadonlyMap<string, string> = new Map([
  ["VOSTFR", "fr"], ["STFR", "fr"], ["VOST", "fr"], ["VOSTA", "ar"],
  ["OMU", "de"], ["UNTERTITEL", "de"],
  ["ALTYAZILI", "tr"], ["ALTYAZI", "tr"],
  ["LEG", "pt"], ["LEGENDADO", "pt"], ["LEGENDADA", "pt"], ["LEGENDADOS", "pt"], ["LEGENDAS", "pt"],
  ["مترجم", "ar"], ["مترجمة", "ar"],
  ["SUBITA", "it"], ["VOSE", "es"], ["SUBESP", "es"],
  ["MULTI-SUB", "multi"], ["MULTI-SUBS", "multi"], ["MULTISUB", "multi"], ["MULTISUBS", "multi"], ["MULTI-SUBTITLES", "multi"]
])

/** Multi-audio markers (upper-cased). */
export const MULTI_TAGS: ReadonlySet<string> = new Set(["MULTI", "DUAL", "MULTI-AUDIO", "MULTIAUDIO", "DUAL-AUDIO"])

/**
 * Other technical tokens (upper-cased) that never belong to a title when they trail it:
 * codecs, HDR flavours, sources, rips, frame rates, editions and provider flags.
 */
export const TECH_TAGS: ReadonlySet<string> = new Set([
  "HEVC", "H264", "H265", "X264", "X265", "H.264", "H.265", "AVC", "AV1", "VP9", "10BIT", "8BIT", "ᴴ²⁶⁵", "ᴴᴱⱽᶜ", "ᴿᴬᵂ", "RAW", "◉",
  "HDR", "HDR10", "HDR10+", "DV", "DOVI", "DOLBY", "VISION", "ATMOS", "A/V", "DTS", "DTS-HD", "AC3", "EAC3", "DD5.1", "DDP5.1", "AAC", "5.1", "7.1", "TRUEHD",
  "WEB", "WEB-DL", "WEBDL", "WEBRIP", "WEB-RIP", "HDTV", "BLURAY", "BLU-RAY", "BDRIP", "BRRIP", "DVDRIP", "HDRIP", "REMUX", "PROPER", "REPACK",
  "CAM", "HDCAM", "HDTS", "TS", "TC", "SCR", "DVDSCR", "LOWQ", "LQ", "HQ",
  "60FPS", "50FPS", "30FPS", "25FPS", "FPS", "3D", "IMAX", "BACKUP", "+18", "18+", "VO", "VOSTA", "SUB", "SUBS", "SUBT", "SUBBED",
  "EXTENDED", "UNRATED", "REMASTERED", "UNCUT", "DIRECTORS", "CUT"
])

/**
 * Stereo layouts of 3D releases (upper-cased): half/full side-by-side, over-under (top-bottom). Any of them in a
 * name makes a trailing `3D` the format, not part of the title.
 */
export const STEREO_LAYOUTS: ReadonlySet<string> = new Set([
  "SBS", "HSBS", "H-SBS", "HALF-SBS", "FSBS", "F-SBS", "FULL-SBS", "3D-SBS", "OU", "HOU", "H-OU", "HALF-OU", "FOU", "F-OU", "FULL-OU", "3D-OU",
  "TAB", "HTAB", "H-TAB", "HALF-TAB", "FULL-TAB", "3D-HSBS", "3D-HOU", "MVC", "ANAGLYPH"
])

/** Words that say "subtitled" before or after a language code in a prefix (`SUB EN - `, `EN-SUBS - `, `MULTI-SUB - `). */
export const SUBTITLE_WORDS: ReadonlySet<string> = new Set(["SUB", "SUBS", "SUBT", "SUBBED", "SUBTITLED", "SUBTITLES", "ST"])

/** Prefix words that are neither language nor platform but mark a collection or quality section. */
export const PREFIX_WORDS: ReadonlySet<string> = new Set(["VOD", "TOP", "NEW", "HOT", "BEST", "A+", "CAM", "3D", "8K", "4K", "UHD", "FHD", "HD", "SD", "HDR", "LEG", "LEG.", "VO", "STFR", "MULTI", "VIP", "HEVC", "SUB", "SUBT", "DUB", "VOSTFR", "VF", "VFF", "VFQ"])

/** Country disambiguators that follow series titles: `The Office (US)`. */
export const COUNTRY_DISAMBIGUATORS: ReadonlySet<string> = new Set(["US", "UK", "AU", "NZ", "CA", "IE", "FR", "DE", "ES", "IT", "BR", "MX", "KR", "JP", "IN", "SE", "DK", "NO", "NL", "BE", "TR"])
