import "server-only";
import type { Db } from "@/db";
import type { OutboxMessage } from "@/db/schema";
import { record, type Wake } from "@/lib/card-events";

/**
 * Messages to the merchant's customers (a card's link today; certificates and news as they land)
 * whose fate is known: `message.delivered` when the provider confirms delivery, `message.failed` when
 * it gives up or reports the message undelivered — through the events door, in the transaction that
 * records the outcome, so webhooks and the events feed learn it exactly once. Sign-in codes, tests
 * and staff mail are not the merchant's customers' messages and record nothing.
 */
const CUSTOMER_KINDS = new Set(["card", "certificate", "news", "push"]);

export async function recordMessageOutcome(
  tx: Db,
  message: Pick<OutboxMessage, "id" | "merchantId" | "kind" | "channel" | "cardId">,
  outcome: { status: "delivered" } | { status: "failed"; reason: string },
): Promise<Wake> {
  if (!message.merchantId || !CUSTOMER_KINDS.has(message.kind)) return new Set();
  return record(tx, { merchantId: message.merchantId, actor: { type: "system" } }, [
    {
      type: outcome.status === "delivered" ? "message.delivered" : "message.failed",
      cardId: message.cardId,
      data: {
        messageId: message.id,
        channel: message.channel,
        ...(message.cardId && { cardId: message.cardId }),
        ...(outcome.status === "failed" && { reason: outcome.reason.slice(0, 500) }),
      },
    },
  ]);
}
