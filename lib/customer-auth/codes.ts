import "server-only";
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { oneTimeCodes, type OneTimeCode } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** The rules of one-time codes, in one place. */
export const CODE_RULES = {
  digits: 6,
  ttlSeconds: 5 * 60,
  maxAttempts: 5,
  resendSeconds: 60,
  perPhonePerHour: 5,
  perIpPerHour: 20,
} as const;

export type CodePurpose = OneTimeCode["purpose"];

/**
 * Who delivers a code: a merchant (its page asked; its provider and its template carry the code, so
 * the merchant can read it) or the platform (null: /my, the platform's provider and template). A
 * code proves the phone only to whoever delivered it, so codes, their limits and "the newest code
 * wins" are kept apart per (phone, deliverer): one merchant's requests can neither use nor exhaust
 * another's, nor the platform's.
 */
export type CodeDeliverer = { merchantId: string | null };

const byDeliverer = (d: CodeDeliverer) => (d.merchantId ? eq(oneTimeCodes.merchantId, d.merchantId) : isNull(oneTimeCodes.merchantId));

function codeHmac(id: string, phone: string, code: string): string {
  return createHmac("sha256", getEnv().authSecret).update(`otp:${id}:${phone}:${code}`).digest("hex");
}

/** A refusal that says what happened and, where it applies, in how many seconds to try again. */
const refuse = (message: string, seconds?: number) =>
  new AppError("rate_limited", message, undefined, seconds === undefined ? undefined : { seconds: Math.max(1, Math.ceil(seconds)) });

/**
 * Makes a new code for a phone, within the limits: one per minute, five per (phone, deliverer) and
 * twenty per IP an hour, and, on a merchant's page, the merchant's own hourly cap. Codes of the same
 * purpose and deliverer sent before it stop working. The check and the insert run under an advisory
 * lock per (phone, deliverer), so parallel requests cannot slip past the limits together.
 * Returns the code itself, for the caller to send; only its HMAC is stored.
 */
export async function issueCode(
  db: Db,
  input: { phone: string; purpose: CodePurpose; merchantId: string | null; ip: string; merchantPerHour?: number },
  now = new Date(),
): Promise<{ id: string; code: string }> {
  const deliverer = byDeliverer(input);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`otp:${input.phone}:${input.merchantId ?? "platform"}`}))`);
    const hourAgo = new Date(now.getTime() - 3600_000);
    const [last] = await tx
      .select({ createdAt: oneTimeCodes.createdAt })
      .from(oneTimeCodes)
      .where(and(eq(oneTimeCodes.phone, input.phone), deliverer))
      .orderBy(desc(oneTimeCodes.createdAt))
      .limit(1);
    const sinceLast = last ? (now.getTime() - last.createdAt.getTime()) / 1000 : Infinity;
    if (sinceLast < CODE_RULES.resendSeconds) throw refuse("customerAuth.errors.resendWait", CODE_RULES.resendSeconds - sinceLast);

    const perPhone = await tx
      .select({ n: count(), oldest: sql<string>`min(${oneTimeCodes.createdAt})` })
      .from(oneTimeCodes)
      .where(and(eq(oneTimeCodes.phone, input.phone), deliverer, gt(oneTimeCodes.createdAt, hourAgo)));
    if (perPhone[0].n >= CODE_RULES.perPhonePerHour)
      throw refuse("customerAuth.errors.phoneLimit", (new Date(perPhone[0].oldest).getTime() + 3600_000 - now.getTime()) / 1000);
    const perIp = await tx
      .select({ n: count(), oldest: sql<string>`min(${oneTimeCodes.createdAt})` })
      .from(oneTimeCodes)
      .where(and(eq(oneTimeCodes.ip, input.ip), gt(oneTimeCodes.createdAt, hourAgo)));
    if (perIp[0].n >= CODE_RULES.perIpPerHour)
      throw refuse("customerAuth.errors.ipLimit", (new Date(perIp[0].oldest).getTime() + 3600_000 - now.getTime()) / 1000);
    if (input.merchantId && input.merchantPerHour !== undefined) {
      // Counted over every phone, so it is not under the per-phone lock: a few parallel requests may
      // pass it together, which a cap against SMS pumping can afford.
      const perMerchant = await tx
        .select({ n: count(), oldest: sql<string>`min(${oneTimeCodes.createdAt})` })
        .from(oneTimeCodes)
        .where(and(eq(oneTimeCodes.merchantId, input.merchantId), gt(oneTimeCodes.createdAt, hourAgo)));
      if (perMerchant[0].n >= input.merchantPerHour) {
        throw refuse("customerAuth.errors.merchantLimit", (new Date(perMerchant[0].oldest ?? now).getTime() + 3600_000 - now.getTime()) / 1000);
      }
    }

    await tx
      .update(oneTimeCodes)
      .set({ consumedAt: now })
      .where(and(eq(oneTimeCodes.phone, input.phone), deliverer, eq(oneTimeCodes.purpose, input.purpose), isNull(oneTimeCodes.consumedAt)));
    const code = String(randomInt(0, 10 ** CODE_RULES.digits)).padStart(CODE_RULES.digits, "0");
    const [row] = await tx
      .insert(oneTimeCodes)
      .values({
        phone: input.phone,
        purpose: input.purpose,
        merchantId: input.merchantId,
        codeHmac: "pending",
        expiresAt: new Date(now.getTime() + CODE_RULES.ttlSeconds * 1000),
        ip: input.ip,
        createdAt: now,
      })
      .returning({ id: oneTimeCodes.id });
    await tx
      .update(oneTimeCodes)
      .set({ codeHmac: codeHmac(row.id, input.phone, code) })
      .where(eq(oneTimeCodes.id, row.id));
    return { id: row.id, code };
  });
}

/**
 * Checks a code typed by the customer. The newest live code of that phone, purpose and deliverer is
 * the only one that counts (a code another merchant delivered is never looked at); a wrong guess uses
 * up one of five tries (counted under a row lock, so parallel guesses cannot get more), and the right
 * one works once. Every refusal says what to do next.
 */
export async function verifyCode(
  db: Db,
  input: { phone: string; purpose: CodePurpose; code: string; merchantId: string | null },
  now = new Date(),
): Promise<OneTimeCode> {
  // A wrong guess must be counted even though the request fails, so the transaction commits it and the
  // refusal is thrown afterwards.
  const outcome = await db.transaction(async (tx): Promise<{ used: OneTimeCode } | { triesLeft: number }> => {
    const [row] = await tx
      .select()
      .from(oneTimeCodes)
      .where(and(eq(oneTimeCodes.phone, input.phone), byDeliverer(input), eq(oneTimeCodes.purpose, input.purpose), isNull(oneTimeCodes.consumedAt)))
      .orderBy(desc(oneTimeCodes.createdAt))
      .limit(1)
      .for("update");
    if (!row || row.expiresAt <= now) throw refuse("customerAuth.errors.expired");
    if (row.attempts >= CODE_RULES.maxAttempts) throw refuse("customerAuth.errors.noTriesLeft");
    const given = Buffer.from(codeHmac(row.id, input.phone, input.code.trim()), "hex");
    if (timingSafeEqual(given, Buffer.from(row.codeHmac, "hex"))) {
      const [used] = await tx.update(oneTimeCodes).set({ consumedAt: now }).where(eq(oneTimeCodes.id, row.id)).returning();
      return { used };
    }
    await tx
      .update(oneTimeCodes)
      .set({ attempts: row.attempts + 1 })
      .where(eq(oneTimeCodes.id, row.id));
    return { triesLeft: CODE_RULES.maxAttempts - row.attempts - 1 };
  });
  if ("used" in outcome) return outcome.used;
  if (outcome.triesLeft > 0)
    throw new AppError("validation", "customerAuth.errors.wrongCode", { code: "customerAuth.errors.wrongCode" }, { left: outcome.triesLeft });
  throw refuse("customerAuth.errors.noTriesLeft");
}
