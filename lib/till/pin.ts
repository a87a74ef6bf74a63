import "server-only";
import { randomUUID } from "node:crypto";
import { and, count, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, cardTemplates, customers, tillCodes, type TillSettings } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { lookupCard, maskPhone } from "@/lib/ledger/lookup";
import { dispatchOutbox } from "@/lib/outbox";
import { TILL_CODE_RULES, tillCodeHmac } from "./codes";
import { sendCode, spendCode } from "./confirm";
import type { TillContext } from "./post";

/** PINs a phone may be sent per merchant an hour: a till cannot be used to pump SMS to one number. */
export const PIN_PER_PHONE_PER_HOUR = 5;

/** The merchant's "find cards by phone without a PIN" (on by default): off, a till must use the PIN flow. */
export function checkPhoneLookup(settings: Pick<TillSettings, "phoneWithoutPin"> | null): void {
  if (settings && !settings.phoneWithoutPin) throw new AppError("pin_required", "till.errors.pinRequired");
}

async function holdsCard(db: Db, merchantId: string, phone: string): Promise<boolean> {
  const [row] = await db
    .select({ id: cards.id })
    .from(cards)
    .innerJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, merchantId)))
    .where(and(eq(cards.merchantId, merchantId), eq(customers.phone, phone), inArray(cardTemplates.kind, ["loyalty", "stamp"])))
    .limit(1);
  return !!row;
}

/**
 * POST /pos/authorizations: a PIN to the phone, and the same answer whether or not the phone holds a
 * card (nothing is sent when it holds none, and its row can never be verified).
 */
export async function startAuthorization(db: Db, ctx: TillContext, phone: string) {
  const { row, queued } = await db.transaction(async (tx) => {
    // One request per phone at a time, so parallel requests cannot all pass the count before any insert.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`till-pin:${ctx.merchantId}:${phone}`}, 0))`);
    const [{ n }] = await tx
      .select({ n: count() })
      .from(tillCodes)
      .where(
        and(
          eq(tillCodes.merchantId, ctx.merchantId),
          eq(tillCodes.kind, "authorization"),
          eq(tillCodes.phone, phone),
          gt(tillCodes.createdAt, sql`now() - interval '1 hour'`),
        ),
      );
    if (n >= PIN_PER_PHONE_PER_HOUR) throw new AppError("rate_limited", "customerAuth.errors.phoneLimit", undefined, { seconds: 3600 });
    const id = randomUUID();
    const sent = (await holdsCard(tx, ctx.merchantId, phone)) ? await sendCode(tx, { ...ctx, settings: null }, id, phone) : null;
    const [inserted] = await tx
      .insert(tillCodes)
      .values({
        id,
        merchantId: ctx.merchantId,
        kind: "authorization",
        tillId: ctx.till?.id ?? null,
        phone,
        channel: "sms",
        codeHash: sent ? tillCodeHmac(id, ctx.merchantId, sent.code) : null,
        triesLeft: TILL_CODE_RULES.maxAttempts,
        expiresAt: new Date(Date.now() + TILL_CODE_RULES.ttlSeconds * 1000),
      })
      .returning();
    return { row: inserted, queued: sent?.queued ?? null };
  });
  if (queued) await dispatchOutbox([queued]);
  return { id: row.id, phoneMasked: maskPhone(phone), expiresAt: row.expiresAt.toISOString() };
}

/** POST /pos/authorizations/{id}/verify: the right PIN (once) answers the lookup by that phone. */
export async function verifyAuthorization(db: Db, merchantId: string, id: string, pin: string) {
  const row = await spendCode(db, merchantId, "authorization", id, pin);
  return lookupCard(db, merchantId, { phone: row.phone! });
}
