import "server-only";
import { and, count, eq, gte, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { apiKeys, cards, locations, outboxMessages, users } from "@/db/schema";

/** The merchant's counts for the dashboard; each query is scoped by merchant. */
export async function getDashboardCounts(db: Db, merchantId: string) {
  const monthAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  const one = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? 0;
  const [locationCount, staffCount, activeStaff, messages30d, apiKeyCount, cardCount, installedCount] = await Promise.all([
    one(db.select({ n: count() }).from(locations).where(eq(locations.merchantId, merchantId))),
    one(db.select({ n: count() }).from(users).where(eq(users.merchantId, merchantId))),
    one(
      db
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.merchantId, merchantId), eq(users.active, true))),
    ),
    one(
      db
        .select({ n: count() })
        .from(outboxMessages)
        .where(and(eq(outboxMessages.merchantId, merchantId), gte(outboxMessages.createdAt, monthAgo))),
    ),
    one(
      db
        .select({ n: count() })
        .from(apiKeys)
        .where(and(eq(apiKeys.merchantId, merchantId), isNull(apiKeys.revokedAt))),
    ),
    one(db.select({ n: count() }).from(cards).where(eq(cards.merchantId, merchantId))),
    one(
      db
        .select({ n: count() })
        .from(cards)
        .where(and(eq(cards.merchantId, merchantId), eq(cards.status, "installed"))),
    ),
  ]);
  return { locationCount, staffCount, activeStaff, messages30d, apiKeyCount, cardCount, installedCount };
}
