import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { adopt, foldAll, FOLD_LOCK, loadFacts, settleCards } from "./fold";

/**
 * Recomputes every rollup from the raw events (after a migration or a bug fix): empties the rollups,
 * queues every event again and folds them, then counts the cards no event names. The inbox rows are
 * replaced with DELETE (not TRUNCATE), so tills recording events meanwhile never wait: an event
 * committed after this snapshot keeps its own inbox row and is folded once, like any other.
 */
export async function rebuildReports(db: Db): Promise<{ events: number; adopted: number }> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FOLD_LOCK})`);
    await tx.execute(sql`truncate report_daily, report_current, report_cards, report_members_hll`);
    await tx.execute(sql`delete from report_inbox`);
    await tx.execute(sql`insert into report_inbox (event_id) select id from card_events order by created_at, id`);
  });
  const { folded } = await foldAll(db, Number.POSITIVE_INFINITY);
  let adopted = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${FOLD_LOCK})`);
      const ids = rowsOf<{ id: string }>(
        await tx.execute(sql`select c.id from cards c where not exists (select 1 from report_cards rc where rc.card_id = c.id) limit 5000`),
      ).map((r) => r.id);
      const facts = await loadFacts(tx, ids);
      await settleCards(tx, [...facts.values()].map(adopt), facts);
      return ids.length;
    });
    adopted += n;
    if (!n) break;
  }
  return { events: folded, adopted };
}

/** The same for one merchant (its rollups emptied and its events folded again); the other merchants' figures stay as they are. */
export async function rebuildMerchantReports(db: Db, merchantId: string): Promise<{ events: number }> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FOLD_LOCK})`);
    for (const table of ["report_daily", "report_current", "report_cards", "report_members_hll"])
      await tx.execute(sql`delete from ${sql.identifier(table)} where merchant_id = ${merchantId}::uuid`);
    await tx.execute(sql`delete from report_inbox where event_id in (select id from card_events where merchant_id = ${merchantId}::uuid)`);
    await tx.execute(sql`insert into report_inbox (event_id) select id from card_events where merchant_id = ${merchantId}::uuid order by created_at, id`);
  });
  const { folded } = await foldAll(db, Number.POSITIVE_INFINITY);
  return { events: folded };
}
