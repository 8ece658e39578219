#!/usr/bin/env node
// labelled-playlist.mjs - writes an Xtream-style M3U playlist that names the works of the fake TMDB
// world (tmdb-world.json, next to this file) the way provider panels do, and its truth: which work
// each entry is, whether a careful system can tell from the name, and which traps the entry carries.
//
//   node bench/labelled-playlist.mjs --out /tmp/x.m3u --truth /tmp/x.jsonl [--seed 1] [--world FILE]
//
// No dependencies, Node >= 18. Same seed and world => byte-identical output.
// Naming styles follow ../shared/bench/gen-playlist.mjs (its 1.0.0 styles and `real_style:<n>` ones).
//
// Truth rows (JSON lines), one per entry:
//   line             line of the entry's #EXTINF (1-based)
//   name             the entry's name (tvg-name and display name)
//   kind             "movie" | "series"
//   work             stable work key: "movie:<tmdbId>" / "tv:<tmdbId>", or "synthetic:..." for works
//                    that are not in the world
//   tmdbId           the work this entry really is, or null when it is not in the world
//   resolvable       true when a careful system can identify the work from the name (in the world and
//                    not ambiguous)
//   expectAmbiguous  true when the name fits several works of the world (e.g. "The Lion King" with no
//                    year, plain "The Office"): a careful system should refuse; tmdbId still says which
//                    work the entry really is
//   traps            trap types this entry exercises (keys of the world's `traps`)
//   url, group, title, year, country, lang, season, episode: what the name shows (title without the
//                    provider's decorations, year shown or null, country hint or null, section language)
import fs from 'node:fs';

// ---------------------------------------------------------------- CLI
function die(msg) { process.stderr.write(`labelled-playlist: ${msg}\n`); process.exit(2); }
function parseArgs(argv) {
  const o = { seed: '1', out: null, truth: null, world: new URL('./tmdb-world.json', import.meta.url), host: 'provider.example:8080' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => { if (i + 1 >= argv.length) die(`missing value for ${a}`); return argv[++i]; };
    switch (a) {
      case '--seed': o.seed = String(v()); break;
      case '--out': case '-o': o.out = v(); break;
      case '--truth': o.truth = v(); break;
      case '--world': o.world = v(); break;
      case '--host': o.host = v(); break;
      case '--help': case '-h':
        process.stdout.write('labelled-playlist.mjs --out FILE.m3u --truth FILE.jsonl [--seed S] [--world tmdb-world.json] [--host H]\n');
        process.exit(0); break;
      default: die(`unknown option ${a} (see --help)`);
    }
  }
  if (!o.out || !o.truth) die('--out and --truth are required');
  return o;
}

// ---------------------------------------------------------------- PRNG (cyrb128 -> sfc32, as gen-playlist.mjs)
function cyrb128(str) {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067); h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213); h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067); h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213); h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4; h2 ^= h1; h3 ^= h1; h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
class Rng {
  constructor(seed) {
    let [a, b, c, d] = cyrb128(String(seed));
    this.f = () => {
      a |= 0; b |= 0; c |= 0; d |= 0;
      const t = (((a + b) | 0) + d) | 0; d = (d + 1) | 0;
      a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    };
    for (let i = 0; i < 12; i++) this.f();
  }
  next() { return this.f(); }
  int(n) { return Math.floor(this.f() * n); }
  range(a, b) { return a + this.int(b - a + 1); }
  chance(p) { return this.f() < p; }
  pick(arr) { return arr[this.int(arr.length)]; }
  w(list) { // [[value, weight], ...]
    let t = 0; for (const x of list) t += x[1];
    let r = this.f() * t;
    for (const x of list) { r -= x[1]; if (r < 0) return x[0]; }
    return list[list.length - 1][0];
  }
}

// ---------------------------------------------------------------- titles
// how titles compare when deciding whether a name fits several works (case, accents, punctuation ignored)
const norm = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/&/g, ' and ')
  .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const ARTICLES = /^(the|a|an|le|la|les|l|der|die|das|el|los|las|il|lo|gli|i|de|het)\s+/;
const normArt = (s) => norm(s).replace(ARTICLES, '');
const isNumericTitle = (t) => /^\d/.test(t) || /(^|\D)(1[89]\d\d|20\d\d)(\D|$)/.test(t);
const asciiWords = (t) => /^[A-Za-z]+( [A-Za-z]+)*$/.test(t);     // survives scene-style dots unchanged
const caseSafe = (t) => t.toUpperCase().toLowerCase() === t.toLowerCase() && /^[\x20-\x7E\u00C0-\u017F]*$/.test(t);
// Whole script blocks as ranges (Indic blocks start with combining marks, which the rule mistakes for one character).
// eslint-disable-next-line no-misleading-character-class
const NON_LATIN = /[\u0400-\u04FF\u0600-\u06FF\u0900-\u0DFF\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]/;
const pad2 = (n) => (n < 10 ? `0${n}` : String(n));

// ---------------------------------------------------------------- sections (language profiles of a panel)
const G = { // genre-less category names, per section
  EN: { movie: [['EN| MOVIES', 3], ['Movies: Action', 1], ['|EN| TOP MOVIES', 2], ['EN - NETFLIX MOVIES', 1.5], ['VOD - NEW ADDED [EN]', 1], ['Movies | Prime Video', 0.5]],
    series: [['ENGLISH SERIES', 2], ['|EN| SERIES', 1], ['EN| NETFLIX SERIES', 2], ['Series | HBO Max', 0.7], ['All Series', 0.5]] },
  FR: { movie: [['FR| FILMS', 3], ['FR: FILMS - Action', 2], ['FR| FILMS 4K UHD', 0.7], ['VOD FR - Comédie', 1], ['FR: NOUVEAUTÉS', 1]],
    series: [['FR| SÉRIES', 2], ['Séries NETFLIX', 3], ['FR: SÉRIES - Drame', 1], [' Séries | CANAL+', 0.5]] },
  DE: { movie: [['DE: FILME - Action', 2], ['DE| KOMÖDIE FILME', 1], ['|DE| NETFLIX FILME', 1], ['DE ➾ Drama', 0.5]],
    series: [['DE | SERIEN', 2], ['DE| SERIEN - NETFLIX', 2], ['DE ➾ Serien Krimi', 0.5]] },
  ES: { movie: [['ES| PELÍCULAS ACCIÓN', 3], ['LATINO | PELÍCULAS DRAMA', 1], ['[VC] CINE COMEDIA', 0.5]],
    series: [['ES| SERIES NETFLIX', 3], ['ES| SERIES - LATINO', 1]] },
  IT: { movie: [['IT| FILM - AZIONE', 3], ['IT| FILM NETFLIX', 1]], series: [['IT| SERIE TV', 2], ['IT| SERIE TV NETFLIX', 1]] },
  NL: { movie: [['NL| FILMS ACTIE', 2], ['NL | NETFLIX FILMS', 1]], series: [['NL| SERIES', 1]] },
  PT: { movie: [[' Filmes | Legendados', 2], ['BR| FILMES DUBLADOS', 2]], series: [['BR| SÉRIES DUBLADAS', 2], [' Séries | Legendadas', 1]] },
  PL: { movie: [['PL| FILMY AKCJA', 2], ['VOD PL - Komedia', 1]], series: [['PL| SERIALE NETFLIX', 1], ['PL| SERIALE', 1]] },
  TR: { movie: [['TR| YABANCI FİLMLER (TÜRKÇE DUBLAJ)', 2]], series: [['TR| YABANCI DİZİLER', 2]] },
  AR: { movie: [['AR:SUBT أفلام مترجمة', 3], ['AR| DUBBED MOVIES مدبلج', 1]], series: [['AR| SERIES مترجمة', 2]] },
  ASIA: { movie: [['KR| K-MOVIES', 1], ['JP| ANIME MOVIES アニメ映画', 1], ['ASIA| CHINESE MOVIES 华语电影', 1]],
    series: [['KR| K-DRAMA', 1], ['JP| ANIME アニメ', 1], ['ASIA| C-DRAMA 中国电视剧', 1]] },
};
// the section a work's own language lives in, and the category names for local productions
const NATIVE = { en: 'EN', fr: 'FR', de: 'DE', es: 'ES', it: 'IT', nl: 'NL', pt: 'PT', pl: 'PL', tr: 'TR', ar: 'AR', ko: 'ASIA', ja: 'ASIA', zh: 'ASIA' };
const NATIVE_GROUP = {
  movie: { TR: 'TR| YERLİ FİLMLER', AR: '|AR| أفلام عربية', FR: 'FR| FILMS FRANÇAIS', DE: 'DE: DEUTSCHE FILME', ES: 'ES| CINE ESPAÑOL', IT: 'IT| CINEMA ITALIANO' },
  series: { TR: 'TR| YERLİ DİZİLER', AR: 'AR| مسلسلات عربية', FR: 'FR| SÉRIES FRANÇAISES', DE: 'DE| DEUTSCHE SERIEN', ES: 'ES| SERIES ESPAÑOLAS', IT: 'IT| SERIE ITALIANE' },
};
const SECTIONS = {
  EN: { w: 30, prefixes: [['', 4], ['EN - ', 3], ['EN| ', 1], ['|EN| ', 1], ['EN: ', 0.5], ['ENG - ', 0.3]], lt: [['', 10], ['MULTI-SUB', 0.5], ['DUAL', 0.3]] },
  FR: { w: 22, prefixes: [['', 5], ['FR - ', 3], ['FR: ', 1], ['FR| ', 1], ['|FR| ', 0.7], ['VOD FR - ', 0.4]], lt: [['MULTI', 4], ['VOSTFR', 1.2], ['VF', 1], ['VFF', 0.4], ['', 3]] },
  DE: { w: 12, prefixes: [['DE - ', 3], ['DE: ', 3], ['|DE| ', 1], ['', 2]], lt: [['', 10], ['OmU', 0.5]] },
  ES: { w: 8, prefixes: [['ES - ', 2], ['ES| ', 2], ['', 3], ['LAT - ', 0.7]], lt: [['', 8], ['LATINO', 1.5], ['CASTELLANO', 1]] },
  IT: { w: 6, prefixes: [['IT - ', 2], ['IT: ', 2], ['', 2]], lt: [['', 8], ['SUB ITA', 1]] },
  NL: { w: 3, prefixes: [['NL | ', 2], ['', 1]], lt: [['', 1]] },
  PT: { w: 4, prefixes: [['', 1]], lt: [['', 1]] },
  PL: { w: 3, prefixes: [['', 1]], lt: [['', 1]] },
  TR: { w: 4, prefixes: [['TR: ', 2], ['|TR| ', 1], ['TR - ', 1], ['', 2]], lt: [['', 6], ['TÜRKÇE DUBLAJ', 1.5], ['ALTYAZILI', 1]] },
  AR: { w: 5, prefixes: [['', 4], ['AR - ', 2], ['|AR| ', 2], ['AR: ', 1]], lt: [['', 6], ['SUBT AR', 3], ['مترجم', 1], ['مدبلج', 0.7]] },
  ASIA: { w: 0, prefixes: [['', 1]], // prefix by the work's language: ASIA_TAG
    lt: [['', 3], ['VOSTFR', 1.5], ['MULTI-SUB', 1]] },
};
const ALT_SECTION = { US: 'EN', GB: 'EN', IN: 'EN' };
// the Asian sections are split by language: K-dramas, anime, C-dramas
const ASIA_TAG = { ko: 'KR| ', ja: 'JP| ', zh: 'CN| ' };
const ASIA_GROUP_RE = { ko: /^KR/, ja: /^JP/, zh: /^ASIA/ };
function asiaFilter(list, sec, w) {
  if (sec !== 'ASIA') return list;
  const re = ASIA_GROUP_RE[w.lang];
  const f = re ? list.filter(([g]) => re.test(g)) : [];
  return f.length ? f : list;
}
const SEC_LANG = { EN: 'en', FR: 'fr', DE: 'de', ES: 'es', IT: 'it', NL: 'nl', PT: 'pt', PL: 'pl', TR: 'tr', AR: 'ar', ASIA: null };
const QUALITY = [['', 28], ['FHD', 22], ['HD', 18], ['4K', 8], ['SD', 4], ['1080p', 6], ['720p', 4], ['UHD', 2], ['HEVC', 2]];
const PLATFORM = ['NF', 'D+', 'AMZ', 'HBO', 'ATV+', 'P+'];
const SCENE_SRC = ['WEB-DL', 'BluRay', 'WEBRip', 'HDTV'];
const SCENE_CODEC = ['x264', 'x265', 'H264', 'HEVC'];
const SCENE_GRP = ['NOGRP', 'EVO', 'YTS', 'RARBG'];
const HDR = ['4K HDR10+ Dolby A/V', '4K DV HDR10 Atmos', '2160p HDR10+ DDP5.1', '1080p HDR DTS-HD'];

// ---------------------------------------------------------------- synthetic works (not in the world)
const S = (s) => s.split('|');
const EN_ADJ = S('Silent|Broken|Hidden|Crimson|Frozen|Burning|Forgotten|Bitter|Distant|Electric|Hollow|Midnight|Restless|Shattered|Sleeping|Stolen|Twisted|Northern|Rising|Invisible|Endless|Sacred|Lonely|Golden');
const EN_NOUN = S('Harbor|Valley|Witness|Garden|Mirror|Promise|Stranger|Legacy|Signal|Horizon|Letter|Inheritance|Protocol|Sister|Daughter|Castle|Station|Motel|Lighthouse|Orchard|Compass|Lantern|Quarry|Archive');
const EN_PLACE = S('Lisbon|Vienna|Prague|Naples|Montana|Nairobi|Memphis|Marrakech|Dublin|Havana|Oklahoma|Tijuana');
const FR_T = S('Le Secret de Clémence|La Maison du silence|Les Nuits de Provence|Le Voisin oublié|La Promesse de Bretagne|Un hiver à Genève|Le Jardin des Aurélien|La Dernière Saison|Le Trésor du Québec|Les Ombres de Corse');
const DE_T = S('Die stille Brücke|Das Erbe von Görlitz|Der letzte Sommer am Bodensee|Die Spur nach Lübeck|Das Versprechen von Würzburg|Die kalte Insel');
function syntheticTitle(r) {
  switch (r.int(6)) {
    case 0: return `The ${r.pick(EN_ADJ)} ${r.pick(EN_NOUN)}`;
    case 1: return `${r.pick(EN_NOUN)} of ${r.pick(EN_PLACE)}`;
    case 2: return `${r.pick(EN_ADJ)} ${r.pick(EN_NOUN)}s`;
    case 3: return `A ${r.pick(EN_NOUN)} in ${r.pick(EN_PLACE)}`;
    case 4: return r.pick(FR_T);
    default: return r.pick(DE_T);
  }
}

// ---------------------------------------------------------------- the world and its title index
function loadWorld(path) {
  const w = JSON.parse(fs.readFileSync(path, 'utf8'));
  const works = [];
  for (const m of w.movies) works.push({ kind: 'movie', key: `movie:${m.id}`, id: m.id, title: m.title, orig: m.originalTitle, lang: m.originalLanguage, year: Number(m.releaseDate.slice(0, 4)), countries: [], pop: m.popularity, alts: m.alternativeTitles, tr: m.translations });
  for (const t of w.tv) works.push({ kind: 'series', key: `tv:${t.id}`, id: t.id, title: t.name, orig: t.originalName, lang: t.originalLanguage, year: Number(t.firstAirDate.slice(0, 4)), countries: t.originCountry, pop: t.popularity, alts: t.alternativeTitles, tr: t.translations });
  const trapOf = new Map(); // id -> Set of trap types (films and series share one id space in the world)
  for (const [type, ids] of Object.entries(w.traps)) for (const id of ids) {
    if (!trapOf.has(id)) trapOf.set(id, new Set());
    trapOf.get(id).add(type);
  }
  for (const x of works) x.traps = trapOf.get(x.id) || new Set();
  const index = new Map(); // norm(title) -> works
  for (const x of works) {
    const names = new Set([x.title, x.orig, ...x.alts.map((a) => a.title), ...x.tr.map((t) => t.title)].map(norm));
    x.names = names;
    for (const n of names) { if (!index.has(n)) index.set(n, []); index.get(n).push(x); }
  }
  return { works, index };
}
const HINT_COUNTRY = { US: 'US', UK: 'GB' };
// works of the world that a name showing (title, year, country) fits
function candidates(index, kind, title, year, hint) {
  let c = (index.get(norm(title)) || []).filter((x) => x.kind === kind);
  if (hint) c = c.filter((x) => x.countries.includes(HINT_COUNTRY[hint] || hint));
  if (year !== null) {
    const exact = c.filter((x) => x.year === year);
    c = exact.length ? exact : c.filter((x) => Math.abs(x.year - year) === 1);
  }
  return c;
}

// ---------------------------------------------------------------- the builder
class Builder {
  constructor(o, world) {
    this.o = o; this.world = world;
    this.r = new Rng(`labelled-playlist:${o.seed}`);
    this.cats = { movie: [], series: [] }; this.catIndex = new Map();
  }
  cat(kind, group) {
    const k = `${kind}|${group}`;
    let c = this.catIndex.get(k);
    if (!c) { c = { kind, group, items: [] }; this.catIndex.set(k, c); this.cats[kind].push(c); }
    return c;
  }
  // the title a section shows for a work
  titleIn(w, sec) {
    const lg = SEC_LANG[sec], r = this.r;
    const tr = lg ? w.tr.find((t) => t.language === lg) : null;
    if (sec === 'ASIA') return r.chance(0.6) ? w.title : w.orig;
    // a regional alternative title now and then: "Seven (1995)", "Star Wars (1977)", "Der Pate – Teil II"
    const alts = w.alts.filter((a) => (ALT_SECTION[a.country] || a.country) === sec);
    if (alts.length && r.chance(0.2)) return r.pick(alts).title;
    if (w.lang === lg) return w.orig;                                   // a local production: its own title
    if (tr && r.chance(lg === 'en' ? 0.7 : 0.9)) return tr.title;
    if (sec === 'EN') return w.title;
    // other sections: the English title, or the original one when it is in Latin script
    if (!NON_LATIN.test(w.orig) && w.orig !== w.title && r.chance(0.3)) return w.orig;
    return w.title;
  }
  sectionsFor(w, n) {
    const r = this.r;
    const want = [];
    const native = NATIVE[w.lang];
    if (native && native !== 'EN' && !want.includes(native)) want.push(native);
    for (const t of w.tr) { const s = Object.keys(SEC_LANG).find((k) => SEC_LANG[k] === t.language); if (s && !want.includes(s)) want.push(s); }
    if (!want.includes('EN')) want.unshift('EN');
    const out = want.slice(0, n);
    const weights = Object.entries(SECTIONS).map(([k, v]) => [k, k === 'ASIA' ? (native === 'ASIA' ? 8 : 0) : v.w]);
    while (out.length < n) out.push(r.w(weights));
    return out;
  }

  // ---------------- movies
  movieEntries(w, forced) {
    const r = this.r;
    let n = 1 + Math.floor(w.pop / 25) + r.int(3);
    const secs = this.sectionsFor(w, Math.min(8, Math.max(n, Math.min(6, 1 + w.tr.length))));
    n = secs.length;
    const noYearP = w.traps.has('no-year') ? 0.45 : 0.1;
    const obo = w.traps.has('year-off-by-one');
    let madeNoYear = false, madeObo = false;
    for (let i = 0; i < n; i++) {
      const sec = secs[i];
      const last = i === n - 1;
      const title = forced?.title ?? this.titleIn(w, sec);
      let showYear = !(r.chance(noYearP) || (last && w.traps.has('no-year') && !madeNoYear));
      let year = forced?.year ?? w.year;
      if (showYear && obo && sec !== NATIVE[w.lang] && (r.chance(0.45) || (last && !madeObo))) { year = w.year + 1; madeObo = true; }
      if (!showYear) madeNoYear = true;
      this.movieItem(w, sec, title, showYear ? year : null, forced);
    }
  }
  movieItem(w, sec, title, year, forced) {
    const r = this.r, pr = SECTIONS[sec];
    const Y = year;
    const q = r.w(QUALITY);
    let lt = r.w(pr.lt);
    let prefix = r.w(pr.prefixes);
    const yp = Y !== null ? ` (${Y})` : '';
    let name, group = r.w(asiaFilter(G[sec].movie, sec, w)), style;
    if (sec === 'ASIA') prefix = r.chance(0.5) ? '' : ASIA_TAG[w.lang] || '';
    if (NATIVE[w.lang] === sec && NATIVE_GROUP.movie[sec] && r.chance(0.6)) group = NATIVE_GROUP.movie[sec];
    const tags = [q, lt].filter(Boolean).join(' ');
    if (sec === 'PT') { // real_style 19: LEG / DUBLADO markers
      const mk = r.pick(['LEG', 'DUBLADO', '[L]']);
      name = mk === 'DUBLADO' ? `${title} DUBLADO${yp}` : `${title}${yp} ${mk}`;
      style = 'pt';
    } else if (sec === 'PL') { // real_style 12: all caps, ": " written " - "
      const t = caseSafe(title) ? title.replace(/\s*:\s+/g, ' - ').toUpperCase() : title;
      name = `${t}${yp}`; style = 'pl';
    } else if (sec === 'NL') { // real_style 1: player_api pipes
      const R = (2.8 + (w.id % 61) / 10).toFixed(1);
      name = Y !== null ? (r.chance(0.6) ? `NL | ${title} | ${Y} | ${R}` : `${title} | ${Y} | ${R}`) : `NL | ${title}`;
      style = 'pipe';
    } else {
      style = r.w([['year_only', 8], ['xc_paren', sec === 'FR' ? 6 : 1], ['q_before', 2], ['dash_year', 1], ['bare_year', 1], ['brackets', 0.7],
        ['scene', asciiWords(title) && Y !== null ? 0.8 : 0], ['caps', caseSafe(title) ? 0.4 : 0], ['platform', sec === 'EN' ? 1 : 0.2],
        ['q_prefix', sec === 'EN' ? 1 : 0], ['s4a', Y !== null ? 1 : 0], ['s5tag4k', Y !== null && prefix ? 0.5 : 0], ['s6code', Y === null ? 1.5 : 0],
        ['s7hdr', Y !== null ? 0.6 : 0], ['s8open', Y !== null ? 0.4 : 0], ['emoji', 0.2]]);
      const tg = prefix.replace(/[^A-Z]/g, '').slice(0, 2) || sec;
      switch (style) {
        case 'xc_paren': name = `${prefix}${title}${yp}${tags ? ` (${tags})` : ''}`; break;
        case 'q_before': name = `${prefix}${title}${q ? ` ${q}` : ''}${yp}${lt ? ` ${lt}` : ''}`; break;
        case 'dash_year': name = Y !== null ? `${prefix}${title} - ${Y}${tags ? ` ${tags}` : ''}` : `${prefix}${title}${tags ? ` ${tags}` : ''}`; break;
        case 'bare_year': name = `${prefix}${title}${Y !== null ? ` ${Y}` : ''}${tags ? ` ${tags}` : ''}`; break;
        case 'brackets': name = `${prefix}${title}${Y !== null ? ` [${Y}]` : ''}${q ? ` [${q}]` : ''}${lt ? ` [${lt}]` : ''}`; break;
        case 'scene': name = `${title.replace(/ /g, '.')}.${Y}.${q === '4K' || q === 'UHD' ? '2160p' : q === 'HD' || q === '720p' ? '720p' : '1080p'}.${r.pick(SCENE_SRC)}.${r.pick(SCENE_CODEC)}${r.chance(0.5) ? `-${r.pick(SCENE_GRP)}` : ''}`; break;
        case 'caps': name = `${prefix}${title.toUpperCase()}${yp}${tags ? ` ${tags}` : ''}`; break;
        case 'platform': name = `${r.pick(PLATFORM)} - ${title}${yp}${q ? ` ${q}` : ''}`; break;
        case 'q_prefix': name = `${q === '4K' || q === 'UHD' ? '4K' : r.pick(['TOP', 'NEW', 'HOT'])} - ${title}${yp}`; break;
        case 's4a': name = `${prefix}${title} (${lt || 'MULTI'}) ${q || 'FHD'} ${Y}`; break;                    // real_style 4
        case 's5tag4k': name = `|${tg}-4K ${r.pick(['DV', 'HDR', 'HDR10+'])}| ${title}${yp}`; break;           // real_style 5
        case 's6code': name = `4K-${tg} - ${title}`; break;                                                   // real_style 6
        case 's7hdr': name = `${title}${yp} [${r.pick(HDR)}]`; break;                                          // real_style 7
        case 's8open': name = `${prefix}${title} (${Y}`; break;                                               // real_style 8
        case 'emoji': name = `🎬 ${prefix}${title}${yp}${tags ? ` ${tags}` : ''}`; break;
        default: name = `${prefix}${title}${yp}${tags ? ` ${tags}` : ''}`;
      }
    }
    if (r.chance(0.012) && title.includes(' ')) name = name.replace(title, title.replace(' ', '  ')); // real_style 20
    this.push('movie', group, name, w, { title, year: Y, country: null, lang: SEC_LANG[sec], season: null, episode: null, style }, forced);
  }

  // ---------------- series
  seriesEntries(w, forced) {
    const r = this.r;
    const runs = Math.min(3, 1 + (w.pop > 35 ? 1 : 0) + (r.chance(0.4) ? 1 : 0));
    const secs = this.sectionsFor(w, runs);
    const sns = w.traps.has('same-name-series');
    const countryPair = sns && this.world.works.some((x) => x !== w && x.kind === 'series' && x.title === w.title && !x.countries.some((c) => w.countries.includes(c)));
    const modes = [];
    if (sns) { // make sure each same-name series shows up both plain and with a hint
      modes.push('plain', countryPair ? 'paren-country' : 'year');
      if (countryPair) modes.push(r.pick(['bare-country', 'year']));
    }
    const nRuns = Math.max(secs.length, modes.length);
    for (let i = 0; i < nRuns; i++) {
      const sec = secs[i] ?? 'EN';
      let mode = modes[i];
      if (!mode) mode = sns ? r.w([['plain', 3], [countryPair ? 'paren-country' : 'year', 3], [countryPair ? 'bare-country' : 'year', 1.5], ['year', 1]]) : (r.chance(0.12) ? 'year' : 'plain');
      if ((mode === 'paren-country' || mode === 'bare-country') && !countryPair) mode = 'year';
      const title = forced?.title ?? (mode === 'plain' || mode === 'year' || sec === 'EN' ? this.titleIn(w, sec) : w.title);
      this.seriesRun(w, sec, title, mode, forced);
    }
  }
  seriesRun(w, sec, title, mode, forced) {
    const r = this.r, pr = SECTIONS[sec];
    const seasons = forced?.seasons ?? Math.max(0, w.seasons ?? 3);
    const hint = mode === 'paren-country' || mode === 'bare-country' ? (w.countries.includes('GB') ? 'UK' : w.countries[0]) : null;
    const C = hint ? (mode === 'paren-country' ? ` (${hint})` : ` ${hint}`) : '';
    const Y = mode === 'year' ? (forced?.year ?? w.year) : null;
    const YP = Y !== null ? ` (${Y})` : '';
    let prefix = sec === 'ASIA' ? (r.chance(0.5) ? '' : ASIA_TAG[w.lang] || '') : r.w(pr.prefixes);
    const q = r.w([['', 12], ['FHD', 2], ['HD', 1.5], ['4K', 0.7], ['1080p', 0.3]]);
    const lt = r.w(pr.lt);
    const T = [q, lt].filter(Boolean).join(' ');
    let group = r.w(asiaFilter(G[sec].series, sec, w));
    if (NATIVE[w.lang] === sec && NATIVE_GROUP.series[sec] && r.chance(0.6)) group = NATIVE_GROUP.series[sec];
    let kind = seasons === 0 ? 'abs' : r.w([['xc', 10], ['compact', 3], ['x', 1], ['long', sec === 'FR' || sec === 'DE' || sec === 'ES' ? 2 : 0],
      ['scene', asciiWords(title) && !C ? 0.6 : 0], ['tr_ep', sec === 'TR' ? 3 : 0], ['ar_ep', sec === 'AR' ? 3 : 0], ['pt', sec === 'PT' ? 10 : 0], ['pl', sec === 'PL' ? 10 : 0]]);
    if (Y !== null && (kind === 'tr_ep' || kind === 'ar_ep' || kind === 'scene' || kind === 'long')) kind = 'xc';
    if (sec === 'PT' || sec === 'PL' || sec === 'NL') prefix = '';
    const nEp = 2 + r.int(5);
    const s = seasons === 0 ? null : r.range(1, Math.min(seasons, 12));
    let e0 = seasons === 0 ? r.range(1, 900) : 1;
    for (let k = 0; k < nEp; k++) {
      const e = e0 + k, ss = s === null ? null : pad2(s), ee = pad2(e);
      let name;
      switch (kind) {
        case 'abs': name = `${prefix}${title}${YP}${C} E${e < 100 ? pad2(e) : e}${T ? ` ${T}` : ''}`; break;
        case 'compact': name = `${prefix}${title}${YP}${C} S${ss}E${ee}${T ? ` ${T}` : ''}`; break;
        case 'x': name = `${prefix}${title}${YP}${C} ${s}x${ee}${T ? ` ${T}` : ''}`; break;
        case 'long': name = sec === 'FR' ? `${prefix}${title} Saison ${s} Episode ${e}` : sec === 'DE' ? `${prefix}${title} Staffel ${s} Folge ${e}` : `${prefix}${title} Temporada ${s} Capítulo ${e}`; break;
        case 'scene': name = `${title.replace(/ /g, '.')}.S${ss}E${ee}.${r.pick(['720p', '1080p'])}.${r.pick(SCENE_SRC)}.${r.pick(SCENE_CODEC)}`; break;
        case 'tr_ep': name = `${prefix}${title} ${e}. Bölüm${s > 1 ? ` (${s}. Sezon)` : ''}`; break;
        case 'ar_ep': name = s > 1 ? `${prefix}مسلسل ${title} الموسم ${s} الحلقة ${e}` : `${prefix}مسلسل ${title} الحلقة ${e}`; break;
        case 'pt': name = `${title}${YP}${C} (${r.pick(['LEG', 'DUB'])}) S${ss} E${ee}`; break;                 // real_style 3 + 19
        case 'pl': name = `${caseSafe(title) ? title.toUpperCase() : title}${YP}${C} S${ss} E${ee}`; break;   // real_style 12
        default: name = `${prefix}${title}${YP}${C} S${ss} E${ee}${T ? ` ${T === 'MULTI' ? '(MULTI)' : T}` : ''}`;
      }
      this.push('series', group, name, w, { title, year: Y, country: hint, lang: SEC_LANG[sec], season: s, episode: e, style: kind }, forced);
    }
  }

  push(kind, group, name, w, shown, forced) {
    const c = this.cat(kind, group);
    c.items.push({ kind, name, w, shown, forced });
  }

  // ---------------- truth for one entry
  truth(it) {
    const { w, shown, forced } = it;
    const idx = this.world.index;
    if (forced) { // not in the world
      const c = candidates(idx, it.kind, shown.title, shown.year, shown.country);
      if (c.length) throw new Error(`synthetic "${shown.title}" (${shown.year}) fits a world work`);
      return { work: forced.key, tmdbId: null, resolvable: false, expectAmbiguous: false, traps: forced.traps };
    }
    const c = candidates(idx, it.kind, shown.title, shown.year, shown.country);
    if (!c.includes(w)) throw new Error(`entry "${it.name}" does not fit its own work ${w.key}`);
    const amb = c.length > 1;
    const traps = [];
    const has = (t) => w.traps.has(t);
    if (has('remake')) traps.push('remake');
    if (has('sequel-number')) traps.push('sequel-number');
    if (isNumericTitle(shown.title)) traps.push('numeric-title');
    const base = new Set([w.title, w.orig].map(normArt));
    if (!base.has(normArt(shown.title))) traps.push('translation-only');
    if (has('same-name-series')) traps.push('same-name-series');
    if (has('film-vs-series')) traps.push('film-vs-series');
    if (shown.year !== null && shown.year === w.year + 1) traps.push('year-off-by-one');
    if (shown.year === null && (it.kind === 'movie' || has('no-year') || has('same-name-series'))) traps.push('no-year');
    if (has('decoy')) traps.push('decoy');
    return { work: w.key, tmdbId: w.id, resolvable: !amb, expectAmbiguous: amb, traps };
  }

  build() {
    const r = this.r, { works, index } = this.world;
    for (const w of works) {
      if (w.kind === 'movie') this.movieEntries(w, null);
      else { w.seasons = SEASONS_BY_NAME[`${w.title}|${w.year}`] ?? 3; this.seriesEntries(w, null); }
    }
    // works that are not in the world: synthetic titles, and famous titles with a year no work of that title has
    const taken = new Set();
    let nMovie = 0, nSeries = 0;
    while (nMovie < 70 || nSeries < 18) {
      const kind = nMovie < 70 ? 'movie' : 'series';
      const title = syntheticTitle(r), year = r.range(1975, 2025);
      const k = `${kind}|${norm(title)}`;
      if (taken.has(k) || index.has(norm(title))) continue;
      taken.add(k);
      const key = `synthetic:${kind}:${norm(title).replace(/ /g, '-')}-${year}`;
      const fw = { id: 0, title, orig: title, lang: 'en', year, pop: 10 + r.int(30), tr: [], alts: [], traps: new Set(), countries: ['US'], key };
      const forced = { key, title, year, traps: [], seasons: 1 + r.int(3) };
      if (kind === 'movie') { nMovie++; this.movieEntries(fw, forced); } else { nSeries++; this.seriesEntries(fw, forced); }
    }
    // short, generic titles only ("Inception (1995)"): another, unknown film of that name is plausible
    const famous = works.filter((x) => x.kind === 'movie' && x.pop > 30 && (index.get(norm(x.title)) || []).length === 1
      && /^[A-Za-z' ]+$/.test(x.title) && x.title.split(' ').length <= 2);
    let nFamous = 0;
    for (let tries = 0; nFamous < 14 && tries < 500; tries++) {
      const x = r.pick(famous);
      const year = x.year + (r.chance(0.5) ? -1 : 1) * r.range(6, 20);
      if (year > 2025 || year < 1930) continue;
      const key = `synthetic:movie:${norm(x.title).replace(/ /g, '-')}-${year}`;
      if (taken.has(key)) continue;
      taken.add(key); nFamous++;
      const fw = { id: 0, title: x.title, orig: x.title, lang: 'en', year, pop: 5, tr: [], alts: [], traps: new Set(), countries: [], key };
      // the name always shows the (wrong) year: without it the title would fit the world's work
      const forced = { key, title: x.title, year, traps: ['decoy'] };
      this.movieItem(fw, r.pick(['EN', 'EN', 'FR', 'DE']), x.title, year, forced);
    }
  }
}

// seasons per series, for episode numbers only (the world does not carry them): the generator's counts for
// its own series, rough ones for the others; 0 = absolute numbering (long-running anime)
const SEASONS_BY_NAME = {
  "Band of Brothers|2001": 1, "Hunter with a Scalpel|2025": 1, "Sons of Anarchy|2008": 7,
  "Malcolm in the Middle|2000": 7, "Breaking Bad|2008": 5, "Game of Thrones|2011": 8, "The Office|2005": 9,
  "The Office|2001": 2, "Shameless|2011": 11, "Young Sheldon|2017": 7, "RuPaul's Drag Race All Stars|2012": 9,
  "Spartan: Ultimate Team Challenge|2016": 2, "Star Wars: Visions|2021": 3, "1899|2022": 1, "1923|2022": 2,
  "1883|2021": 1, "1670|2023": 2, "9-1-1|2018": 8, "24|2001": 8, "3%|2016": 4, "11.22.63|2016": 1,
  "13 Reasons Why|2017": 4, "The 100|2014": 7, "Dark|2017": 3, "Money Heist|2017": 5, "Lupin|2021": 3,
  "Squid Game|2021": 3, "Crash Landing on You|2019": 1, "The Glory|2022": 1, "Three-Body|2023": 1,
  "The Untamed|2019": 1, "Shōgun|2024": 1, "Stranger Things|2016": 5, "Wednesday|2022": 2,
  "How I Met Your Mother|2005": 9, "Friends|1994": 10, "Grey's Anatomy|2005": 21,
  "Law & Order: Special Victims Unit|1999": 26, "CSI: Crime Scene Investigation|2000": 15,
  "NCIS: Los Angeles|2009": 14, "The Walking Dead|2010": 11, "Peaky Blinders|2013": 6, "Vikings: Valhalla|2022": 3,
  "House of the Dragon|2022": 2, "The Last of Us|2023": 2, "The Boys|2019": 4, "Call My Agent!|2015": 4,
  "The Bureau|2015": 5, "HPI|2021": 4, "Plus belle la vie|2004": 18, "Babylon Berlin|2017": 4,
  "How to Sell Drugs Online (Fast)|2019": 3, "Gomorrah|2014": 5, "Mare fuori|2020": 4, "Elite|2018": 8,
  "Kuruluş: Osman|2019": 6, "Resurrection: Ertugrul|2014": 5, "Golden Boy|2022": 3, "Al Hayba|2017": 5,
  "Bab Al-Hara|2006": 13, "The Assassins|2024": 1, "The Boy's Word: Blood on the Asphalt|2023": 1, "Метод|2015": 2,
  "Borgen|2010": 4, "One Piece|1999": 0, "Naruto Shippuden|2007": 0, "Attack on Titan|2013": 4, "Dr. Stone|2019": 4,
  "Mr. Robot|2015": 4, "Marvel's Daredevil|2015": 3, "Shameless|2004": 11, "Skins|2007": 7, "Skins|2011": 1,
  "House of Cards|1990": 3, "House of Cards|2013": 6, "Queer as Folk|1999": 2, "Queer as Folk|2000": 5,
  "Life on Mars|2006": 2, "Life on Mars|2008": 1, "Utopia|2013": 2, "Utopia|2020": 1, "Battlestar Galactica|1978": 1,
  "Battlestar Galactica|2004": 4, "Doctor Who|1963": 26, "Doctor Who|2005": 13, "Shōgun|1980": 1,
  "One Piece|2023": 2, "The Twilight Zone|1959": 5, "The Twilight Zone|2019": 2, "Lost in Space|1965": 3,
  "Lost in Space|2018": 3, "Charmed|1998": 8, "Charmed|2018": 4, "Dallas|1978": 14, "Dallas|2012": 3,
  "MacGyver|1985": 7, "MacGyver|2016": 5, "Gossip Girl|2007": 6, "Gossip Girl|2021": 2, "Fargo|2014": 5,
  "Westworld|2016": 4, "Snowpiercer|2020": 4, "Taken|2017": 2, "M*A*S*H|1972": 11, "It|1990": 1, "Hannibal|2013": 3,
  "The Exorcist|2016": 2, "Minority Report|2015": 1, "12 Monkeys|2015": 4, "Limitless|2015": 1, "Teen Wolf|2011": 6,
  "Buffy the Vampire Slayer|1997": 7, "Watchmen|2019": 1, "Lethal Weapon|2016": 3, "Mr. & Mrs. Smith|2024": 1,
  "21 Jump Street|1987": 5, "Mission: Impossible|1966": 7, "Das Boot|2018": 4, "The Avengers|1961": 6,
  "Batman|1966": 3, "Oppenheimer|1980": 1, "Vikings|2013": 6, "NCIS|2003": 22, "CSI: Miami|2002": 10,
  "CSI: Vegas|2021": 3, "Law & Order|1990": 24, "9-1-1: Lone Star|2020": 5, "How I Met Your Father|2022": 2,
  "Daredevil: Born Again|2025": 1, "Fear the Walking Dead|2015": 8, "24: Live Another Day|2014": 1,
  "Dark Matter|2024": 1, "The Sopranos|1999": 6, "The Wire|2002": 5, "Chernobyl|2019": 1, "The Crown|2016": 6,
  "Better Call Saul|2015": 6, "Succession|2018": 4, "Mad Men|2007": 7, "Lost|2004": 6, "Prison Break|2005": 5,
  "Dexter|2006": 8, "House|2004": 8, "Sherlock|2010": 4, "Black Mirror|2011": 7, "Narcos|2015": 3, "Ozark|2017": 4,
  "The Mandalorian|2019": 3, "True Detective|2014": 4, "The Witcher|2019": 4, "The Simpsons|1989": 36,
  "South Park|1997": 27, "Seinfeld|1989": 9, "The Big Bang Theory|2007": 12, "Twin Peaks|1990": 3,
};

// ---------------------------------------------------------------- emission
async function main() {
  const o = parseArgs(process.argv.slice(2));
  const world = loadWorld(o.world);
  const b = new Builder(o, world);
  b.build();
  const base = `http://${o.host}`;
  const rl = new Rng(`labelled-playlist-layout:${o.seed}`);
  let id = 10000 + rl.int(9000), line = 1;
  const m3u = ['#EXTM3U'], rows = [];
  for (const kind of ['movie', 'series']) {
    for (const c of b.cats[kind]) {
      for (const it of c.items) {
        id += 1 + (rl.chance(0.15) ? rl.int(40) : 0);
        const url = `${base}/${kind}/user/pass/${id}.${rl.chance(0.65) ? 'mkv' : 'mp4'}`;
        const t = b.truth(it);
        m3u.push(`#EXTINF:-1 tvg-id="" tvg-name="${it.name}" tvg-logo="" group-title="${c.group}",${it.name}`, url);
        line += 1;
        const s = it.shown;
        rows.push(JSON.stringify({ line, name: it.name, kind, work: t.work, tmdbId: t.tmdbId, resolvable: t.resolvable, traps: t.traps,
          expectAmbiguous: t.expectAmbiguous, url, group: c.group, title: s.title, year: s.year, country: s.country, lang: s.lang,
          season: s.season, episode: s.episode }));
        line += 1;
      }
    }
  }
  fs.writeFileSync(o.out, m3u.join('\n') + '\n');
  fs.writeFileSync(o.truth, rows.join('\n') + '\n');
  const n = rows.length, amb = rows.filter((x) => x.includes('"expectAmbiguous":true')).length, unres = rows.filter((x) => x.includes('"tmdbId":null')).length;
  process.stderr.write(`labelled-playlist: ${n} entries (${amb} ambiguous by name, ${unres} not in the world) -> ${o.out}, ${o.truth}\n`);
}

main().catch((e) => { process.stderr.write(`labelled-playlist: ${e.stack || e}\n`); process.exit(1); });
