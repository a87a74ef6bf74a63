import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";

/** Where a feed page ends: the last event's transaction id (xid8, as text) and its write order. */
export type FeedKeyset = { tx: string; seq: string };

export type FeedRow = { id: string; type: string; card_id: string | null; data: Record<string, unknown>; created_at: string | Date; tx: string; seq: string };

/**
 * One page of the merchant's events in commit-safe order, after `after`.
 *
 * Why this scheme: events are ordered by the id of the transaction that wrote them (`tx_id`, xid8)
 * and their write order (`seq`), and only events of transactions older than the oldest one still
 * running (`pg_snapshot_xmin(pg_current_snapshot())`) are served. Every transaction below that
 * horizon has finished, and any transaction that writes later gets an id at or above it, so no event
 * can ever appear behind a cursor already handed out: a transaction that commits late simply holds
 * the feed back until it ends. A settle delay would be cheaper to explain but only probabilistic (a
 * transaction longer than the delay would be skipped). The cost: the feed lags by the longest write
 * transaction running in the cluster, and a session left idle in a transaction stalls it
 * (`idle_in_transaction_session_timeout` bounds that). PGlite is one connection, so there nothing is
 * ever in flight while the feed reads, and the same query works unchanged.
 */
export async function listFeedEvents(
  db: Db,
  merchantId: string,
  page: { after?: FeedKeyset; types?: string[]; limit: number },
): Promise<{ rows: FeedRow[]; next: FeedKeyset | null }> {
  const after = page.after ?? { tx: "0", seq: "0" };
  const rows = rowsOf<FeedRow>(
    await db.execute(sql`
      select e.id, e.type, e.card_id, e.data, e.created_at, e.tx_id::text as tx, e.seq::text as seq
      from card_events e
      where e.merchant_id = ${merchantId}::uuid
        and (e.tx_id, e.seq) > (${after.tx}::xid8, ${after.seq}::bigint)
        and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ${page.types?.length ? sql`and e.type = any(${pgArray(page.types)}::text[])` : sql``}
      order by e.tx_id, e.seq
      limit ${page.limit + 1}`),
  );
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  // Not only when there is more: the cursor of the last page is where a client resumes once new events settle.
  return { rows: shown, next: last ? { tx: last.tx, seq: last.seq } : (page.after ?? null) };
}
