import "server-only";
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { merchants, passwordResets, staffPhoneCodes, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { findUserByEmail } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { countAttempt } from "@/lib/auth/throttle";
import { normalizePhone } from "@/lib/customers/phone";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { dispatchOutbox, queueCodeMessage } from "@/lib/outbox";
import { endAllStaffSessions } from "./sessions";

/**
 * A staff member's verified phone and "forgot password" by an SMS code to it. Codes go through the
 * merchant's SMS provider as one-time code messages (the outbox seals the code; staff see it masked).
 * Only a keyed hash bound to the row is kept; a code lives 10 minutes, allows 5 tries and is used once;
 * at most 5 codes an hour go to one staff member, and requests count against the e-mail reset's
 * per-address limit. A reset request answers the same whatever the address and phone.
 */
export const STAFF_CODE_RULES = { ttlMinutes: 10, tries: 5, perHour: 5 } as const;

type Purpose = "verify" | "reset";
type Staff = { id: string; merchantId: string };

const codeHash = (id: string, userId: string, code: string) =>
  createHmac("sha256", `carddesk:staff-phone-code:${getEnv().authSecret}`).update(`${id}:${userId}:${code}`).digest();

function sameHash(stored: string, id: string, userId: string, code: string): boolean {
  const a = Buffer.from(stored, "base64url");
  const b = codeHash(id, userId, code);
  return a.length === b.length && timingSafeEqual(a, b);
}

const texts = {
  verify: (code: string) => `CardDesk: ${code} is your code to confirm this phone. / Код подтверждения телефона: ${code}`,
  reset: (code: string) => `CardDesk: ${code} is your code to set a new password. If you did not ask, ignore it. / Код для нового пароля: ${code}`,
};

/** Makes and queues one code (in the caller's transaction); null when the staff member's hourly allowance is spent. */
async function issueCode(tx: Db, staff: Staff, purpose: Purpose, phone: string, now: Date): Promise<string | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`staff-phone-code:${staff.id}`}, 0))`);
  const [{ n }] = await tx
    .select({ n: count() })
    .from(staffPhoneCodes)
    .where(and(eq(staffPhoneCodes.userId, staff.id), gt(staffPhoneCodes.createdAt, new Date(now.getTime() - 3600_000))));
  if (n >= STAFF_CODE_RULES.perHour) return null;
  const id = crypto.randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await tx.insert(staffPhoneCodes).values({
    id,
    merchantId: staff.merchantId,
    userId: staff.id,
    purpose,
    phone,
    codeHash: codeHash(id, staff.id, code).toString("base64url"),
    triesLeft: STAFF_CODE_RULES.tries,
    expiresAt: new Date(now.getTime() + STAFF_CODE_RULES.ttlMinutes * 60_000),
    createdAt: now,
  });
  return queueCodeMessage(tx, { merchantId: staff.merchantId, recipient: phone, code, render: texts[purpose] });
}

/**
 * Spends one try of the staff member's latest live code of this purpose and says whether it matched.
 * The try is taken by a conditional update first, so parallel guesses cannot exceed 5 between them.
 */
async function tryCode(tx: Db, staff: Staff, purpose: Purpose, code: string, now: Date) {
  const [live] = await tx
    .select()
    .from(staffPhoneCodes)
    .where(
      and(
        eq(staffPhoneCodes.userId, staff.id),
        eq(staffPhoneCodes.merchantId, staff.merchantId),
        eq(staffPhoneCodes.purpose, purpose),
        isNull(staffPhoneCodes.usedAt),
        gt(staffPhoneCodes.expiresAt, now),
      ),
    )
    .orderBy(desc(staffPhoneCodes.createdAt))
    .limit(1);
  if (!live) return null;
  const [spent] = await tx
    .update(staffPhoneCodes)
    .set({ triesLeft: sql`${staffPhoneCodes.triesLeft} - 1` })
    .where(and(eq(staffPhoneCodes.id, live.id), gt(staffPhoneCodes.triesLeft, 0), isNull(staffPhoneCodes.usedAt)))
    .returning({ id: staffPhoneCodes.id });
  if (!spent || !/^\d{6}$/.test(code) || !sameHash(live.codeHash, live.id, staff.id, code)) return null;
  const [used] = await tx
    .update(staffPhoneCodes)
    .set({ usedAt: now })
    .where(and(eq(staffPhoneCodes.id, live.id), isNull(staffPhoneCodes.usedAt)))
    .returning();
  return used ?? null;
}

/** Settings → Security: sends a code to a new phone (typed in the merchant's country's forms). */
export async function startPhoneVerification(db: Db, staff: Staff, input: string, now = new Date()): Promise<{ phone: string }> {
  const [m] = await db.select({ country: merchants.country }).from(merchants).where(eq(merchants.id, staff.merchantId));
  const phone = normalizePhone(input, m?.country ?? "RU");
  if (!phone) throw new AppError("validation", "security.phone.invalid", { phone: "security.phone.invalid" });
  const queued = await db.transaction((tx) => issueCode(tx, staff, "verify", phone, now));
  if (!queued) throw new AppError("rate_limited", "security.phone.tooMany");
  await dispatchOutbox([queued]);
  return { phone };
}

/** The right code makes the phone it was sent to the staff member's verified phone. */
export async function confirmPhone(db: Db, staff: Staff, code: string, now = new Date()): Promise<{ phone: string }> {
  return db.transaction(async (tx) => {
    const used = await tryCode(tx, staff, "verify", code.trim(), now);
    if (!used) throw new AppError("validation", "security.phone.wrongCode", { code: "security.phone.wrongCode" });
    await tx
      .update(users)
      .set({ phone: used.phone, phoneVerifiedAt: now, updatedAt: now })
      .where(and(eq(users.id, staff.id), eq(users.merchantId, staff.merchantId)));
    await recordAudit(tx, { merchantId: staff.merchantId, userId: staff.id }, { action: "user.phone_verified", entityType: "user", entityId: staff.id });
    return { phone: used.phone };
  });
}

/** Removes the verified phone (SMS recovery is then off). */
export async function removePhone(db: Db, staff: Staff): Promise<void> {
  await db
    .update(users)
    .set({ phone: null, phoneVerifiedAt: null, updatedAt: new Date() })
    .where(and(eq(users.id, staff.id), eq(users.merchantId, staff.merchantId)));
}

/**
 * "Forgot password" by SMS: a code to the account's verified phone. Answers the same (nothing) for an
 * unknown address, an inactive account, one without a verified phone, or one whose hourly allowance is spent.
 */
export async function requestSmsReset(db: Db, email: string, ctx: { ip: string; now?: Date }): Promise<{ outboxIds: string[] }> {
  const { over } = await countAttempt(db, [{ kind: "reset", value: ctx.ip }]);
  if (over) throw new AppError("rate_limited", "passwordReset.throttled");
  const now = ctx.now ?? new Date();
  const user = await findUserByEmail(db, email);
  if (!user || !user.active || !user.phone || !user.phoneVerifiedAt) return { outboxIds: [] };
  const queued = await db.transaction((tx) => issueCode(tx, user, "reset", user.phone!, now));
  // The caller hands the message to the worker after answering, so the answer's timing does not show whether one went out.
  return { outboxIds: queued ? [queued] : [] };
}

/**
 * Sets the new password with the SMS code: one try spent per attempt, the code used once, every other
 * code and e-mail link of the user spent, every session ended. A wrong code, an unknown address and an
 * expired code give the same error.
 */
export async function resetPasswordBySms(db: Db, email: string, code: string, newPassword: string, now = new Date()): Promise<{ email: string }> {
  const invalid = () => new AppError("validation", "passwordReset.invalidCode");
  const user = await findUserByEmail(db, email);
  if (!user || !user.active) throw invalid();
  const used = await db.transaction((tx) => tryCode(tx, user, "reset", code.trim(), now));
  if (!used) throw invalid();
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    await tx
      .update(staffPhoneCodes)
      .set({ usedAt: now })
      .where(and(eq(staffPhoneCodes.userId, user.id), isNull(staffPhoneCodes.usedAt)));
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: now, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(and(eq(users.id, user.id), eq(users.merchantId, user.merchantId), eq(users.active, true)))
      .returning({ id: users.id, email: users.email });
    if (!updated) throw invalid();
    await endAllStaffSessions(tx, { id: user.id, merchantId: user.merchantId }, "password_reset");
    await recordAudit(tx, { merchantId: user.merchantId, userId: user.id }, { action: "user.password_reset", entityType: "user", entityId: user.id });
    return { email: updated.email };
  });
}
