import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { and, count, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, cardTemplates, customers, tillCodes, type TillSettings } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { lookupCard, maskPhone } from "@/lib/ledger/lookup";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
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

/** The PIN job's data: the authorization row and what the SMS template needs (the phone is read from the row). */
export type PinJob = { merchantId: string; id: string; locale?: string; merchantName?: string };

/**
 * POST /pos/authorizations: a PIN to the phone, and the same answer whether or not the phone holds a
 * card — in the same time too: the request does the same work either way (the limit, one row without
 * a code, one job) and never asks whether the phone holds a card; the job does (sendAuthorizationPin),
 * and sends a PIN only when it does. A row without a code yet can never be verified.
 */
export async function startAuthorization(db: Db, ctx: TillContext, phone: string) {
  const row = await db.transaction(async (tx) => {
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
    const [inserted] = await tx
      .insert(tillCodes)
      .values({
        id: randomUUID(),
        merchantId: ctx.merchantId,
        kind: "authorization",
        tillId: ctx.till?.id ?? null,
        phone,
        channel: "sms",
        codeHash: null,
        triesLeft: TILL_CODE_RULES.maxAttempts,
        expiresAt: new Date(Date.now() + TILL_CODE_RULES.ttlSeconds * 1000),
      })
      .returning();
    return inserted;
  });
  const job: PinJob = { merchantId: ctx.merchantId, id: row.id, locale: ctx.locale, merchantName: ctx.merchantName };
  await enqueue(QUEUES.tillPin, job, { singletonKey: `till-pin:${row.id}` });
  return { id: row.id, phoneMasked: maskPhone(phone), expiresAt: row.expiresAt.toISOString() };
}

/**
 * The PIN job: the authorization's row (this merchant's, still without a code and not expired) gets
 * a code and its SMS when the phone holds a loyalty or stamp card; otherwise nothing is sent and the
 * row gets a code nobody knows. Sent once: a retried job finds the code set and does nothing. Until
 * the job has run the row has no code at all, and a verify then is answered as a wrong PIN without
 * using a try (lib/till/confirm spendCode).
 */
export async function sendAuthorizationPin(db: Db, job: PinJob): Promise<boolean> {
  const queued = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: tillCodes.id, phone: tillCodes.phone })
      .from(tillCodes)
      .where(
        and(
          eq(tillCodes.id, job.id),
          eq(tillCodes.merchantId, job.merchantId),
          eq(tillCodes.kind, "authorization"),
          isNull(tillCodes.codeHash),
          gt(tillCodes.expiresAt, sql`now()`),
        ),
      )
      .for("update");
    if (!row?.phone) return null;
    if (!(await holdsCard(tx, job.merchantId, row.phone))) {
      // No PIN is sent, but the row is issued all the same, with a code nobody knows: from now on its
      // verifies use tries as a holder's wrong PINs do, so they never tell a phone without a card apart.
      await tx
        .update(tillCodes)
        .set({ codeHash: tillCodeHmac(row.id, job.merchantId, randomBytes(32).toString("hex")) })
        .where(and(eq(tillCodes.id, row.id), eq(tillCodes.merchantId, job.merchantId)));
      return null;
    }
    const sent = await sendCode(tx, { merchantId: job.merchantId, settings: null, locale: job.locale, merchantName: job.merchantName }, row.id, row.phone);
    await tx
      .update(tillCodes)
      .set({ codeHash: tillCodeHmac(row.id, job.merchantId, sent.code) })
      .where(and(eq(tillCodes.id, row.id), eq(tillCodes.merchantId, job.merchantId)));
    return sent.queued;
  });
  if (queued) await dispatchOutbox([queued]);
  return queued !== null;
}

/** POST /pos/authorizations/{id}/verify: the right PIN (once) answers the lookup by that phone. */
export async function verifyAuthorization(db: Db, merchantId: string, id: string, pin: string) {
  const row = await spendCode(db, merchantId, "authorization", id, pin);
  return lookupCard(db, merchantId, { phone: row.phone! });
}
