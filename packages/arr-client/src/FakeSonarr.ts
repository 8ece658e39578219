/**
 * A fake Sonarr (API v3): a real HTTP server on 127.0.0.1 (an ephemeral port) over an in-memory library of series
 * and episodes given in Sonarr's own wire shapes (`SeriesResource`, `EpisodeResource`, partial objects accepted:
 * omitted fields get Sonarr-like defaults; seasons and statistics are computed from the episodes). It follows what
 * Sonarr does beyond its OpenAPI spec (research/contracts.md §4; a test checks every answer against the spec):
 *
 * - `GET /api/v3/system/status`, `/wanted/missing` (paged: `episodeFileId == 0 && seasonNumber >= 1 && aired &&
 *   episode.monitored && series.monitored`; the series embedded only with `includeSeries=true`), `/series`
 *   (`?tvdbId=`), `/series/{id}`, `/episode` (`seriesId` [+ `seasonNumber`], `episodeIds` or `episodeFileId`, else
 *   400), `/episode/{id}`, `/rootfolder`, `/qualityprofile`, `/config/naming`, `POST /command` (201 + `Location`)
 *   and `GET /command/{id}`; `/ping` open.
 * - The key from `?apikey=`, then `X-Api-Key`, then `Bearer`; else 401 with an empty body. Null fields omitted.
 * - Faults per test (`failNext`), a request log without the key, and the commands posted.
 *
 * The server is an `Effect` resource: `make(library, options)` in a `Scope`, closed with it.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Core from "./internal/fakeServer.js"
import * as Disk from "./internal/fakeDisk.js"
import * as Router from "./internal/fakeSonarr.js"
import type * as Sonarr from "./Sonarr.js"

export type { QualityProfileResource, RootFolderResource } from "./internal/fakeRadarr.js"
export type {
  CommandBehaviour,
  Credential,
  FailOptions,
  Fault,
  LoggedCommand,
  LoggedRequest
} from "./internal/fakeServer.js"
export { body, garbage, hang, reset, status, wrongShape } from "./internal/fakeServer.js"
export type { Disk } from "./internal/fakeDisk.js"
export type { EpisodeResource, IncludeSeries, Library, NamingResource, SeriesResource } from "./internal/fakeSonarr.js"

export const DEFAULT_VERSION = "4.0.19.2979"

export interface Options {
  /** The accepted key (default: 32 random hex digits). */
  readonly apiKey?: string | undefined
  /** Serve everything under this URL base, e.g. `/sonarr`; requests outside it are 404. */
  readonly urlBase?: string | undefined
  /** What `system/status` reports (default `4.0.19.2979`). */
  readonly version?: string | undefined
  /** `"ignore"`: never embed the series in `wanted/missing`, even when asked (default `"honour"`). */
  readonly includeSeries?: Router.IncludeSeries | undefined
  /** Polls of `GET /command/{id}` that still see a command running (default 2); `Infinity`: it never ends. */
  readonly commandSteps?: number | undefined
  /** How commands end (default `completed`). */
  readonly commandOutcome?: "completed" | "failed" | undefined
  /**
   * Where the library is on this machine: a completed `RescanSeries` then reads the series' folders there (a video
   * file named `… S01E02 …` becomes that episode's file, as Sonarr's disk scan does). Without it, rescans change
   * nothing.
   */
  readonly disk?: Disk.Disk | undefined
}

export interface Server {
  /** `http://127.0.0.1:<port><urlBase>`: what `Sonarr.Options.url` takes. */
  readonly url: string
  readonly apiKey: string
  /** The next `times` requests (on `path`, after the URL base, if given) answer `fault` instead. In order. */
  readonly failNext: (fault: Core.Fault, options?: Core.FailOptions) => Effect.Effect<void>
  /** Every request so far: method, path, query (without `apikey`), the credential presented, status. */
  readonly requests: Effect.Effect<ReadonlyArray<Core.LoggedRequest>>
  readonly requestCount: Effect.Effect<number>
  /** The commands posted, as posted. */
  readonly commands: Effect.Effect<ReadonlyArray<Core.LoggedCommand>>
  /** How commands posted from now on behave. */
  readonly setCommandBehaviour: (behaviour: Core.CommandBehaviour) => Effect.Effect<void>
  /** Whether `wanted/missing` embeds the series when asked. */
  readonly setIncludeSeries: (includeSeries: Router.IncludeSeries) => Effect.Effect<void>
  /** Forgets the log, the commands posted and any pending fault; restores the options' behaviour. */
  readonly reset: Effect.Effect<void>
}

export class Fake extends Context.Tag("@stalkeer/arr-client/FakeSonarr")<Fake, Server>() {}

/** A fake Sonarr serving `library` on 127.0.0.1 until the scope closes. */
export const make = (library: Router.Library, options: Options = {}): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.gen(function*() {
    const apiKey = options.apiKey ?? Core.randomKey()
    let includeSeries = options.includeSeries ?? "honour"
    const router = Router.makeRouter(library, () => includeSeries)
    const disk = options.disk
    const rescan = (seriesId: number) => {
      const path = router.pathOf(seriesId)
      const local = disk === undefined || path === undefined ? undefined : Disk.localPath(disk, path)
      if (local !== undefined) router.setFiles(seriesId, new Set(Disk.videoFiles(local).flatMap(Disk.episodesIn)))
    }
    const core = yield* Core.serve({
      app: "Sonarr",
      apiKey,
      urlBase: Core.normalizeUrlBase(options.urlBase),
      version: () => options.version ?? DEFAULT_VERSION,
      command: { steps: options.commandSteps, outcome: options.commandOutcome },
      route: router.route,
      onCompleted: (name, fields) => {
        if (name.toLowerCase() !== "rescanseries") return
        const ids = Core.num(fields.seriesId) !== undefined ? [Core.num(fields.seriesId)!] : router.ids()
        for (const id of ids) rescan(id)
      }
    })
    return {
      url: core.url,
      apiKey,
      failNext: core.failNext,
      requests: core.requests,
      requestCount: core.requestCount,
      commands: core.commands,
      setCommandBehaviour: core.setCommandBehaviour,
      setIncludeSeries: (value) =>
        Effect.sync(() => {
          includeSeries = value
        }),
      reset: Effect.zipRight(
        core.reset,
        Effect.sync(() => {
          includeSeries = options.includeSeries ?? "honour"
        })
      )
    } satisfies Server
  })

/** The fake as a layer, for `it.layer`. */
export const layer = (library: Router.Library, options: Options = {}): Layer.Layer<Fake> =>
  Layer.scoped(Fake, make(library, options))

/** `Sonarr.Options` that point at `server` with its key. */
export const clientOptions = (
  server: Server,
  options: Omit<Sonarr.Options, "url" | "apiKey"> = {}
): Sonarr.Options => ({ ...options, url: server.url, apiKey: Redacted.make(server.apiKey) })
