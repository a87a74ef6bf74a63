import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { authThrottle } from "@/db/schema";

export const THROTTLE_RULES = {
  email: { limit: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  ip: { limit: 20, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
} as const;

type Kind = keyof typeof THROTTLE_RULES;
export type ThrottleKey = { kind: Kind; value: string };

const keyOf = (k: ThrottleKey) => `${k.kind}:${k.value.toLowerCase()}`;

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
 * cannot slip past the limit); reaching the limit locks the key. True when this attempt is over it.
 */
export async function countAttempt(db: Db, keys: ThrottleKey[]): Promise<boolean> {
  let over = false;
  for (const k of keys) {
    const rule = THROTTLE_RULES[k.kind];
    const windowStale = sql`${authThrottle.windowStart} < now() - make_interval(secs => ${rule.windowSeconds})`;
    const [row] = await db
      .insert(authThrottle)
      .values({ key: keyOf(k), failures: 1, windowStart: sql`now()` })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: {
          failures: sql`case when ${windowStale} then 1 else ${authThrottle.failures} + 1 end`,
          windowStart: sql`case when ${windowStale} then now() else ${authThrottle.windowStart} end`,
          lockedUntil: sql`case when not (${windowStale}) and ${authThrottle.failures} + 1 >= ${rule.limit}
            then now() + make_interval(secs => ${rule.lockSeconds}) else ${authThrottle.lockedUntil} end`,
        },
      })
      .returning({ failures: authThrottle.failures });
    if ((row?.failures ?? 0) > rule.limit) over = true;
  }
  return over;
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
