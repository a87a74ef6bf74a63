import "server-only";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { users, type User } from "@/db/schema";
import { authenticate, findUserByEmail } from "@/lib/auth/authenticate";
import { clearFailures, countAttempt, secondsLocked, type ThrottleKey } from "@/lib/auth/throttle";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { getEnv } from "@/lib/env";
import { createStaffSession, recordSignInAttempt, type Client } from "./sessions";
import { isTwoFactorOn, verifySecondFactor } from "./two-factor";

/**
 * Staff sign-in in one or two steps. The password step is lib/auth/authenticate (throttled, the same
 * answer and timing for an unknown e-mail and a wrong password). Only the right password of an
 * account with two-factor sign-in gets the second step, so that step tells nothing about which
 * e-mails exist. Between the steps the browser holds a sealed challenge (AES-256-GCM under a key from
 * AUTH_SECRET) naming the account and its session version, valid for five minutes.
 */
export const CHALLENGE_MINUTES = 5;
const CONTEXT = "staff-sign-in-challenge";
const challengeKey = () => createHash("sha256").update(`carddesk:${CONTEXT}:${getEnv().authSecret}`).digest();
/** `code`: the second factor is still owed. `resume`: issued by the server itself to re-sign a browser whose password it just changed. */
const payloadSchema = z.object({ u: z.string().uuid(), v: z.number().int(), k: z.enum(["code", "resume"]), x: z.number() });

export function sealChallenge(user: Pick<User, "id" | "sessionVersion">, kind: "code" | "resume", now = new Date()): string {
  const x = now.getTime() + (kind === "code" ? CHALLENGE_MINUTES * 60_000 : 60_000);
  return Buffer.from(encryptSecret(JSON.stringify({ u: user.id, v: user.sessionVersion, k: kind, x }), CONTEXT, challengeKey())).toString("base64url");
}

async function openChallenge(db: Db, token: unknown, now: Date) {
  if (typeof token !== "string" || token.length === 0 || token.length > 2000) return null;
  try {
    const p = payloadSchema.parse(JSON.parse(decryptSecret(Buffer.from(token, "base64url").toString(), CONTEXT, challengeKey()).toString()));
    if (p.x <= now.getTime()) return null;
    const [user] = await db.select().from(users).where(eq(users.id, p.u));
    // A password change or deactivation since the first step voids the challenge.
    if (!user || !user.active || user.sessionVersion !== p.v) return null;
    return { user, kind: p.k };
  } catch {
    return null;
  }
}

export type SignedIn = { ok: true; user: User; sessionId: string };
export type SignInRefusal =
  | { ok: false; reason: "invalid" | "inactive" | "challenge_expired" | "bad_code" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number }
  | { ok: false; reason: "second_factor"; challenge: string };

async function startSession(db: Db, user: User, client: Client, method: "password" | "totp" | "recovery_code"): Promise<SignedIn> {
  const sessionId = await createStaffSession(db, user, client);
  await recordSignInAttempt(db, user, { outcome: "success", method, ...client });
  return { ok: true, user, sessionId };
}

export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string },
  client: Client,
  opts: { wait?: (ms: number) => Promise<void>; now?: Date } = {},
): Promise<SignedIn | SignInRefusal> {
  const result = await authenticate(db, { ...input, ip: client.ip }, opts);
  if (!result.ok) {
    if (result.reason !== "throttled") {
      // For the account's own history; the caller's answer stays the same whether or not it exists.
      const known = await findUserByEmail(db, input.email);
      if (known) await recordSignInAttempt(db, known, { outcome: result.reason === "inactive" ? "inactive" : "bad_password", method: "password", ...client });
    }
    return result.reason === "throttled"
      ? { ok: false, reason: "throttled", retryAfterSeconds: result.retryAfterSeconds ?? 900 }
      : { ok: false, reason: result.reason };
  }
  const { user } = result;
  if (await isTwoFactorOn(db, user)) {
    await recordSignInAttempt(db, user, { outcome: "code_required", method: "password", ...client });
    return { ok: false, reason: "second_factor", challenge: sealChallenge(user, "code", opts.now) };
  }
  return startSession(db, user, client, "password");
}

/** The second step: the challenge from the first and a code (TOTP or recovery), 5 tries per 15 minutes per account. */
export async function signInWithCode(db: Db, input: { challenge: unknown; code: string }, client: Client, now = new Date()): Promise<SignedIn | SignInRefusal> {
  const opened = await openChallenge(db, input.challenge, now);
  if (!opened || opened.kind !== "code") return { ok: false, reason: "challenge_expired" };
  const { user } = opened;
  const key: ThrottleKey = { kind: "code", value: user.id };
  const locked = await secondsLocked(db, [key]);
  if (locked > 0) return { ok: false, reason: "throttled", retryAfterSeconds: locked };
  const { over } = await countAttempt(db, [key]);
  if (over) return { ok: false, reason: "throttled", retryAfterSeconds: Math.max(1, await secondsLocked(db, [key])) };
  const factor = await verifySecondFactor(db, user, input.code, now);
  if (!factor) {
    await recordSignInAttempt(db, user, { outcome: "bad_code", method: /^\d{6}$/.test(input.code.trim()) ? "totp" : "recovery_code", ...client });
    return { ok: false, reason: "bad_code" };
  }
  await clearFailures(db, [key]);
  return startSession(db, user, client, factor.method);
}

/** Re-signs the browser that just changed its password (the change ended every session, its own too). */
export async function resumeSignIn(db: Db, challenge: unknown, client: Client, now = new Date()): Promise<SignedIn | SignInRefusal> {
  const opened = await openChallenge(db, challenge, now);
  if (!opened || opened.kind !== "resume") return { ok: false, reason: "challenge_expired" };
  return startSession(db, opened.user, client, "password");
}

export async function getUserForChallenge(db: Db, merchantId: string, userId: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.merchantId, merchantId)));
  return user;
}
