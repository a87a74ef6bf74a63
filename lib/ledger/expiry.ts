import "server-only";
import { and, asc, eq, gt, isNotNull, lte } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, ledgerMovements } from "@/db/schema";
import { wake, type Wake } from "@/lib/card-events";
import { runBatches } from "@/lib/jobs/batch";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { lockCard, writeEntry } from "./write";

/** Lots one batch expires; each in its own short transaction. */
export const EXPIRY_BATCH = 200;

/**
 * Expires one lot past its date: under the card's lock it reads the lot again (another run, or a
 * spend, may have emptied it since), writes an `expire` transaction for what is left of it, never
 * more than the balance, and empties the lot — all in one transaction, so a lot is expired once
 * however often the job runs or is retried (idempotent per lot). `points.expired` goes through the
 * events door like any other movement.
 */
async function expireLot(db: Db, lot: { id: string; cardId: string; merchantId: string }, now: Date): Promise<{ points: number; wake: Wake | null }> {
  return db.transaction(async (tx) => {
    const ctx = { merchantId: lot.merchantId, actor: { type: "system" as const } };
    const locked = await lockCard(tx, lot.merchantId, lot.cardId);
    const [current] = await tx
      .select({ remaining: ledgerMovements.remaining, expiresAt: ledgerMovements.expiresAt })
      .from(ledgerMovements)
      .where(and(eq(ledgerMovements.id, lot.id), eq(ledgerMovements.cardId, lot.cardId)));
    if (!current || current.remaining <= 0 || !current.expiresAt || current.expiresAt > now) return { points: 0, wake: null };
    await tx.update(ledgerMovements).set({ remaining: 0 }).where(eq(ledgerMovements.id, lot.id));
    const points = Math.min(current.remaining, locked.card.balance);
    if (!points) return { points: 0, wake: null };
    const { wake } = await writeEntry(tx, ctx, locked, {
      type: "expire",
      movements: [-points],
      accrued: 0,
      redeemed: points,
      reason: "expired",
      spendLots: false,
      eventData: { lotId: lot.id, expiredAt: current.expiresAt.toISOString() },
    });
    return { points, wake };
  });
}

/** One batch: the lots past their date with points left, oldest date first. */
export async function expireDueLots(db: Db, { now = new Date(), size = EXPIRY_BATCH } = {}): Promise<{ lots: number; points: number; more: boolean }> {
  const due = await db
    .select({ id: ledgerMovements.id, cardId: ledgerMovements.cardId, merchantId: cards.merchantId })
    .from(ledgerMovements)
    .innerJoin(cards, eq(cards.id, ledgerMovements.cardId))
    .where(and(gt(ledgerMovements.remaining, 0), isNotNull(ledgerMovements.expiresAt), lte(ledgerMovements.expiresAt, now)))
    .orderBy(asc(ledgerMovements.expiresAt), asc(ledgerMovements.id))
    .limit(size);
  let points = 0;
  for (const lot of due) {
    const done = await expireLot(db, lot, now);
    points += done.points;
    if (done.wake) await wake(done.wake);
  }
  return { lots: due.length, points, more: due.length === size };
}

/**
 * The daily job (QUEUES.pointsExpiry): batches until no lot is due or the time budget is spent, then
 * the rest as the next job. Each lot commits on its own, so a job killed midway loses nothing and the
 * next run (or the retry) simply finds fewer lots due.
 */
export async function runPointsExpiryJob(db: Db): Promise<{ batches: number }> {
  return {
    batches: await runBatches(
      () => expireDueLots(db),
      () => enqueue(QUEUES.pointsExpiry, {}, { singletonKey: "points-expiry" }).then(() => undefined),
    ),
  };
}
