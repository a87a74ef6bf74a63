import "server-only";
import { and, count, desc, eq, ilike, like, or, type SQL } from "drizzle-orm";
import { clipText } from "@/lib/format/text";
import type { Db } from "@/db";
import { outboxMessages, type OutboxMessage } from "@/db/schema";
import type { ListMessagesQuery } from "@/lib/validations/messaging";

export const MESSAGES_PAGE_SIZE = 25;

/** A message as staff may see it: a one-time code's text never includes the code. */
export type MessageRow = Pick<
  OutboxMessage,
  | "id"
  | "channel"
  | "kind"
  | "recipient"
  | "subject"
  | "status"
  | "provider"
  | "error"
  | "attempts"
  | "costMinor"
  | "currency"
  | "createdAt"
  | "sentAt"
  | "deliveredAt"
> & { preview: string };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A merchant's outbox, newest first, filtered on the server. The search matches the recipient as
 * typed, or (for phones) its digits in E.164, e.g. "8 916 123" finds +7916123….
 */
export async function listMerchantMessages(
  db: Db,
  merchantId: string,
  filters: ListMessagesQuery & { phoneDigits?: string },
  opts: { page: number; pageSize?: number },
): Promise<{ rows: MessageRow[]; total: number }> {
  const pageSize = opts.pageSize ?? MESSAGES_PAGE_SIZE;
  const conditions: (SQL | undefined)[] = [eq(outboxMessages.merchantId, merchantId)];
  if (filters.channel) conditions.push(eq(outboxMessages.channel, filters.channel));
  if (filters.status) conditions.push(eq(outboxMessages.status, filters.status));
  if (filters.kind) conditions.push(eq(outboxMessages.kind, filters.kind));
  if (filters.q) {
    const text = ilike(outboxMessages.recipient, `%${escapeLike(filters.q)}%`);
    conditions.push(filters.phoneDigits ? or(text, like(outboxMessages.recipient, `%${escapeLike(filters.phoneDigits)}%`)) : text);
  }
  const where = and(...conditions);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(outboxMessages)
      .where(where)
      .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
      .limit(pageSize)
      .offset((opts.page - 1) * pageSize),
    db.select({ total: count() }).from(outboxMessages).where(where),
  ]);
  return {
    rows: rows.map((m) => ({
      id: m.id,
      channel: m.channel,
      kind: m.kind,
      recipient: m.recipient,
      subject: m.subject,
      status: m.status,
      provider: m.provider,
      error: m.error,
      attempts: m.attempts,
      costMinor: m.costMinor,
      currency: m.currency,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
      deliveredAt: m.deliveredAt,
      preview: clipText(m.body, 200),
    })),
    total,
  };
}
