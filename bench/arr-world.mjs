#!/usr/bin/env node
// arr-world.mjs - a labelled world for measuring Radarr/Sonarr plans (issue 14, §4): the labelled playlist of
// labelled-playlist.mjs plus entries for the plan's own traps, a Radarr and a Sonarr library (the wire shapes of
// ../../shared/research/contracts.md §1-2) whose wanted items point into it, the fake TMDB world extended with the
// works those traps need, and for every wanted item the entries that are correct for it.
//
//   node bench/arr-world.mjs --out-dir DIR [--seed 1] [--world bench/tmdb-world.json]
//
// No dependencies, Node >= 18. Same seed and world => byte-identical files. Writes into DIR:
//   playlist.m3u, playlist.truth.jsonl  the playlist and one truth row per entry (fields below)
//   tmdb-world.json                     the world of tmdb-world.json plus the invented works of the new traps
//   radarr.json                         { movies: [MovieResource] }
//   sonarr.json                         { series: [SeriesResource], episodes: [EpisodeResource] }
//   matching.json                       { languages, resolutions, exclude }: the plan's preferences
//   traps.json                          { "<item key>": [trap types] } per wanted item
//   expected.jsonl                      a definition line, then per wanted item the correct entries
//
// Truth rows: line, name, kind ("movie" | "series"), work, tmdbId (the true work or null), resolvable,
// expectAmbiguous (recomputed against the extended world), traps, url, streamId, group, title, year, country,
// lang (ISO 639-1 of the audio language the name or category shows; null when it shows none or only
// subtitles: VOSTFR, SUB ITA, OmU, LEG…), section (the language section of the panel), season,
// episode, episodeEnd (last episode of a double episode, else null), excluded (the name or category matches an
// `exclude` pattern).
//
// Wanted items: Radarr movies that are monitored with no file; Sonarr episodes that are monitored with no file,
// season >= 1. Item keys: `movie:<radarrId>`, `episode:<sonarrEpisodeId>`.
// An entry is CORRECT for an item when its true work is the item's (a movie: kind movie, tmdbId; an episode: kind
// series, the series' tmdbId, the same season and episode <= wanted <= (episodeEnd ?? episode)), its `lang` is
// null or one of `languages`, and it is not `excluded`. An item is FINDABLE when one of its correct entries is
// resolvable (its name fits only its own work): recall is measured over findable items, as bench-enrich.mjs
// measures it over resolvable works.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- CLI
function die(msg) { process.stderr.write(`arr-world: ${msg}\n`); process.exit(2); }
function parseArgs(argv) {
  const o = { seed: '1', outDir: null, world: path.join(here, 'tmdb-world.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => { if (i + 1 >= argv.length) die(`missing value for ${a}`); return argv[++i]; };
    switch (a) {
      case '--seed': o.seed = String(v()); break;
      case '--out-dir': case '-o': o.outDir = v(); break;
      case '--world': o.world = v(); break;
      case '--help': case '-h':
        process.stdout.write('arr-world.mjs --out-dir DIR [--seed S] [--world tmdb-world.json]\n');
        process.exit(0); break;
      default: die(`unknown option ${a} (see --help)`);
    }
  }
  if (!o.outDir) die('--out-dir is required');
  return o;
}

// ---------------------------------------------------------------- PRNG (cyrb128 -> sfc32, as labelled-playlist.mjs)
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
  int(n) { return Math.floor(this.f() * n); }
  range(a, b) { return a + this.int(b - a + 1); }
  chance(p) { return this.f() < p; }
  pick(arr) { return arr[this.int(arr.length)]; }
  w(list) {
    let t = 0; for (const x of list) t += x[1];
    let r = this.f() * t;
    for (const x of list) { r -= x[1]; if (r < 0) return x[0]; }
    return list[list.length - 1][0];
  }
  shuffle(arr) {
    const a = [...arr];
    for (let i = a.length - 1; i > 0; i--) { const j = this.int(i + 1); [a[i], a[j]] = [a[j], a[i]]; }
    return a;
  }
}

// ---------------------------------------------------------------- the plan's preferences
// Patterns hold no comma: STALKEER_MATCHING_EXCLUDE is a comma-separated list. Names write these markers in
// upper case, so a case-sensitive and a case-insensitive reading agree.
const MATCHING = {
  languages: ['en', 'fr', 'de'],
  resolutions: ['1080p', '2160p', '720p', '480p'],
  exclude: ['\\b(HD)?CAM\\b', '\\b(HD)?TS\\b', '\\bTELESYNC\\b'],
};
const EXCLUDE_RE = MATCHING.exclude.map((p) => new RegExp(p, 'i'));
const isExcluded = (name, group) => EXCLUDE_RE.some((re) => re.test(name) || re.test(group));
const allowedLang = (lang) => lang === null || MATCHING.languages.includes(lang);

// ---------------------------------------------------------------- titles (as labelled-playlist.mjs compares them)
const norm = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/&/g, ' and ')
  .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const pad2 = (n) => (n < 10 ? `0${n}` : String(n));
const asciiWords = (t) => /^[A-Za-z]+( [A-Za-z]+)*$/.test(t);
// A folder name as Radarr/Sonarr write it: `A: B` -> `A - B` (the "smart" colon replacement), illegal characters out.
const folder = (t) => t.replace(/\s*:\s+/g, ' - ').replace(/:/g, '-').replace(/[\\/*?"<>|]/g, '').trim();
const sortTitle = (t) => norm(t).replace(/^(the|a|an) /, '');

// ---------------------------------------------------------------- the language an entry's name or category shows
// Subtitle-only markers say the audio is the original one: no language is shown.
const SUBS_ONLY = /\b(VOSTFR|SUB ITA|OmU|ALTYAZILI|SUBT AR|LEG)\b|\[L\]|مترجم/;
const ASIA_PREFIX = { KR: 'ko', JP: 'ja', CN: 'zh' };
function shownLang(row) {
  if (SUBS_ONLY.test(row.name)) return null;
  if (row.lang === null) { // the Asian sections: only a name prefix tells the language
    const m = /^(KR|JP|CN)\| /.exec(row.name);
    return m ? ASIA_PREFIX[m[1]] : null;
  }
  if (/Legendad/i.test(row.group) && !/\bDUB/.test(row.name)) return null;
  return row.lang;
}

// ---------------------------------------------------------------- sections of the added entries
const XSEC = {
  en: { prefixes: ['', 'EN - ', 'EN| '], movie: ['EN| MOVIES', 'VOD - NEW ADDED [EN]'], series: ['ENGLISH SERIES', '|EN| SERIES'] },
  fr: { prefixes: ['FR - ', 'FR: '], movie: ['FR| FILMS', 'FR: NOUVEAUTÉS'], series: ['FR| SÉRIES'] },
  de: { prefixes: ['DE - ', 'DE: '], movie: ['DE: FILME - Action'], series: ['DE | SERIEN'] },
  it: { prefixes: ['IT - ', 'IT: '], movie: ['IT| FILM - AZIONE'], series: ['IT| SERIE TV'] },
  es: { prefixes: ['ES - ', 'ES| '], movie: ['ES| PELÍCULAS ACCIÓN'], series: ['ES| SERIES NETFLIX'] },
  ru: { prefixes: ['RU - ', 'RU| '], movie: ['RU| ФИЛЬМЫ'], series: ['RU| СЕРИАЛЫ'] },
  pl: { prefixes: ['PL - ', 'PL| '], movie: ['PL| FILMY AKCJA'], series: ['PL| SERIALE'] },
  tr: { prefixes: ['TR: ', '|TR| '], movie: ['TR| YABANCI FİLMLER (TÜRKÇE DUBLAJ)'], series: ['TR| YABANCI DİZİLER'] },
};
const OTHER_LANGS = ['it', 'es', 'ru', 'pl', 'tr'];
const NEW_TRAPS = ['wrong-remake-only', 'other-season-only', 'double-episode-only', 'film-and-series', 'excluded-language', 'cam-alongside'];
const CAM_TAGS = ['CAM', 'HDCAM', 'TS', 'HDTS'];

// invented titles: words the labelled playlist's synthetic titles do not use
const S = (s) => s.split('|');
const INV_ADJ = S('Amber|Velvet|Copper|Pale|Scarlet|Wandering|Hushed|Gilded|Ashen|Cobalt|Drifting|Feral|Ivory|Jagged|Tarnished|Unquiet');
const INV_NOUN = S('Meridian|Tidewater|Cartographer|Foundry|Ferryman|Aviary|Kestrel|Lowlands|Almanac|Embers|Cistern|Gallows|Saltmarsh|Tannery|Belfry|Quarryman');
const INV_PLACE = S('Galway|Tallinn|Porto|Ghent|Bergen|Sapporo|Valparaiso|Tangier');
function inventedTitle(r) {
  switch (r.int(3)) {
    case 0: return `The ${r.pick(INV_ADJ)} ${r.pick(INV_NOUN)}`;
    case 1: return `${r.pick(INV_NOUN)} of ${r.pick(INV_PLACE)}`;
    default: return `${r.pick(INV_ADJ)} ${r.pick(INV_NOUN)}`;
  }
}

// ---------------------------------------------------------------- the world
function loadWorld(file) {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const works = [];
  const add = (x) => { works.push(x); return x; };
  for (const m of raw.movies) add({ kind: 'movie', id: m.id, title: m.title, orig: m.originalTitle, lang: m.originalLanguage, year: Number(m.releaseDate.slice(0, 4)), countries: [], pop: m.popularity, imdbId: m.imdbId, tvdbId: null, alts: m.alternativeTitles, tr: m.translations });
  for (const t of raw.tv) add({ kind: 'series', id: t.id, title: t.name, orig: t.originalName, lang: t.originalLanguage, year: Number(t.firstAirDate.slice(0, 4)), countries: t.originCountry, pop: t.popularity, imdbId: t.imdbId, tvdbId: t.tvdbId, alts: t.alternativeTitles, tr: t.translations });
  const trapOf = new Map();
  for (const [type, ids] of Object.entries(raw.traps)) for (const id of ids) {
    if (!trapOf.has(id)) trapOf.set(id, new Set());
    trapOf.get(id).add(type);
  }
  for (const x of works) x.traps = trapOf.get(x.id) ?? new Set();
  return { raw, works, trapOf };
}
const namesOf = (x) => new Set([x.title, x.orig, ...x.alts.map((a) => a.title), ...x.tr.map((t) => t.title)].map(norm));
function indexOf(works) {
  const index = new Map();
  for (const x of works) for (const n of namesOf(x)) {
    if (!index.has(n)) index.set(n, []);
    index.get(n).push(x);
  }
  return index;
}
const HINT_COUNTRY = { US: 'US', UK: 'GB' };
// works of the world that a name showing (title, year, country) fits (labelled-playlist.mjs's rule)
function candidates(index, kind, title, year, hint) {
  let c = (index.get(norm(title)) || []).filter((x) => x.kind === kind);
  if (hint) c = c.filter((x) => x.countries.includes(HINT_COUNTRY[hint] || hint));
  if (year !== null) {
    const exact = c.filter((x) => x.year === year);
    c = exact.length ? exact : c.filter((x) => Math.abs(x.year - year) === 1);
  }
  return c;
}

// seasons per series, as labelled-playlist.mjs numbers its episodes (read from it, so the two never disagree)
function seasonsTable() {
  const src = fs.readFileSync(path.join(here, 'labelled-playlist.mjs'), 'utf8');
  const m = /const SEASONS_BY_NAME = (\{[\s\S]*?\n\});/.exec(src);
  if (!m) throw new Error('SEASONS_BY_NAME not found in labelled-playlist.mjs');
  return JSON.parse(m[1].replace(/,\s*\}$/, '}'));
}

// ---------------------------------------------------------------- the builder
class ArrWorld {
  constructor(o) {
    this.o = o;
    this.r = new Rng(`arr-world:${o.seed}`);
    this.world = loadWorld(o.world);
    this.seasons = seasonsTable();
    this.byId = new Map(this.world.works.map((x) => [x.id, x]));
    this.invented = { movies: [], tv: [] };
    this.extra = []; // added entries: { kind, name, group, work, ..., first }
    const ids = new Set(this.world.works.map((x) => x.id));
    const tvdb = new Set(this.world.works.map((x) => x.tvdbId).filter(Boolean));
    const imdb = new Set(this.world.works.map((x) => x.imdbId).filter(Boolean));
    let nextId = 9990000, nextTvdb = 9990000, nextImdb = 990000;
    this.newId = () => { do nextId++; while (ids.has(nextId)); ids.add(nextId); return nextId; };
    this.newTvdb = () => { do nextTvdb++; while (tvdb.has(nextTvdb)); tvdb.add(nextTvdb); return nextTvdb; };
    this.newImdb = () => { let s; do s = `tt99${String(++nextImdb).padStart(6, '0')}`; while (imdb.has(s)); imdb.add(s); return s; };
  }

  // ---- the labelled playlist of the same seed
  labelled(tmp) {
    const m3u = path.join(tmp, 'labelled.m3u'), jsonl = path.join(tmp, 'labelled.jsonl');
    execFileSync(process.execPath, [path.join(here, 'labelled-playlist.mjs'), '--out', m3u, '--truth', jsonl, '--seed', this.o.seed, '--world', this.o.world], { stdio: ['ignore', 'ignore', 'pipe'] });
    const rows = fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    // the m3u is rebuilt from the truth below: make sure that gives the same lines
    const lines = fs.readFileSync(m3u, 'utf8').split('\n');
    rows.forEach((row, i) => {
      if (lines[1 + 2 * i] !== extinf(row.name, row.group) || lines[2 + 2 * i] !== row.url) throw new Error(`labelled playlist line ${2 + 2 * i} does not match its truth`);
    });
    fs.rmSync(m3u); fs.rmSync(jsonl);
    this.lab = rows.map((row) => ({
      ...row, streamId: streamIdOf(row.url), section: row.lang, lang: shownLang(row), episodeEnd: null,
      excluded: isExcluded(row.name, row.group),
    }));
    for (const row of this.lab) if (row.excluded) throw new Error(`labelled entry "${row.name}" matches an exclude pattern`);
  }

  // ---- invented works (ids >= 9990000, IMDb tt999xxxxx): what the new traps need and the world lacks
  inventMovie(title, year, { orig = title, translations = [], pop = 8 } = {}) {
    const m = { id: this.newId(), title, originalTitle: orig, originalLanguage: 'en', releaseDate: `${year}-06-15`, popularity: pop, imdbId: this.newImdb(), alternativeTitles: [], translations };
    this.invented.movies.push(m);
    const w = { kind: 'movie', id: m.id, title, orig, lang: 'en', year, countries: [], pop, imdbId: m.imdbId, tvdbId: null, alts: [], tr: translations, traps: new Set(), invented: true };
    this.world.works.push(w); this.byId.set(w.id, w);
    return w;
  }
  inventSeries(title, year) {
    const t = { id: this.newId(), name: title, originalName: title, originalLanguage: 'en', firstAirDate: `${year}-09-20`, originCountry: ['US'], popularity: 6, imdbId: this.newImdb(), tvdbId: this.newTvdb(), alternativeTitles: [], translations: [] };
    this.invented.tv.push(t);
    const w = { kind: 'series', id: t.id, title, orig: title, lang: 'en', year, countries: ['US'], pop: 6, imdbId: t.imdbId, tvdbId: t.tvdbId, alts: [], tr: [], traps: new Set(), invented: true };
    this.world.works.push(w); this.byId.set(w.id, w);
    return w;
  }

  // ---- added entries
  titleIn(w, lang) {
    if (lang === 'en') return w.title;
    const tr = w.tr.find((t) => t.language === lang);
    return tr ? tr.title : w.title;
  }
  movieEntry(w, lang, { year = w.year, cam = false, first = true, traps = [] } = {}) {
    const r = this.r, sec = XSEC[lang];
    const title = this.titleIn(w, lang);
    const prefix = r.pick(sec.prefixes);
    const q = cam ? '' : r.w([['', 3], ['FHD', 3], ['HD', 2], ['4K', 1], ['1080p', 1]]);
    const camTag = cam ? r.pick(CAM_TAGS) : '';
    const yp = year !== null ? ` (${year})` : '';
    // a name without any language marker is written only where the category names the language
    const style = r.w([['plain', 5], ['brackets', 1.5], ['dash', year !== null ? 1 : 0], ['scene', year !== null && asciiWords(title) && lang === 'en' ? 1 : 0]]);
    let name;
    switch (style) {
      case 'brackets': name = `${prefix}${title}${year !== null ? ` [${year}]` : ''}${q ? ` [${q}]` : ''}${camTag ? ` [${camTag}]` : ''}`; break;
      case 'dash': name = `${prefix}${title} - ${year}${q ? ` ${q}` : ''}${camTag ? ` ${camTag}` : ''}`; break;
      case 'scene': name = `${title.replace(/ /g, '.')}.${year}.${camTag || (q === '4K' ? '2160p' : q === 'HD' ? '720p' : '1080p')}.${r.pick(['WEB-DL', 'BluRay', 'WEBRip'])}.x264`; break;
      default: name = `${prefix}${title}${yp}${q ? ` ${q}` : ''}${camTag ? ` ${camTag}` : ''}`;
    }
    const group = r.pick(sec.movie);
    this.extra.push({ kind: 'movie', name, group, w, title, year, country: null, lang, season: null, episode: null, episodeEnd: null, traps, first });
  }
  episodeEntry(w, lang, season, episode, { episodeEnd = null, traps = [], style = null } = {}) {
    const r = this.r, sec = XSEC[lang];
    const title = this.titleIn(w, lang);
    const prefix = lang === 'en' ? r.pick(['', 'EN - ', '|EN| ']) : sec.prefixes[0];
    const ss = pad2(season), ee = pad2(episode);
    let name;
    if (episodeEnd !== null) {
      const e2 = pad2(episodeEnd);
      switch (style ?? r.int(3)) {
        case 0: name = `${prefix}${title} S${ss}E${ee}-E${e2}`; break;
        case 1: name = `${prefix}${title} S${ss}E${ee}E${e2}`; break;
        default: name = `${prefix}${title} S${ss} E${ee}-E${e2}`;
      }
    } else {
      const long = lang === 'fr' ? `Saison ${season} Episode ${episode}` : lang === 'de' ? `Staffel ${season} Folge ${episode}` : lang === 'es' ? `Temporada ${season} Capítulo ${episode}` : null;
      switch (style ?? r.w([['xc', 5], ['compact', 3], ['long', long ? 1.5 : 0]])) {
        case 'compact': name = `${prefix}${title} S${ss}E${ee}`; break;
        case 'long': name = `${prefix}${title} ${long}`; break;
        default: name = `${prefix}${title} S${ss} E${ee}`;
      }
    }
    this.extra.push({ kind: 'series', name, group: sec.series[0], w, title, year: null, country: null, lang, season, episode, episodeEnd, traps, first: false });
  }

  // ---- Radarr: which films are in the library, which are wanted, and the new traps' films
  radarrLibrary() {
    const r = this.r;
    const index = indexOf(this.world.works);
    const films = this.world.works.filter((x) => x.kind === 'movie');
    const unique = (x) => (index.get(norm(x.title)) || []).length === 1 && !x.traps.has('film-vs-series') && !x.traps.has('remake')
      && !x.traps.has('decoy') && !x.traps.has('sequel-number') && asciiWords(x.title);
    const used = new Set();
    const take = (list, n) => { const out = []; for (const x of list) { if (out.length >= n) break; if (!used.has(x.id)) { used.add(x.id); out.push(x); } } return out; };
    // a well-known film whose other version Radarr wants: the provider has only this one
    const remakeSources = take(r.shuffle(films.filter((x) => unique(x) && x.pop > 20)), 8);
    // a wanted film whose title is also an (invented) series in the playlist
    const filmsWithSeries = take(r.shuffle(films.filter((x) => unique(x) && x.year <= 2015)), 6);
    const wanted = [...filmsWithSeries];
    for (const trap of ['remake', 'sequel-number', 'numeric-title', 'film-vs-series', 'year-off-by-one', 'no-year', 'decoy', 'translation-only']) {
      wanted.push(...take(r.shuffle(films.filter((x) => x.traps.has(trap))), 16));
    }
    wanted.push(...take(r.shuffle(films), 125 - wanted.length));
    const withFile = [...remakeSources.slice(0, 4), ...take(r.shuffle(films), 51)];
    const unmonitored = take(r.shuffle(films), 20);

    // wrong-remake-only: another version (same title, another year) that the playlist does not have
    const newWanted = [];
    for (const src of remakeSources) {
      let year;
      do year = src.year + (r.chance(0.5) ? -1 : 1) * r.range(9, 30); while (year < 1940 || year > 2024);
      newWanted.push(this.inventMovie(src.title, year, { orig: src.orig, translations: src.tr.map((t) => ({ ...t })) }));
      // more of the version the provider has, with and without its year, first in the playlist
      this.movieEntry(src, 'en', { traps: ['wrong-remake-only'] });
      this.movieEntry(src, r.pick(['en', 'fr', 'de']), { year: null, traps: ['wrong-remake-only'] });
    }
    // film-and-series: an invented series named like a wanted film, with a run of episodes
    for (const film of filmsWithSeries) {
      const s = this.inventSeries(film.title, Math.min(2024, film.year + r.range(3, 12)));
      const lang = r.pick(['en', 'en', 'fr', 'de']);
      for (let e = 1; e <= 4; e++) this.episodeEntry(s, lang, 1, e, { traps: ['film-and-series'] });
    }
    // excluded-language: films the provider has only in other languages, or only as cam rips
    const taken = new Set([...index.keys(), ...this.lab.map((x) => norm(x.title))]);
    for (let i = 0; i < 10; i++) {
      let title;
      do title = inventedTitle(r); while (taken.has(norm(title)));
      taken.add(norm(title));
      const w = this.inventMovie(title, r.range(2005, 2024));
      newWanted.push(w);
      const only = i < 6 ? 'language' : i < 9 ? 'cam' : 'both';
      const n = r.range(2, 3);
      for (let k = 0; k < n; k++) {
        const cam = only === 'cam' || (only === 'both' && k === 0);
        const lang = cam ? r.pick(['en', 'en', 'fr', 'de']) : r.pick(OTHER_LANGS);
        this.movieEntry(w, lang, { cam, year: r.chance(0.85) ? w.year : null, traps: ['excluded-language'] });
      }
    }
    // cam rips of wanted films that the provider also has properly, ahead of them in the playlist
    for (const w of r.shuffle(wanted).slice(0, 10)) {
      for (let k = r.range(1, 2); k > 0; k--) this.movieEntry(w, r.pick(['en', 'en', 'fr', 'de']), { cam: true, traps: ['cam-alongside'] });
    }

    const library = [
      ...wanted.map((w) => ({ w, state: 'missing' })), ...newWanted.map((w) => ({ w, state: 'missing' })),
      ...withFile.map((w) => ({ w, state: 'file' })), ...unmonitored.map((w) => ({ w, state: 'unmonitored' })),
    ];
    let fileId = 0;
    this.movies = r.shuffle(library).map(({ w, state }, i) => {
      const title = w.title, year = w.year;
      const p = `/movies/${folder(title)} (${year})`;
      const added = new Date(Date.UTC(2024, 0, 5) + i * 86400000 * 0.7).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return {
        id: i + 1, title, originalTitle: w.orig, sortTitle: sortTitle(title), year, tmdbId: w.id, imdbId: w.imdbId ?? undefined,
        path: p, rootFolderPath: '/movies', folderName: p,
        monitored: state !== 'unmonitored', hasFile: state === 'file', movieFileId: state === 'file' ? ++fileId : 0,
        isAvailable: true, status: 'released', minimumAvailability: 'released', qualityProfileId: 1,
        sizeOnDisk: state === 'file' ? 4000000000 + w.id % 1000 * 1000000 : 0, added, tags: [], genres: [], images: [],
      };
    });
  }

  // ---- Sonarr: which series are in the library, their episodes, and the new traps' seasons
  sonarrLibrary() {
    const r = this.r;
    const seasonsOf = (w) => w.invented ? 1 : (this.seasons[`${w.title}|${w.year}`] ?? 3);
    const entrySeasons = new Map(); // series id -> Set of seasons with entries (labelled + added so far)
    for (const row of [...this.lab, ...this.extra.map((x) => ({ ...x, tmdbId: x.w.id }))]) {
      if (row.kind !== 'series' || row.tmdbId === null || row.season === null) continue;
      if (!entrySeasons.has(row.tmdbId)) entrySeasons.set(row.tmdbId, new Set());
      entrySeasons.get(row.tmdbId).add(row.season);
    }
    const series = this.world.works.filter((x) => x.kind === 'series' && !x.invented && seasonsOf(x) > 0 && entrySeasons.has(x.id));
    const used = new Set(), library = [];
    const add = (list, n) => { for (const x of list) { if (n <= 0) break; if (!used.has(x.id)) { used.add(x.id); library.push(x); n--; } } };
    // same-name series come in pairs: The Office (US) and The Office (UK), both in the library
    const sameName = r.shuffle(series.filter((x) => x.traps.has('same-name-series')));
    for (const x of sameName.slice(0, 3)) add(series.filter((y) => norm(y.title) === norm(x.title)), 2);
    for (const [trap, n] of [['film-vs-series', 4], ['numeric-title', 3], ['translation-only', 4], ['decoy', 2], ['no-year', 2]]) {
      add(r.shuffle(series.filter((x) => x.traps.has(trap))), n);
    }
    add(r.shuffle(series.filter((x) => x.pop > 30)), 30 - library.length);
    add(r.shuffle(series), 30 - library.length);

    // seasons the playlist has nothing of, for the new traps
    const trapSeason = new Map(); // `${id}|${season}` -> trap
    const hosts = r.shuffle(library.filter((x) => !x.traps.has('same-name-series') && seasonsOf(x) >= 3));
    const freeSeason = (x) => {
      const busy = entrySeasons.get(x.id) ?? new Set();
      const free = [];
      for (let s = 1; s <= Math.min(seasonsOf(x), 8); s++) if (!busy.has(s) && !trapSeason.has(`${x.id}|${s}`)) free.push(s);
      return free.length ? r.pick(free) : null;
    };
    let h = 0;
    const plan = [['other-season-only', 4], ['double-episode-only', 4], ['excluded-language', 4]];
    for (const [trap, n] of plan) {
      for (let k = 0; k < n && h < hosts.length * 3; h++) {
        const x = hosts[h % hosts.length];
        const s = freeSeason(x);
        if (s === null) continue;
        trapSeason.set(`${x.id}|${s}`, trap);
        k++;
        if (trap === 'other-season-only') {
          // the same episode numbers in another season the playlist lacks too
          const other = freeSeason(x) ?? (s > 1 ? s - 1 : s + 1);
          for (let e = 1; e <= 4; e++) this.episodeEntry(x, r.pick(['en', 'en', 'fr', 'de']), other, e, { traps: [trap] });
          if (!entrySeasons.has(x.id)) entrySeasons.set(x.id, new Set());
          entrySeasons.get(x.id).add(other);
          trapSeason.set(`${x.id}|${other}`, 'other-season-source');
        } else if (trap === 'double-episode-only') {
          const lang = r.pick(['en', 'en', 'fr', 'de']);
          for (let e = 1; e <= 5; e += 2) this.episodeEntry(x, lang, s, e, { episodeEnd: e + 1, traps: [trap], style: (e - 1) / 2 });
        } else {
          const lang = r.pick(OTHER_LANGS);
          for (let e = 1; e <= 4; e++) this.episodeEntry(x, lang, s, e, { traps: [trap] });
        }
      }
    }
    // film-and-series: an invented film named like a series of the library
    for (const x of r.shuffle(library.filter((y) => !y.traps.has('film-vs-series') && !y.traps.has('same-name-series') && asciiWords(y.title))).slice(0, 3)) {
      const f = this.inventMovie(x.title, Math.max(1950, x.year - r.range(4, 15)));
      this.movieEntry(f, 'en', { traps: ['film-and-series'] });
      this.movieEntry(f, r.pick(['en', 'fr', 'de']), { year: null, traps: ['film-and-series'] });
    }

    // Sonarr's titles: a same-name series carries its country (US/UK) or, failing that, its year
    const titleOf = (x) => {
      const others = this.world.works.filter((y) => y !== x && y.kind === 'series' && norm(y.title) === norm(x.title));
      if (!others.length) return x.title;
      if (!others.some((y) => y.countries.some((c) => x.countries.includes(c)))) return `${x.title} (${x.countries.includes('GB') ? 'UK' : x.countries[0]})`;
      return x.year > Math.min(...others.map((y) => y.year)) ? `${x.title} (${x.year})` : x.title;
    };
    // which (series, season, episode) have an entry, in any language
    const hasEntry = new Set();
    for (const row of [...this.lab, ...this.extra.map((x) => ({ ...x, tmdbId: x.w.id }))]) {
      if (row.kind !== 'series' || row.season === null) continue;
      for (let e = row.episode; e <= (row.episodeEnd ?? row.episode); e++) hasEntry.add(`${row.tmdbId}|${row.season}|${e}`);
    }
    let episodeId = 0, fileId = 0;
    this.series = []; this.episodes = [];
    r.shuffle(library).forEach((x, i) => {
      const id = i + 1, title = titleOf(x);
      const busy = [...(entrySeasons.get(x.id) ?? [])];
      for (const k of trapSeason.keys()) if (k.startsWith(`${x.id}|`)) busy.push(Number(k.split('|')[1]));
      const nSeasons = Math.max(Math.min(2, seasonsOf(x)), ...busy);
      const seasons = [];
      for (let s = 1; s <= nSeasons; s++) {
        seasons.push({ seasonNumber: s, monitored: true });
        const yr = Math.min(2025, x.year + s - 1);
        const shift = x.year + s - 1 > 2025 ? 63 * (s - (2025 - x.year + 1)) : 0;
        for (let e = 1; e <= 10; e++) {
          const trap = trapSeason.get(`${x.id}|${s}`);
          let state;
          if (trap && trap !== 'other-season-source') state = 'missing';
          else if (hasEntry.has(`${x.id}|${s}|${e}`)) state = r.chance(0.85) ? 'missing' : 'file';
          else if (s === 1) state = r.chance(0.8) ? 'file' : 'missing';
          else state = r.w([['missing', 3], ['file', 6], ['unmonitored', 1]]);
          const air = new Date(Math.min(Date.UTC(yr, 0, 8) + (shift + 7 * (e - 1)) * 86400000, Date.UTC(2025, 11, 20)));
          const airDate = air.toISOString().slice(0, 10);
          episodeId++;
          this.episodes.push({
            id: episodeId, seriesId: id, tvdbId: 90000000 + episodeId, episodeFileId: state === 'file' ? ++fileId : 0,
            seasonNumber: s, episodeNumber: e, title: `Episode ${e}`, airDate, airDateUtc: `${airDate}T02:00:00Z`, runtime: 45,
            hasFile: state === 'file', monitored: state !== 'unmonitored', unverifiedSceneNumbering: false,
          });
        }
      }
      this.series.push({
        id, title, sortTitle: sortTitle(title), status: 'ended', ended: true, year: x.year, path: `/tv/${folder(title)}`,
        rootFolderPath: '/tv', qualityProfileId: 1, seasonFolder: true, monitored: true, monitorNewItems: 'all', runtime: 45,
        tvdbId: x.tvdbId, tmdbId: x.id, imdbId: x.imdbId ?? undefined, seriesType: 'standard',
        added: new Date(Date.UTC(2024, 2, 1) + i * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z'), tags: [], images: [], seasons,
      });
      this.seriesWork ??= new Map();
      this.seriesWork.set(id, x);
    });
  }

  // ---- every entry, in playlist order, with its truth
  rows() {
    const rl = new Rng(`arr-world-layout:${this.o.seed}`);
    const taken = new Set(this.lab.map((x) => x.streamId));
    let id = 600000 + rl.int(1000);
    const index = indexOf(this.world.works);
    const extraRows = this.extra.map((x) => {
      do id += 1 + (rl.chance(0.1) ? rl.int(20) : 0); while (taken.has(String(id)));
      const streamId = String(id);
      const url = `http://provider.example:8080/${x.kind}/user/pass/${streamId}.${rl.chance(0.65) ? 'mkv' : 'mp4'}`;
      return { x, row: {
        line: 0, name: x.name, kind: x.kind, work: `${x.kind === 'movie' ? 'movie' : 'tv'}:${x.w.id}`, tmdbId: x.w.id,
        resolvable: true, traps: x.traps, expectAmbiguous: false, url, streamId, group: x.group, title: x.title, year: x.year,
        country: x.country, lang: x.lang, section: x.lang, season: x.season, episode: x.episode, episodeEnd: x.episodeEnd,
        excluded: isExcluded(x.name, x.group),
      } };
    });
    // categories as panels list them: the added films first, then the labelled playlist, then the added series
    const grouped = (list) => {
      const cats = new Map();
      for (const e of list) { const k = e.row.group; if (!cats.has(k)) cats.set(k, []); cats.get(k).push(e.row); }
      return [...cats.values()].flat();
    };
    const all = [...grouped(extraRows.filter((e) => e.x.kind === 'movie')), ...this.lab, ...grouped(extraRows.filter((e) => e.x.kind === 'series'))];
    let line = 2;
    for (const row of all) {
      row.line = line; line += 2;
      // ambiguity against the extended world (an invented remake makes its original's year-less names ambiguous)
      if (row.tmdbId !== null) {
        const c = candidates(index, row.kind, row.title, row.year, row.country);
        if (!c.some((w) => w.id === row.tmdbId)) throw new Error(`entry "${row.name}" does not fit its own work ${row.work}`);
        row.expectAmbiguous = c.length > 1;
        row.resolvable = c.length === 1;
      }
    }
    return all;
  }

  build(tmp) {
    this.labelled(tmp);
    this.radarrLibrary();
    this.sonarrLibrary();
    this.all = this.rows();
  }

  // ---- per wanted item: the correct entries and the trap types
  expected() {
    const byWork = new Map();
    for (const row of this.all) if (row.tmdbId !== null) { if (!byWork.has(row.tmdbId)) byWork.set(row.tmdbId, []); byWork.get(row.tmdbId).push(row); }
    const namesOfKind = (kind) => {
      const s = new Set();
      for (const row of this.all) {
        if (row.kind !== kind) continue;
        if (row.tmdbId === null) s.add(norm(row.title));
        else { const w = this.byId.get(row.tmdbId); s.add(norm(w.title)); s.add(norm(w.orig)); }
      }
      return s;
    };
    const seriesNames = namesOfKind('series'), filmNames = namesOfKind('movie');
    const ok = (row) => allowedLang(row.lang) && !row.excluded;
    const items = [];
    const finish = (item, w, own, extraTraps) => {
      const correct = own.filter(ok);
      const traps = new Set([...w.traps, ...extraTraps]);
      if (own.length && !correct.length) traps.add('excluded-language');
      if (correct.length && own.some((row) => row.excluded)) traps.add('cam-alongside');
      const resolvable = correct.filter((x) => x.resolvable).map((x) => x.streamId);
      items.push({ ...item, correct: correct.map((x) => x.streamId), resolvable, hasCorrect: correct.length > 0,
        findable: resolvable.length > 0, traps: [...traps].sort() });
    };
    for (const m of this.movies) {
      if (!m.monitored || m.hasFile) continue;
      const w = this.byId.get(m.tmdbId);
      const own = (byWork.get(w.id) ?? []).filter((row) => row.kind === 'movie');
      const traps = [];
      if (!own.length && this.all.some((row) => row.kind === 'movie' && row.tmdbId !== w.id
        && (row.tmdbId === null ? norm(row.title) === norm(w.title) : norm(this.byId.get(row.tmdbId).title) === norm(w.title)))) traps.push('wrong-remake-only');
      if (seriesNames.has(norm(w.title)) || seriesNames.has(norm(w.orig))) traps.push('film-and-series');
      finish({ key: `movie:${m.id}`, kind: 'movie', radarrId: m.id, tmdbId: w.id, title: m.title, year: m.year }, w, own, traps);
    }
    const seriesOf = new Map(this.series.map((s) => [s.id, s]));
    for (const ep of this.episodes) {
      if (!ep.monitored || ep.hasFile || ep.seasonNumber < 1) continue;
      const s = seriesOf.get(ep.seriesId), w = this.seriesWork.get(ep.seriesId);
      const rows = (byWork.get(w.id) ?? []).filter((row) => row.kind === 'series');
      const covers = (row) => row.episode !== null && row.episode <= ep.episodeNumber && ep.episodeNumber <= (row.episodeEnd ?? row.episode);
      const own = rows.filter((row) => row.season === ep.seasonNumber && covers(row));
      const traps = [];
      if (!own.length && rows.some((row) => row.season !== ep.seasonNumber && covers(row))) traps.push('other-season-only');
      const correct = own.filter(ok);
      if (correct.length && correct.every((row) => row.episodeEnd !== null)) traps.push('double-episode-only');
      if (filmNames.has(norm(w.title)) || filmNames.has(norm(w.orig))) traps.push('film-and-series');
      finish({ key: `episode:${ep.id}`, kind: 'episode', sonarrEpisodeId: ep.id, seriesId: s.id, tmdbId: w.id, tvdbId: s.tvdbId,
        series: s.title, season: ep.seasonNumber, episode: ep.episodeNumber }, w, own, traps);
    }
    return items;
  }
}

const streamIdOf = (url) => /\/(\d+)\.\w+$/.exec(url)[1];
const extinf = (name, group) => `#EXTINF:-1 tvg-id="" tvg-name="${name}" tvg-logo="" group-title="${group}",${name}`;
// the wire shape omits null and undefined fields
const wire = (o) => JSON.parse(JSON.stringify(o, (k, v) => (v === null ? undefined : v)));

const DEFINITION = 'An entry is correct for a wanted item when its true work is the item\'s (movie: an entry of kind movie '
  + 'whose tmdbId is the movie\'s; episode: an entry of kind series whose tmdbId is the series\', with the same season and '
  + 'episode <= wanted <= (episodeEnd ?? episode)), its lang (the audio language its name or category shows) is null or one '
  + 'of matching.languages, and neither its name nor its group matches a matching.exclude pattern. `correct` lists their '
  + 'streamIds; `resolvable` those whose name fits only their own work of the (extended) world (labelled-playlist.mjs\'s '
  + 'rule). hasCorrect: correct is not empty; findable: resolvable is not empty (an entry whose name fits several works, '
  + 'e.g. a plain "The Office S01 E01", is right when downloaded, but a careful plan cannot be expected to choose it).';

function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(o.outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(o.outDir, '.labelled-'));
  const b = new ArrWorld(o);
  try { b.build(tmp); } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  const items = b.expected();
  const out = (f, text) => fs.writeFileSync(path.join(o.outDir, f), text);

  out('playlist.m3u', ['#EXTM3U', ...b.all.flatMap((row) => [extinf(row.name, row.group), row.url])].join('\n') + '\n');
  out('playlist.truth.jsonl', b.all.map((row) => JSON.stringify({
    line: row.line, name: row.name, kind: row.kind, work: row.work, tmdbId: row.tmdbId, resolvable: row.resolvable,
    expectAmbiguous: row.expectAmbiguous, traps: row.traps, url: row.url, streamId: row.streamId, group: row.group,
    title: row.title, year: row.year, country: row.country, lang: row.lang, section: row.section, season: row.season,
    episode: row.episode, episodeEnd: row.episodeEnd, excluded: row.excluded,
  })).join('\n') + '\n');
  const raw = b.world.raw;
  out('tmdb-world.json', JSON.stringify({
    _note: [...raw._note, `arr-world.mjs (seed ${o.seed}) added ${b.invented.movies.length} films and ${b.invented.tv.length} series for the plan's traps: invented, TMDB and TVDB ids >= 9990000, IMDb ids tt999xxxxx.`],
    movies: [...raw.movies, ...b.invented.movies], tv: [...raw.tv, ...b.invented.tv], traps: raw.traps, trapGroups: raw.trapGroups,
  }, null, 1) + '\n');
  out('radarr.json', JSON.stringify({ movies: b.movies.map(wire) }, null, 1) + '\n');
  out('sonarr.json', JSON.stringify({ series: b.series.map(wire), episodes: b.episodes.map(wire) }, null, 1) + '\n');
  out('matching.json', JSON.stringify(MATCHING, null, 1) + '\n');
  out('traps.json', JSON.stringify(Object.fromEntries(items.map((x) => [x.key, x.traps])), null, 1) + '\n');
  out('expected.jsonl', [JSON.stringify({ definition: DEFINITION, ...MATCHING }), ...items.map((x) => JSON.stringify(x))].join('\n') + '\n');

  const movies = items.filter((x) => x.kind === 'movie'), episodes = items.filter((x) => x.kind === 'episode');
  const byTrap = {};
  for (const x of items) for (const t of x.traps) byTrap[t] = (byTrap[t] ?? 0) + 1;
  // what issue 14 §4 asks of the world, whatever the seed
  const short = [];
  if (b.movies.length < 150 || movies.length < 80) short.push(`Radarr: ${b.movies.length} movies, ${movies.length} wanted (>= 150, >= 80)`);
  if (b.series.length < 25 || episodes.length < 300) short.push(`Sonarr: ${b.series.length} series, ${episodes.length} wanted episodes (>= 25, >= 300)`);
  for (const t of [...Object.keys(b.world.raw.traps), ...NEW_TRAPS]) if (!byTrap[t]) short.push(`no wanted item with trap ${t}`);
  if (short.length) throw new Error(`the world falls short: ${short.join('; ')}`);
  process.stderr.write(`arr-world: ${b.all.length} entries (${b.extra.length} added); Radarr ${b.movies.length} movies, ${movies.length} wanted `
    + `(${movies.filter((x) => x.hasCorrect).length} with a correct entry, ${movies.filter((x) => x.findable).length} findable); Sonarr ${b.series.length} series, ${b.episodes.length} episodes, `
    + `${episodes.length} wanted (${episodes.filter((x) => x.hasCorrect).length} with a correct entry, ${episodes.filter((x) => x.findable).length} findable) -> ${o.outDir}\n`
    + `arr-world: items per trap ${JSON.stringify(byTrap)}\n`);
}

main();
