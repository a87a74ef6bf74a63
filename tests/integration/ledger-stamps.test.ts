import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, walletUpdates } from "@/db/schema";
import { postTransaction, reverseTransaction } from "@/lib/ledger";
import { lookupCard } from "@/lib/ledger/lookup";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import type { StampsSettings } from "@/lib/templates/definition";
import { loadCardForPass, toPassCard } from "@/lib/wallet/pass";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice } from "../factories";

/** Stamp cards on the ledger (lib/ledger/stamps): the unit is the stamp; every `goal` stamps held is a reward. */

async function stampCard(stamps: StampsSettings, balance?: number) {
  const m = await createTestMerchant();
  const template = await createTestTemplate(m, { kind: "stamp" });
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, { name: template.name, definition: { ...version.definition, stamps } });
  const { card } = await createTestCard(m, { template, balance });
  return { m, card, ctx: { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till-1" } } };
}
const balanceOf = async (id: string) => (await getDb().select().from(cards).where(eq(cards.id, id)))[0].balance;
const eventsOf = async (cardId: string) =>
  (await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, cardId)))
    .filter((e) => e.type.startsWith("points."))
    .map((e) => [e.type, e.data.points]);

describe("stamp cards", () => {
  it("a visit is a stamp; the goal makes a reward and the row starts again; a reward is redeemed like points", async () => {
    const { m, card, ctx } = await stampCard({ goal: 3 });
    await createTestWalletDevice(card);
    for (let i = 0; i < 2; i++) {
      const visit = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 100 });
      expect(visit.transaction).toMatchObject({ type: "purchase", accrued: 1, redeemed: 0, points: 1, balanceAfter: i + 1 });
    }
    expect((await lookupCard(getDb(), m.merchant.id, { code: card.number })).stamps).toEqual({ collected: 2, goal: 3, rewards: 0 });

    // The third stamp fills the row: one reward, the row empty again.
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 100 });
    let found = await lookupCard(getDb(), m.merchant.id, { code: card.number });
    expect(found.stamps).toEqual({ collected: 0, goal: 3, rewards: 1 });
    expect(found.maxPoints).toBe(3);
    // `accrue` adds stamps: 4 more make a second reward and one in the row.
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 4 });
    found = await lookupCard(getDb(), m.merchant.id, { code: card.number });
    expect(found.stamps).toEqual({ collected: 1, goal: 3, rewards: 2 });
    expect(found.maxPoints).toBe(6);

    // The pass shows the row and the rewards; the wallet follower queued the pass update.
    const pass = toPassCard((await loadCardForPass(getDb(), m.merchant.id, card.id)).card, "", {
      kind: "stamp",
      definition: (await loadCardForPass(getDb(), m.merchant.id, card.id)).definition,
    });
    expect(pass).toMatchObject({ stamps: 1, rewards: 2, balance: 7 });
    expect((await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).length).toBeGreaterThan(0);

    // Redeeming one reward spends its three stamps; the row is kept.
    const reward = await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 3 });
    expect(reward.transaction).toMatchObject({ type: "redeem", redeemed: 3, balanceAfter: 4 });
    expect((await lookupCard(getDb(), m.merchant.id, { code: card.number })).stamps).toEqual({ collected: 1, goal: 3, rewards: 1 });
    expect(await eventsOf(card.id)).toEqual([
      ["points.accrued", 1],
      ["points.accrued", 1],
      ["points.accrued", 1],
      ["points.accrued", 4],
      ["points.redeemed", 3],
    ]);
  });

  it("refuses part of a reward and more rewards than are held, and moves nothing", async () => {
    const { card, ctx } = await stampCard({ goal: 5 }, 7);
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 3 })).rejects.toMatchObject({
      code: "validation",
      message: "ledger.errors.stampRedeem",
      data: { goal: 5 },
    });
    // 7 stamps hold one reward, not two.
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 10 })).rejects.toMatchObject({
      code: "insufficient_balance",
      data: { balance: 7 },
    });
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 100, redeemPoints: 2 })).rejects.toMatchObject({
      message: "ledger.errors.stampRedeem",
    });
    expect(await balanceOf(card.id)).toBe(7);
    // A purchase that takes the reward and earns the visit's stamp, in one transaction.
    const both = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 100, redeemPoints: 5 });
    expect(both.transaction).toMatchObject({ redeemed: 5, accrued: 1, points: -4, balanceAfter: 3 });
  });

  it("per purchase from an amount: only receipts reaching it earn a stamp", async () => {
    const { card, ctx } = await stampCard({ goal: 10, per: "purchase", minAmount: 50_000 });
    const small = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 49_999 });
    expect(small.transaction).toMatchObject({ accrued: 0, points: 0, balanceAfter: 0 });
    const enough = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 50_000 });
    expect(enough.transaction).toMatchObject({ accrued: 1, balanceAfter: 1 });
  });

  it("a refunded purchase takes its stamp back (in full; a part refund keeps it, in the customer's favour), or reports the shortfall once the reward was taken", async () => {
    const { card, ctx } = await stampCard({ goal: 2 });
    const first = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 10_000, receipt: "S-1" });
    const part = await reverseTransaction(getDb(), ctx, { transactionId: first.transaction.id, amount: 4_000 });
    expect(part.transaction).toMatchObject({ type: "reversal", redeemed: 0, points: 0, balanceAfter: 1 });
    const rest = await reverseTransaction(getDb(), ctx, { transactionId: first.transaction.id });
    expect(rest.transaction).toMatchObject({ redeemed: 1, points: -1, balanceAfter: 0, shortfall: 0, amount: 6_000 });
    await expect(reverseTransaction(getDb(), ctx, { transactionId: first.transaction.id })).rejects.toMatchObject({ code: "already_reversed" });

    // Two visits make a reward, which is taken; refunding the second visit then finds no stamp to take back.
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 10_000 });
    const second = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 10_000 });
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 2 });
    const late = await reverseTransaction(getDb(), ctx, { transactionId: second.transaction.id });
    expect(late.transaction).toMatchObject({ redeemed: 0, shortfall: 1, balanceAfter: 0 });

    // Reversing a reward's redemption gives its stamps back: the reward is ready again.
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 2 });
    const taken = await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 2 });
    const undo = await reverseTransaction(getDb(), ctx, { transactionId: taken.transaction.id });
    expect(undo.transaction).toMatchObject({ accrued: 2, balanceAfter: 2 });
    const reversals = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "points.reversed")));
    expect(reversals).toHaveLength(4);
  });

  it("replays a stamp under the same idempotency key once, and refuses the key with another body", async () => {
    const { card, ctx } = await stampCard({ goal: 10 });
    const first = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 500, idempotencyKey: "visit-1" });
    const again = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 500, idempotencyKey: "visit-1" });
    expect(again).toMatchObject({ replayed: true, transaction: { id: first.transaction.id } });
    expect(await balanceOf(card.id)).toBe(1);
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 900, idempotencyKey: "visit-1" })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("a loyalty card is not a stamp card: lookup has no stamps, and redemptions are points", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m, { balance: 7 });
    const found = await lookupCard(getDb(), m.merchant.id, { code: card.number });
    expect(found.stamps).toBeNull();
    const ctx = { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till-1" } };
    expect((await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 3 })).transaction.balanceAfter).toBe(4);
  });
});
