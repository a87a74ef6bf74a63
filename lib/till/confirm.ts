import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { customers, tillCodes, type Card, type TillCode } from "@/db/schema";
import { getCallCodeAdapter } from "@/lib/adapters/call";
import { AppError, NotFoundError } from "@/lib/errors";
import { getTransactionOrThrow, postRequestHash, type Posted } from "@/lib/ledger";
import { maskPhone } from "@/lib/ledger/lookup";
import { logger } from "@/lib/logger";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { formatMoney, formatPoints, isMoneyKind } from "@/lib/format/money";
import { renderTemplate, smsTemplate, spendCodeTemplate } from "@/lib/messaging/templates";
import type { Kind } from "@/lib/templates/definition";
import { dispatchOutbox, queueCodeMessage } from "@/lib/outbox";
import { isUuid } from "@/lib/validations/common";
import type { PostTransactionInput } from "@/lib/validations/ledger";
import { newCode, sameCode, TILL_CODE_RULES, tillCodeHmac } from "./codes";
import type { TillContext, TillPostInput } from "./post";

export type PendingConfirmation = {
  id: string;
  status: "awaiting_confirmation";
  confirmation: { channel: "sms" | "call"; expiresAt: string; phoneMasked: string | null };
};

/** What a confirmation keeps of the request, to post it once the code is right. */
type StoredRequest = { input: PostTransactionInput; cardId: string; idempotencyKey: string | null };

const present = (row: Pick<TillCode, "id" | "channel" | "expiresAt" | "phone">): PendingConfirmation => ({
  id: row.id,
  status: "awaiting_confirmation",
  confirmation: { channel: row.channel as "sms" | "call", expiresAt: row.expiresAt.toISOString(), phoneMasked: maskPhone(row.phone) },
});

/**
 * The confirmation pending under this request's key, when it is for this very request; one pending
 * for another request (another card or body) is the key's conflict, as for a posted one, so the key
 * never stands for two requests (the customer's code would then be refused). The till's post asks it
 * under the card's lock for programmes that ask for codes, so a request needing no code (an accrual,
 * a small redemption) under such a key is refused too.
 */
export async function pendingUnderKey(db: Db, merchantId: string, request: Omit<TillPostInput, "skipConfirmation">): Promise<TillCode | null> {
  const { cardId, idempotencyKey, ...input } = request;
  if (!idempotencyKey) return null;
  const pending = await db
    .select()
    .from(tillCodes)
    .where(
      and(
        eq(tillCodes.merchantId, merchantId),
        eq(tillCodes.kind, "confirmation"),
        eq(tillCodes.status, "pending"),
        sql`${tillCodes.request}->>'idempotencyKey' = ${idempotencyKey}`,
        sql`${tillCodes.expiresAt} > now()`,
      ),
    );
  const asked = postRequestHash({ ...(input as PostTransactionInput), cardId });
  for (const row of pending) {
    const kept = row.request as unknown as StoredRequest;
    if (postRequestHash({ ...kept.input, cardId: kept.cardId }) !== asked) throw new AppError("conflict", "api.errors.idempotencyMismatch");
  }
  return pending[0] ?? null;
}

/**
 * Sends a code to the card's holder and keeps the request pending: by a call whose number ends in the
 * code when the merchant chose calls and its provider has them, else (or when the call fails) by SMS
 * through the merchant's provider and `{code}` template. A retry with the same Idempotency-Key answers
 * the same pending confirmation without sending again.
 */
export async function startConfirmation(
  db: Db,
  ctx: TillContext,
  request: Omit<TillPostInput, "skipConfirmation">,
  card: Card,
  spend: { redeemed: number; kind?: Kind },
): Promise<PendingConfirmation> {
  const { cardId, idempotencyKey, ...input } = request;
  // The channel meant; the row says the one the code went by once it has gone (a failed call falls back to SMS).
  const channel = ctx.settings?.confirmChannel === "call" ? "call" : "sms";
  // The row first, with no code yet (any code is wrong, and uses no try, until it has one): a twin
  // request racing in with the same new key waits for the key's lock, then answers this row rather
  // than sending a second code. The code is sent after the commit: a call is an outside request that
  // no transaction should wait on.
  const reserved = await db.transaction(async (tx) => {
    if (idempotencyKey) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`till-confirmation:${ctx.merchantId}:${idempotencyKey}`}, 0))`);
    const earlier = await pendingUnderKey(tx, ctx.merchantId, request);
    if (earlier) return { row: earlier, fresh: false };
    const [holder] = card.customerId
      ? await tx
          .select({ phone: customers.phone })
          .from(customers)
          .where(and(eq(customers.id, card.customerId), eq(customers.merchantId, ctx.merchantId)))
      : [];
    if (!holder?.phone) throw new AppError("conflict", "till.errors.noPhoneForCode");
    const [recent] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(tillCodes)
      .where(
        and(
          eq(tillCodes.merchantId, ctx.merchantId),
          eq(tillCodes.kind, "confirmation"),
          eq(tillCodes.cardId, cardId),
          sql`${tillCodes.createdAt} > now() - interval '1 hour'`,
        ),
      );
    if (Number(recent?.n ?? 0) >= TILL_CODE_RULES.perCardPerHour)
      throw new AppError("rate_limited", "till.errors.tooManyCodes", undefined, { perHour: TILL_CODE_RULES.perCardPerHour });
    const stored: StoredRequest = { input: input as PostTransactionInput, cardId, idempotencyKey };
    const [row] = await tx
      .insert(tillCodes)
      .values({
        merchantId: ctx.merchantId,
        kind: "confirmation",
        cardId,
        tillId: ctx.till?.id ?? null,
        phone: holder.phone,
        channel,
        codeHash: null,
        triesLeft: triesFor(channel),
        request: stored as unknown as Record<string, unknown>,
        expiresAt: new Date(Date.now() + TILL_CODE_RULES.ttlSeconds * 1000),
      })
      .returning();
    return { row, fresh: true };
  });
  if (!reserved.fresh) return present(reserved.row);
  const { id, phone } = reserved.row;
  const mine = and(eq(tillCodes.id, id), eq(tillCodes.merchantId, ctx.merchantId));
  let sent: Awaited<ReturnType<typeof sendCode>>;
  try {
    sent = await sendCode(db, ctx, id, phone!, spendText(ctx, spend));
  } catch (err) {
    // No code went: the row goes, so the key is free for the cashier's retry and the failed send
    // does not count against the card's codes an hour.
    await db.delete(tillCodes).where(mine);
    throw err;
  }
  const [row] = await db
    .update(tillCodes)
    .set({
      channel: sent.channel,
      codeHash: tillCodeHmac(id, ctx.merchantId, sent.code),
      triesLeft: triesFor(sent.channel),
    })
    .where(mine)
    .returning();
  if (sent.queued) await dispatchOutbox([sent.queued]);
  return present(row ?? reserved.row);
}

/** Wrong codes a confirmation allows: fewer for a call, whose code is the caller's last four digits. */
const triesFor = (channel: string) => (channel === "call" ? TILL_CODE_RULES.maxAttemptsCall : TILL_CODE_RULES.maxAttempts);

/** What the code lets the cashier spend, as the customer reads it: points, or money for a gift certificate. */
export function spendText(ctx: Pick<TillContext, "locale" | "currency">, spend: { redeemed: number; kind?: Kind }): string {
  const locale = ctx.locale ?? "ru";
  return spend.kind && isMoneyKind(spend.kind) ? formatMoney(spend.redeemed, ctx.currency ?? "RUB", locale) : formatPoints(spend.redeemed, locale);
}

/**
 * Delivers a code for the row `id`: a call when the merchant chose calls (the provider picks the code),
 * falling back to an SMS with a code of our own (a call carries no text: the amount is told only by SMS). The SMS is queued in the outbox (its text sealed, only
 * a masked copy visible to staff) and dispatched once the row exists.
 */
export async function sendCode(
  db: Db,
  ctx: Pick<TillContext, "merchantId" | "settings" | "ip" | "locale" | "merchantName">,
  id: string,
  phone: string,
  /** A confirmation's amount (spendText); a PIN has none and reads as the sign-in code. */
  amount?: string,
) {
  if (ctx.settings?.confirmChannel === "call") {
    try {
      const adapter = await getCallCodeAdapter(db, ctx.merchantId);
      if (adapter) {
        const { code } = await adapter.call(phone, ctx.ip);
        return { channel: "call" as const, code, queued: null };
      }
    } catch (err) {
      logger.warn("till call code failed, sending an SMS", { merchantId: ctx.merchantId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const code = newCode();
  const settings = await getMessagingSettings(db, ctx.merchantId);
  const locale = ctx.locale ?? "ru";
  const template = amount === undefined ? smsTemplate("code", settings.smsCodeTemplate, locale) : spendCodeTemplate(settings.smsCodeTemplate, locale);
  const queued = await queueCodeMessage(db, {
    merchantId: ctx.merchantId,
    recipient: phone,
    code,
    render: (shown) => renderTemplate(template, { code: shown, merchant: ctx.merchantName ?? "", amount }),
  });
  return { channel: "sms" as const, code, queued: queued as string | null };
}

const expired = () => new AppError("confirmation_expired", "till.errors.confirmationExpired");
const codeInvalid = (triesLeft: number) => new AppError("code_invalid", "till.errors.codeInvalid", undefined, { triesLeft }, { triesLeft });

/**
 * Checks a typed code against a pending row (locked, so parallel guesses cannot get more tries): a
 * wrong one uses a try (the last one ends it), a live right one ends the row's pending state; before
 * the row has a code (a PIN still being issued) any code is wrong and uses no try. Returns the row
 * when the code was right.
 */
export async function spendCode(db: Db, merchantId: string, kind: TillCode["kind"], id: string, typed: string): Promise<TillCode> {
  if (!isUuid(id)) throw new NotFoundError();
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(tillCodes)
      .where(and(eq(tillCodes.id, id), eq(tillCodes.merchantId, merchantId), eq(tillCodes.kind, kind)))
      .for("update");
    if (!row) return { error: new NotFoundError() };
    if (row.status === "completed" && kind === "confirmation") return { row };
    if (row.status !== "pending") return { error: expired() };
    if (row.expiresAt <= new Date()) {
      await tx.update(tillCodes).set({ status: "expired" }).where(eq(tillCodes.id, row.id));
      return { error: expired() };
    }
    // A PIN not issued yet (the till-pin job has not run): a wrong PIN to the till, but no try is used,
    // since nothing could have been guessed; the customer's PIN, once it comes, still has every try.
    if (row.codeHash === null) return { error: codeInvalid(row.triesLeft) };
    if (!sameCode(row.codeHash, row.id, merchantId, typed)) {
      const triesLeft = row.triesLeft - 1;
      await tx
        .update(tillCodes)
        .set({ triesLeft, ...(triesLeft <= 0 && { status: "expired" as const }) })
        .where(eq(tillCodes.id, row.id));
      if (triesLeft <= 0) return { error: expired() };
      return { error: codeInvalid(triesLeft) };
    }
    // An authorization's PIN works once; a confirmation stays pending until its transaction is written.
    if (kind === "authorization") await tx.update(tillCodes).set({ status: "completed" }).where(eq(tillCodes.id, row.id));
    return { row };
  });
  if (outcome.error) throw outcome.error;
  return outcome.row!;
}

/**
 * POST /transactions/{id}/confirm: the right code posts the kept request (the balance is checked
 * again now) as a transaction with the confirmation's id; a second confirm answers that transaction.
 */
export async function confirmTransaction(
  db: Db,
  ctx: TillContext,
  id: string,
  code: string,
  post: (request: TillPostInput, confirmedId: string) => Promise<Posted>,
): Promise<Posted> {
  const row = await spendCode(db, ctx.merchantId, "confirmation", id, code);
  if (row.status === "completed") return { transaction: await getTransactionOrThrow(db, ctx.merchantId, row.id), replayed: true };
  const stored = row.request as unknown as StoredRequest;
  // The post claims the row (claimConfirmation) in its own transaction, so a cancel racing it either
  // comes first (the post is refused) or finds it completed.
  const posted = await post({ ...stored.input, cardId: stored.cardId, idempotencyKey: stored.idempotencyKey ?? `confirm:${row.id}` }, row.id);
  await db
    .update(tillCodes)
    .set({ status: "completed" })
    .where(and(eq(tillCodes.id, row.id), eq(tillCodes.merchantId, ctx.merchantId)));
  return posted;
}

/**
 * Inside the confirmed post's transaction (the card locked): marks the confirmation completed, or
 * refuses the post when a cancel (or the code's expiry) ended it first. The row's lock, held to the
 * commit, makes a cancel arriving meanwhile wait and then find it completed.
 */
export async function claimConfirmation(tx: Db, merchantId: string, id: string): Promise<void> {
  const [claimed] = await tx
    .update(tillCodes)
    .set({ status: "completed" })
    .where(and(eq(tillCodes.id, id), eq(tillCodes.merchantId, merchantId), eq(tillCodes.kind, "confirmation"), eq(tillCodes.status, "pending")))
    .returning({ id: tillCodes.id });
  if (!claimed) throw expired();
}

/**
 * POST /transactions/{id}/cancel: drops a pending confirmation; a completed one is refused, an ended one
 * stays ended. The conditional update waits for a confirmed post holding the row, then sees it completed.
 */
export async function cancelConfirmation(db: Db, merchantId: string, id: string): Promise<{ id: string; status: "cancelled" }> {
  if (!isUuid(id)) throw new NotFoundError();
  const mine = and(eq(tillCodes.id, id), eq(tillCodes.merchantId, merchantId), eq(tillCodes.kind, "confirmation"));
  const [cancelled] = await db
    .update(tillCodes)
    .set({ status: "cancelled" })
    .where(and(mine, eq(tillCodes.status, "pending")))
    .returning({ id: tillCodes.id });
  if (cancelled) return { id, status: "cancelled" };
  const [row] = await db.select({ status: tillCodes.status }).from(tillCodes).where(mine);
  if (!row) throw new NotFoundError();
  if (row.status === "completed") throw new AppError("conflict", "till.errors.alreadyConfirmed");
  return { id, status: "cancelled" };
}
