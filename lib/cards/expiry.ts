import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/lib/wallet/queue";

/**
 * Cards whose expiry date has passed become `expired`, with an event in their history. No pass update
 * is needed: both wallets grey a pass out at its own expiration date.
 */
export async function expireDueCards(db: Db): Promise<number> {
  const rows = rowsOf(
    await db.execute(sql`
      with changed as (
        update cards set status = 'expired', updated_at = now()
        where expires_at is not null and expires_at <= now() and status <> 'expired' and block_reason is null
        returning id, merchant_id, expires_at
      )
      insert into card_events (merchant_id, card_id, type, actor_type, data)
      select merchant_id, id, 'expired', 'system', jsonb_build_object('expiresAt', expires_at) from changed
      returning id`),
  );
  return rows.length;
}
