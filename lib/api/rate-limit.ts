import "server-only";
import { lt, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db";
import { reusable } from "@/db/reusable";
import { apiRateLimits } from "@/db/schema/api-rate-limits";
import { getEnv } from "@/lib/env";

export type RateLimitResult = { ok: boolean; limit: number; remaining: number; resetAt: number };

export type RateLimiter = { hit(id: string, now?: number): RateLimitResult | Promise<RateLimitResult> };

/**
 * A fixed-window counter per id kept in this process's memory: for limits that need not hold across
 * instances (the wallet's log endpoint) and for tests. Behind N instances an id gets up to N × limit.
 */
export class FixedWindowLimiter implements RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  hit(id: string, now = Date.now()): RateLimitResult {
    let window = this.windows.get(id);
    if (!window || now - window.start >= this.windowMs) {
      if (!window) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(id, window);
    }
    window.count++;
    const resetAt = window.start + this.windowMs;
    return { ok: window.count <= this.limit, limit: this.limit, remaining: Math.max(0, this.limit - window.count), resetAt };
  }

  /** Drops finished windows when a new id shows up, so revoked and idle keys do not pile up. */
  private sweep(now: number) {
    for (const [id, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(id);
  }
}

/**
 * A fixed-window limit per id (an API key) that holds across every web instance: the window's count
 * lives in PostgreSQL, and an instance claims the right to serve requests in small blocks of it rather
 * than one request at a time. A claim is one upsert that never grants past the limit, so whatever the
 * number of instances, a key is never served more than `limit` requests in a window; an instance
 * serves a block from memory and claims the next when it runs out. Concurrent requests of one key in
 * one instance wait on a single claim.
 *
 * The cost: one statement per block instead of one per request. The bench (bench/pos.ts) measured the
 * per-request upsert at about as much as a primary-key read on every call, a till's lookup being five
 * statements in all. The price of blocks: requests another instance claimed and did not use are lost
 * to this window, so near the limit a key may be refused a little early — blocks shrink as the count
 * nears the limit (an eighth of what is left), which bounds that to a few requests. Small limits
 * (under 40 a window) claim one request at a time, exactly as before.
 *
 * The table is UNLOGGED (see its migration): a claim writes no WAL, so its commit needs no disk flush;
 * a crash merely forgets the current minute's counts. The claim runs outside any transaction of the
 * request's own, so a till's purchase never waits on it.
 */
// Built once (db/reusable). In ON CONFLICT's SET every expression reads the row as it was, so
// `granted` is what this claim added, computed from the old count under the row's lock.
const claimBlock = reusable((db) => {
  const want = sql`${sql.placeholder("want")}::int`;
  const limit = sql`${sql.placeholder("limit")}::int`;
  const grant = sql`least(${want}, greatest(${limit} - ${apiRateLimits.count}, 0))`;
  return db
    .insert(apiRateLimits)
    .values({
      keyId: sql.placeholder("keyId"),
      windowStart: sql.placeholder("windowStart"),
      count: sql`least(${want}, ${limit})`,
      granted: sql`least(${want}, ${limit})`,
    })
    .onConflictDoUpdate({ target: [apiRateLimits.keyId, apiRateLimits.windowStart], set: { granted: grant, count: sql`${apiRateLimits.count} + ${grant}` } })
    .returning({ count: apiRateLimits.count, granted: apiRateLimits.granted });
});

/** The largest block an instance claims at once. */
export const RATE_BLOCK_MAX = 50;

type Slot = { start: number; left: number; known: number; exhausted: boolean; claiming?: Promise<void> };

export class PostgresRateLimiter implements RateLimiter {
  private slots = new Map<string, Slot>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly db: () => Db = getDb,
  ) {}

  async hit(id: string, now = Date.now()): Promise<RateLimitResult> {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let slot = this.slots.get(id);
    if (!slot || slot.start !== start) {
      if (!slot) this.sweep(start);
      slot = { start, left: 0, known: 0, exhausted: false };
      this.slots.set(id, slot);
    }
    while (slot.left === 0 && !slot.exhausted) {
      const current = slot;
      current.claiming ??= this.claim(id, current).finally(() => (current.claiming = undefined));
      await current.claiming;
    }
    const resetAt = start + this.windowMs;
    if (slot.left === 0) return { ok: false, limit: this.limit, remaining: 0, resetAt };
    slot.left--;
    // What the whole key may still do: the window's count as last read, less what this instance holds unused.
    return { ok: true, limit: this.limit, remaining: Math.max(0, this.limit - slot.known + slot.left), resetAt };
  }

  /** How many to claim: a block, smaller as the window nears its limit, one at a time for small limits. */
  private want(slot: Slot): number {
    const left = this.limit - slot.known;
    return Math.max(1, Math.min(RATE_BLOCK_MAX, Math.floor(this.limit / 40), Math.floor(left / 8)));
  }

  private async claim(id: string, slot: Slot): Promise<void> {
    const [row] = await claimBlock(this.db(), { keyId: id, windowStart: new Date(slot.start), want: this.want(slot), limit: this.limit });
    slot.known = row.count;
    slot.left += row.granted;
    if (row.granted === 0) slot.exhausted = true;
  }

  /** Forgets finished windows when a new id shows up, so revoked and idle keys do not pile up. */
  private sweep(start: number) {
    for (const [id, slot] of this.slots) if (slot.start < start) this.slots.delete(id);
  }
}

/** Drops finished windows (older than an hour); run with the daily idempotency purge. */
export async function purgeRateLimitWindows(db: Db, now = Date.now()): Promise<number> {
  const gone = await db
    .delete(apiRateLimits)
    .where(lt(apiRateLimits.windowStart, new Date(now - 3_600_000)))
    .returning({ keyId: apiRateLimits.keyId });
  return gone.length;
}

/** The default; an instance may set another with API_RATE_LIMIT_PER_MINUTE. */
export const API_RATE_LIMIT_PER_MINUTE = 600;

const holder = globalThis as unknown as { __carddeskApiLimiter?: PostgresRateLimiter };
/** The limiter every API route uses, made on first use with the configured limit. */
export const apiRateLimiter: RateLimiter = {
  hit: (id, now) => (holder.__carddeskApiLimiter ??= new PostgresRateLimiter(getEnv().API_RATE_LIMIT_PER_MINUTE)).hit(id, now),
};

/**
 * The headers every API answer carries: the `x-ratelimit-*` ones clients may already read (reset in
 * unix seconds) and the IETF draft's `RateLimit-*` (reset in seconds from now) with the policy.
 */
export function rateLimitHeaders(rate: RateLimitResult, windowMs = 60_000, now = Date.now()): Record<string, string> {
  const resetIn = String(Math.max(0, Math.ceil((rate.resetAt - now) / 1000)));
  return {
    "x-ratelimit-limit": String(rate.limit),
    "x-ratelimit-remaining": String(rate.remaining),
    "x-ratelimit-reset": String(Math.ceil(rate.resetAt / 1000)),
    "ratelimit-limit": String(rate.limit),
    "ratelimit-remaining": String(rate.remaining),
    "ratelimit-reset": resetIn,
    "ratelimit-policy": `${rate.limit};w=${Math.round(windowMs / 1000)}`,
  };
}
