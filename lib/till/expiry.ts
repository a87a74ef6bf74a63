import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { runBatches } from "@/lib/jobs/batch";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";

/** Codes one batch ends; each batch is one short statement. */
export const CODE_EXPIRY_BATCH = 500;

/**
 * One batch: pending till codes (confirmations and PIN authorizations) past their time become
 * `expired`, so nothing lingers as "pending" for reports or a till's retry. Rows another run (or a
 * confirm in progress, which locks its row) holds are skipped, and the conditional update makes a
 * second run a no-op. The partial index on pending codes' expiry (`till_codes_pending_expiry_idx`)
 * keeps the search small however many codes were ever sent.
 */
export async function expirePendingCodes(db: Db, { size = CODE_EXPIRY_BATCH } = {}): Promise<{ expired: number; more: boolean }> {
  const rows = rowsOf<{ id: string }>(
    // Materialised, so the batch is chosen once (an `in (… limit)` subquery may be run again by the plan).
    await db.execute(sql`
      with due as materialized (
        select id from till_codes where status = 'pending' and expires_at <= now()
        order by expires_at limit ${size} for update skip locked)
      update till_codes set status = 'expired' from due
      where till_codes.id = due.id and till_codes.status = 'pending'
      returning till_codes.id`),
  );
  return { expired: rows.length, more: rows.length === size };
}

/** The job (QUEUES.tillCodeExpiry, every five minutes): short batches until none is due or the time budget is spent. */
export async function runTillCodeExpiryJob(db: Db): Promise<{ batches: number }> {
  return {
    batches: await runBatches(
      () => expirePendingCodes(db),
      () => enqueue(QUEUES.tillCodeExpiry, {}, { singletonKey: "till-code-expiry" }).then(() => undefined),
    ),
  };
}
