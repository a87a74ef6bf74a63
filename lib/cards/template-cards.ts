import "server-only";
import { and, count, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { cards } from "@/db/schema";

export async function countCardsByTemplate(db: Db, merchantId: string, templateIds: string[]): Promise<Map<string, number>> {
  if (!templateIds.length) return new Map();
  const rows = await db
    .select({ templateId: cards.templateId, n: count() })
    .from(cards)
    .where(and(eq(cards.merchantId, merchantId), inArray(cards.templateId, templateIds)))
    .groupBy(cards.templateId);
  return new Map(rows.map((r) => [r.templateId, r.n]));
}
