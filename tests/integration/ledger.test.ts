import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, ledgerMovements, ledgerTransactions, walletUpdates } from "@/db/schema";
import { staffActor } from "@/lib/card-events/actor";
import { deleteCard, updateCardValues } from "@/lib/cards";
import { findTransactionByKey, getTransactionOrThrow, listCardTransactions, postTransaction, reverseTransaction } from "@/lib/ledger";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_POINTS_PROGRAM, type PointsProgram } from "@/lib/templates/definition";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice } from "../factories";

type M = Awaited<ReturnType<typeof createTestMerchant>>;

const ctxOf = (m: M) => ({ merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till-1" } });
const balanceOf = async (cardId: string) => (await getDb().select({ balance: cards.balance }).from(cards).where(eq(cards.id, cardId)))[0].balance;
/** The ledger's running total, from the movements alone: the card's balance must always equal it. */
const ledgerTotal = async (cardId: string) =>
  Number(
    (
      await getDb()
        .select({ total: sql<string>`coalesce(sum(${ledgerMovements.points}), 0)` })
        .from(ledgerMovements)
        .where(eq(ledgerMovements.cardId, cardId))
    )[0].total,
  );

async function programmeTemplate(m: M, program: Partial<PointsProgram> = {}) {
  const template = await createTestTemplate(m);
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, {
    name: template.name,
    definition: { ...version.definition, program: { ...DEFAULT_POINTS_PROGRAM, ...program } },
  });
  return template;
}

async function cardWith(balance: number, program?: Partial<PointsProgram>) {
  const m = await createTestMerchant();
  const template = program ? await programmeTemplate(m, program) : undefined;
  const { card } = await createTestCard(m, { template, balance });
  return { m, card, ctx: ctxOf(m) };
}

describe("the balance never goes below zero", () => {
  it("50 parallel redemptions asking for five times the balance spend it exactly once", async () => {
    const { card, ctx } = await cardWith(100);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 10, idempotencyKey: `race-${i}` })),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "insufficient_balance" });
    expect(await balanceOf(card.id)).toBe(0);
    expect(await ledgerTotal(card.id)).toBe(0);
    // Each redemption saw the balance the one before it left: 100, 90, …, 10 → balances after 90 … 0, each once.
    const after = (
      await getDb()
        .select({ b: ledgerTransactions.balanceAfter })
        .from(ledgerTransactions)
        .where(and(eq(ledgerTransactions.cardId, card.id), eq(ledgerTransactions.type, "redeem")))
    ).map((r) => r.b);
    expect(after.sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it("a redemption beyond the balance is refused with the balance", async () => {
    const { card, ctx } = await cardWith(30);
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 31 })).rejects.toMatchObject({
      code: "insufficient_balance",
      data: { balance: 30 },
    });
    expect(await balanceOf(card.id)).toBe(30);
  });
});

describe("idempotency", () => {
  it("the same key and body answers the stored transaction and moves nothing, also a day and more later; another body is a conflict", async () => {
    const { card, ctx } = await cardWith(0);
    const first = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100, receipt: "A-1", idempotencyKey: "k-1" });
    expect(first).toMatchObject({ replayed: false, transaction: { type: "accrue", points: 100, balanceAfter: 100, status: "completed" } });
    const again = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100, receipt: "A-1", idempotencyKey: "k-1" });
    expect(again).toMatchObject({ replayed: true, transaction: { id: first.transaction.id } });
    expect(await balanceOf(card.id)).toBe(100);
    // A till retrying the next morning (and much later) must not accrue twice: the key never expires.
    await getDb()
      .update(ledgerTransactions)
      .set({ createdAt: sql`now() - interval '3 days'` })
      .where(eq(ledgerTransactions.id, first.transaction.id));
    const nextMorning = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100, receipt: "A-1", idempotencyKey: "k-1" });
    expect(nextMorning).toMatchObject({ replayed: true, transaction: { id: first.transaction.id } });
    expect(await balanceOf(card.id)).toBe(100);
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 101, receipt: "A-1", idempotencyKey: "k-1" })).rejects.toMatchObject({
      code: "conflict",
      message: "api.errors.idempotencyMismatch",
    });
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 100, receipt: "A-1", idempotencyKey: "k-1" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await balanceOf(card.id)).toBe(100);
    expect((await findTransactionByKey(getDb(), ctx.merchantId, "k-1"))?.id).toBe(first.transaction.id);
  });

  it("racing requests with one key make one transaction and all answer it", async () => {
    const { card, ctx } = await cardWith(0);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 7, idempotencyKey: "same" })),
    );
    expect(new Set(answers.map((a) => a.transaction.id)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await balanceOf(card.id)).toBe(7);
  });

  it("a racing retry whose rules the first request's points now fail answers the first request, not the rule", async () => {
    // The whole balance redeemed, sent eight times at once with one key: one redemption, eight answers of it.
    const { card, ctx } = await cardWith(100);
    const redeemed = await Promise.all(
      Array.from({ length: 8 }, () => postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 100, idempotencyKey: "all-of-it" })),
    );
    expect(new Set(redeemed.map((a) => a.transaction.id)).size).toBe(1);
    expect(redeemed.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await balanceOf(card.id)).toBe(0);
    // A full reversal sent twice at once: both answer the one reversal, not "already reversed".
    const reversed = await Promise.all(
      Array.from({ length: 4 }, () => reverseTransaction(getDb(), ctx, { transactionId: redeemed[0].transaction.id, idempotencyKey: "undo" })),
    );
    expect(new Set(reversed.map((a) => a.transaction.id)).size).toBe(1);
    expect(await balanceOf(card.id)).toBe(100);
    // Another key is still refused by the rule.
    await expect(reverseTransaction(getDb(), ctx, { transactionId: redeemed[0].transaction.id, idempotencyKey: "undo-2" })).rejects.toMatchObject({
      code: "already_reversed",
    });
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 101, idempotencyKey: "too-much" })).rejects.toMatchObject({
      code: "insufficient_balance",
    });
  });

  it("a reversal's key works the same way, and a replay of the original shows it as it is now", async () => {
    const { card, ctx } = await cardWith(0);
    const accrual = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 50, idempotencyKey: "acc" });
    const rev = await reverseTransaction(getDb(), ctx, { transactionId: accrual.transaction.id, points: 20, idempotencyKey: "rev" });
    const revAgain = await reverseTransaction(getDb(), ctx, { transactionId: accrual.transaction.id, points: 20, idempotencyKey: "rev" });
    expect(revAgain).toMatchObject({ replayed: true, transaction: { id: rev.transaction.id } });
    await expect(reverseTransaction(getDb(), ctx, { transactionId: accrual.transaction.id, points: 21, idempotencyKey: "rev" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await balanceOf(card.id)).toBe(30);
    expect((await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 50, idempotencyKey: "acc" })).transaction).toMatchObject({
      id: accrual.transaction.id,
      status: "completed",
    });
  });
});

describe("reversals", () => {
  it("in part and in full, never beyond the original; a second full reversal is refused", async () => {
    const { card, ctx } = await cardWith(0);
    const { transaction: accrual } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100 });
    const part = await reverseTransaction(getDb(), ctx, { transactionId: accrual.id, points: 30, reason: "wrong receipt" });
    expect(part.transaction).toMatchObject({
      type: "reversal",
      points: -30,
      redeemed: 30,
      shortfall: 0,
      balanceAfter: 70,
      reversesId: accrual.id,
      reason: "wrong receipt",
    });
    await expect(reverseTransaction(getDb(), ctx, { transactionId: accrual.id, points: 71 })).rejects.toMatchObject({
      code: "reverse_exceeds_original",
      data: { left: 70 },
    });
    const rest = await reverseTransaction(getDb(), ctx, { transactionId: accrual.id });
    expect(rest.transaction).toMatchObject({ points: -70, balanceAfter: 0 });
    await expect(reverseTransaction(getDb(), ctx, { transactionId: accrual.id })).rejects.toMatchObject({ code: "already_reversed" });
    await expect(reverseTransaction(getDb(), ctx, { transactionId: rest.transaction.id })).rejects.toMatchObject({
      code: "conflict",
      message: "ledger.errors.notReversible",
    });
  });

  it("reversing a redemption gives the points back", async () => {
    const { card, ctx } = await cardWith(80);
    const { transaction } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 50 });
    expect((await reverseTransaction(getDb(), ctx, { transactionId: transaction.id })).transaction).toMatchObject({
      points: 50,
      accrued: 50,
      balanceAfter: 80,
    });
  });

  it("reversing an accrual whose points were spent takes at most the balance and reports the shortfall", async () => {
    const { card, ctx } = await cardWith(0);
    const { transaction: accrual } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100 });
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 80 });
    const rev = await reverseTransaction(getDb(), ctx, { transactionId: accrual.id });
    expect(rev.transaction).toMatchObject({ points: -20, redeemed: 20, shortfall: 80, balanceAfter: 0 });
    expect(await balanceOf(card.id)).toBe(0);
    // The shortfall counts as reversed: nothing is left to take back later.
    await expect(reverseTransaction(getDb(), ctx, { transactionId: accrual.id, points: 1 })).rejects.toMatchObject({ code: "already_reversed" });
  });

  it("a purchase is reversed by the money refunded: accrued points back and redeemed points returned in proportion, adding up to the original", async () => {
    const { card, ctx } = await cardWith(1000);
    const { transaction: purchase } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 150_000, redeemPoints: 300 });
    // 1,500.00 paid 300.00 with points: 5 % earned on the 1,200.00 paid with money = 60 points.
    expect(purchase).toMatchObject({ type: "purchase", redeemed: 300, accrued: 60, points: -240, balanceAfter: 760, amount: 150_000 });
    const moves = await getDb().select().from(ledgerMovements).where(eq(ledgerMovements.transactionId, purchase.id));
    expect(moves.map((mv) => [mv.points, mv.balanceAfter]).sort((a, b) => a[1] - b[1])).toEqual([
      [-300, 700],
      [60, 760],
    ]);
    await expect(reverseTransaction(getDb(), ctx, { transactionId: purchase.id, points: 10 })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { points: "ledger.errors.reverseBy" },
    });
    const third = await reverseTransaction(getDb(), ctx, { transactionId: purchase.id, amount: 50_000 });
    expect(third.transaction).toMatchObject({ accrued: 100, redeemed: 20, points: 80, balanceAfter: 840, amount: 50_000 });
    await expect(reverseTransaction(getDb(), ctx, { transactionId: purchase.id, amount: 100_001 })).rejects.toMatchObject({
      code: "reverse_exceeds_original",
      data: { left: 100_000 },
    });
    const rest = await reverseTransaction(getDb(), ctx, { transactionId: purchase.id });
    expect(rest.transaction).toMatchObject({ accrued: 200, redeemed: 40, amount: 100_000, balanceAfter: 1000 });
    await expect(reverseTransaction(getDb(), ctx, { transactionId: purchase.id, amount: 1 })).rejects.toMatchObject({ code: "already_reversed" });
    expect(await ledgerTotal(card.id)).toBe(1000);
  });
});

describe("the points programme", () => {
  it("caps a purchase's redemption by the share of the receipt and the minimum balance; a cap is refused with maxPoints", async () => {
    const { card, ctx } = await cardWith(500, { maxSharePercent: 50, minBalanceToRedeem: 100, earnPercent: 10 });
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 40_000, redeemPoints: 201 })).rejects.toMatchObject({
      code: "redeem_limit_exceeded",
      data: { maxPoints: 200 },
    });
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 400_000, redeemPoints: 501 })).rejects.toMatchObject({
      code: "insufficient_balance",
      data: { balance: 500 },
    });
    const ok = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 40_000, redeemPoints: 200 });
    // 400.00 less 200.00 in points; 10 % of 200.00 = 20 points.
    expect(ok.transaction).toMatchObject({ redeemed: 200, accrued: 20, balanceAfter: 320 });
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 250 });
    // 70 left, under the minimum of 100: nothing may be redeemed.
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 10 })).rejects.toMatchObject({
      code: "redeem_limit_exceeded",
      data: { maxPoints: 0 },
    });
  });

  it("earns on the money part rounded down, and a purchase without points earns on the whole receipt", async () => {
    const { card, ctx } = await cardWith(0, { earnPercent: 3, pointValue: 100 });
    // 3 % of 999.99 = 29.9997 → 29 points.
    expect((await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 99_999 })).transaction).toMatchObject({
      accrued: 29,
      redeemed: 0,
      balanceAfter: 29,
    });
  });

  it("gives the welcome bonus on issue, through the ledger", async () => {
    const m = await createTestMerchant();
    const template = await programmeTemplate(m, { welcomeBonus: 50 });
    const { card } = await createTestCard(m, { template, balance: 10 });
    expect(card.balance).toBe(60);
    const { rows } = await listCardTransactions(getDb(), m.merchant.id, card.id, { limit: 10 });
    expect(rows.map((t) => [t.type, t.points, t.reason]).sort()).toEqual([
      ["accrue", 50, "welcome bonus"],
      ["adjust", 10, "opening balance"],
    ]);
    expect(await ledgerTotal(card.id)).toBe(60);
    // The card's one event of its issue tells the opening balance and the bonus; the history has no extra lines for them.
    const events = await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, card.id));
    expect(events.map((e) => [e.type, e.data.balance, e.data.welcomeBonus])).toEqual([["card.issued", 60, 50]]);
  });

  it("refuses blocked and expired cards", async () => {
    const { card, ctx } = await cardWith(100);
    await getDb().update(cards).set({ blockReason: "lost", status: "blocked" }).where(eq(cards.id, card.id));
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 1 })).rejects.toMatchObject({ code: "card_blocked" });
    await getDb()
      .update(cards)
      .set({ blockReason: null, status: "issued", expiresAt: new Date(Date.now() - 1000) })
      .where(eq(cards.id, card.id));
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 1 })).rejects.toMatchObject({ code: "card_expired" });
    expect(await balanceOf(card.id)).toBe(100);
  });
});

describe("balance edits are adjustments", () => {
  it("a new balance from the cabinet or the API is an adjust transaction for the difference", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m, { balance: 40 });
    await updateCardValues(getDb(), m.merchant.id, staffActor(m.owner.id), card.id, { balance: 25 });
    const { rows } = await listCardTransactions(getDb(), m.merchant.id, card.id, { limit: 10 });
    expect(rows[0]).toMatchObject({ type: "adjust", points: -15, balanceAfter: 25, actorType: "staff", actorId: m.owner.id });
    expect(await balanceOf(card.id)).toBe(25);
    expect(await ledgerTotal(card.id)).toBe(25);
  });
});

describe("events", () => {
  it("every transaction goes through the events door, and the wallet follower queues a held card", async () => {
    const { card, ctx } = await cardWith(100);
    await createTestWalletDevice(card);
    await getDb().delete(walletUpdates).where(eq(walletUpdates.cardId, card.id));
    const { transaction: purchase } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 10_000, redeemPoints: 20 });
    await reverseTransaction(getDb(), ctx, { transactionId: purchase.id });
    const events = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), sql`${cardEvents.type} like 'points.%'`));
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType["points.redeemed"]).toMatchObject({ actorType: "api", actorId: "till-1", data: { transactionId: purchase.id, points: 20, balance: 84 } });
    expect(byType["points.accrued"]).toMatchObject({ data: { transactionId: purchase.id, points: 4, balance: 84 } });
    expect(byType["points.reversed"]).toMatchObject({ data: { reverses: purchase.id, points: 16, balance: 100, shortfall: 0 } });
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toHaveLength(1);
  });

  it("a refused transaction leaves no event, movement or wallet update", async () => {
    const { card, ctx } = await cardWith(5);
    await createTestWalletDevice(card);
    await getDb().delete(walletUpdates).where(eq(walletUpdates.cardId, card.id));
    await expect(postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 6 })).rejects.toMatchObject({ code: "insufficient_balance" });
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toHaveLength(0);
    expect(
      await getDb()
        .select()
        .from(cardEvents)
        .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "points.redeemed"))),
    ).toHaveLength(0);
  });
});

describe("tenancy", () => {
  it("another merchant's card and transaction are not found", async () => {
    const a = await cardWith(100);
    const b = await cardWith(100);
    const { transaction } = await postTransaction(getDb(), b.ctx, { cardId: b.card.id, type: "accrue", points: 1 });
    await expect(postTransaction(getDb(), a.ctx, { cardId: b.card.id, type: "accrue", points: 1 })).rejects.toMatchObject({ code: "not_found" });
    await expect(getTransactionOrThrow(getDb(), a.ctx.merchantId, transaction.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(reverseTransaction(getDb(), a.ctx, { transactionId: transaction.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(listCardTransactions(getDb(), a.ctx.merchantId, b.card.id, { limit: 5 })).rejects.toMatchObject({ code: "not_found" });
    await expect(postTransaction(getDb(), a.ctx, { cardId: randomUUID(), type: "accrue", points: 1 })).rejects.toMatchObject({ code: "not_found" });
    // Keys are per merchant: B's key means nothing to A.
    await postTransaction(getDb(), b.ctx, { cardId: b.card.id, type: "accrue", points: 2, idempotencyKey: "shared" });
    expect((await postTransaction(getDb(), a.ctx, { cardId: a.card.id, type: "accrue", points: 2, idempotencyKey: "shared" })).replayed).toBe(false);
    expect(await balanceOf(b.card.id)).toBe(103);
  });
});

describe("a deleted card's ledger", () => {
  it("stays, with what was left written off by an adjust to zero, so the books still add up", async () => {
    const { m, card, ctx } = await cardWith(100);
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 30, idempotencyKey: "before-delete" });
    await deleteCard(getDb(), m.merchant.id, staffActor(m.owner.id), card.id);
    expect(await getDb().select().from(cards).where(eq(cards.id, card.id))).toHaveLength(0);
    const rows = await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.cardId, card.id));
    expect(rows.map((r) => [r.type, r.points, r.balanceAfter, r.reason])).toEqual(
      expect.arrayContaining([
        ["redeem", -30, 70, null],
        ["adjust", -70, 0, "card deleted"],
      ]),
    );
    // The movements still sum to what the card held when it went: nothing.
    expect(await ledgerTotal(card.id)).toBe(0);
    const types = (await getDb().select({ type: cardEvents.type }).from(cardEvents).where(eq(cardEvents.cardId, card.id))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["points.adjusted", "card.deleted"]));
  });

  it("a card with nothing on it is deleted without a write-off; another merchant's card is not found", async () => {
    const { m, card } = await cardWith(0);
    const other = await createTestMerchant();
    await expect(deleteCard(getDb(), other.merchant.id, staffActor(other.owner.id), card.id)).rejects.toMatchObject({ code: "not_found" });
    await deleteCard(getDb(), m.merchant.id, staffActor(m.owner.id), card.id);
    const rows = await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.cardId, card.id));
    expect(rows.filter((r) => r.type === "adjust" && r.reason === "card deleted")).toHaveLength(0);
  });
});
