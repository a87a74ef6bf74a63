import "server-only";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards } from "@/db/schema";

/** The next update tag: later than the last one and than now, so wallets asking "since" see every change. */
export const nextUpdateTag = sql`greatest(${cards.updateTag} + 1, (extract(epoch from clock_timestamp()) * 1000)::bigint)`;

/**
 * A template's design changed: every card rendered from it is a different pass now. Called inside the
 * template save's transaction; one set-based update however many cards there are.
 */
export async function markTemplateCardsChanged(db: Db, merchantId: string, templateId: string): Promise<number> {
  const changed = await db
    .update(cards)
    .set({ updateTag: nextUpdateTag, updatedAt: sql`now()` })
    .where(and(eq(cards.merchantId, merchantId), eq(cards.templateId, templateId)))
    .returning({ id: cards.id });
  return changed.length;
}

export async function countCardsByTemplate(db: Db, merchantId: string, templateIds: string[]): Promise<Map<string, number>> {
  if (!templateIds.length) return new Map();
  const rows = await db
    .select({ templateId: cards.templateId, n: count() })
    .from(cards)
    .where(and(eq(cards.merchantId, merchantId), inArray(cards.templateId, templateIds)))
    .groupBy(cards.templateId);
  return new Map(rows.map((r) => [r.templateId, r.n]));
}
