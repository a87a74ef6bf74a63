import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { cards } from "@/db/schema";
import { wake } from "@/lib/card-events";
import { lockCard, writeEntry } from "@/lib/ledger/write";

export const CERTIFICATE_EXPIRY_BATCH = 200;

/**
 * Gift certificates (and pool coupons) past their validity: under the card's lock, what is left is written off by an
 * `expire` ledger transaction (`certificate.expired`, so breakage is reported per definition) and the
 * card becomes `expired` — one short transaction per certificate, so a run killed midway loses
 * nothing and the next finds fewer due. Runs before the cards' own expiry (lib/cards/expiry), which
 * then has nothing left to do for them.
 */
export async function expireDueCertificates(db: Db, { now = new Date(), size = CERTIFICATE_EXPIRY_BATCH } = {}): Promise<number> {
  const due = rowsOf<{ id: string; merchant_id: string }>(
    await db.execute(sql`
      select c.id, c.merchant_id from cards c join card_templates t on t.id = c.template_id and t.merchant_id = c.merchant_id
      where c.expires_at is not null and c.expires_at <= ${now.toISOString()}::timestamptz and c.status <> 'expired' and c.block_reason is null
        and (t.kind = 'gift' or (t.kind = 'coupon' and exists (select 1 from certificate_codes cc where cc.card_id = c.id and cc.merchant_id = c.merchant_id)))
      order by c.expires_at limit ${size}`),
  );
  let expired = 0;
  for (const row of due) {
    const done = await db.transaction(async (tx) => {
      const ctx = { merchantId: row.merchant_id, actor: { type: "system" as const } };
      const locked = await lockCard(tx, row.merchant_id, row.id);
      if (locked.card.status === "expired" || locked.card.blockReason || !locked.card.expiresAt || locked.card.expiresAt > now) return null;
      const written = await writeEntry(tx, ctx, locked, {
        type: "expire",
        movements: [-locked.card.balance],
        accrued: 0,
        redeemed: locked.card.balance,
        reason: "expired",
        eventData: { expiredAt: locked.card.expiresAt.toISOString() },
      });
      await tx
        .update(cards)
        .set({ status: "expired", updatedAt: new Date() })
        .where(and(eq(cards.id, row.id), eq(cards.merchantId, row.merchant_id)));
      return written.wake;
    });
    if (done) {
      expired += 1;
      await wake(done);
    }
  }
  return expired;
}

/** Batches until none is due (at most 50 per run; the next run takes the rest). */
export async function expireAllDueCertificates(db: Db): Promise<number> {
  let total = 0;
  for (let i = 0; i < 50; i++) {
    const n = await expireDueCertificates(db);
    total += n;
    if (n < CERTIFICATE_EXPIRY_BATCH) break;
  }
  return total;
}
