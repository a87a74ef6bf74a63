import "server-only";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cardSends, type CardSend } from "@/db/schema";
import { countCardsMatching, listCardIdsAfter, type CardFilters } from "@/db/queries/cards";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { STALLED_AFTER_MS, boundBatchTransaction, runBatches } from "@/lib/jobs/batch";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { dispatchOutbox } from "@/lib/outbox";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { isUuid } from "@/lib/validations/common";
import { queueCardMessage, type SendChannel } from "./send";

export const SEND_BATCH = 200;
export const MAX_CHOSEN = 500;

type Target = { cardIds: string[] } | { filters: CardFilters };
const targetOf = (row: Pick<CardSend, "cardIds" | "filters">) => (row.cardIds ? { ids: row.cardIds } : { filters: (row.filters ?? {}) as CardFilters });

/** Starts sending many cards (the chosen ones, or every card the list's filters match); the worker does it with progress. */
export async function startCardSend(db: Db, actor: AuditActor, input: { channel: SendChannel; target: Target; locale: string }): Promise<CardSend> {
  const chosen = "cardIds" in input.target ? input.target.cardIds.filter(isUuid) : null;
  if (chosen && !chosen.length) throw new AppError("validation", "cards.send.errors.nothingChosen");
  if (chosen && chosen.length > MAX_CHOSEN) throw new AppError("validation", "cards.send.errors.tooMany", undefined, { max: MAX_CHOSEN });
  const filters = "filters" in input.target ? input.target.filters : null;
  const total = await countCardsMatching(db, actor.merchantId, chosen ? { ids: chosen } : { filters: filters ?? {} });
  if (!total) throw new AppError("validation", "cards.send.errors.nothingChosen");
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(cardSends)
      .values({
        merchantId: actor.merchantId,
        createdBy: actor.userId,
        channel: input.channel,
        cardIds: chosen,
        filters: filters ? { ...filters, locale: input.locale } : { locale: input.locale },
        total,
      })
      .returning();
    await recordAudit(tx, actor, { action: "card.sendMany", entityType: "cardSend", entityId: created.id, after: { channel: input.channel, total } });
    return created;
  });
  await enqueueCardSendBatch(row.id);
  return row;
}

export async function getCardSendOrThrow(db: Db, merchantId: string, id: string): Promise<CardSend> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(cardSends)
        .where(and(eq(cardSends.id, id), eq(cardSends.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

export type SendBatch = { more: boolean; queued: number; skipped: number };

/**
 * One batch of the worker's part, in card id order. The send's row is locked for the batch and holds
 * the checkpoint (the last card handled): the batch's messages, history, counters and the checkpoint
 * commit together, so a batch cut short by a crash leaves nothing behind and its retry starts from the
 * same checkpoint. A second job on the same send (a retry, the sweep's) waits for the row and goes on
 * from the checkpoint it finds, so no card is ever sent twice. `more` says another batch may follow.
 */
export async function runCardSendBatch(db: Db, sendId: string, size = SEND_BATCH): Promise<SendBatch> {
  const outboxIds: string[] = [];
  const outcome = await db.transaction(async (tx): Promise<SendBatch> => {
    await boundBatchTransaction(tx);
    const [job] = await tx
      .select()
      .from(cardSends)
      .where(and(eq(cardSends.id, sendId), inArray(cardSends.status, ["queued", "running"])))
      .for("update");
    if (!job) return { more: false, queued: 0, skipped: 0 };
    const locale = String((job.filters as Record<string, string> | null)?.locale ?? "ru");
    const ids = await listCardIdsAfter(tx, job.merchantId, targetOf(job), job.afterCardId, size);
    const settings = ids.length ? await getMessagingSettings(tx, job.merchantId) : undefined;
    let queued = 0;
    let skipped = 0;
    const actor = job.createdBy ? ({ type: "staff", userId: job.createdBy } as const) : ({ type: "system" } as const);
    for (const id of ids) {
      const result = await queueCardMessage(tx, job.merchantId, actor, id, job.channel, locale, settings);
      if ("outboxId" in result) {
        outboxIds.push(result.outboxId);
        queued += 1;
      } else skipped += 1;
    }
    const more = ids.length === size;
    await tx
      .update(cardSends)
      .set({
        status: more ? "running" : "done",
        ...(more ? {} : { finishedAt: sql`now()` }),
        afterCardId: ids.length ? ids[ids.length - 1] : job.afterCardId,
        processed: sql`${cardSends.processed} + ${ids.length}`,
        queued: sql`${cardSends.queued} + ${queued}`,
        skipped: sql`${cardSends.skipped} + ${skipped}`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(cardSends.id, sendId), eq(cardSends.merchantId, job.merchantId)));
    return { more, queued, skipped };
  });
  await dispatchOutbox(outboxIds);
  return outcome;
}

/** Queues the send's next batch; `short` keeps at most one waiting per send, so extra calls collapse. */
export async function enqueueCardSendBatch(sendId: string): Promise<void> {
  await enqueue(QUEUES.cardSend, { sendId }, { singletonKey: sendId });
}

/** One job: batches until done or out of time, then the rest as the next job (see runBatches). */
export async function runCardSendJob(db: Db, sendId: string): Promise<{ batches: number }> {
  return {
    batches: await runBatches(
      () => runCardSendBatch(db, sendId),
      () => enqueueCardSendBatch(sendId),
    ),
  };
}

/** Every batch in this process, with no time budget (tests; the worker goes through runCardSendJob). Returns the totals. */
export async function runCardSend(db: Db, sendId: string, size = SEND_BATCH): Promise<{ queued: number; skipped: number }> {
  const totals = { queued: 0, skipped: 0 };
  for (;;) {
    const { more, queued, skipped } = await runCardSendBatch(db, sendId, size);
    totals.queued += queued;
    totals.skipped += skipped;
    if (!more) return totals;
  }
}

/**
 * The sweep's part: sends with no committed batch for STALLED_AFTER_MS (their worker died, their job
 * ran out of retries, or the next batch was never queued) get their next batch queued again. One
 * still running, only slowly, loses nothing: the extra job waits for its row and goes on after it.
 */
export async function resumeStalledCardSends(db: Db): Promise<number> {
  const stalled = await db
    .select({ id: cardSends.id })
    .from(cardSends)
    .where(and(inArray(cardSends.status, ["queued", "running"]), lt(cardSends.updatedAt, new Date(Date.now() - STALLED_AFTER_MS))))
    .limit(500);
  for (const { id } of stalled) await enqueueCardSendBatch(id);
  return stalled.length;
}

export async function failCardSend(db: Db, sendId: string, reason: string): Promise<void> {
  await db
    .update(cardSends)
    .set({ status: "failed", failure: reason.slice(0, 500), finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(cardSends.id, sendId), sql`${cardSends.status} in ('queued', 'running')`));
}
