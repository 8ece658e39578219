import { assert, layer } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Downloads from "../src/Downloads.js"
import * as Providers from "../src/Providers.js"
import * as ProviderSlots from "../src/ProviderSlots.js"
import { reset, StoreLive } from "./utils.js"

const onPostgres = (process.env["DATABASE_URL"] ?? "") !== ""

const provider = (name = "p") => Effect.map(Providers.ensure({ name, baseUrl: "http://panel.test" }), (p) => p.id)

const item = (providerId: number, id: number, overrides: Partial<Downloads.Enqueue> = {}): Downloads.Enqueue => ({
  providerId,
  entryKey: `xtream:movie:${id}`,
  wantedKey: `radarr:movie:${id}`,
  arr: "radarr",
  arrItemId: id,
  title: `Movie ${id} (2020)`,
  extension: "mkv",
  targetPath: `/library/Movie ${id} (2020)/Movie ${id} (2020).mkv`,
  importPath: `/movies/Movie ${id} (2020)`,
  ...overrides
})

const claim = (owner = "w1", providerId?: number) =>
  Effect.map(Downloads.claim({ owner, leaseFor: "1 minute", providerId }), Option.getOrThrow)

const claimNone = (owner = "w1") =>
  Effect.map(Downloads.claim({ owner, leaseFor: "1 minute" }), (o) => Option.isNone(o))

/** Seconds from the database's now to a column of a download. */
const secondsUntil = (id: number, column: "next_attempt_at" | "lease_expires_at") =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ readonly s: number }>`
      SELECT extract(epoch FROM ${sql(column)} - now())::float8 AS s FROM downloads WHERE id = ${id}`
    return row!.s
  })

const expireLease = (id: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE downloads SET lease_expires_at = now() - interval '1 second' WHERE id = ${id}`
  })

layer(StoreLive, { timeout: "120 seconds", excludeTestServices: true })("Downloads", (it) => {
  it.effect("enqueue is idempotent on the wanted key; force re-queues ended jobs only", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const first = yield* Downloads.enqueue(item(p, 1))
      assert.isTrue(first.created)
      assert.strictEqual(first.download.state, "queued")
      assert.strictEqual(first.download.attempts, 0)
      assert.strictEqual(first.download.maxAttempts, 8)
      assert.strictEqual(first.download.durableBytes, 0)
      assert.isNull(first.download.totalBytes)
      const again = yield* Downloads.enqueue(item(p, 1, { title: "other" }))
      assert.isFalse(again.created)
      assert.deepStrictEqual(again.download, first.download)
      // Force does not touch a job that has not ended.
      const forced = yield* Downloads.enqueue(item(p, 1, { title: "other" }), { force: true })
      assert.deepStrictEqual(forced.download, first.download)
      assert.strictEqual((yield* Downloads.list()).length, 1)

      // Failed: untouched without force; with force, queued again with its attempts reset and its progress kept.
      const lease = yield* claim()
      assert.isTrue(yield* Downloads.progress(lease, { durable: 1000, total: 5000, etag: "\"e\"" }))
      assert.isTrue(yield* Downloads.fail(lease, { message: "gone", class: "item", retryable: false }))
      const untouched = yield* Downloads.enqueue(item(p, 1))
      assert.deepStrictEqual([untouched.download.state, untouched.created, untouched.requeued], ["failed", false, false])
      const requeued = yield* Downloads.enqueue(item(p, 1), { force: true })
      assert.isFalse(requeued.created)
      assert.isTrue(requeued.requeued)
      assert.strictEqual(requeued.download.id, first.download.id)
      assert.strictEqual(requeued.download.state, "queued")
      assert.strictEqual(requeued.download.attempts, 0)
      assert.strictEqual(requeued.download.durableBytes, 1000)
      assert.strictEqual(requeued.download.etag, "\"e\"")

      // Completed: re-queued only with force, from scratch, and from the new item (another entry, another file).
      const second = yield* claim()
      assert.isTrue(yield* Downloads.progress(second, { durable: 5000, total: 5000, etag: "\"e\"" }))
      assert.isTrue(yield* Downloads.complete(second))
      const done = yield* Downloads.get(first.download.id)
      assert.strictEqual(done.state, "completed")
      assert.strictEqual(done.importStatus, "pending")
      assert.isNotNull(done.completedAt)
      assert.strictEqual((yield* Downloads.enqueue(item(p, 1))).download.state, "completed")
      const redo = yield* Downloads.enqueue(item(p, 1, { entryKey: "xtream:movie:99" }), { force: true })
      assert.strictEqual(redo.download.state, "queued")
      assert.strictEqual(redo.download.entryKey, "xtream:movie:99")
      assert.strictEqual(redo.download.durableBytes, 0)
      assert.isNull(redo.download.totalBytes)
      assert.isNull(redo.download.importStatus)
      assert.isNull(redo.download.completedAt)
      assert.strictEqual((yield* Downloads.list()).length, 1)
      assert.deepStrictEqual(yield* Downloads.findByWantedKey("radarr:movie:1"), Option.some(redo.download))
      assert.isTrue(Option.isNone(yield* Downloads.findByWantedKey("radarr:movie:2")))
    }))

  it.effect("enqueue refuses an empty wanted key or target", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const error = yield* Effect.flip(Downloads.enqueue(item(p, 1, { targetPath: " " })))
      assert.strictEqual(error.reason, "InvalidInput")
      const error2 = yield* Effect.flip(Downloads.enqueue(item(p, 1, { wantedKey: "" })))
      assert.strictEqual(error2.reason, "InvalidInput")
    }))

  it.effect("claims the oldest due job first, each once, and not jobs due later", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      const a = yield* Downloads.enqueue(item(p, 1))
      const b = yield* Downloads.enqueue(item(p, 2))
      const c = yield* Downloads.enqueue(item(p, 3))
      yield* sql`UPDATE downloads SET next_attempt_at = now() - interval '1 minute' WHERE id = ${c.download.id}`
      yield* sql`UPDATE downloads SET next_attempt_at = now() + interval '1 hour' WHERE id = ${b.download.id}`
      const first = yield* claim("w1")
      assert.strictEqual(first.download.id, c.download.id)
      assert.strictEqual(first.download.state, "running")
      assert.strictEqual(first.download.attempts, 1)
      assert.strictEqual(first.download.leaseOwner, "w1")
      assert.isNotNull(first.download.startedAt)
      const second = yield* claim("w2")
      assert.strictEqual(second.download.id, a.download.id)
      assert.isTrue(second.token > first.token)
      assert.isTrue(yield* claimNone())
      const leaseLeft = yield* secondsUntil(first.download.id, "lease_expires_at")
      assert.isTrue(leaseLeft > 55 && leaseLeft <= 60, `lease ${leaseLeft}`)
      assert.deepStrictEqual(yield* Downloads.counts, {
        queued: 1,
        running: 2,
        "retry-wait": 0,
        completed: 0,
        failed: 0,
        cancelled: 0
      })
    }))

  it.effect("claim is limited to a provider when asked, and skips providers in cooldown", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider("p")
      const q = yield* provider("q")
      yield* Downloads.enqueue(item(p, 1))
      const other = yield* Downloads.enqueue(item(q, 2))
      assert.isTrue(Option.isSome(yield* ProviderSlots.deny(p, "account", "401")))
      assert.isTrue(Option.isNone(yield* Downloads.claim({ owner: "w", leaseFor: "1 minute", providerId: p })))
      const lease = yield* claim("w")
      assert.strictEqual(lease.download.id, other.download.id)
      assert.isTrue(yield* claimNone())
      // Once the cooldown is over, the job is claimed.
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE provider_health SET cooldown_until = now() - interval '1 second'`
      assert.strictEqual((yield* claim("w", p)).download.providerId, p)
    }))

  it.effect("concurrent claims never get the same job", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      for (let i = 1; i <= 6; i++) yield* Downloads.enqueue(item(p, i))
      const claims = yield* Effect.all(
        Array.from({ length: 10 }, (_, i) => Downloads.claim({ owner: `w${i}`, leaseFor: "1 minute" })),
        { concurrency: "unbounded" }
      )
      const ids = claims.flatMap((c) => Option.isSome(c) ? [c.value.download.id] : [])
      assert.strictEqual(ids.length, 6)
      assert.strictEqual(new Set(ids).size, 6)
      assert.strictEqual((yield* Downloads.counts).running, 6)
    }))

  it.effect.skipIf(!onPostgres)("on PostgreSQL, two claims in open transactions get different jobs", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      yield* Downloads.enqueue(item(p, 1))
      yield* Downloads.enqueue(item(p, 2))
      // The first claim's transaction stays open (its row locked) while the second one runs: SKIP LOCKED passes it.
      const [a, b] = yield* Effect.all([
        sql.withTransaction(Effect.zipLeft(claim("a"), Effect.sleep("300 millis"))),
        Effect.zipRight(Effect.sleep("100 millis"), claim("b"))
      ], { concurrency: "unbounded" })
      assert.notStrictEqual(a.download.id, b.download.id)
    }))

  it.effect("a stale token changes nothing: progress, heartbeat, complete, fail and release are fenced", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const { download } = yield* Downloads.enqueue(item(p, 1))
      const lease = yield* claim("w1")
      assert.isTrue(yield* Downloads.progress(lease, { durable: 100, total: 1000, etag: null }))
      assert.isTrue(yield* Downloads.heartbeat(lease, "2 minutes"))
      const stale: Downloads.Lease = { ...lease, token: lease.token - 1 }
      const before = yield* Downloads.get(download.id)
      assert.isFalse(yield* Downloads.progress(stale, { durable: 999, total: 999, etag: "x" }))
      assert.isFalse(yield* Downloads.heartbeat(stale, "1 hour"))
      assert.isFalse(yield* Downloads.complete(stale))
      assert.isFalse(yield* Downloads.fail(stale, { message: "x", class: "transfer", retryable: true }))
      assert.isFalse(yield* Downloads.release(stale))
      assert.deepStrictEqual(yield* Downloads.get(download.id), before)
      assert.strictEqual(before.durableBytes, 100)
      assert.strictEqual(before.totalBytes, 1000)
      // The current token still works.
      assert.isTrue(yield* Downloads.complete(lease))
      // And once ended, not even the right token writes.
      assert.isFalse(yield* Downloads.progress(lease, { durable: 1, total: 1, etag: null }))
      assert.isFalse(yield* Downloads.fail(lease, { message: "x", class: "transfer", retryable: true }))
      assert.strictEqual((yield* Downloads.get(download.id)).state, "completed")
    }))

  it.effect("an expired lease is rescued by the next claim, under a new token; the old worker is fenced", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const { download } = yield* Downloads.enqueue(item(p, 1))
      const old = yield* claim("w1")
      assert.isTrue(yield* Downloads.progress(old, { durable: 500, total: 1000, etag: "\"e\"" }))
      assert.isTrue(yield* claimNone("w2"))
      yield* expireLease(download.id)
      const next = yield* claim("w2")
      assert.strictEqual(next.download.id, download.id)
      assert.isTrue(next.token > old.token)
      assert.strictEqual(next.download.attempts, 2)
      assert.strictEqual(next.download.durableBytes, 500)
      assert.strictEqual(next.download.lastErrorClass, "lease")
      assert.include(next.download.lastError ?? "", "w1")
      assert.isFalse(yield* Downloads.heartbeat(old, "1 minute"))
      assert.isFalse(yield* Downloads.progress(old, { durable: 900, total: 1000, etag: "\"e\"" }))
      assert.isFalse(yield* Downloads.complete(old))
      assert.isTrue(yield* Downloads.progress(next, { durable: 600, total: 1000, etag: "\"e\"" }))
      assert.strictEqual((yield* Downloads.get(download.id)).durableBytes, 600)
    }))

  it.effect("an expired lease of a job out of attempts fails it", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const { download } = yield* Downloads.enqueue(item(p, 1, { maxAttempts: 1 }))
      yield* claim()
      yield* expireLease(download.id)
      assert.isTrue(yield* claimNone())
      assert.strictEqual((yield* Downloads.get(download.id)).state, "failed")
    }))

  it.effect("progress gives the attempts back: a job killed again and again while advancing never runs out", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const { download } = yield* Downloads.enqueue(item(p, 1, { maxAttempts: 2 }))
      for (let round = 1; round <= 5; round++) {
        const lease = yield* claim()
        assert.isTrue(yield* Downloads.progress(lease, { durable: round * 1000, total: 10_000, etag: null }))
        assert.strictEqual((yield* Downloads.get(download.id)).attempts, 1)
        yield* expireLease(download.id)
      }
      // Without progress the attempts count again: out of them, it fails.
      const stuck = yield* claim()
      assert.isTrue(yield* Downloads.progress(stuck, { durable: 5000, total: 10_000, etag: null }))
      yield* expireLease(download.id)
      assert.isTrue(yield* claimNone())
      assert.strictEqual((yield* Downloads.get(download.id)).state, "failed")
    }))

  it.effect("a retryable failure waits with exponential backoff and jitter; then fails when out of attempts", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      const { download } = yield* Downloads.enqueue(item(p, 1, { maxAttempts: 3 }))
      const error = { message: "connection reset after 12 MB", class: "transfer", retryable: true }
      const first = yield* claim()
      assert.isTrue(yield* Downloads.fail(first, error))
      let row = yield* Downloads.get(download.id)
      assert.strictEqual(row.state, "retry-wait")
      assert.strictEqual(row.attempts, 1)
      assert.strictEqual(row.lastError, error.message)
      assert.strictEqual(row.lastErrorClass, "transfer")
      assert.isNull(row.leaseOwner)
      let wait = yield* secondsUntil(download.id, "next_attempt_at")
      assert.isTrue(wait >= 24 - 0.5 && wait <= 36, `first wait ${wait}`)
      assert.isTrue(yield* claimNone())

      yield* sql`UPDATE downloads SET next_attempt_at = now() WHERE id = ${download.id}`
      const second = yield* claim()
      assert.strictEqual(second.download.attempts, 2)
      assert.isTrue(yield* Downloads.fail(second, error, { base: "10 seconds", max: "1 hour" }))
      wait = yield* secondsUntil(download.id, "next_attempt_at")
      assert.isTrue(wait >= 16 - 0.5 && wait <= 24, `second wait ${wait}`)

      // The cap.
      yield* sql`UPDATE downloads SET next_attempt_at = now() WHERE id = ${download.id}`
      yield* sql`UPDATE downloads SET max_attempts = 20, attempts = 14 WHERE id = ${download.id}`
      const capped = yield* claim()
      assert.isTrue(yield* Downloads.fail(capped, error))
      wait = yield* secondsUntil(download.id, "next_attempt_at")
      assert.isTrue(wait >= 0.8 * 6 * 3600 - 1 && wait <= 1.2 * 6 * 3600, `capped wait ${wait}`)

      // Out of attempts.
      yield* sql`UPDATE downloads SET next_attempt_at = now(), attempts = 19 WHERE id = ${download.id}`
      const last = yield* claim()
      assert.strictEqual(last.download.attempts, 20)
      assert.isTrue(yield* Downloads.fail(last, error))
      row = yield* Downloads.get(download.id)
      assert.strictEqual(row.state, "failed")
      assert.strictEqual(row.attempts, 20)
    }))

  it.effect("a failure that is not retryable fails at once", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const { download } = yield* Downloads.enqueue(item(p, 1))
      const lease = yield* claim()
      assert.isTrue(yield* Downloads.fail(lease, { message: "404", class: "item", retryable: false }))
      const row = yield* Downloads.get(download.id)
      assert.strictEqual(row.state, "failed")
      assert.strictEqual(row.attempts, 1)
      assert.isTrue(yield* claimNone())
    }))

  it.effect("release gives a job back without counting an attempt, after a delay if asked", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const { download } = yield* Downloads.enqueue(item(p, 1))
      const lease = yield* claim()
      assert.isTrue(yield* Downloads.release(lease))
      let row = yield* Downloads.get(download.id)
      assert.strictEqual(row.state, "queued")
      assert.strictEqual(row.attempts, 0)
      assert.isNull(row.leaseOwner)
      assert.isFalse(yield* Downloads.release(lease))
      const again = yield* claim()
      assert.strictEqual(again.download.attempts, 1)
      assert.isTrue(yield* Downloads.release(again, { delay: "5 minutes" }))
      row = yield* Downloads.get(download.id)
      assert.strictEqual(row.attempts, 0)
      const wait = yield* secondsUntil(download.id, "next_attempt_at")
      assert.isTrue(wait > 299 && wait <= 300, `wait ${wait}`)
      assert.isTrue(yield* claimNone())
    }))

  it.effect("cancel ends a job; its running worker is fenced at its next write; retry queues it again", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const { download } = yield* Downloads.enqueue(item(p, 1))
      const lease = yield* claim()
      const cancelled = yield* Downloads.cancel(download.id)
      assert.strictEqual(cancelled.state, "cancelled")
      assert.isFalse(yield* Downloads.progress(lease, { durable: 10, total: 100, etag: null }))
      assert.isFalse(yield* Downloads.heartbeat(lease, "1 minute"))
      assert.isFalse(yield* Downloads.complete(lease))
      assert.strictEqual((yield* Downloads.get(download.id)).durableBytes, 0)
      assert.isTrue(yield* claimNone())
      // Cancelling again is a no-op.
      assert.strictEqual((yield* Downloads.cancel(download.id)).state, "cancelled")

      const retried = yield* Downloads.retry(download.id)
      assert.strictEqual(retried.state, "queued")
      assert.strictEqual(retried.attempts, 0)
      const error = yield* Effect.flip(Downloads.retry(download.id))
      assert.strictEqual(error.reason, "InvalidInput")
      assert.include(error.message, "queued")
      // Waiting for a retry: due now, with all its attempts again.
      const waiting = yield* claim()
      assert.isTrue(yield* Downloads.fail(waiting, { message: "reset", class: "transfer", retryable: true }))
      assert.strictEqual((yield* Downloads.get(download.id)).state, "retry-wait")
      assert.isTrue(yield* claimNone())
      assert.deepStrictEqual(yield* Downloads.pendingByProvider(), [{ providerId: p, pending: 1 }])
      const due = yield* Downloads.retry(download.id)
      assert.deepStrictEqual([due.state, due.attempts], ["queued", 0])
      const next = yield* claim()
      assert.isTrue(yield* Downloads.complete(next))
      const refused = yield* Effect.flip(Downloads.cancel(download.id))
      assert.strictEqual(refused.reason, "InvalidInput")
      assert.strictEqual((yield* Effect.flip(Downloads.get(12345))).reason, "NotFound")
      assert.strictEqual((yield* Effect.flip(Downloads.cancel(12345))).reason, "NotFound")
      assert.strictEqual((yield* Effect.flip(Downloads.retry(12345))).reason, "NotFound")
    }))

  it.effect("the import status is recorded; list filters and orders newest first", () =>
    Effect.gen(function*() {
      yield* reset
      const p = yield* provider()
      const a = yield* Downloads.enqueue(item(p, 1))
      const b = yield* Downloads.enqueue(item(p, 2, { arr: "sonarr", wantedKey: "sonarr:episode:2" }))
      const lease = yield* claim()
      assert.strictEqual(lease.download.id, a.download.id)
      assert.isTrue(yield* Downloads.complete(lease))
      assert.deepStrictEqual((yield* Downloads.list({ importStatus: "pending" })).map((d) => d.id), [a.download.id])
      yield* Downloads.setImport(a.download.id, "requested", "command 17")
      let row = yield* Downloads.get(a.download.id)
      assert.strictEqual(row.importStatus, "requested")
      assert.strictEqual(row.importDetail, "command 17")
      yield* Downloads.setImport(a.download.id, "completed")
      row = yield* Downloads.get(a.download.id)
      assert.strictEqual(row.importStatus, "completed")
      assert.isNull(row.importDetail)
      assert.strictEqual((yield* Effect.flip(Downloads.setImport(999, "failed"))).reason, "NotFound")

      assert.deepStrictEqual((yield* Downloads.list()).map((d) => d.id), [b.download.id, a.download.id])
      assert.deepStrictEqual((yield* Downloads.list({ limit: 1 })).map((d) => d.id), [b.download.id])
      assert.deepStrictEqual((yield* Downloads.list({ state: "completed" })).map((d) => d.id), [a.download.id])
      assert.strictEqual((yield* Downloads.list({ state: "queued" }))[0]!.arr, "sonarr")
    }))

  it.effect("list pages through the jobs newest first, without overlap; count is the total of the same filter", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      const ids: Array<number> = []
      for (let i = 1; i <= 5; i++) ids.push((yield* Downloads.enqueue(item(p, i))).download.id)
      // Two jobs created in the same instant: the id breaks the tie.
      yield* sql`UPDATE downloads SET created_at = (SELECT created_at FROM downloads WHERE id = ${ids[0]!})
        WHERE id = ${ids[1]!}`
      yield* Downloads.cancel(ids[2]!)
      const newestFirst = (yield* Downloads.list()).map((d) => d.id)
      assert.strictEqual(newestFirst.length, 5)
      const pages = [
        yield* Downloads.list({ limit: 2, offset: 0 }),
        yield* Downloads.list({ limit: 2, offset: 2 }),
        yield* Downloads.list({ limit: 2, offset: 4 }),
        yield* Downloads.list({ limit: 2, offset: 6 })
      ].map((page) => page.map((d) => d.id))
      assert.deepStrictEqual(pages.map((page) => page.length), [2, 2, 1, 0])
      assert.deepStrictEqual(pages.flat(), newestFirst)
      assert.deepStrictEqual(newestFirst.slice(-2), [ids[1]!, ids[0]!])
      assert.strictEqual(yield* Downloads.count(), 5)
      assert.strictEqual(yield* Downloads.count({ state: "queued" }), 4)
      assert.strictEqual(yield* Downloads.count({ state: "cancelled" }), 1)
      assert.strictEqual(yield* Downloads.count({ state: "failed" }), 0)
      assert.deepStrictEqual((yield* Downloads.list({ state: "queued", limit: 10, offset: 3 })).map((d) => d.id), [ids[0]!])
      assert.strictEqual(yield* Downloads.count({ importStatus: "pending" }), 0)
    }))

  it.effect("deleting a provider deletes its downloads", () =>
    Effect.gen(function*() {
      yield* reset
      const sql = yield* SqlClient.SqlClient
      const p = yield* provider()
      yield* Downloads.enqueue(item(p, 1))
      yield* sql`DELETE FROM providers WHERE id = ${p}`
      assert.strictEqual((yield* Downloads.list()).length, 0)
    }))
})
