import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { apiKeys, ledgerTransactions, locations, users, type LedgerTransaction } from "@/db/schema";
import { refreshCardStatus } from "@/db/queries/card-status";
import type { EventContext } from "@/lib/card-events";
import { adjustPoints, listCardTransactions, type Posted, type TransactionKeyset } from "@/lib/ledger";

/** The card page's points list: a page of the ledger's transactions, newest first, with who, where and what is left to reverse. */
export const POINTS_PAGE_SIZE = 20;

/** What a transaction still lets a reversal undo: points, or (a purchase) money in minor units; null when it cannot be reversed at all. */
export type Reversible = { by: "points" | "amount"; left: number } | null;

export type PointsRow = {
  transaction: LedgerTransaction;
  /** The staff member's or API key's name; null for the system (welcome bonus, expiry) or someone since removed. */
  actorName: string | null;
  locationName: string | null;
  reversible: Reversible;
};

/** A keyset cursor as the page's query string carries it: `<micros>.<id>`. Anything else is the first page. */
export function parsePointsCursor(value: string | undefined): TransactionKeyset | undefined {
  // At most 18 digits: more would overflow PostgreSQL's bigint (an error page instead of the first page).
  const match = value?.match(/^(\d{1,18})\.([0-9a-f-]{36})$/i);
  return match ? { micros: match[1], id: match[2] } : undefined;
}
export const formatPointsCursor = (keyset: TransactionKeyset) => `${keyset.micros}.${keyset.id}`;

/** The same arithmetic as the ledger's `reversalOf`, for display only: the ledger decides when it is asked. */
function reversibleOf(t: LedgerTransaction, undone: { returned: number; takenBack: number; amount: number } | undefined): Reversible {
  if (t.type === "reversal" || t.type === "expire") return null;
  const u = undone ?? { returned: 0, takenBack: 0, amount: 0 };
  if (t.type === "purchase") {
    const left = (t.amount ?? 0) - u.amount;
    return left > 0 ? { by: "amount", left } : null;
  }
  const left = t.redeemed > 0 ? t.redeemed - u.returned : t.accrued - u.takenBack;
  return left > 0 ? { by: "points", left } : null;
}

/** A page of a card's transactions for the cabinet. Another merchant's card is not found (the ledger checks). */
export async function listCardPoints(db: Db, merchantId: string, cardId: string, after?: TransactionKeyset) {
  const page = await listCardTransactions(db, merchantId, cardId, { after, limit: POINTS_PAGE_SIZE });
  const ids = page.rows.map((t) => t.id);
  const of = (type: string) => [...new Set(page.rows.filter((t) => t.actorType === type && t.actorId).map((t) => t.actorId!))];
  const staffIds = of("staff");
  const keyIds = of("api");
  const placeIds = [...new Set(page.rows.map((t) => t.locationId).filter((x): x is string => !!x))];
  const [people, keys, places, undone] = await Promise.all([
    staffIds.length
      ? db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(and(eq(users.merchantId, merchantId), inArray(sql`${users.id}::text`, staffIds)))
      : [],
    keyIds.length
      ? db
          .select({ id: apiKeys.id, name: apiKeys.name })
          .from(apiKeys)
          .where(and(eq(apiKeys.merchantId, merchantId), inArray(sql`${apiKeys.id}::text`, keyIds)))
      : [],
    placeIds.length
      ? db
          .select({ id: locations.id, name: locations.name })
          .from(locations)
          .where(and(eq(locations.merchantId, merchantId), inArray(locations.id, placeIds)))
      : [],
    ids.length
      ? db
          .select({
            id: ledgerTransactions.reversesId,
            returned: sql<number>`coalesce(sum(${ledgerTransactions.accrued}), 0)::int`,
            takenBack: sql<number>`coalesce(sum(${ledgerTransactions.redeemed} + ${ledgerTransactions.shortfall}), 0)::int`,
            amount: sql<number>`coalesce(sum(${ledgerTransactions.amount}), 0)::bigint::int`,
          })
          .from(ledgerTransactions)
          .where(and(eq(ledgerTransactions.merchantId, merchantId), inArray(ledgerTransactions.reversesId, ids)))
          .groupBy(ledgerTransactions.reversesId)
      : [],
  ]);
  const names = new Map<string, string>([...people, ...keys].map((x) => [String(x.id), x.name]));
  const placeNames = new Map(places.map((p) => [p.id, p.name]));
  const undoneOf = new Map(undone.map((u) => [u.id, u]));
  const rows: PointsRow[] = page.rows.map((transaction) => ({
    transaction,
    actorName: transaction.actorId ? (names.get(transaction.actorId) ?? null) : null,
    locationName: transaction.locationId ? (placeNames.get(transaction.locationId) ?? null) : null,
    reversible: reversibleOf(transaction, undoneOf.get(transaction.id)),
  }));
  return { rows, next: page.next };
}

/**
 * A staff member's adjustment by a signed number of points, with a reason (lib/ledger adjustPoints):
 * once per form key — a double click adjusts once — and refused when the card changed since the form
 * was drawn (its update tag), so an adjustment typed while a till posted a purchase does not silently
 * undo it. The card's status follows its new balance in the same transaction.
 */
export async function adjustCardPoints(
  db: Db,
  ctx: EventContext,
  input: { cardId: string; expectedTag: number; points: number; reason: string; idempotencyKey: string },
): Promise<Posted> {
  return adjustPoints(db, ctx, input, async (tx) => {
    await refreshCardStatus(tx, ctx.merchantId, [input.cardId]);
  });
}
