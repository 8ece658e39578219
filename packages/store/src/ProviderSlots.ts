/**
 * A provider account's connection limit and its cooldown, strict across every process on the database.
 *
 * Going one connection over an IPTV line's limit makes the panel kill one of the others (the oldest, mid-body),
 * so the limit is not a count that races: it is `max` slot rows per provider, each held or not, taken with
 * `FOR UPDATE SKIP LOCKED`. A connection holds its slot from its request until its socket closes, and the slot
 * stays busy for a release delay after that (the panel may still count a closed connection for a few seconds).
 * A holder that stops renewing (crashed) loses its slot when its lease expires.
 *
 * Refusals put an account in cooldown rather than retrying into it (panels ban an address that keeps failing):
 * at once for an account-level refusal, after a few item-level ones in a short window; each consecutive cooldown
 * lasts twice as long. All times come from the database's clock.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Errors from "./internal/errors.js"
import { StoreError } from "./StoreError.js"

/** A held connection slot, and the token its later writes must present. */
export interface Slot {
  readonly providerId: number
  readonly slot: number
  readonly token: number
}

export interface AcquireOptions {
  /** The account's connection limit: slots `0 .. max-1`. */
  readonly max: number
  /** Who holds it (host and process). */
  readonly holder: string
  /** The download it serves, for display. */
  readonly downloadId?: number | undefined
  /** How long the slot is held without a heartbeat. */
  readonly leaseFor: Duration.DurationInput
  /** How long a released slot stays busy (default 5 s). */
  readonly releaseDelay?: Duration.DurationInput | undefined
}

const millis = (duration: Duration.DurationInput): number => Duration.toMillis(Duration.decode(duration))

/** `now() ± ms`, on the database's clock. */
const later = (sql: SqlClient.SqlClient, ms: number) => sql`now() + ${ms}::float8 * interval '1 millisecond'`
const ago = (sql: SqlClient.SqlClient, ms: number) => sql`now() - ${ms}::float8 * interval '1 millisecond'`

/**
 * Takes a free slot of the provider, if there is one: never held, released longer ago than the release delay, or
 * held by a lease that expired. After the limit was lowered, nothing is granted while a slot at or above the new
 * `max` is still busy: counting them instead would race, and the limit must hold.
 */
export const acquire = Effect.fn("ProviderSlots.acquire")(function*(providerId: number, options: AcquireOptions) {
  if (!Number.isInteger(options.max) || options.max < 1) {
    return yield* new StoreError({
      reason: "InvalidInput",
      operation: "ProviderSlots.acquire",
      detail: `max must be a positive integer, not ${options.max}`
    })
  }
  const sql = yield* SqlClient.SqlClient
  const delay = millis(options.releaseDelay ?? Duration.seconds(5))
  // Outside the locking statement: a concurrent insert of the same rows waits only for this short one.
  yield* sql`
    INSERT INTO provider_slots (provider_id, slot)
    SELECT ${providerId}, g FROM generate_series(0, ${options.max - 1}::integer) AS g
    ON CONFLICT DO NOTHING`
  const [row] = yield* sql<{ readonly slot: number; readonly token: number }>`
    WITH free AS (
      SELECT s.provider_id, s.slot FROM provider_slots s
      WHERE s.provider_id = ${providerId}
        AND s.slot < ${options.max}::integer
        AND NOT EXISTS (SELECT 1 FROM provider_slots o
          WHERE o.provider_id = ${providerId} AND o.slot >= ${options.max}::integer
            AND ((o.holder IS NOT NULL AND o.expires_at >= now()) OR o.released_at > ${ago(sql, delay)}))
        AND ((s.holder IS NULL AND (s.released_at IS NULL OR s.released_at <= ${ago(sql, delay)}))
          OR (s.holder IS NOT NULL AND s.expires_at < now()))
      ORDER BY s.slot
      LIMIT 1
      FOR UPDATE OF s SKIP LOCKED
    )
    UPDATE provider_slots p SET holder = ${options.holder}, download_id = ${options.downloadId ?? null},
      lease_token = nextval('download_lease_tokens'), expires_at = ${later(sql, millis(options.leaseFor))},
      released_at = NULL
    FROM free
    WHERE p.provider_id = free.provider_id AND p.slot = free.slot
    RETURNING p.slot, p.lease_token::float8 AS token`
  return row === undefined ? Option.none<Slot>() : Option.some<Slot>({ providerId, slot: row.slot, token: row.token })
}, Errors.query("ProviderSlots.acquire"))

/** Pushes the slot's expiry to `now + leaseFor`; `false` when it is no longer this holder's. */
export const heartbeat = Effect.fn("ProviderSlots.heartbeat")(function*(slot: Slot, leaseFor: Duration.DurationInput) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE provider_slots SET expires_at = ${later(sql, millis(leaseFor))}
    WHERE provider_id = ${slot.providerId} AND slot = ${slot.slot} AND lease_token = ${slot.token}
      AND holder IS NOT NULL
    RETURNING slot`
  return rows.length > 0
}, Errors.query("ProviderSlots.heartbeat"))

/**
 * Frees the slot once its connection's socket has closed; the release delay runs from now. A slot that is no
 * longer this holder's (its lease expired and was taken) is left alone.
 */
export const release = Effect.fn("ProviderSlots.release")(function*(slot: Slot) {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    UPDATE provider_slots SET holder = NULL, download_id = NULL, lease_token = NULL, expires_at = NULL,
      released_at = now()
    WHERE provider_id = ${slot.providerId} AND slot = ${slot.slot} AND lease_token = ${slot.token}`
}, Errors.query("ProviderSlots.release"))

export interface DenyOptions {
  /** Item refusals within `window` that start a cooldown (default 3). */
  readonly threshold?: number | undefined
  /** Default 10 minutes. */
  readonly window?: Duration.DurationInput | undefined
  /** The first cooldown (default 10 minutes); each consecutive one doubles it. */
  readonly base?: Duration.DurationInput | undefined
  /** The longest cooldown (default 6 hours). */
  readonly max?: Duration.DurationInput | undefined
}

export interface Cooldown {
  readonly until: Date
  readonly reason: string
  /** Consecutive cooldowns so far, this one included. */
  readonly level: number
}

/**
 * Records a refusal by the provider: `account` (the account or the address is refused: cooldown at once) or
 * `item` (one stream refused: cooldown after `threshold` within `window`). Returns the end of the cooldown this
 * started, if any. Refusals during a cooldown (from requests made before it) are not counted.
 */
export const deny = Effect.fn("ProviderSlots.deny")(function*(
  providerId: number,
  kind: "item" | "account",
  reason: string,
  options: DenyOptions = {}
) {
  const sql = yield* SqlClient.SqlClient
  const threshold = options.threshold ?? 3
  const window = options.window ?? Duration.minutes(10)
  const base = millis(options.base ?? Duration.minutes(10))
  const max = millis(options.max ?? Duration.hours(6))
  return yield* sql.withTransaction(Effect.gen(function*() {
    yield* sql`INSERT INTO provider_health (provider_id) VALUES (${providerId}) ON CONFLICT DO NOTHING`
    // The row lock serialises the refusals of one provider, so a threshold is crossed once.
    const [health] = yield* sql<{ readonly active: boolean }>`
      SELECT COALESCE(cooldown_until > now(), false) AS active FROM provider_health
      WHERE provider_id = ${providerId} FOR UPDATE`
    if (health?.active === true) return Option.none<Date>()
    let why = reason
    if (kind === "item") {
      yield* sql`DELETE FROM provider_denials WHERE provider_id = ${providerId} AND at <= ${ago(sql, millis(window))}`
      yield* sql`INSERT INTO provider_denials (provider_id, reason) VALUES (${providerId}, ${reason})`
      const [recent] = yield* sql<{ readonly n: number }>`
        SELECT count(*)::integer AS n FROM provider_denials WHERE provider_id = ${providerId}`
      const n = recent?.n ?? 0
      if (n < threshold) return Option.none<Date>()
      why = `${n} refusals within ${Duration.format(window)}, the last: ${reason}`
    }
    const [started] = yield* sql<{ readonly until: Date }>`
      UPDATE provider_health SET
        cooldown_until = now() + LEAST(${max}::float8,
          ${base}::float8 * power(2::float8, LEAST(cooldown_level, 40))) * interval '1 millisecond',
        cooldown_level = cooldown_level + 1, reason = ${why}, updated_at = now()
      WHERE provider_id = ${providerId}
      RETURNING cooldown_until AS until`
    // The refusals that led here are spent: the next cooldown needs new ones.
    yield* sql`DELETE FROM provider_denials WHERE provider_id = ${providerId}`
    return Option.fromNullable(started?.until)
  }))
}, Errors.query("ProviderSlots.deny"))

/**
 * After a success: the next cooldown starts from `base` again. An active cooldown is left to run (a connection
 * opened before it may well succeed while the account refuses new ones).
 */
export const clear = Effect.fn("ProviderSlots.clear")(function*(providerId: number) {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    UPDATE provider_health SET cooldown_level = 0, cooldown_until = NULL, reason = NULL, updated_at = now()
    WHERE provider_id = ${providerId} AND (cooldown_level > 0 OR cooldown_until IS NOT NULL)
      AND (cooldown_until IS NULL OR cooldown_until <= now())`
}, Errors.query("ProviderSlots.clear"))

/**
 * Ends a cooldown now — the user's call, after fixing what the provider refused (`downloads retry`): the level and
 * the recent denials are reset too. Returns the cooldown that was lifted, if one was running.
 */
export const lift = Effect.fn("ProviderSlots.lift")(function*(providerId: number) {
  const sql = yield* SqlClient.SqlClient
  const running = yield* cooldown(providerId)
  yield* sql`
    UPDATE provider_health SET cooldown_level = 0, cooldown_until = NULL, reason = NULL, updated_at = now()
    WHERE provider_id = ${providerId}`
  yield* sql`DELETE FROM provider_denials WHERE provider_id = ${providerId}`
  return running
}, Errors.query("ProviderSlots.lift"))

/** The provider's cooldown while it lasts. */
export const cooldown = Effect.fn("ProviderSlots.cooldown")(function*(providerId: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Cooldown>`
    SELECT cooldown_until AS until, COALESCE(reason, '') AS reason, cooldown_level AS level FROM provider_health
    WHERE provider_id = ${providerId} AND cooldown_until > now()`
  return Option.fromNullable(row)
}, Errors.query("ProviderSlots.cooldown"))
