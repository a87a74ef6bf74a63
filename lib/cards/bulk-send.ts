import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cardSends, type CardSend } from "@/db/schema";
import { countCardsMatching, listCardIdsAfter, type CardFilters } from "@/db/queries/cards";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
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
      .values({ merchantId: actor.merchantId, createdBy: actor.userId, channel: input.channel, cardIds: chosen, filters: filters ? { ...filters, locale: input.locale } : { locale: input.locale }, total })
      .returning();
    await recordAudit(tx, actor, { action: "card.sendMany", entityType: "cardSend", entityId: created.id, after: { channel: input.channel, total } });
    return created;
  });
  await enqueue(QUEUES.cardSend, { sendId: row.id });
  return row;
}

export async function getCardSendOrThrow(db: Db, merchantId: string, id: string): Promise<CardSend> {
  const [row] = isUuid(id) ? await db.select().from(cardSends).where(and(eq(cardSends.id, id), eq(cardSends.merchantId, merchantId))) : [];
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * The worker's part: batch by batch in card id order, each batch's messages, history and progress
 * committed together (a retried run resumes after the last whole batch, never sending twice).
 */
export async function runCardSend(db: Db, sendId: string): Promise<{ queued: number; skipped: number }> {
  const totals = { queued: 0, skipped: 0 };
  for (;;) {
    const outboxIds: string[] = [];
    const more = await db.transaction(async (tx) => {
      const [job] = await tx.select().from(cardSends).where(eq(cardSends.id, sendId)).for("update");
      if (!job || !["queued", "running"].includes(job.status)) return false;
      const locale = String((job.filters as Record<string, string> | null)?.locale ?? "ru");
      const ids = await listCardIdsAfter(tx, job.merchantId, targetOf(job), job.afterCardId, SEND_BATCH);
      if (!ids.length) {
        await tx.update(cardSends).set({ status: "done", finishedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(cardSends.id, sendId));
        return false;
      }
      const settings = await getMessagingSettings(tx, job.merchantId);
      let queued = 0;
      let skipped = 0;
      const actor = job.createdBy ? ({ type: "staff", userId: job.createdBy } as const) : ({ type: "system" } as const);
      for (const id of ids) {
        const outcome = await queueCardMessage(tx, job.merchantId, actor, id, job.channel, locale, settings);
        if ("outboxId" in outcome) {
          outboxIds.push(outcome.outboxId);
          queued += 1;
        } else skipped += 1;
      }
      await tx
        .update(cardSends)
        .set({
          status: "running",
          afterCardId: ids[ids.length - 1],
          processed: sql`${cardSends.processed} + ${ids.length}`,
          queued: sql`${cardSends.queued} + ${queued}`,
          skipped: sql`${cardSends.skipped} + ${skipped}`,
          updatedAt: sql`now()`,
        })
        .where(eq(cardSends.id, sendId));
      totals.queued += queued;
      totals.skipped += skipped;
      return true;
    });
    await dispatchOutbox(outboxIds);
    if (!more) break;
  }
  return totals;
}

export async function failCardSend(db: Db, sendId: string, reason: string): Promise<void> {
  await db
    .update(cardSends)
    .set({ status: "failed", failure: reason.slice(0, 500), finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(cardSends.id, sendId), sql`${cardSends.status} in ('queued', 'running')`));
}
