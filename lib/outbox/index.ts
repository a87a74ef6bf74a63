import "server-only";
import { and, asc, eq, lt } from "drizzle-orm";
import { getDb, type Db } from "@/db";
import { outboxMessages, type OutboxMessage } from "@/db/schema";
import { getEmailAdapter, getSmsAdapter } from "@/lib/adapters";
import { ProviderError } from "@/lib/adapters/types";
import { getEnv } from "@/lib/env";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { logger } from "@/lib/logger";

export type NewOutboxMessage = {
  merchantId: string;
  channel: "sms" | "email";
  recipient: string;
  subject?: string;
  body: string;
};

/** Writes a message as `queued` inside the caller's transaction; call dispatchOutbox after commit. */
export async function queueMessage(db: Db, message: NewOutboxMessage): Promise<string> {
  const [row] = await db.insert(outboxMessages).values(message).returning({ id: outboxMessages.id });
  return row.id;
}

/** Hands committed messages to the worker. A lost hand-off is picked up by the sweep. */
export async function dispatchOutbox(ids: string[]): Promise<void> {
  for (const id of ids) {
    try {
      await enqueue(QUEUES.outboxSend, { id }, { singletonKey: id });
    } catch (err) {
      logger.warn("outbox dispatch failed; the sweep will retry", { id, error: String(err) });
    }
  }
}

/**
 * Sends one queued message. Temporary provider errors rethrow so pg-boss retries with backoff;
 * permanent ones mark the message failed with the provider's reason.
 */
export async function deliverMessage(id: string, attempt: { isLast: boolean } = { isLast: false }): Promise<OutboxMessage | null> {
  const db = getDb();
  const [message] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
  if (!message || message.status !== "queued") return message ?? null;
  try {
    const result =
      message.channel === "email"
        ? await getEmailAdapter(message.merchantId).send({
            from: getEnv().EMAIL_FROM,
            to: message.recipient,
            subject: message.subject ?? "",
            text: message.body,
          })
        : await getSmsAdapter(message.merchantId).send({ to: message.recipient, text: message.body });
    const provider = message.channel === "email" ? getEmailAdapter(message.merchantId).name : getSmsAdapter(message.merchantId).name;
    const [sent] = await db
      .update(outboxMessages)
      .set({
        status: "sent",
        provider,
        providerMessageId: result.providerMessageId,
        costMinor: result.costMinor ?? null,
        attempts: message.attempts + 1,
        error: null,
        sentAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, "queued")))
      .returning();
    return sent ?? null;
  } catch (err) {
    const temporary = !(err instanceof ProviderError) || err.temporary;
    const reason = err instanceof Error ? err.message : String(err);
    const final = !temporary || attempt.isLast;
    await db
      .update(outboxMessages)
      .set({ attempts: message.attempts + 1, error: reason, updatedAt: new Date(), ...(final ? { status: "failed" as const } : {}) })
      .where(eq(outboxMessages.id, id));
    if (!final) throw err;
    return null;
  }
}

/** Re-dispatches messages still queued a minute after creation (a crash between commit and dispatch). */
export async function sweepOutbox(olderThanMs = 60_000): Promise<number> {
  const rows = await getDb()
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.status, "queued"), lt(outboxMessages.createdAt, new Date(Date.now() - olderThanMs))))
    .orderBy(asc(outboxMessages.createdAt))
    .limit(500);
  await dispatchOutbox(rows.map((r) => r.id));
  return rows.length;
}
