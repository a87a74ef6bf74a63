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
 * A fixed-window counter per id (an API key) in PostgreSQL, so the limit holds across every web
 * instance. One statement per request, an upsert of the key's row for the current window, outside
 * any transaction of the request's own (a till's purchase never waits on it): the row lock is held
 * only for that statement. The table is UNLOGGED (see the migration): the upsert writes no WAL, so
 * its commit needs no disk flush and costs about what a primary-key lookup does; a crash merely
 * forgets the current minute's counts. (rate-limiter-flexible's Postgres store does the same upsert
 * plus a table-creation check and expiry bookkeeping; one statement is all the guarantee needs.)
 */
// Built once (db/reusable): every API request runs it.
const countHit = reusable((db) =>
  db
    .insert(apiRateLimits)
    .values({ keyId: sql.placeholder("keyId"), windowStart: sql.placeholder("windowStart"), count: 1 })
    .onConflictDoUpdate({ target: [apiRateLimits.keyId, apiRateLimits.windowStart], set: { count: sql`${apiRateLimits.count} + 1` } })
    .returning({ count: apiRateLimits.count }),
);

export class PostgresRateLimiter implements RateLimiter {
  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly db: () => Db = getDb,
  ) {}

  async hit(id: string, now = Date.now()): Promise<RateLimitResult> {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    const [row] = await countHit(this.db(), { keyId: id, windowStart: new Date(start) });
    return { ok: row.count <= this.limit, limit: this.limit, remaining: Math.max(0, this.limit - row.count), resetAt: start + this.windowMs };
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
