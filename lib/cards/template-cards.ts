import "server-only";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards } from "@/db/schema";
import { queueWalletUpdates } from "@/lib/wallet/queue";
import { nextUpdateTag } from "./status";

/**
 * A template's design changed: every card rendered from it is a different pass now. Called inside the
 * template save's transaction; set-based however many cards there are (nothing is read back). Wallets
 * holding them are queued for an update; returns how many, so the caller wakes the drain only then.
 */
export async function markTemplateCardsChanged(db: Db, merchantId: string, templateId: string): Promise<number> {
  await db
    .update(cards)
    .set({ updateTag: nextUpdateTag, updatedAt: sql`now()` })
    .where(and(eq(cards.merchantId, merchantId), eq(cards.templateId, templateId)));
  return queueWalletUpdates(db, merchantId, { templateId });
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
