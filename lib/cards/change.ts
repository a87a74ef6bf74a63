import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cardEvents, cards, type Card, type CardEventType } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { NotFoundError } from "@/lib/errors";
import { queueWalletUpdates } from "@/lib/wallet/queue";
import { actorColumns, type CardActor } from "./actor";
import { nextUpdateTag, refreshCardStatus } from "./status";

export type CardSet = Partial<Pick<Card, "balance" | "discount" | "custom" | "expiresAt" | "blockReason" | "templateId" | "customerId">>;

export type CardChange = {
  event: CardEventType;
  data?: Record<string, unknown>;
  actor: CardActor;
};

export async function writeCardEvent(db: Db, merchantId: string, cardId: string, change: Pick<CardChange, "event" | "data" | "actor">): Promise<void> {
  await db.insert(cardEvents).values({ merchantId, cardId, type: change.event, data: change.data ?? {}, ...actorColumns(change.actor) });
}

/**
 * The one way a card changes: its values, a new update tag, its derived status, an event in its
 * history (and the staff audit log), and the wallet update queue — all in the caller's transaction.
 * `walletQueued` says whether a wallet holds the card: then call scheduleWalletDrain() after commit.
 */
export async function changeCard(tx: Db, merchantId: string, cardId: string, set: CardSet, change: CardChange): Promise<{ card: Card; walletQueued: boolean }> {
  const [updated] = await tx
    .update(cards)
    .set({ ...set, updateTag: nextUpdateTag, updatedAt: sql`now()` })
    .where(and(eq(cards.id, cardId), eq(cards.merchantId, merchantId)))
    .returning({ id: cards.id });
  if (!updated) throw new NotFoundError();
  const [card] = await refreshCardStatus(tx, merchantId, [cardId]);
  await writeCardEvent(tx, merchantId, cardId, change);
  if (change.actor.type === "staff") {
    await recordAudit(tx, { merchantId, userId: change.actor.userId }, { action: `card.${change.event}`, entityType: "card", entityId: cardId, after: { number: card.number, ...change.data } });
  }
  const queued = await queueWalletUpdates(tx, merchantId, { cardIds: [cardId] });
  return { card, walletQueued: queued > 0 };
}
