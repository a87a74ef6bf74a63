import "server-only";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { nextUpdateTag } from "@/db/queries/card-status";
import { cards, cardTemplates, cardTemplateVersions } from "@/db/schema";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { queueWalletUpdates } from "@/lib/wallet/queue";
import { windowOf } from "./qr";

/** Cards one batch marks; one short transaction each. */
export const QR_DAILY_BATCH = 500;
/**
 * Each batch's wallet pushes fall due this much later than the batch before, so 100,000 held cards
 * (200 batches) reach Apple over about 100 minutes after 00:05 UTC instead of all at once;
 * the drain then sends them at its own pace. The lookup accepts yesterday's payload too, so a pass
 * updated late (or on a phone offline for the morning) keeps working all day.
 */
export const QR_DAILY_STEP_SECONDS = 30;
/** No batch is put off longer than this, however many cards there are. */
const MAX_DELAY_SECONDS = 6 * 3600;

/** Where the daily run is: the day's window, the template being walked and the last card done of it, and how many batches ran (for the spread). */
export type QrDailyCursor = { window: number; template: { id: string; merchantId: string } | null; after: string | null; batch: number };

/** The templates whose current version has the rotating QR on, after `after` (ids in order); across merchants: a worker job. */
export async function nextRotatingTemplate(db: Db, after: string | null): Promise<{ id: string; merchantId: string } | null> {
  const [row] = await db
    .select({ id: cardTemplates.id, merchantId: cardTemplates.merchantId })
    .from(cardTemplates)
    .innerJoin(cardTemplateVersions, currentVersionOf())
    .where(and(sql`(${cardTemplateVersions.definition}->>'rotatingQr')::boolean is true`, after ? gt(cardTemplates.id, after) : undefined))
    .orderBy(asc(cardTemplates.id))
    .limit(1);
  return row ?? null;
}

const currentVersionOf = () =>
  and(
    eq(cardTemplateVersions.templateId, cardTemplates.id),
    eq(cardTemplateVersions.version, cardTemplates.currentVersion),
    eq(cardTemplateVersions.merchantId, cardTemplates.merchantId),
  );

/**
 * One batch of the daily run: the next cards (by id) of the current rotating-QR template that Apple
 * Wallet holds get a new update tag (so Apple's web service and the pass cache see a new pass, built
 * with today's payload) and are queued for their wallets with this batch's delay. Returns the cursor
 * of the next batch, or null when every rotating template is done. Marking a card twice (a retried
 * batch) costs one more push and nothing else.
 */
export async function markRotatingPasses(db: Db, cursor: QrDailyCursor, size = QR_DAILY_BATCH): Promise<{ marked: number; next: QrDailyCursor | null }> {
  const { after } = cursor;
  const current = cursor.template ?? (await nextRotatingTemplate(db, null));
  if (!current) return { marked: 0, next: null };
  const marked = await db.transaction(async (tx) => {
    const ids = (
      await tx
        .select({ id: cards.id })
        .from(cards)
        .where(
          and(
            eq(cards.merchantId, current.merchantId),
            eq(cards.templateId, current.id),
            after ? gt(cards.id, after) : undefined,
            // Apple passes only: a Google object carries Google's rotating barcode (lib/till/qr), which never changes.
            sql`exists (select 1 from wallet_registrations r join wallet_devices d on d.id = r.device_id and d.merchant_id = r.merchant_id
                        where r.card_id = ${cards.id} and r.merchant_id = ${cards.merchantId} and d.platform = 'apple')`,
          ),
        )
        .orderBy(asc(cards.id))
        .limit(size)
    ).map((r) => r.id);
    if (!ids.length) return ids;
    await tx
      .update(cards)
      .set({ updateTag: nextUpdateTag, updatedAt: sql`now()` })
      .where(and(eq(cards.merchantId, current.merchantId), inArray(cards.id, ids)));
    await queueWalletUpdates(tx, current.merchantId, { cardIds: ids }, { delaySeconds: Math.min(MAX_DELAY_SECONDS, cursor.batch * QR_DAILY_STEP_SECONDS) });
    return ids;
  });
  if (marked.length === size)
    return { marked: marked.length, next: { ...cursor, template: current, after: marked[marked.length - 1], batch: cursor.batch + 1 } };
  const following = await nextRotatingTemplate(db, current.id);
  return {
    marked: marked.length,
    next: following ? { ...cursor, template: following, after: null, batch: cursor.batch + (marked.length ? 1 : 0) } : null,
  };
}

/**
 * The daily job (QUEUES.rotatingQrDaily, 00:05 UTC): one batch per job, the job's data its cursor.
 * A job killed midway is retried with the same data and redoes only its own batch; the next batch is
 * a new job carrying the new cursor. A run started by the schedule begins at the first template.
 */
export async function runRotatingQrJob(db: Db, data: Partial<QrDailyCursor>, now = new Date()): Promise<{ marked: number; done: boolean }> {
  const cursor: QrDailyCursor = { window: data.window ?? windowOf(now), template: data.template ?? null, after: data.after ?? null, batch: data.batch ?? 0 };
  // A run that is still going the next day stops: that day's own run has begun.
  if (cursor.window !== windowOf(now)) return { marked: 0, done: true };
  const { marked, next } = await markRotatingPasses(db, cursor);
  if (next) await enqueue(QUEUES.rotatingQrDaily, next, { singletonKey: `rotating-qr:${next.window}:${next.template?.id}:${next.after}` });
  return { marked, done: !next };
}
