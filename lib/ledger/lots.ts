import "server-only";
import { and, asc, eq, gt, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, ledgerMovements } from "@/db/schema";
import { reusable, reusableSql } from "@/db/reusable";
import { rowsOf } from "@/db/rows";
import { NotFoundError } from "@/lib/errors";
import type { PointsExpiry } from "@/lib/templates/definition";
import { isUuid } from "@/lib/validations/common";

/**
 * Expiry lots (see the comment on `ledger_movements`): every credit is a lot with its remaining points
 * and its expiry date; every debit spends lots, soonest-expiring first.
 */

/**
 * When a lot earned at `from` (default: now) expires under the programme, as SQL for the movement's
 * insert: the database's clock, and the merchant's time zone for the end of the year (their 31
 * December, not UTC's). Null: never.
 */
export function lotExpiry(expiry: PointsExpiry, merchantId: string, from: SQL | Date = sql`now()`): SQL | null {
  const at = from instanceof Date ? sql`${from.toISOString()}::timestamptz` : from;
  switch (expiry.kind) {
    case "never":
      return null;
    case "days":
      return sql`(${at} + ${expiry.days}::int * interval '1 day')`;
    case "yearEnd":
      // Midnight of the next 1 January on the merchant's wall clock, back to an instant.
      return sql`(select (date_trunc('year', ${at} at time zone m.time_zone) + interval '1 year') at time zone m.time_zone from merchants m where m.id = ${merchantId}::uuid)`;
  }
}

/**
 * Spends `points` from the card's open lots in one statement: lots of `firstFrom` first (a reversal
 * takes back the very points the reversed accrual brought, as far as they are left), then the soonest
 * to expire (never-expiring last), then the earliest earned; the lots `own` (this transaction) just
 * made come last, so a purchase never pays with what it earns. Runs after the transaction's movements
 * are written and under the card's lock. What no lot covers is points from before lots existed.
 * Returns the points taken from lots.
 */
export async function spendLots(tx: Db, cardId: string, points: number, order: { firstFrom?: string | null; own: string }): Promise<number> {
  if (points <= 0) return 0;
  const first = order.firstFrom ?? null;
  const taken = rowsOf<{ taken: number }>(await spendStatement(tx, { first, own: order.own, cardId, points }));
  return taken.reduce((sum, r) => sum + Number(r.taken), 0);
}

// Built once (db/reusable): every redemption runs it.
const spendStatement = reusableSql<{ first: string | null; own: string; cardId: string; points: number }>(sql`
      with open as (
        select id, remaining,
          sum(remaining) over (
            order by (transaction_id = ${sql.placeholder("first")}::uuid) is true desc, transaction_id = ${sql.placeholder("own")}::uuid, expires_at asc nulls last, created_at, id
            rows between unbounded preceding and current row
          ) - remaining as before
        from ledger_movements
        where card_id = ${sql.placeholder("cardId")}::uuid and remaining > 0
      )
      update ledger_movements m
      set remaining = m.remaining - least(o.remaining, ${sql.placeholder("points")}::int - o.before)
      from open o
      where m.id = o.id and o.before < ${sql.placeholder("points")}::int
      returning least(o.remaining, ${sql.placeholder("points")}::int - o.before)::int as taken`);

/** What a card's points come to when: the open lots with a date, soonest first (several lots of one instant add up). */
export type Expiring = { points: number; at: Date };

/** A card's next expiries (for the card page and the API); another merchant's card is not found. */
export async function cardExpiring(db: Db, merchantId: string, cardId: string, limit = 5): Promise<Expiring[]> {
  const [card] = isUuid(cardId)
    ? await db
        .select({ id: cards.id })
        .from(cards)
        .where(and(eq(cards.id, cardId), eq(cards.merchantId, merchantId)))
    : [];
  if (!card) throw new NotFoundError();
  return expiringOf(db, cardId, limit);
}

/** The same for a card already found within its merchant. */
const openLots = reusable((db) =>
  db
    .select({ at: ledgerMovements.expiresAt, points: sql<string>`sum(${ledgerMovements.remaining})` })
    .from(ledgerMovements)
    .where(and(eq(ledgerMovements.cardId, sql.placeholder("cardId")), gt(ledgerMovements.remaining, 0), isNotNull(ledgerMovements.expiresAt)))
    .groupBy(ledgerMovements.expiresAt)
    .orderBy(asc(ledgerMovements.expiresAt))
    .limit(sql.placeholder("limit")),
);

export async function expiringOf(db: Db, cardId: string, limit = 5): Promise<Expiring[]> {
  const rows = await openLots(db, { cardId, limit });
  return rows.map((r) => ({ points: Number(r.points), at: r.at! }));
}
