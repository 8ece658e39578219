/**
 * A fake Radarr (API v3): a real HTTP server on 127.0.0.1 (an ephemeral port) over an in-memory library of movies
 * given in Radarr's own wire shape (`MovieResource`, partial objects accepted: omitted fields get Radarr-like
 * defaults). It follows what Radarr does beyond its OpenAPI spec (research/contracts.md §4; a test checks every
 * answer against the spec):
 *
 * - `GET /api/v3/system/status`, `/wanted/missing` (paged: `movieFileId == 0 && year > 0 && monitored ==
 *   monitored-param`, no availability filter), `/movie` (`?tmdbId=`), `/movie/{id}`, `/rootfolder`,
 *   `/qualityprofile`, `/config/naming`, `POST /command` (201 + `Location`) and `GET /command/{id}`; `/ping` open.
 * - The key from `?apikey=`, then `X-Api-Key`, then `Bearer`; else 401 with an empty body. Null fields omitted.
 * - `legacy: true` (or `setLegacy(true)`, or any `version` before 5.6) is a Radarr without `wanted/missing`: 404,
 *   no body, as Radarr 4 answers.
 * - Faults per test (`failNext`), a request log without the key, and the commands posted.
 *
 * The server is an `Effect` resource: `make(library, options)` in a `Scope`, closed with it.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Disk from "./internal/fakeDisk.js"
import * as Router from "./internal/fakeRadarr.js"
import * as Core from "./internal/fakeServer.js"
import type * as Radarr from "./Radarr.js"

export type { Library, MovieResource, NamingResource, QualityProfileResource, RootFolderResource } from "./internal/fakeRadarr.js"
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

export const DEFAULT_VERSION = "6.0.3.10276"
/** A Radarr 4, from before `wanted/missing`. */
export const LEGACY_VERSION = "4.7.5.7809"

export interface Options {
  /** The accepted key (default: 32 random hex digits). */
  readonly apiKey?: string | undefined
  /** Serve everything under this URL base, e.g. `/radarr`; requests outside it are 404. */
  readonly urlBase?: string | undefined
  /** What `system/status` reports (default `6.0.3.10276`, or `4.7.5.7809` when `legacy`). */
  readonly version?: string | undefined
  /** A Radarr without `/api/v3/wanted/missing` (before 5.6). */
  readonly legacy?: boolean | undefined
  /** Polls of `GET /command/{id}` that still see a command running (default 2); `Infinity`: it never ends. */
  readonly commandSteps?: number | undefined
  /** How commands end (default `completed`). */
  readonly commandOutcome?: "completed" | "failed" | undefined
  /**
   * Where the library is on this machine: a completed `RescanMovie` then reads the movie's folder there (a video
   * file in it becomes the movie's file, as Radarr's disk scan does). Without it, rescans change nothing.
   */
  readonly disk?: Disk.Disk | undefined
}

export interface Server {
  /** `http://127.0.0.1:<port><urlBase>`: what `Radarr.Options.url` takes. */
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
  /** Turns the server into a Radarr 4 (no `wanted/missing`) or back. */
  readonly setLegacy: (legacy: boolean) => Effect.Effect<void>
  /** Forgets the log, the commands posted and any pending fault; restores the options' behaviour. */
  readonly reset: Effect.Effect<void>
}

export class Fake extends Context.Tag("@stalkeer/arr-client/FakeRadarr")<Fake, Server>() {}

/** A fake Radarr serving `library` on 127.0.0.1 until the scope closes. */
export const make = (library: Router.Library, options: Options = {}): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.gen(function*() {
    const apiKey = options.apiKey ?? Core.randomKey()
    let legacy = options.legacy === true
    const version = () => options.version ?? (legacy ? LEGACY_VERSION : DEFAULT_VERSION)
    const router = Router.makeRouter(library, () => (legacy ? LEGACY_VERSION : version()))
    const disk = options.disk
    const rescan = (movieId: number) => {
      const path = router.pathOf(movieId)
      const local = disk === undefined || path === undefined ? undefined : Disk.localPath(disk, path)
      if (local !== undefined) router.setFile(movieId, Disk.videoFiles(local).length > 0)
    }
    const core = yield* Core.serve({
      app: "Radarr",
      apiKey,
      urlBase: Core.normalizeUrlBase(options.urlBase),
      version,
      command: { steps: options.commandSteps, outcome: options.commandOutcome },
      route: router.route,
      onCompleted: (name, fields) => {
        if (name.toLowerCase() !== "rescanmovie") return
        const ids = Core.num(fields.movieId) !== undefined ? [Core.num(fields.movieId)!] : router.ids()
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
      setLegacy: (value) =>
        Effect.sync(() => {
          legacy = value
        }),
      reset: Effect.zipRight(
        core.reset,
        Effect.sync(() => {
          legacy = options.legacy === true
        })
      )
    } satisfies Server
  })

/** The fake as a layer, for `it.layer`. */
export const layer = (library: Router.Library, options: Options = {}): Layer.Layer<Fake> =>
  Layer.scoped(Fake, make(library, options))

/** `Radarr.Options` that point at `server` with its key. */
export const clientOptions = (
  server: Server,
  options: Omit<Radarr.Options, "url" | "apiKey"> = {}
): Radarr.Options => ({ ...options, url: server.url, apiKey: Redacted.make(server.apiKey) })
