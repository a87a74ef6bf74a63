import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards } from "@/db/schema";
import { nextUpdateTag } from "@/db/queries/card-status";
import type { Follower, RecordedEvent } from "@/lib/card-events/types";
import { QUEUES } from "@/lib/jobs/queues";
import { COALESCE_SECONDS, QUEUE_CARDS_SQL, queueWalletUpdates } from "./queue";

/** Changes after which a card's pass looks different, so the wallets holding it must hear of it. */
const PASS_CHANGES = new Set([
  "card.updated",
  "card.holder_changed",
  "card.blocked",
  "card.unblocked",
  "card.deactivated",
  "card.activated",
  "card.moved",
  "card.expiry_changed",
  "template.updated",
  // The ledger's movements change the balance a pass shows (lib/ledger).
  "points.accrued",
  "points.redeemed",
  "points.adjusted",
  "points.reversed",
  "points.expired",
  // A new cumulative-discount level changes the discount and level a pass shows.
  "level.changed",
  // A gift certificate's redemption and expiry change the balance its pass shows.
  "certificate.redeemed",
  "certificate.expired",
] as const);

/**
 * The wallets follow every change that alters a pass: the cards some wallet holds are queued in
 * `wallet_updates` (the drain pushes to Apple and patches Google), in the change's own transaction.
 * A template's new design changes every card of it: their update tags move on (set-based, nothing is
 * read back) and the held ones are queued. Expiry needs nothing: both wallets grey a pass out at its
 * own expiration date.
 */
const cardIdsOf = (events: RecordedEvent[]) => [...new Set(events.flatMap((e) => (e.type !== "template.updated" && e.cardId ? [e.cardId] : [])))];

export const walletFollower: Follower = {
  name: "wallet",
  follows: PASS_CHANGES,
  // Cards' changes (a till's purchase) queue them with the events' insert, in one statement.
  rideAlong: {
    applies: (events) => events.every((e) => e.type !== "template.updated") && cardIdsOf(events).length > 0,
    sql: QUEUE_CARDS_SQL,
    values: (events) => ({ walletSeconds: COALESCE_SECONDS, walletCardIds: JSON.stringify(cardIdsOf(events)) }),
    after: async (_tx, _ctx, _events, rows) => (rows.length ? [QUEUES.walletDrain] : []),
  },
  async follow(tx, ctx, events) {
    let queued = 0;
    const cardIds = cardIdsOf(events);
    if (cardIds.length) queued += await queueWalletUpdates(tx, ctx.merchantId, { cardIds });
    for (const templateId of new Set(
      events.flatMap((e) => (e.type === "template.updated" && typeof e.data?.templateId === "string" ? [e.data.templateId] : [])),
    )) {
      queued += await markTemplateCardsChanged(tx, ctx.merchantId, templateId);
    }
    // Most cards are in no wallet: only queued work needs the drain woken.
    return queued ? [QUEUES.walletDrain] : [];
  },
};

async function markTemplateCardsChanged(tx: Db, merchantId: string, templateId: string): Promise<number> {
  await tx
    .update(cards)
    .set({ updateTag: nextUpdateTag, updatedAt: sql`now()` })
    .where(and(eq(cards.merchantId, merchantId), eq(cards.templateId, templateId)));
  return queueWalletUpdates(tx, merchantId, { templateId });
}
