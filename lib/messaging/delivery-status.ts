import "server-only";
import { and, asc, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { outboxMessages, type OutboxMessage } from "@/db/schema";
import { getSmsAdapter } from "@/lib/adapters";
import type { DeliveryStatus, SmsAdapter } from "@/lib/adapters/types";
import { logger } from "@/lib/logger";
import { wake } from "@/lib/card-events";
import { describeSendError } from "./errors";
import { recordMessageOutcome } from "./outcome-events";

/** How long after sending a delivery report is still worth asking for, and how often at most. */
export const STATUS_WINDOW_MS = 24 * 3600_000;
export const MAX_STATUS_CHECKS = 10;
const BATCH = 200;

// Both providers bill Russian accounts in roubles; their status answers give a cost without naming it.
const PROVIDER_CURRENCY: Record<string, string> = { "sms.ru": "RUB", "smsc.ru": "RUB" };

export type StatusCheckOutcome = { checked: number; delivered: number; failed: number };

/**
 * Asks the SMS providers what became of messages sent in the last 24 hours (the outbox-status cron,
 * every 2 minutes): delivered ones get `deliveredAt`, undelivered ones fail with the provider's reason,
 * and a cost reported now is kept. Each message is asked about at most MAX_STATUS_CHECKS times.
 */
export async function checkDeliveryStatuses(db: Db, options: { now?: Date; merchantIds?: string[] } = {}): Promise<StatusCheckOutcome> {
  const now = options.now ?? new Date();
  const rows = await db
    .select()
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.channel, "sms"),
        eq(outboxMessages.status, "sent"),
        gt(outboxMessages.sentAt, new Date(now.getTime() - STATUS_WINDOW_MS)),
        lt(outboxMessages.statusChecks, MAX_STATUS_CHECKS),
        ne(outboxMessages.provider, "console"),
        // Limited to some merchants when asked (a test on a shared database must not touch others' rows).
        options.merchantIds ? inArray(outboxMessages.merchantId, options.merchantIds) : undefined,
      ),
    )
    .orderBy(asc(outboxMessages.statusChecks), asc(outboxMessages.sentAt))
    .limit(BATCH);
  const outcome: StatusCheckOutcome = { checked: 0, delivered: 0, failed: 0 };
  // One adapter per sender (a merchant, or the platform), chosen as deliverMessage chose it.
  const adapters = new Map<string, Promise<SmsAdapter | null>>();
  for (const message of rows) {
    const owner = message.kind === "staff" ? null : message.merchantId;
    const key = owner ?? "platform";
    if (!adapters.has(key))
      adapters.set(
        key,
        getSmsAdapter(db, owner).catch(() => null),
      );
    const adapter = await adapters.get(key);
    let report: DeliveryStatus | null = null;
    // A merchant that has since switched provider cannot be asked about the old one's messages.
    if (adapter?.status && adapter.name === message.provider && message.providerMessageId) {
      try {
        report = await adapter.status(message.providerMessageId, message.recipient);
      } catch (err) {
        logger.warn("delivery status check failed", { id: message.id, provider: message.provider, error: describeSendError(err) });
      }
    }
    outcome.checked += 1;
    const result = await recordStatus(db, message, report, adapter?.name === message.provider);
    if (result === "delivered") outcome.delivered += 1;
    if (result === "failed") outcome.failed += 1;
  }
  return outcome;
}

async function recordStatus(db: Db, message: OutboxMessage, report: DeliveryStatus | null, askable: boolean): Promise<DeliveryStatus["status"] | null> {
  const cost =
    report?.costMinor !== undefined ? { costMinor: report.costMinor, currency: message.currency ?? PROVIDER_CURRENCY[message.provider ?? ""] ?? null } : {};
  const base = {
    // Nothing more can be learnt about a message its sender's current provider did not send.
    statusChecks: askable ? sql`${outboxMessages.statusChecks} + 1` : sql`${MAX_STATUS_CHECKS}`,
    updatedAt: new Date(),
    ...cost,
  };
  const update =
    report?.status === "delivered"
      ? { ...base, status: "delivered" as const, deliveredAt: new Date() }
      : report?.status === "failed"
        ? { ...base, status: "failed" as const, error: report.reason ?? "not delivered" }
        : base;
  const pending = await db.transaction(async (tx) => {
    const changed = await tx
      .update(outboxMessages)
      .set(update)
      .where(and(eq(outboxMessages.id, message.id), eq(outboxMessages.status, "sent")))
      .returning({ id: outboxMessages.id });
    // Only the check that moved it records the outcome (two checkers racing record it once).
    if (!changed.length || (report?.status !== "delivered" && report?.status !== "failed")) return new Set<string>();
    return recordMessageOutcome(
      tx,
      message,
      report.status === "delivered" ? { status: "delivered" } : { status: "failed", reason: report.reason ?? "not delivered" },
    );
  });
  await wake(pending);
  return report?.status === "delivered" || report?.status === "failed" ? report.status : null;
}
