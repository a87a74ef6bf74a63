import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";

/**
 * Long work (a bulk send, a CSV import) runs as one short job per batch. Each batch commits its work
 * and its checkpoint together and bumps the row's `updatedAt`, which is the work's heartbeat: no
 * commit for this long means its worker died, and the sweep hands the work to another.
 */
export const STALLED_AFTER_MS = 60_000;

export const isStalled = (row: { status: string; updatedAt: Date }, now = Date.now()) =>
  (row.status === "queued" || row.status === "running") && now - row.updatedAt.getTime() > STALLED_AFTER_MS;

/** How long one job keeps taking batches before it hands the rest to a new job (one never runs long). */
export const JOB_TIME_BUDGET_MS = 20_000;

/**
 * Called first in a batch's transaction, before it locks the work's row. A worker killed outright
 * closes its connection and the database rolls its batch back at once. One whose machine vanished
 * leaves its connection open: the database ends that transaction after 30 s idle, instead of holding
 * the row (and so the whole send) until TCP notices hours later. Whoever waits for the row (a retry,
 * a duplicate job) waits longer than that, then takes the row with the checkpoint as last committed.
 */
export async function boundBatchTransaction(tx: Db): Promise<void> {
  // Both in one round trip (`set_config(…, true)` is `set local`).
  await tx.execute(sql`select set_config('idle_in_transaction_session_timeout', '30s', true), set_config('lock_timeout', '45s', true)`);
}

/**
 * One job's share of long work: batches one after another until none is left or the time budget is
 * spent, then the rest is queued as the next job. Returns how many batches ran.
 */
export async function runBatches(runBatch: () => Promise<{ more: boolean }>, queueNext: () => Promise<void>, budgetMs = JOB_TIME_BUDGET_MS): Promise<number> {
  const started = Date.now();
  for (let batches = 1; ; batches++) {
    const { more } = await runBatch();
    if (!more) return batches;
    if (Date.now() - started >= budgetMs) {
      await queueNext();
      return batches;
    }
  }
}
