import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Providers from "../src/Providers.js"
import * as ProviderSlots from "../src/ProviderSlots.js"
import { reset, StoreLive } from "./utils.js"

const provider = (name = "p") => Effect.map(Providers.ensure({ name, baseUrl: "http://panel.test" }), (p) => p.id)

const acquire = (providerId: number, max: number, holder = "w", options: Partial<ProviderSlots.AcquireOptions> = {}) =>
  ProviderSlots.acquire(providerId, { max, holder, leaseFor: "1 minute", ...options })

/** Seconds from the database's now to the provider's cooldown end. */
const cooldownLeft = (providerId: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ readonly s: number }>`
      SELECT extract(epoch FROM cooldown_until - now())::float8 AS s FROM provider_health
      WHERE provider_id = ${providerId}`
    return row!.s
  })

const endCooldown = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE provider_health SET cooldown_until = now() - interval '1 second'`
})

layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("ProviderSlots", (it) => {
  it.effect("never more than max slots are held, however many ask at once", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const q = yield* provider("q")
      const granted = yield* Effect.all(
        Array.from({ length: 20 }, (_, i) => acquire(p, 2, `w${i}`, { downloadId: i })),
        { concurrency: "unbounded" }
      )
      const held = granted.flatMap((g) => Option.isSome(g) ? [g.value] : [])
      assert.strictEqual(held.length, 2)
      assert.deepStrictEqual(held.map((s) => s.slot).sort(), [0, 1])
      assert.notStrictEqual(held[0]!.token, held[1]!.token)
      assert.isTrue(Option.isNone(yield* acquire(p, 2)))
      // Another provider has its own slots.
      assert.isTrue(Option.isSome(yield* acquire(q, 1)))
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ readonly n: number }>`
        SELECT count(*)::integer AS n FROM provider_slots WHERE provider_id = ${p} AND holder IS NOT NULL`
      assert.strictEqual(rows[0]!.n, 2)
    }))

  it.effect("a released slot stays busy for the release delay", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      const slot = Option.getOrThrow(yield* acquire(p, 1))
      yield* ProviderSlots.release(slot)
      assert.isTrue(Option.isNone(yield* acquire(p, 1)))
      assert.isTrue(Option.isNone(yield* acquire(p, 1, "w", { releaseDelay: "1 minute" })))
      yield* sql`UPDATE provider_slots SET released_at = now() - interval '6 seconds'`
      assert.isTrue(Option.isNone(yield* acquire(p, 1, "w", { releaseDelay: "1 minute" })))
      const again = Option.getOrThrow(yield* acquire(p, 1))
      assert.strictEqual(again.slot, 0)
      assert.isTrue(again.token > slot.token)
      // The old holder's release is ignored: the slot is someone else's now.
      yield* ProviderSlots.release(slot)
      assert.isFalse(yield* ProviderSlots.heartbeat(slot, "1 minute"))
      yield* sql`UPDATE provider_slots SET released_at = now() - interval '1 hour'`
      assert.isTrue(Option.isNone(yield* acquire(p, 1)))
      assert.isTrue(yield* ProviderSlots.heartbeat(again, "1 minute"))
    }))

  it.effect("a slot whose lease expired can be taken; its old holder is fenced", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      const crashed = Option.getOrThrow(yield* acquire(p, 1, "crashed"))
      assert.isTrue(yield* ProviderSlots.heartbeat(crashed, "1 minute"))
      assert.isTrue(Option.isNone(yield* acquire(p, 1)))
      yield* sql`UPDATE provider_slots SET expires_at = now() - interval '1 second'`
      const taken = Option.getOrThrow(yield* acquire(p, 1, "w2", { downloadId: 7 }))
      assert.strictEqual(taken.slot, 0)
      assert.isFalse(yield* ProviderSlots.heartbeat(crashed, "1 minute"))
      yield* ProviderSlots.release(crashed)
      const [row] = yield* sql<{ readonly holder: string; readonly downloadId: number }>`
        SELECT holder, download_id AS "downloadId" FROM provider_slots WHERE provider_id = ${p}`
      assert.deepStrictEqual(row, { holder: "w2", downloadId: 7 })
    }))

  it.effect("after the limit is lowered, nothing is granted while a slot above it is busy", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      const slots = [yield* acquire(p, 3), yield* acquire(p, 3), yield* acquire(p, 3)].map(Option.getOrThrow)
      yield* ProviderSlots.release(slots[0]!)
      yield* sql`UPDATE provider_slots SET released_at = now() - interval '1 hour' WHERE slot = 0`
      assert.isTrue(Option.isNone(yield* acquire(p, 2)))
      yield* ProviderSlots.release(slots[2]!)
      yield* sql`UPDATE provider_slots SET released_at = now() - interval '1 hour' WHERE slot = 2`
      assert.strictEqual(Option.getOrThrow(yield* acquire(p, 2)).slot, 0)
      assert.isTrue(Option.isNone(yield* acquire(p, 2)))
    }))

  it.effect("max must be a positive integer", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      assert.strictEqual((yield* Effect.flip(acquire(p, 0))).reason, "InvalidInput")
    }))

  it.effect("three item refusals within the window start a cooldown; older ones do not count", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      assert.isTrue(Option.isNone(yield* ProviderSlots.deny(p, "item", "404 on 1")))
      assert.isTrue(Option.isNone(yield* ProviderSlots.deny(p, "item", "404 on 2")))
      // The first two age out of the window.
      yield* sql`UPDATE provider_denials SET at = now() - interval '11 minutes'`
      assert.isTrue(Option.isNone(yield* ProviderSlots.deny(p, "item", "404 on 3")))
      assert.isTrue(Option.isNone(yield* ProviderSlots.deny(p, "item", "404 on 4")))
      assert.isTrue(Option.isNone(yield* ProviderSlots.cooldown(p)))
      const until = yield* ProviderSlots.deny(p, "item", "404 on 5")
      assert.isTrue(Option.isSome(until))
      const cooldown = Option.getOrThrow(yield* ProviderSlots.cooldown(p))
      assert.deepStrictEqual(cooldown.until, Option.getOrThrow(until))
      assert.strictEqual(cooldown.level, 1)
      assert.include(cooldown.reason, "404 on 5")
      assert.include(cooldown.reason, "3 refusals")
      const left = yield* cooldownLeft(p)
      assert.isTrue(left > 599 && left <= 600, `cooldown ${left}`)
      // Refusals during the cooldown are not counted, and do not extend it.
      assert.isTrue(Option.isNone(yield* ProviderSlots.deny(p, "account", "401")))
      assert.isTrue(Option.isNone(yield* ProviderSlots.deny(p, "item", "404 on 6")))
      assert.strictEqual(Option.getOrThrow(yield* ProviderSlots.cooldown(p)).level, 1)
      // The refusals that led to a cooldown are spent.
      yield* endCooldown
      assert.isTrue(Option.isNone(yield* ProviderSlots.cooldown(p)))
      assert.isTrue(Option.isNone(yield* ProviderSlots.deny(p, "item", "404 on 7")))
      // A custom threshold and window.
      const q = yield* provider("q")
      assert.isTrue(Option.isSome(yield* ProviderSlots.deny(q, "item", "x", { threshold: 1, window: "1 minute" })))
    }))

  it.effect("an account refusal starts a cooldown at once; consecutive ones double up to the cap; clear resets", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const limits = { base: "10 minutes", max: "25 minutes" } as const
      assert.isTrue(Option.isSome(yield* ProviderSlots.deny(p, "account", "401 Unauthorized", limits)))
      assert.deepStrictEqual(
        Option.map(yield* ProviderSlots.cooldown(p), (c) => [c.reason, c.level]),
        Option.some(["401 Unauthorized", 1] as [string, number])
      )
      let left = yield* cooldownLeft(p)
      assert.isTrue(left > 599 && left <= 600, `first ${left}`)
      yield* endCooldown
      assert.isTrue(Option.isSome(yield* ProviderSlots.deny(p, "account", "458", limits)))
      left = yield* cooldownLeft(p)
      assert.isTrue(left > 1199 && left <= 1200, `second ${left}`)
      yield* endCooldown
      assert.isTrue(Option.isSome(yield* ProviderSlots.deny(p, "account", "458", limits)))
      left = yield* cooldownLeft(p)
      assert.isTrue(left > 1499 && left <= 1500, `capped ${left}`)
      assert.strictEqual(Option.getOrThrow(yield* ProviderSlots.cooldown(p)).level, 3)

      // A success during a cooldown leaves it to run.
      yield* ProviderSlots.clear(p)
      assert.strictEqual(Option.getOrThrow(yield* ProviderSlots.cooldown(p)).level, 3)
      // After it, the next cooldown starts from the base again.
      yield* endCooldown
      yield* ProviderSlots.clear(p)
      assert.isTrue(Option.isSome(yield* ProviderSlots.deny(p, "account", "401", limits)))
      left = yield* cooldownLeft(p)
      assert.isTrue(left > 599 && left <= 600, `after clear ${left}`)
      assert.strictEqual(Option.getOrThrow(yield* ProviderSlots.cooldown(p)).level, 1)
      // Clearing a provider never refused is a no-op.
      yield* ProviderSlots.clear(yield* provider("q"))
    }))

  it.effect("lift ends a running cooldown at once, with its level and recent denials, and says what it lifted", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      assert.isTrue(Option.isNone(yield* ProviderSlots.lift(p)))
      yield* ProviderSlots.deny(p, "item", "404 on 1")
      yield* ProviderSlots.deny(p, "item", "404 on 2")
      assert.isTrue(Option.isSome(yield* ProviderSlots.deny(p, "account", "401 Unauthorized")))
      const lifted = yield* ProviderSlots.lift(p)
      assert.deepStrictEqual(Option.map(lifted, (c) => [c.reason, c.level]), Option.some(["401 Unauthorized", 1] as [string, number]))
      assert.isTrue(Option.isNone(yield* ProviderSlots.cooldown(p)))
      // The item denials before the lift no longer count towards the next cooldown.
      assert.isTrue(Option.isNone(yield* ProviderSlots.deny(p, "item", "404 on 3")))
    }))
})
