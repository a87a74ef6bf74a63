import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db";
import { outboxMessages, type OutboxMessage } from "@/db/schema";
import { getEmailAdapter, getSmsAdapter } from "@/lib/adapters";
import { ProviderError, type SendResult } from "@/lib/adapters/types";
import { enqueue, enqueueMany } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { logger } from "@/lib/logger";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { wake } from "@/lib/card-events";
import { CODE_MASK, describeSendError } from "@/lib/messaging/errors";
import { recordMessageOutcome } from "@/lib/messaging/outcome-events";
import { CONSENT_WITHDRAWN_REASON, newsWithdrawn } from "@/lib/push-events/consent";

export type NewOutboxMessage = {
  /** Null for the platform's own messages (codes for /my), sent with the platform's provider. */
  merchantId: string | null;
  channel: "sms" | "email";
  /** `card`, `test`, `staff` (the default); one-time codes go through queueCodeMessage. */
  kind?: "card" | "test" | "staff";
  cardId?: string | null;
  recipient: string;
  subject?: string;
  body: string;
  html?: string | null;
};

/** Writes a message as `queued` inside the caller's transaction; call dispatchOutbox after commit. */
export async function queueMessage(db: Db, message: NewOutboxMessage): Promise<string> {
  return insertMessage(db, message);
}

/**
 * Many messages as `queued` in one statement, inside the caller's transaction (a batch of SMS news);
 * their ids in the order given (made here, so nothing rests on the order RETURNING gives). Call
 * dispatchOutboxMany after commit.
 */
export async function queueMessages(db: Db, messages: NewOutboxMessage[]): Promise<string[]> {
  if (!messages.length) return [];
  const rows = messages.map((message) => ({ ...message, id: randomUUID() }));
  await db.insert(outboxMessages).values(rows);
  return rows.map((row) => row.id);
}

async function insertMessage(db: Db, message: Omit<NewOutboxMessage, "kind"> & { kind?: OutboxMessage["kind"]; secret?: string }): Promise<string> {
  const [row] = await db.insert(outboxMessages).values(message).returning({ id: outboxMessages.id });
  return row.id;
}

/** A one-time code's real text, sealed to its row's deliverer, so only the sender (and the test reader) can open it. */
type CodeSecret = { code: string; body: string };
const codeSecretContext = (merchantId: string | null) => `outbox:${merchantId ?? "platform"}:code`;

/**
 * Queues a one-time code. What staff can ever see (`body`) is the text rendered with a mask where the
 * code goes; the real text travels sealed in `secret` until the provider has it. Masking by the
 * template, not by looking for six digits, hides the code whatever the merchant's template does
 * around it (`{code}0`, spaced digits, …).
 */
export async function queueCodeMessage(
  db: Db,
  input: { merchantId: string | null; recipient: string; code: string; render: (code: string) => string },
): Promise<string> {
  const secret: CodeSecret = { code: input.code, body: input.render(input.code) };
  const body = maskCode(input.render(CODE_MASK), input.code);
  return insertMessage(db, {
    merchantId: input.merchantId,
    channel: "sms",
    kind: "code",
    recipient: input.recipient,
    body,
    secret: encryptSecret(JSON.stringify(secret), codeSecretContext(input.merchantId)),
  });
}

/** The sealed text of a code message, or null when it has none (or it cannot be opened). */
export function openCodeSecret(message: Pick<OutboxMessage, "merchantId" | "secret">): CodeSecret | null {
  if (!message.secret) return null;
  try {
    return JSON.parse(decryptSecret(message.secret, codeSecretContext(message.merchantId)).toString("utf8")) as CodeSecret;
  } catch {
    return null;
  }
}

/** Any text with every occurrence of the code itself hidden (a provider may echo the message back in its error). */
function maskCode(text: string, code: string | undefined): string {
  return code ? text.split(code).join(CODE_MASK) : text;
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

/** Above this many messages, their send jobs are made by the worker rather than in the request or batch that queued them. */
export const FAN_OUT_AT = 100;

/**
 * Many messages' send jobs (a phone list's batch of thousands). A few are enqueued in one statement;
 * more go as one fan-out job that the worker turns into their send jobs (`fanOutOutbox`), so the batch
 * that queued them pays one insert, not thousands: sending is the worker's. On failure the sweep
 * dispatches them, as for one.
 */
export async function dispatchOutboxMany(ids: string[]): Promise<void> {
  if (!ids.length) return;
  try {
    if (ids.length > FAN_OUT_AT) await enqueue(QUEUES.outboxFanOut, { ids });
    else await fanOutOutbox(ids);
  } catch (err) {
    logger.warn("outbox dispatch failed; the sweep will retry", { count: ids.length, error: String(err) });
  }
}

/** The send jobs of these messages, in one statement (the fan-out job's work). */
export async function fanOutOutbox(ids: string[]): Promise<void> {
  await enqueueMany(
    QUEUES.outboxSend,
    ids.map((id) => ({ id })),
  );
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
 * A one-time code's real text is opened from its seal only to hand it to the provider; once a real
 * provider has answered, the seal is dropped, and no error text keeps the code.
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
  const secret = message.kind === "code" ? openCodeSecret(message) : null;
  let provider: string | null = null;
  try {
    // Marketing news whose customer withdrew consent since it was queued is not sent (a withdrawn
    // customer gets no more). In the try: a database error here puts the message back in the queue.
    if (message.channel === "sms" && message.kind === "card" && (await newsWithdrawn(db, message)))
      return await leaveSending(db, message, { status: "failed", error: CONSENT_WITHDRAWN_REASON }, CONSENT_WITHDRAWN_REASON);
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
      if (message.kind === "code" && !secret) throw new ProviderError("The code's text could not be opened; a new code must be requested.", false, "unknown");
      result = await adapter.send({ to: message.recipient, text: secret?.body ?? message.body });
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
        ...dropSecret(message, provider),
        sentAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, "sending")))
      .returning();
    return sent ?? null;
  } catch (err) {
    const temporary = !(err instanceof ProviderError) || err.temporary;
    const final = !temporary || attempt.isLast;
    const error = maskCode(describeSendError(err), secret?.code);
    await leaveSending(
      db,
      message,
      { status: final ? "failed" : "queued", provider, error, ...(final ? dropSecret(message, provider) : {}) },
      final ? error : undefined,
    );
    if (!final) throw err;
    return null;
  }
}

/**
 * A claimed message leaves `sending` (`set`), if it is still there; one that failed for good
 * (`failedReason`) gets its `message.failed` in its card's history in the same transaction. The row as
 * left, or null when it had moved on already.
 */
async function leaveSending(db: Db, message: OutboxMessage, set: Partial<OutboxMessage>, failedReason?: string): Promise<OutboxMessage | null> {
  const { row, pending } = await db.transaction(async (tx) => {
    const [left] = await tx
      .update(outboxMessages)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(outboxMessages.id, message.id), eq(outboxMessages.status, "sending")))
      .returning();
    const failed = left && failedReason !== undefined ? await recordMessageOutcome(tx, message, { status: "failed", reason: failedReason }) : new Set<string>();
    return { row: left ?? null, pending: failed };
  });
  await wake(pending);
  return row;
}

/**
 * A one-time code's seal is dropped once a real provider has had it. The console keeps it: in
 * development and tests the locked dev outbox reader is how one reads the code.
 */
function dropSecret(message: OutboxMessage, provider: string | null): Partial<Pick<OutboxMessage, "secret">> {
  if (!message.secret || !provider || provider === "console") return {};
  return { secret: null };
}

export const STUCK_SENDING_MS = 10 * 60_000;

export const IN_DOUBT_REASON =
  "the worker stopped between handing it to the provider and recording the answer; it may or may not have gone out, and is not sent again so it cannot arrive twice";

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
  await dispatchOutboxMany(rows.map((r) => r.id));
  return rows.length;
}
