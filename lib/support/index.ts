import "server-only";
import { and, count, desc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db";
import { merchants, outboxMessages, supportRequests, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import { AppError, NotFoundError } from "@/lib/errors";
import { queueMessage } from "@/lib/outbox";
import type { SupportRequestInput } from "@/lib/validations/support";

export const SUPPORT_PAGE_SIZE = 20;
/** Requests one merchant may send in an hour: plenty for people, a wall for a script. */
export const SUPPORT_PER_HOUR = 10;

/** The platform's contact details, from the environment (SUPPORT_EMAIL, SUPPORT_PHONE, SUPPORT_HOURS). */
export function supportContacts() {
  const env = getEnv();
  return { email: env.SUPPORT_EMAIL, phone: env.SUPPORT_PHONE ?? null, hours: env.SUPPORT_HOURS ?? null };
}

/**
 * Writes the request and queues its e-mail to the support address in one transaction, with the
 * merchant's id, the sender and the page it came from; returns the outbox ids to dispatch after commit.
 * The e-mail is a platform message (no merchant id on the outbox row), so it is not billed to the merchant.
 */
export async function createSupportRequest(db: Db, actor: { merchantId: string; userId: string }, input: SupportRequestInput, now = new Date()) {
  return db.transaction(async (tx) => {
    const [recent] = await tx
      .select({ n: count() })
      .from(supportRequests)
      .where(and(eq(supportRequests.merchantId, actor.merchantId), gt(supportRequests.createdAt, new Date(now.getTime() - 3600_000))));
    if ((recent?.n ?? 0) >= SUPPORT_PER_HOUR) throw new AppError("rate_limited", "support.errors.tooMany");
    const [who] = await tx
      .select({ name: users.name, email: users.email, merchantName: merchants.name })
      .from(users)
      .innerJoin(merchants, eq(merchants.id, users.merchantId))
      .where(and(eq(users.id, actor.userId), eq(users.merchantId, actor.merchantId)));
    if (!who) throw new NotFoundError();
    const body = [
      `Merchant: ${who.merchantName} (${actor.merchantId})`,
      `From: ${who.name} <${who.email}>`,
      `Page: ${input.page ?? "—"}`,
      "",
      input.message,
    ].join("\n");
    const outboxId = await queueMessage(tx, {
      merchantId: null,
      channel: "email",
      recipient: getEnv().SUPPORT_EMAIL,
      subject: `[CardDesk support] ${input.subject}`,
      body,
    });
    const [row] = await tx
      .insert(supportRequests)
      .values({ merchantId: actor.merchantId, userId: actor.userId, subject: input.subject, body: input.message, page: input.page ?? null, outboxId })
      .returning();
    await recordAudit(tx, actor, { action: "support.request", entityType: "support_request", entityId: row.id, after: { subject: input.subject } });
    return { request: row, outboxIds: [outboxId] };
  });
}

/** The merchant's previous requests, newest first, with whether the e-mail went out. */
export async function listSupportRequests(db: Db, merchantId: string, opts: { page: number; pageSize: number }) {
  const where = eq(supportRequests.merchantId, merchantId);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ request: supportRequests, userName: users.name, status: outboxMessages.status })
      .from(supportRequests)
      .leftJoin(users, and(eq(users.id, supportRequests.userId), eq(users.merchantId, merchantId)))
      .leftJoin(outboxMessages, eq(outboxMessages.id, supportRequests.outboxId))
      .where(where)
      .orderBy(desc(supportRequests.createdAt))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ total: count() }).from(supportRequests).where(where),
  ]);
  return { rows, total };
}
