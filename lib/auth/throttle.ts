import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { authThrottle } from "@/db/schema";
import { getEnv } from "@/lib/env";

/**
 * Sign-in and sign-up limits, kept in the database so they hold across instances.
 *
 * - `pair` (e-mail + address): wrong passwords lock that e-mail *from that address* only, so a
 *   stranger cannot lock a colleague out by guessing at her e-mail.
 * - `ip`: one address guessing across many e-mails is locked.
 * - `email`: never locked (that would hand anyone a lock-out button); past a few failures from
 *   anywhere, every attempt on it waits a growing delay before the password is checked — right or
 *   wrong, so the wait says nothing — which slows a guesser spread over many addresses.
 * - `code`: second-factor codes per account; `reset`: "forgot password" requests per address.
 * - `signup`: sign-up attempts per address per hour (SIGNUP_PER_IP_PER_HOUR), far above what a person
 *   needs, to stop scripted mass sign-ups and mail to strangers.
 */
export const THROTTLE_RULES = {
  pair: { limit: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  ip: { limit: 20, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  email: { limit: null, windowSeconds: 15 * 60, lockSeconds: 0 },
  /** Second-factor codes per account (reached only with the right password): 5 tries, then 15 minutes' wait. */
  code: { limit: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  /** "Forgot password" requests per address per hour. */
  reset: { limit: 10, windowSeconds: 3600, lockSeconds: 3600 },
  signup: {
    get limit() {
      return getEnv().SIGNUP_PER_IP_PER_HOUR;
    },
    windowSeconds: 3600,
    lockSeconds: 3600,
  },
} as const;

/** The e-mail's delay: none for the first failures, then 1 s doubling, at most 10 s. */
export const EMAIL_DELAY = { freeFailures: 3, firstMs: 1000, maxMs: 10_000 };

export function emailDelayMs(failures: number): number {
  const over = failures - EMAIL_DELAY.freeFailures;
  return over <= 0 ? 0 : Math.min(EMAIL_DELAY.maxMs, EMAIL_DELAY.firstMs * 2 ** (over - 1));
}

type Kind = keyof typeof THROTTLE_RULES;
export type ThrottleKey = { kind: Kind; value: string };

const keyOf = (k: ThrottleKey) => `${k.kind}:${k.value.toLowerCase()}`;

/** The (e-mail, address) pair as one key; `|` cannot occur in an address. */
export const pairKey = (email: string, ip: string): ThrottleKey => ({ kind: "pair", value: `${email.trim()}|${ip}` });

/** Seconds until the caller may try again, or 0 when none of the keys is locked. */
export async function secondsLocked(db: Db, keys: ThrottleKey[]): Promise<number> {
  const rows = await db
    .select({ lockedUntil: authThrottle.lockedUntil })
    .from(authThrottle)
    .where(inArray(authThrottle.key, keys.map(keyOf)));
  const now = Date.now();
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/**
 * Counts one attempt per key inside its window (before the password is checked, so parallel guesses
 * cannot slip past the limit); reaching a key's limit locks it. Returns whether this attempt is over a
 * limit, and each key's count in its window.
 */
export async function countAttempt(db: Db, keys: ThrottleKey[]): Promise<{ over: boolean; counts: Partial<Record<Kind, number>> }> {
  let over = false;
  const counts: Partial<Record<Kind, number>> = {};
  for (const k of keys) {
    const rule = THROTTLE_RULES[k.kind];
    const limit = rule.limit;
    const windowStale = sql`${authThrottle.windowStart} < now() - make_interval(secs => ${rule.windowSeconds})`;
    const lockedUntil =
      limit === null
        ? authThrottle.lockedUntil
        : sql`case when not (${windowStale}) and ${authThrottle.failures} + 1 >= ${limit}
            then now() + make_interval(secs => ${rule.lockSeconds}) else ${authThrottle.lockedUntil} end`;
    const [row] = await db
      .insert(authThrottle)
      .values({ key: keyOf(k), failures: 1, windowStart: sql`now()` })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: {
          failures: sql`case when ${windowStale} then 1 else ${authThrottle.failures} + 1 end`,
          windowStart: sql`case when ${windowStale} then now() else ${authThrottle.windowStart} end`,
          lockedUntil,
        },
      })
      .returning({ failures: authThrottle.failures });
    counts[k.kind] = row?.failures ?? 0;
    if (limit !== null && (row?.failures ?? 0) > limit) over = true;
  }
  return { over, counts };
}

/** A successful attempt is not held against the address it came from. */
export async function forgiveAttempt(db: Db, key: ThrottleKey): Promise<void> {
  await db
    .update(authThrottle)
    .set({ failures: sql`greatest(${authThrottle.failures} - 1, 0)` })
    .where(eq(authThrottle.key, keyOf(key)));
}

export async function clearFailures(db: Db, keys: ThrottleKey[]): Promise<void> {
  await db.delete(authThrottle).where(inArray(authThrottle.key, keys.map(keyOf)));
}
