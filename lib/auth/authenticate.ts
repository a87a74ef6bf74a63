import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { users, type User } from "@/db/schema";
import { burnPasswordCheck, verifyPassword } from "./password";
import { clearFailures, countAttempt, forgiveAttempt, secondsLocked, type ThrottleKey } from "./throttle";

export type AuthFailure = { ok: false; reason: "invalid" | "inactive" | "throttled"; retryAfterSeconds?: number };
export type AuthResult = { ok: true; user: User } | AuthFailure;

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return user;
}

/**
 * Checks e-mail + password for staff sign-in. Failures are throttled per e-mail and per IP; the answer
 * for an unknown e-mail and a wrong password is the same, and so is its timing.
 */
export async function authenticate(db: Db, input: { email: string; password: string; ip: string }): Promise<AuthResult> {
  const keys: ThrottleKey[] = [
    { kind: "email", value: input.email },
    { kind: "ip", value: input.ip },
  ];
  const throttled = async (): Promise<AuthFailure> => ({ ok: false, reason: "throttled", retryAfterSeconds: Math.max(1, await secondsLocked(db, keys)) });
  if ((await secondsLocked(db, keys)) > 0) return throttled();
  if (await countAttempt(db, keys)) return throttled();

  const user = await findUserByEmail(db, input.email);
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : (await burnPasswordCheck(input.password), false);
  if (!user || !valid) return { ok: false, reason: "invalid" };
  if (!user.active) return { ok: false, reason: "inactive" };

  await clearFailures(db, [keys[0]]);
  await forgiveAttempt(db, keys[1]);
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  return { ok: true, user };
}
