import "server-only";
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db";
import { outboxMessages, type OutboxMessage } from "@/db/schema";
import { getEmailAdapter, getSmsAdapter } from "@/lib/adapters";
import { ProviderError, type SendResult } from "@/lib/adapters/types";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { logger } from "@/lib/logger";
import { describeSendError, maskCodes } from "@/lib/messaging/errors";

export type NewOutboxMessage = {
  /** Null for the platform's own messages (codes for /my), sent with the platform's provider. */
  merchantId: string | null;
  channel: "sms" | "email";
  /** `code` (one-time codes: never shown to staff), `card`, `test`, `staff` (the default). */
  kind?: "code" | "card" | "test" | "staff";
  cardId?: string | null;
  recipient: string;
  subject?: string;
  body: string;
  html?: string | null;
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
      await enqueue(QUEUES.outboxSend, { id });
    } catch (err) {
      logger.warn("outbox dispatch failed; the sweep will retry", { id, error: String(err) });
    }
  }
}

/**
 * Sends one queued message. The row is claimed first (queued → sending), so two jobs for the same
 * message cannot both send it. Temporary provider errors put it back to queued and rethrow, so
 * pg-boss retries with backoff; permanent ones, or the last retry, mark it failed with the reason
 * (the refusal's code first, see describeSendError).
 *
 * A merchant's messages go through its own providers; `staff` mail (CardDesk writing to the
 * merchant's people) and messages without a merchant go through the platform's. E-mail is sent with
 * the message id as Resend's idempotency key, so a retry after a lost answer cannot send it twice.
 * Once a real provider has taken a one-time code, the stored text no longer holds the code.
 */
export async function deliverMessage(id: string, attempt: { isLast: boolean } = { isLast: false }): Promise<OutboxMessage | null> {
  const db = getDb();
  const [message] = await db
    .update(outboxMessages)
    .set({ status: "sending", attempts: sql`${outboxMessages.attempts} + 1`, updatedAt: new Date() })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, "queued")))
    .returning();
  if (!message) return (await db.select().from(outboxMessages).where(eq(outboxMessages.id, id)))[0] ?? null;
  const owner = message.kind === "staff" ? null : message.merchantId;
  let provider: string | null = null;
  try {
    let result: SendResult;
    if (message.channel === "email") {
      const adapter = await getEmailAdapter(db, owner);
      provider = adapter.name;
      result = await adapter.send(
        { from: adapter.from, to: message.recipient, subject: message.subject ?? "", text: message.body, html: message.html ?? undefined },
        { idempotencyKey: message.id },
      );
    } else {
      const adapter = await getSmsAdapter(db, owner);
      provider = adapter.name;
      result = await adapter.send({ to: message.recipient, text: message.body });
    }
    const [sent] = await db
      .update(outboxMessages)
      .set({
        status: "sent",
        provider,
        providerMessageId: result.providerMessageId,
        costMinor: result.costMinor ?? null,
        currency: result.costMinor !== undefined ? (result.currency ?? null) : null,
        error: null,
        ...hiddenCode(message, provider),
        sentAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, "sending")))
      .returning();
    return sent ?? null;
  } catch (err) {
    const temporary = !(err instanceof ProviderError) || err.temporary;
    const final = !temporary || attempt.isLast;
    await db
      .update(outboxMessages)
      .set({ status: final ? "failed" : "queued", provider, error: describeSendError(err), ...(final ? hiddenCode(message, provider) : {}), updatedAt: new Date() })
      .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, "sending")));
    if (!final) throw err;
    return null;
  }
}

/**
 * A one-time code's text without the code, once a real provider has had it. The console keeps it:
 * in development and tests the outbox is how one reads the code.
 */
function hiddenCode(message: OutboxMessage, provider: string | null): Partial<Pick<OutboxMessage, "body" | "html">> {
  if (message.kind !== "code" || !provider || provider === "console") return {};
  return { body: maskCodes(message.body), ...(message.html ? { html: maskCodes(message.html) } : {}) };
}

export const STUCK_SENDING_MS = 10 * 60_000;

export const IN_DOUBT_REASON = "the worker stopped between handing it to the provider and recording the answer; it may or may not have gone out, and is not sent again so it cannot arrive twice";

/**
 * Re-dispatches messages still queued a minute after their last change (a crash between commit and
 * dispatch; the claim makes a duplicate job harmless). A message left `sending` by a crashed worker
 * may or may not have gone out, so it is marked `in_doubt` with that reason rather than risk sending
 * it twice.
 */
export async function sweepOutbox(olderThanMs = 60_000): Promise<number> {
  const db = getDb();
  await db
    .update(outboxMessages)
    .set({ status: "in_doubt", error: IN_DOUBT_REASON, updatedAt: new Date() })
    .where(and(eq(outboxMessages.status, "sending"), lt(outboxMessages.updatedAt, new Date(Date.now() - STUCK_SENDING_MS))));
  const rows = await db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.status, "queued"), lt(outboxMessages.updatedAt, new Date(Date.now() - olderThanMs))))
    .orderBy(asc(outboxMessages.updatedAt))
    .limit(500);
  await dispatchOutbox(rows.map((r) => r.id));
  return rows.length;
}
