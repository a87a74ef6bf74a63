import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { and, count, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
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

/** PINs a phone may be sent per merchant an hour (and a card number asked for): a till cannot be used to pump SMS to one number. */
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

/** Who a till asks a PIN for: the holder's phone (E.164), or a card's number as printed (upper case, the scanner's layout undone; lib/api/till-schemas). */
export type AuthorizationTarget = { phone: string } | { number: string };

/**
 * POST /pos/authorizations: a PIN to the phone, or to the phone of the card with that number, and the
 * same answer whether or not there is such a card — in the same time too: the request does the same
 * work either way (the limit, one row without a code, one job) and never asks whether a card exists;
 * the job does (sendAuthorizationPin), and sends a PIN only when there is one. A row without a code
 * yet can never be verified. Asked by number, the answer masks no phone (`phoneMasked` null): a till
 * learns nothing of a number before the customer reads out the PIN.
 */
export async function startAuthorization(db: Db, ctx: TillContext, target: AuthorizationTarget) {
  const phone = "phone" in target ? target.phone : null;
  const number = "number" in target ? target.number : null;
  const row = await db.transaction(async (tx) => {
    // One request per phone (or number) at a time, so parallel requests cannot all pass the count before any insert.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${phone ? pinLockKey(ctx.merchantId, phone) : `till-pin-number:${ctx.merchantId}:${number}`}, 0))`,
    );
    const [{ n }] = await tx
      .select({ n: count() })
      .from(tillCodes)
      .where(
        and(
          eq(tillCodes.merchantId, ctx.merchantId),
          eq(tillCodes.kind, "authorization"),
          // Each way of asking counts its own requests, so a 429 never tells a till that a number and a phone go together.
          phone ? and(eq(tillCodes.phone, phone), isNull(tillCodes.request)) : sql`${tillCodes.request}->>'number' = ${number}`,
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
        ...(number && { request: { number } }),
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

const pinLockKey = (merchantId: string, phone: string) => `till-pin:${merchantId}:${phone}`;

/** The merchant's loyalty or stamp card with this number, and its holder's phone; null without either. */
async function holderOfNumber(tx: Db, merchantId: string, number: string): Promise<{ cardId: string; phone: string } | null> {
  const [card] = await tx
    .select({ cardId: cards.id, phone: customers.phone })
    .from(cards)
    .innerJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, merchantId)))
    .where(and(eq(cards.merchantId, merchantId), eq(cards.number, number), inArray(cardTemplates.kind, ["loyalty", "stamp"])))
    .limit(1);
  return card?.phone ? { cardId: card.cardId, phone: card.phone } : null;
}

/**
 * Whether a phone may be sent one more PIN this hour: PIN_PER_PHONE_PER_HOUR counts the PINs sent to
 * it however they were asked for (by phone or by a card's number), under the phone's own lock. Asked
 * only by phone this never refuses (the request's own limit comes first); it keeps PINs asked by
 * number from adding to them.
 */
async function maySendPin(tx: Db, merchantId: string, phone: string, id: string): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${pinLockKey(merchantId, phone)}, 0))`);
  const [{ n }] = await tx
    .select({ n: count() })
    .from(tillCodes)
    .where(
      and(
        eq(tillCodes.merchantId, merchantId),
        eq(tillCodes.kind, "authorization"),
        eq(tillCodes.phone, phone),
        // Sent, or asked by phone and about to be (a number's row gets its phone only once its PIN is sent).
        eq(tillCodes.channel, "sms"),
        ne(tillCodes.id, id),
        gt(tillCodes.createdAt, sql`now() - interval '1 hour'`),
      ),
    );
  return n < PIN_PER_PHONE_PER_HOUR;
}

/**
 * The PIN job: the authorization's row (this merchant's, still without a code and not expired) gets
 * a code and its SMS when the phone holds a loyalty or stamp card (or, asked by number, when the
 * merchant has such a card with a holder's phone: the row then keeps that card and phone); otherwise
 * nothing is sent and the row gets a code nobody knows. Sent once: a retried job finds the code set
 * and does nothing. Until the job has run the row has no code at all, and a verify then is answered
 * as a wrong PIN without using a try (lib/till/confirm spendCode).
 */
export async function sendAuthorizationPin(db: Db, job: PinJob): Promise<boolean> {
  const queued = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: tillCodes.id, phone: tillCodes.phone, request: tillCodes.request })
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
    if (!row) return null;
    const number = typeof row.request?.number === "string" ? row.request.number : null;
    const holder = row.phone
      ? (await holdsCard(tx, job.merchantId, row.phone)) && { cardId: null, phone: row.phone }
      : number && (await holderOfNumber(tx, job.merchantId, number));
    const where = and(eq(tillCodes.id, row.id), eq(tillCodes.merchantId, job.merchantId));
    if (!holder || !(await maySendPin(tx, job.merchantId, holder.phone, row.id))) {
      // No PIN is sent (channel `none`), but the row is issued all the same, with a code nobody knows: from now on its
      // verifies use tries as a holder's wrong PINs do, so they never tell a phone (or number) without a card apart.
      await tx
        .update(tillCodes)
        .set({ codeHash: tillCodeHmac(row.id, job.merchantId, randomBytes(32).toString("hex")), channel: "none" })
        .where(where);
      return null;
    }
    const sent = await sendCode(tx, { merchantId: job.merchantId, settings: null, locale: job.locale, merchantName: job.merchantName }, row.id, holder.phone);
    await tx
      .update(tillCodes)
      .set({ codeHash: tillCodeHmac(row.id, job.merchantId, sent.code), ...(holder.cardId && { cardId: holder.cardId, phone: holder.phone }) })
      .where(where);
    return sent.queued;
  });
  if (queued) await dispatchOutbox([queued]);
  return queued !== null;
}

/** POST /pos/authorizations/{id}/verify: the right PIN (once) answers the lookup by that phone, or of the card asked for by number. */
export async function verifyAuthorization(db: Db, merchantId: string, id: string, pin: string) {
  const row = await spendCode(db, merchantId, "authorization", id, pin);
  return lookupCard(db, merchantId, row.cardId ? { id: row.cardId } : { phone: row.phone! });
}
