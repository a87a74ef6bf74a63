import "server-only";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { ledgerTransactions, type TillSettings } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createNotification } from "@/lib/notifications";

/** Suggestions the settings page offers; the limits themselves are off until a merchant sets them. */
export const SUGGESTED_LIMITS = { redeemPerCardPerDay: 5_000, redeemPerTillPerHour: 20_000 } as const;

export type LimitName = "card_day" | "till_hour" | "cashier_hour";

/**
 * Who is spending: the till (its key's, or chosen on the cashier screen), the cashier (staff on the
 * cashier screen), and the API key (a key that belongs to no till counts as a till of its own).
 */
export type Spender = { tillId: string | null; cashierId: string | null; apiKeyId?: string | null };

const spendingTypes = inArray(ledgerTransactions.type, ["redeem", "purchase"]);
const redeemedSum = sql<number>`coalesce(sum(${ledgerTransactions.redeemed}), 0)::int`;

const exceeded = (limit: LimitName, max: number, used: number, redeem: number) =>
  new AppError("limit_exceeded", `till.errors.limit.${limit}`, undefined, { max, used }, { limit, max, used, requested: redeem });

/** Whose hour the per-till limit counts: the till, else the key (no till), else the cashier; null: nobody's. */
function hourOf(who: Spender) {
  if (who.tillId) return { limit: "till_hour" as const, lock: `till:${who.tillId}`, where: eq(ledgerTransactions.tillId, who.tillId) };
  if (who.apiKeyId)
    return {
      limit: "till_hour" as const,
      lock: `key:${who.apiKeyId}`,
      where: and(eq(ledgerTransactions.actorType, "api"), eq(ledgerTransactions.actorId, who.apiKeyId), isNull(ledgerTransactions.tillId)),
    };
  if (who.cashierId)
    return {
      limit: "cashier_hour" as const,
      lock: `cashier:${who.cashierId}`,
      where: and(eq(ledgerTransactions.actorType, "staff"), eq(ledgerTransactions.actorId, who.cashierId)),
    };
  return null;
}

/**
 * The guard rails, under the card's lock (so one card's daily sum is exact). Nothing is asked when
 * no limit is set, so a merchant without limits pays nothing for them.
 *
 * The hourly sum spans many cards, so the card's lock does not keep two cards' redemptions at one
 * till from both reading the same "used" and passing together. A transaction-scoped advisory lock on
 * the till (or key, or cashier) serialises them: the second waits until the first commits or rolls
 * back, and its sum, read after the lock, sees the first's points. It is taken only when an hourly
 * limit is set and points are spent, always after the one card lock (so lock order is fixed: no
 * deadlock), and a till serves one receipt at a time anyway, so nobody queues behind it in practice.
 */
export async function checkLimits(tx: Db, merchantId: string, settings: TillSettings | null, timeZone: string, cardId: string, who: Spender, redeem: number) {
  if (!settings || redeem <= 0) return;
  const { redeemPerCardPerDay: perDay, redeemPerTillPerHour: perHour } = settings;
  if (perDay !== null) {
    const [{ used }] = await tx
      .select({ used: redeemedSum })
      .from(ledgerTransactions)
      .where(
        and(
          eq(ledgerTransactions.merchantId, merchantId),
          eq(ledgerTransactions.cardId, cardId),
          spendingTypes,
          sql`${ledgerTransactions.createdAt} >= (date_trunc('day', now() at time zone ${timeZone}) at time zone ${timeZone})`,
        ),
      );
    if (used + redeem > perDay) throw exceeded("card_day", perDay, used, redeem);
  }
  const hour = perHour !== null ? hourOf(who) : null;
  if (perHour !== null && hour) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`till-hour:${merchantId}:${hour.lock}`}))`);
    const [{ used }] = await tx
      .select({ used: redeemedSum })
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.merchantId, merchantId), hour.where, spendingTypes, gt(ledgerTransactions.createdAt, sql`now() - interval '1 hour'`)));
    if (used + redeem > perHour) throw exceeded(hour.limit, perHour, used, redeem);
  }
}

/** Owners hear of a refusal in the top bar (after the refused transaction rolled back). */
export async function notifyLimitExceeded(db: Db, merchantId: string, err: AppError, till: { name: string } | null) {
  const data = err.data as { limit: LimitName; max: number; requested: number };
  await createNotification(db, merchantId, {
    kind: "tillLimitExceeded",
    level: "warning",
    params: { limit: data.limit, max: data.max, requested: data.requested, till: till?.name ?? "—" },
  });
}
