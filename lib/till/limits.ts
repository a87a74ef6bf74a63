import "server-only";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { ledgerTransactions, type TillSettings } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createNotification } from "@/lib/notifications";

/** Suggestions the settings page offers; the limits themselves are off until a merchant sets them. */
export const SUGGESTED_LIMITS = { redeemPerCardPerDay: 5_000, redeemPerTillPerHour: 20_000 } as const;

export type LimitName = "card_day" | "till_hour" | "cashier_hour";

/** Who is spending: the till (its key's, or chosen on the cashier screen) and the cashier (staff on the cashier screen). */
export type Spender = { tillId: string | null; cashierId: string | null };

const spendingTypes = inArray(ledgerTransactions.type, ["redeem", "purchase"]);
const redeemedSum = sql<number>`coalesce(sum(${ledgerTransactions.redeemed}), 0)::int`;

const exceeded = (limit: LimitName, max: number, used: number, redeem: number) =>
  new AppError("limit_exceeded", `till.errors.limit.${limit}`, undefined, { max, used }, { limit, max, used, requested: redeem });

/**
 * The guard rails, under the card's lock (so one card's daily sum is exact; the hourly sum of a till
 * may let two cards' simultaneous redemptions pass together). Nothing is asked when no limit is set,
 * so a merchant without limits pays nothing for them.
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
  if (perHour !== null && (who.tillId || who.cashierId)) {
    const since = gt(ledgerTransactions.createdAt, sql`now() - interval '1 hour'`);
    const [{ used }] = await tx
      .select({ used: redeemedSum })
      .from(ledgerTransactions)
      .where(
        and(
          eq(ledgerTransactions.merchantId, merchantId),
          who.tillId
            ? eq(ledgerTransactions.tillId, who.tillId)
            : and(eq(ledgerTransactions.actorType, "staff"), eq(ledgerTransactions.actorId, who.cashierId!)),
          spendingTypes,
          since,
        ),
      );
    if (used + redeem > perHour) throw exceeded(who.tillId ? "till_hour" : "cashier_hour", perHour, used, redeem);
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
