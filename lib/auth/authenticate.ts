import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { users, type User } from "@/db/schema";
import { burnPasswordCheck, verifyPassword } from "./password";
import { clearFailures, countAttempt, emailDelayMs, forgiveAttempt, pairKey, secondsLocked, type ThrottleKey } from "./throttle";

export type AuthFailure = { ok: false; reason: "invalid" | "inactive" | "throttled"; retryAfterSeconds?: number };
export type AuthResult = { ok: true; user: User } | AuthFailure;

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return user;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Checks e-mail + password for staff sign-in. Failures lock the (e-mail, address) pair and a busy
 * address, never the e-mail itself: a stranger's guesses only slow it down (see lib/auth/throttle).
 * The answer for an unknown e-mail and a wrong password is the same, and so is its timing.
 * `wait` is the delay's clock (tests pass their own).
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string },
  opts: { wait?: (ms: number) => Promise<void> } = {},
): Promise<AuthResult> {
  const locks: ThrottleKey[] = [pairKey(input.email, input.ip), { kind: "ip", value: input.ip }];
  const emailKey: ThrottleKey = { kind: "email", value: input.email.trim() };
  const throttled = async (): Promise<AuthFailure> => ({ ok: false, reason: "throttled", retryAfterSeconds: Math.max(1, await secondsLocked(db, locks)) });
  if ((await secondsLocked(db, locks)) > 0) return throttled();
  const { over, counts } = await countAttempt(db, [...locks, emailKey]);
  if (over) return throttled();
  // Counted first, so parallel guesses each wait longer than the one before.
  const delay = emailDelayMs((counts.email ?? 1) - 1);
  if (delay > 0) await (opts.wait ?? sleep)(delay);

  const user = await findUserByEmail(db, input.email);
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : (await burnPasswordCheck(input.password), false);
  if (!user || !valid) return { ok: false, reason: "invalid" };
  if (!user.active) return { ok: false, reason: "inactive" };

  await clearFailures(db, [locks[0], emailKey]);
  await forgiveAttempt(db, locks[1]);
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  return { ok: true, user };
}
