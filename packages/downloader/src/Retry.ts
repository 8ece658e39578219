/**
 * The retry policy of every Stalkeer HTTP client (playlist, TMDB, Radarr/Sonarr, downloads), as one `Schedule`.
 *
 * Providers ban accounts that hammer them, and the *arr apps and TMDB rate-limit: retries are few, spaced out
 * exponentially with jitter (so that many clients do not retry in step), capped, and they honour the server's
 * `Retry-After`. A `Retry-After` longer than the cap ends the retries at once: waiting an hour inside a command
 * helps nobody, the error says how long the server asked for. What may be retried is the caller's to say.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"

export interface Policy {
  /** Retries after the first attempt (default 3, i.e. at most 4 attempts). */
  readonly times?: number | undefined
  /** First backoff delay; it doubles on each retry, with ±20 % jitter (default 1 second). */
  readonly base?: Duration.DurationInput | undefined
  /** Longest wait between attempts; a `Retry-After` beyond it ends the retries (default 60 seconds). */
  readonly maxDelay?: Duration.DurationInput | undefined
}

/** What the caller knows about its own failures. */
export interface Rules<E> {
  /** Whether `error` may be retried by retry number `retry` (1-based). */
  readonly retryable: (error: E, retry: number) => boolean
  /** The delay the server asked for (`Retry-After`), if it did. */
  readonly retryAfter?: ((error: E) => Duration.Duration | undefined) | undefined
  /** Called before each retry with the wait chosen: for a log line. */
  readonly onRetry?: ((error: E, retry: number, delay: Duration.Duration) => Effect.Effect<void>) | undefined
}

export const defaults = { times: 3, base: Duration.seconds(1), maxDelay: Duration.seconds(60) } as const

/** The delay asked for by a `Retry-After` header (delta-seconds or an HTTP date), from `now` (epoch millis). */
export const parseRetryAfter = (value: string | undefined, now: number): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Duration.seconds(Number(trimmed))
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Duration.seconds(Math.max(0, Math.ceil((date - now) / 1000)))
}

/**
 * The schedule for `Effect.retry`: recurs while the failure is retryable and retries remain, waiting
 * `base · 2^(n-1)` (jittered, capped at `maxDelay`) or the server's `Retry-After` when that is longer.
 * Its output is the number of retries made so far.
 */
export const schedule = <E>(policy: Policy, rules: Rules<E>): Schedule.Schedule<number, E> => {
  const times = policy.times ?? defaults.times
  const maxDelay = Duration.decode(policy.maxDelay ?? defaults.maxDelay)
  const asked = (error: E) => rules.retryAfter?.(error)
  const backoff = Schedule.exponential(policy.base ?? defaults.base).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, maxDelay))
  )
  const decisions = Schedule.identity<E>().pipe(
    Schedule.zipWith(Schedule.count, (error, n) => ({ error, retry: n + 1 })),
    Schedule.whileOutput(({ error, retry }) => {
      const wait = asked(error)
      return retry <= times && rules.retryable(error, retry) && (wait === undefined || Duration.lessThanOrEqualTo(wait, maxDelay))
    })
  )
  return Schedule.intersect(decisions, backoff).pipe(
    Schedule.modifyDelayEffect(([{ error, retry }], delay) => {
      const wait = asked(error)
      const chosen = wait === undefined ? delay : Duration.max(wait, delay)
      return rules.onRetry === undefined ? Effect.succeed(chosen) : Effect.as(rules.onRetry(error, retry, chosen), chosen)
    }),
    Schedule.map(([{ retry }]) => retry)
  )
}

/**
 * `effect` retried by the policy. On final failure `attempts` turns the last error into what the caller reports,
 * given how many attempts were made (1 when it was not retried).
 */
export const retry = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  policy: Policy,
  rules: Rules<E> & { readonly attempts?: ((error: E, attempts: number) => E) | undefined }
): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    let retries = 0
    const counted: Rules<E> = {
      ...rules,
      onRetry: (error, n, delay) => {
        retries = n
        return rules.onRetry === undefined ? Effect.void : rules.onRetry(error, n, delay)
      }
    }
    const retried = Effect.retry(effect, schedule(policy, counted))
    const attempts = rules.attempts
    return attempts === undefined ? retried : Effect.mapError(retried, (error) => attempts(error, retries + 1))
  })
