import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { record } from "@/lib/card-events";
import { rowsOf } from "@/db/rows";

/**
 * Cards whose expiry date has passed become `expired`, each with a `card.expired` event, in one
 * transaction. No pass update is needed: both wallets grey a pass out at its own expiration date.
 */
export async function expireDueCards(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const changed = rowsOf<{ id: string; merchant_id: string; expires_at: string | Date }>(
      await tx.execute(sql`
        update cards set status = 'expired', updated_at = now()
        where expires_at is not null and expires_at <= now() and status <> 'expired' and block_reason is null
        returning id, merchant_id, expires_at`),
    );
    const byMerchant = Map.groupBy(changed, (r) => r.merchant_id);
    for (const [merchantId, rows] of byMerchant) {
      await record(
        tx,
        { merchantId, actor: { type: "system" } },
        rows.map((r) => ({ type: "card.expired", cardId: r.id, data: { expiresAt: new Date(r.expires_at).toISOString() } })),
      );
    }
    return changed.length;
  });
}
