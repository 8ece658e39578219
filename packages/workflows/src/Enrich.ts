/**
 * `enrich`: identify the catalogue's movies and series through TMDB. One identification per work (kind, normalised
 * title, year) — 200k entries are tens of thousands of works — each recorded as soon as it is decided, in id order,
 * so an interrupted run resumes where it stopped and nothing is looked up twice. TMDB answers are cached in the
 * store (`TmdbCache`): a re-run asks TMDB nothing it already knows.
 *
 * For each work: a manual match is applied as it is; otherwise the candidates of a search (in the work's language,
 * with its year) are scored (`Identify`); only when that does not settle it, a search without the year and one in
 * English, then the details (alternative titles, translations) of the best few, are asked for. The accepted
 * work's details give its IMDb/TVDB ids and canonical title.
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { StoreError } from "@stalkeer/store"
import { Statistics, TmdbCache, Works } from "@stalkeer/store"
import { Tmdb, TmdbResponse } from "@stalkeer/tmdb"
import type { TmdbError } from "@stalkeer/tmdb"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Identify from "./Identify.js"

export interface Options {
  readonly kind?: Works.Kind | undefined
  /** At most this many works this run. */
  readonly limit?: number | undefined
  /** Also try again the works refused before (ambiguous, low confidence, not found). */
  readonly retryUnidentified?: boolean | undefined
  /** Language of canonical titles (`tmdb.language`, e.g. `en-US`). */
  readonly language: string
  /** How long TMDB answers are kept, and identifications trusted (`tmdb.cache_ttl_days`). */
  readonly cacheTtlDays: number
  /** How long a "not found" is kept (default 7 days). */
  readonly notFoundTtlDays?: number | undefined
  /** Works identified at once (default 4); the rate limiter bounds the requests whatever this is. */
  readonly concurrency?: number | undefined
  /** Only these works (by media id): a manual match applied at once. */
  readonly only?: ReadonlyArray<number> | undefined
  /** Called after each work; keep it cheap. */
  readonly onProgress?: ((progress: Progress) => Effect.Effect<void>) | undefined
}

export interface Progress {
  readonly done: number
  readonly total: number
}

export interface Summary {
  /** Works looked at this run. */
  readonly works: number
  readonly identified: number
  readonly ambiguous: number
  readonly lowConfidence: number
  readonly notFound: number
  /** Works left for the next run after a TMDB failure (server errors, timeouts…). */
  readonly errors: number
  /** Requests sent to TMDB (retries included), and answers taken from the cache instead. */
  readonly requests: number
  readonly cacheHits: number
  readonly durationMs: number
  /** The first few failures, one line each. */
  readonly errorSamples: ReadonlyArray<string>
}

/** Works identified between two writes to the database. */
const FLUSH_EVERY = 200

/** Works in a row whose lookups failed (after retries) before the run stops: TMDB is down, not flaky. */
const STOP_AFTER_ERRORS = 3

/** TMDB failures that stop the run: nothing else can succeed without the right credentials. */
const isFatal = (error: TmdbError.TmdbError) => error.reason === "Unauthorized" || error.reason === "MissingCredentials"

const movieCandidate = (m: TmdbResponse.MovieResult): Identify.Candidate => ({
  tmdbId: m.id,
  title: m.title,
  originalTitle: m.originalTitle ?? m.title,
  year: TmdbResponse.yearOf(m.releaseDate),
  popularity: m.popularity,
  originCountry: [],
  aliases: []
})

const tvCandidate = (t: TmdbResponse.TvResult): Identify.Candidate => ({
  tmdbId: t.id,
  title: t.name,
  originalTitle: t.originalName ?? t.name,
  year: TmdbResponse.yearOf(t.firstAirDate),
  popularity: t.popularity,
  originCountry: t.originCountry,
  aliases: []
})

type Details = TmdbResponse.MovieDetails | TmdbResponse.TvDetails

const detailsCandidate = (kind: Works.Kind, d: Details): Identify.Candidate => {
  const title = "title" in d ? d.title : d.name
  const original = ("originalTitle" in d ? d.originalTitle : d.originalName) ?? title
  const date = "releaseDate" in d ? d.releaseDate : d.firstAirDate
  const aliases = [
    ...d.alternativeTitles.map((a) => a.title),
    ...d.translations.flatMap((t) => t.title === null || t.title === "" ? [] : [t.title])
  ]
  return {
    tmdbId: d.id,
    title,
    originalTitle: original,
    year: TmdbResponse.yearOf(date),
    popularity: d.popularity,
    originCountry: kind === "series" ? d.originCountry : [],
    aliases
  }
}

/** Candidates of the same work from several answers, as one: every name any of them gave becomes an alias. */
const merge = (lists: ReadonlyArray<ReadonlyArray<Identify.Candidate>>): ReadonlyArray<Identify.Candidate> => {
  const byId = new Map<number, Identify.Candidate>()
  for (const list of lists) {
    for (const c of list) {
      const known = byId.get(c.tmdbId)
      if (known === undefined) {
        byId.set(c.tmdbId, c)
        continue
      }
      const names = new Set([...known.aliases, ...c.aliases, c.title, c.originalTitle])
      names.delete(known.title)
      byId.set(c.tmdbId, {
        ...known,
        year: known.year ?? c.year,
        originCountry: known.originCountry.length > 0 ? known.originCountry : c.originCountry,
        aliases: [...names]
      })
    }
  }
  return [...byId.values()]
}

const summaryOf = (c: Identify.Scored) => ({
  tmdbId: c.candidate.tmdbId,
  title: c.candidate.title,
  year: c.candidate.year,
  score: Math.round(c.score * 100) / 100
})

/** `fr` → `fr`, `fr-FR` stays: TMDB takes both. The configured language when the work's is unknown. */
const searchLanguage = (work: Works.Work, fallback: string) => work.language ?? fallback

/**
 * Identify the works that need it (see the module comment). Fails on a fatal TMDB error (refused credentials), on
 * a database error, and when the lookups of several works in a row fail (TMDB down); a work whose lookups fail
 * otherwise is counted in `errors` and left pending for the next run.
 */
export const run = (
  options: Options
): Effect.Effect<Summary, TmdbError.TmdbError | StoreError.StoreError, Tmdb.Tmdb | SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const started = yield* Clock.currentTimeMillis
    const tmdb = yield* Tmdb.Tmdb
    const requestsBefore = yield* tmdb.requests
    const notFoundTtl = options.notFoundTtlDays ?? 7
    const works = yield* Works.pending({
      kind: options.kind,
      limit: options.limit,
      retryUnidentified: options.retryUnidentified,
      ttlDays: options.cacheTtlDays,
      only: options.only
    })
    const counts = { identified: 0, ambiguous: 0, lowConfidence: 0, notFound: 0, errors: 0, cacheHits: 0, done: 0 }
    const errorSamples: Array<string> = []
    let consecutiveErrors = 0

    /**
     * `call` through the cache under `key`: a cached answer is decoded with `schema`; a fresh one is stored (a
     * "not found" or an empty search for less long). `None` for a TMDB "not found".
     */
    // Write-behind: answers and verdicts are stored in batches (one transaction each) rather than a statement or a
    // transaction per lookup — on the embedded database, statements run one at a time. A batch is written every
    // FLUSH_EVERY works, at the end, and when the run is interrupted or fails, so a re-run asks nothing twice.
    const answers = new Map<string, TmdbCache.Entry>()
    const stored = yield* TmdbCache.keys
    const verdicts: Array<{ readonly id: number; readonly identification: Works.Identification }> = []
    const writing = yield* Effect.makeSemaphore(1)
    const flush = writing.withPermits(1)(Effect.suspend(() => {
      const entries = [...answers.values()]
      const recorded = verdicts.splice(0)
      if (entries.length === 0 && recorded.length === 0) return Effect.void
      // Answers stay readable from memory until they are in the database.
      return Effect.zipRight(TmdbCache.putMany(entries), Works.recordMany(recorded)).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            for (const e of entries) {
              answers.delete(e.request)
              stored.add(e.request)
            }
          })
        )
      )
    }))

    /** Lookups in flight by key: a second asker of the same answer waits for the first (works run concurrently). */
    const inflight = new Map<string, Effect.Effect<Option.Option<unknown>, TmdbError.TmdbError | StoreError.StoreError, SqlClient.SqlClient>>()

    /**
     * `call` through the cache under `key`: a cached answer is decoded with `schema`; a fresh one is stored (a
     * "not found" or an empty search for less long). `None` for a TMDB "not found".
     */
    const cached = <A, I>(
      key: string,
      schema: Schema.Schema<A, I>,
      call: Effect.Effect<A, TmdbError.TmdbError>,
      isEmpty: (a: A) => boolean = () => false
    ): Effect.Effect<Option.Option<A>, TmdbError.TmdbError | StoreError.StoreError, SqlClient.SqlClient> =>
      Effect.suspend(() => {
        const running = inflight.get(key)
        if (running !== undefined) return running as Effect.Effect<Option.Option<A>, TmdbError.TmdbError | StoreError.StoreError, SqlClient.SqlClient>
        return Effect.flatMap(Effect.cached(lookup(key, schema, call, isEmpty)), (once) => {
          inflight.set(key, once)
          return Effect.ensuring(once, Effect.sync(() => inflight.delete(key)))
        })
      })

    const lookup = <A, I>(
      key: string,
      schema: Schema.Schema<A, I>,
      call: Effect.Effect<A, TmdbError.TmdbError>,
      isEmpty: (a: A) => boolean
    ): Effect.Effect<Option.Option<A>, TmdbError.TmdbError | StoreError.StoreError, SqlClient.SqlClient> =>
      Effect.gen(function*() {
        const pending = answers.get(key)
        const hit = pending !== undefined
          ? Option.some(pending)
          : stored.has(key)
          ? yield* TmdbCache.get(key)
          : Option.none()
        if (Option.isSome(hit)) {
          const decoded = hit.value.status === 404
            ? Option.some(Option.none<A>())
            : Option.map(Option.getRight(Schema.decodeUnknownEither(schema)(hit.value.body)), Option.some)
          if (Option.isSome(decoded)) {
            counts.cacheHits++
            return decoded.value
          }
        }
        const answer = yield* call.pipe(
          Effect.map(Option.some),
          Effect.catchIf((e) => e.reason === "NotFound", () => Effect.succeed(Option.none<A>()))
        )
        if (Option.isNone(answer)) {
          answers.set(key, { request: key, status: 404, body: null, ttlDays: notFoundTtl })
        } else {
          const body = Schema.encodeSync(schema)(answer.value)
          const ttlDays = isEmpty(answer.value) ? notFoundTtl : options.cacheTtlDays
          answers.set(key, { request: key, status: 200, body, ttlDays })
        }
        return answer
      })

    const noResults = (page: { readonly results: ReadonlyArray<unknown> }) => page.results.length === 0
    const candidatesOf = <A>(page: Option.Option<TmdbResponse.SearchPage<A>>, f: (a: A) => Identify.Candidate) =>
      Option.match(page, { onNone: () => [], onSome: (p) => p.results.map(f) })

    const search = (kind: Works.Kind, query: string, year: number | null, language: string) => {
      const key = `search/${kind === "movie" ? "movie" : "tv"}?query=${query}&year=${year ?? ""}&language=${language}`
      return kind === "movie"
        ? Effect.map(
          cached(key, TmdbResponse.Schemas.MovieSearch, tmdb.searchMovie({ query, year: year ?? undefined, language }), noResults),
          (page) => candidatesOf(page, movieCandidate)
        )
        : Effect.map(
          cached(key, TmdbResponse.Schemas.TvSearch, tmdb.searchTv({ query, firstAirDateYear: year ?? undefined, language }), noResults),
          (page) => candidatesOf(page, tvCandidate)
        )
    }

    const details = (kind: Works.Kind, id: number): Effect.Effect<
      Option.Option<Details>,
      TmdbError.TmdbError | StoreError.StoreError,
      SqlClient.SqlClient
    > =>
      kind === "movie"
        ? cached(`movie/${id}?language=${options.language}`, TmdbResponse.Schemas.MovieDetails, tmdb.movie(id, { language: options.language }))
        : cached(`tv/${id}?language=${options.language}`, TmdbResponse.Schemas.TvDetails, tmdb.tv(id, { language: options.language }))

    const identified = (work: Works.Work, d: Details, method: Works.Method, confidence: number, ranked: ReadonlyArray<Identify.Scored>): Works.Identification => ({
      status: "identified",
      method,
      confidence,
      reason: null,
      candidates: ranked.slice(0, 5).map(summaryOf),
      tmdbId: d.id,
      imdbId: d.imdbId ?? d.externalIds.imdbId,
      tvdbId: work.kind === "series" ? ("tvdbId" in d ? d.tvdbId : null) ?? d.externalIds.tvdbId : null,
      canonicalTitle: "title" in d ? d.title : d.name,
      originalTitle: ("originalTitle" in d ? d.originalTitle : d.originalName) ?? null,
      originalLanguage: d.originalLanguage,
      releaseYear: TmdbResponse.yearOf("releaseDate" in d ? d.releaseDate : d.firstAirDate)
    })

    const refused = (verdict: Extract<Identify.Verdict, { _tag: "Refused" }>): Works.Identification => ({
      status: verdict.status,
      method: "search",
      confidence: verdict.ranked[0]?.score ?? null,
      reason: verdict.reason,
      candidates: verdict.ranked.slice(0, 5).map(summaryOf),
      tmdbId: null,
      imdbId: null,
      tvdbId: null,
      canonicalTitle: null,
      originalTitle: null,
      originalLanguage: null,
      releaseYear: null
    })

    const identify = (work: Works.Work) =>
      Effect.gen(function*() {
        if (work.overrideTmdbId !== null) {
          const d = yield* details(work.kind, work.overrideTmdbId)
          if (Option.isNone(d)) {
            return {
              ...refused({ _tag: "Refused", status: "not-found", reason: `manual match: TMDB has no ${work.kind === "movie" ? "movie" : "series"} ${work.overrideTmdbId}`, ranked: [] }),
              method: "override" as const
            }
          }
          return identified(work, d.value, "override", 1, [])
        }
        const query: Identify.Query = { kind: work.kind, title: work.title, year: work.year }
        const title = Identify.splitCountry(work.title).title
        const language = searchLanguage(work, options.language)
        const lists: Array<ReadonlyArray<Identify.Candidate>> = [yield* search(work.kind, title, work.year, language)]
        let verdict = Identify.decide(query, merge(lists))
        if (verdict._tag === "Refused") {
          // Widen: without the year (a regional release year, or none given), and in English.
          if (work.year !== null) lists.push(yield* search(work.kind, title, null, language))
          if (!language.startsWith("en")) lists.push(yield* search(work.kind, title, work.year, "en-US"))
          verdict = Identify.decide(query, merge(lists))
        }
        if (verdict._tag === "Refused") {
          // Their other names may settle it: a title known only in translation, a qualifier. The best few by score,
          // even below the floor: a translated title scores nothing against a title in another language.
          const best = merge(lists)
            .map((c, i) => ({ c, i, s: Identify.score(query, c).score }))
            .sort((a, b) => b.s - a.s || a.i - b.i)
            .slice(0, 3)
          for (const { c } of best) {
            const d = yield* details(work.kind, c.tmdbId)
            if (Option.isSome(d)) lists.push([detailsCandidate(work.kind, d.value)])
          }
          if (best.length > 0) verdict = Identify.decide(query, merge(lists))
        }
        if (verdict._tag === "Refused") return refused(verdict)
        const d = yield* details(work.kind, verdict.best.candidate.tmdbId)
        if (Option.isNone(d)) {
          return refused({ _tag: "Refused", status: "not-found", reason: "no candidates", ranked: verdict.ranked })
        }
        // The details' other names confirm the choice or take it back (a decoy whose aliases fit better).
        const confirmed = Identify.decide(query, merge([...lists, [detailsCandidate(work.kind, d.value)]]))
        if (confirmed._tag === "Refused") return refused(confirmed)
        if (confirmed.best.candidate.tmdbId !== d.value.id) {
          const other = yield* details(work.kind, confirmed.best.candidate.tmdbId)
          if (Option.isNone(other)) return refused({ _tag: "Refused", status: "not-found", reason: "no candidates", ranked: confirmed.ranked })
          return identified(work, other.value, "search", confirmed.best.score, confirmed.ranked)
        }
        return identified(work, d.value, "search", confirmed.best.score, confirmed.ranked)
      })

    yield* Effect.forEach(works, (work) =>
      identify(work).pipe(
        Effect.flatMap((result) =>
          Effect.suspend(() => {
            verdicts.push({ id: work.id, identification: result })
            if (result.status === "identified") counts.identified++
            else if (result.status === "ambiguous") counts.ambiguous++
            else if (result.status === "low-confidence") counts.lowConfidence++
            else counts.notFound++
            return verdicts.length >= FLUSH_EVERY ? flush : Effect.void
          })
        ),
        Effect.tap(() => Effect.sync(() => consecutiveErrors = 0)),
        Effect.catchIf(
          (e): e is TmdbError.TmdbError => e._tag === "TmdbError" && !isFatal(e),
          (e) =>
            Effect.suspend(() => {
              counts.errors++
              if (errorSamples.length < 5) errorSamples.push(`${work.title}${work.year === null ? "" : ` (${work.year})`}: ${e.message}`)
              // Each failure already went through the retries: TMDB is down or refusing, not flaky. Stop asking.
              return ++consecutiveErrors >= STOP_AFTER_ERRORS ? Effect.fail(e) : Effect.void
            })
        ),
        Effect.zipRight(Effect.suspend(() => {
          counts.done++
          return options.onProgress === undefined ? Effect.void : options.onProgress({ done: counts.done, total: works.length })
        }))
      ), { concurrency: options.concurrency ?? 4, discard: true }).pipe(
      // Whatever ends the run, what it learnt is kept (it runs even when the run is interrupted).
      Effect.onExit((exit) =>
        Exit.isSuccess(exit)
          ? Effect.void
          : Effect.catchAll(flush, (e) => Effect.logWarning(`Could not keep this run's last answers: ${e.message}`))
      ),
      Effect.zipRight(flush)
    )

    // Identifications change what the plans' queries filter on (`tmdb_id`): the planner should know.
    if (works.length >= 1000) yield* Statistics.refresh
    const { done: _done, ...rest } = counts
    return {
      works: works.length,
      ...rest,
      requests: (yield* tmdb.requests) - requestsBefore,
      errorSamples,
      durationMs: (yield* Clock.currentTimeMillis) - started
    } satisfies Summary
  }).pipe(Effect.withSpan("Enrich.run"))
