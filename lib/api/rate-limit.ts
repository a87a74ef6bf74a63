import "server-only";
import { getEnv } from "@/lib/env";

export type RateLimitResult = { ok: boolean; limit: number; remaining: number; resetAt: number };

export type RateLimiter = { hit(id: string, now?: number): RateLimitResult };

/**
 * A fixed-window counter per id (an API key), kept in this process's memory. Each web instance
 * counts on its own, so behind N instances a key gets up to N × limit per window; that is the
 * price of needing no shared store, and the limit is there against runaway scripts, not billing.
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

/** The default; an instance may set another with API_RATE_LIMIT_PER_MINUTE. */
export const API_RATE_LIMIT_PER_MINUTE = 600;

const holder = globalThis as unknown as { __carddeskApiLimiter?: FixedWindowLimiter };
/** The limiter every API route uses; one per process (dev reloads keep it), made on first use with the configured limit. */
export const apiRateLimiter: RateLimiter = {
  hit: (id, now) => (holder.__carddeskApiLimiter ??= new FixedWindowLimiter(getEnv().API_RATE_LIMIT_PER_MINUTE)).hit(id, now),
};
