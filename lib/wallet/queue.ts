import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reusableSql } from "@/db/reusable";
import { rowsOf } from "@/db/rows";
import { QUEUES } from "@/lib/jobs/queues";
import { wakeThrottled } from "@/lib/jobs/wake";

/** Changes of one card within this window reach its wallets as one push. */
export const COALESCE_SECONDS = 3;

type Target = { cardIds: string[] } | { templateId: string };

/**
 * Marks cards whose wallets must hear of a change, inside the caller's transaction. Only cards some
 * wallet holds are queued; a card already waiting keeps its due time, so a burst of changes makes
 * one push, and `revision` tells a drain in progress that it has more to send.
 */
export async function queueWalletUpdates(db: Db, merchantId: string, target: Target, options: { delaySeconds?: number } = {}): Promise<number> {
  if ("cardIds" in target) {
    if (!target.cardIds.length) return 0;
    // `delaySeconds`: work that may wait (the daily rotating-QR run, lib/till/qr-daily) is spread out.
    const seconds = COALESCE_SECONDS + (options.delaySeconds ?? 0);
    return rowsOf(await queueCards(db, { walletSeconds: seconds, merchantId, walletCardIds: JSON.stringify(target.cardIds) })).length;
  }
  const rows = await db.execute<{ card_id: string }>(sql`
    insert into wallet_updates (card_id, merchant_id, due_at, changed_at)
    select c.id, c.merchant_id, now() + make_interval(secs => ${COALESCE_SECONDS}), clock_timestamp()
    from cards c
    where c.merchant_id = ${merchantId}::uuid and c.template_id = ${target.templateId}::uuid
      and exists (select 1 from wallet_registrations r where r.card_id = c.id)
    on conflict (card_id) do update set changed_at = clock_timestamp(), revision = wallet_updates.revision + 1
    returning card_id`);
  return rowsOf(rows).length;
}

/**
 * The cards' variant ($walletSeconds, $merchantId, $walletCardIds as a JSON array of ids): the events
 * door sends it with the events' insert (lib/wallet/follower), and `queueWalletUpdates` on its own.
 * The ids come as JSON, not as a uuid[]: PostgreSQL estimates `= any($n)` of an array parameter at
 * ten rows but of the array it was given at its length, so the door's statement looked dearer as a
 * generic plan than as a custom one and was planned afresh on every purchase (0.5–0.9 ms of
 * PostgreSQL's CPU, more than any statement's execution; bench/pos BENCH_PG_STATEMENTS=1). A
 * function over JSON is estimated alike either way, and the prepared statement keeps its plan.
 */
export const QUEUE_CARDS_SQL = sql`
    insert into wallet_updates (card_id, merchant_id, due_at, changed_at)
    select c.id, c.merchant_id, now() + make_interval(secs => ${sql.placeholder("walletSeconds")}), clock_timestamp()
    from cards c
    where c.merchant_id = ${sql.placeholder("merchantId")}::uuid and c.id in (select value::uuid from jsonb_array_elements_text(${sql.placeholder("walletCardIds")}::jsonb))
      and exists (select 1 from wallet_registrations r where r.card_id = c.id)
    on conflict (card_id) do update set changed_at = clock_timestamp(), revision = wallet_updates.revision + 1
    returning card_id`;
// Built once (db/reusable).
const queueCards = reusableSql<{ walletSeconds: number; merchantId: string; walletCardIds: string }>(QUEUE_CARDS_SQL);

export { rowsOf } from "@/db/rows";

/**
 * Wakes the drain once the coalescing window has passed, at most once a second per process
 * (lib/jobs/wake), so a busy till costs no extra round trip per purchase (bench/pos); a lost
 * hand-off is caught by the drain's minute schedule.
 */
export async function scheduleWalletDrain(delaySeconds = COALESCE_SECONDS): Promise<void> {
  await wakeThrottled(QUEUES.walletDrain, 1, { startAfter: Math.max(1, Math.ceil(delaySeconds)), key: "drain" }, "wallet drain");
}
