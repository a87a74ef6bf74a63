import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, type Card } from "@/db/schema";
import { nextUpdateTag, refreshCardStatus } from "@/db/queries/card-status";
import { recordAudit } from "@/lib/audit";
import { record, type EventName, type Wake } from "@/lib/card-events";
import { NotFoundError } from "@/lib/errors";
import type { CardActor } from "./actor";

/** What a change may set; never `balance`, which only the ledger writes (lib/ledger). */
export type CardSet = Partial<Pick<Card, "discount" | "custom" | "expiresAt" | "blockReason" | "templateId" | "customerId">>;

export type CardChange = {
  event: EventName;
  data?: Record<string, unknown>;
  actor: CardActor;
};

/**
 * The one way a card changes: its values, a new update tag, its derived status, the event (through
 * the events door, whose followers queue the wallet update) and the staff audit entry — all in the
 * caller's transaction. Returns the jobs to wake after commit.
 */
export async function changeCard(tx: Db, merchantId: string, cardId: string, set: CardSet, change: CardChange): Promise<{ card: Card; wake: Wake }> {
  const [updated] = await tx
    .update(cards)
    .set({ ...set, updateTag: nextUpdateTag, updatedAt: sql`now()` })
    .where(and(eq(cards.id, cardId), eq(cards.merchantId, merchantId)))
    .returning({ id: cards.id });
  if (!updated) throw new NotFoundError();
  const [card] = await refreshCardStatus(tx, merchantId, [cardId]);
  const wake = await record(tx, { merchantId, actor: change.actor }, [{ type: change.event, cardId, data: change.data }]);
  if (change.actor.type === "staff") {
    await recordAudit(
      tx,
      { merchantId, userId: change.actor.userId },
      { action: change.event, entityType: "card", entityId: cardId, after: { number: card.number, ...change.data } },
    );
  }
  return { card, wake };
}
