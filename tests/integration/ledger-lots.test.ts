import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, ledgerMovements, ledgerTransactions, walletUpdates } from "@/db/schema";
import { cardExpiring, postTransaction, reverseTransaction } from "@/lib/ledger";
import { expireDueLots } from "@/lib/ledger/expiry";
import { lookupCard } from "@/lib/ledger/lookup";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_POINTS_PROGRAM, type PointsProgram } from "@/lib/templates/definition";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice } from "../factories";

type M = Awaited<ReturnType<typeof createTestMerchant>>;

const ctxOf = (m: M) => ({ merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till-1" } });
const balanceOf = async (cardId: string) => (await getDb().select({ balance: cards.balance }).from(cards).where(eq(cards.id, cardId)))[0].balance;
/** The lots of a transaction's credit, by transaction id. */
const lotOf = async (transactionId: string) =>
  (
    await getDb()
      .select()
      .from(ledgerMovements)
      .where(and(eq(ledgerMovements.transactionId, transactionId), sql`${ledgerMovements.points} > 0`))
  )[0];
const remainingOf = async (transactionId: string) => (await lotOf(transactionId)).remaining;
/** What the lots hold in all: never more than the balance (the rest is points from before lots). */
const lotsTotal = async (cardId: string) =>
  Number(
    (
      await getDb()
        .select({ total: sql<string>`coalesce(sum(${ledgerMovements.remaining}), 0)` })
        .from(ledgerMovements)
        .where(eq(ledgerMovements.cardId, cardId))
    )[0].total,
  );
const setExpiry = (transactionId: string, at: Date | null) =>
  getDb()
    .update(ledgerMovements)
    .set({ expiresAt: at })
    .where(and(eq(ledgerMovements.transactionId, transactionId), sql`${ledgerMovements.points} > 0`));
const DAY = 86_400_000;

async function cardWith(balance: number, program: Partial<PointsProgram> = {}) {
  const m = await createTestMerchant();
  const template = await createTestTemplate(m);
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, {
    name: template.name,
    definition: { ...version.definition, program: { ...DEFAULT_POINTS_PROGRAM, ...program } },
  });
  const { card } = await createTestCard(m, { template, balance });
  return { m, card, ctx: ctxOf(m) };
}

describe("earned points are lots", () => {
  it("a lot expires as the programme says: N days after it was earned, at the merchant's year end, or never", async () => {
    const days = await cardWith(0, { expiry: { kind: "days", days: 30 } });
    const { transaction: t1 } = await postTransaction(getDb(), days.ctx, { cardId: days.card.id, type: "accrue", points: 10 });
    const lot = await lotOf(t1.id);
    expect(lot).toMatchObject({ points: 10, remaining: 10 });
    expect(Math.abs(lot.expiresAt!.getTime() - (t1.createdAt.getTime() + 30 * DAY))).toBeLessThan(1000);

    const yearEnd = await cardWith(0, { expiry: { kind: "yearEnd" } });
    const { transaction: t2 } = await postTransaction(getDb(), yearEnd.ctx, { cardId: yearEnd.card.id, type: "accrue", points: 10 });
    // Merchants default to Europe/Moscow (UTC+3): their 1 January 00:00 is 31 December 21:00 UTC.
    const year = Number(new Intl.DateTimeFormat("en", { timeZone: "Europe/Moscow", year: "numeric" }).format(t2.createdAt));
    expect((await lotOf(t2.id)).expiresAt?.toISOString()).toBe(new Date(Date.UTC(year, 11, 31, 21)).toISOString());

    const never = await cardWith(0);
    const { transaction: t3 } = await postTransaction(getDb(), never.ctx, { cardId: never.card.id, type: "accrue", points: 10 });
    expect(await lotOf(t3.id)).toMatchObject({ remaining: 10, expiresAt: null });
  });

  it("the opening balance and the welcome bonus are lots too", async () => {
    const { card } = await cardWith(40, { welcomeBonus: 10, expiry: { kind: "days", days: 5 } });
    const lots = await getDb().select().from(ledgerMovements).where(eq(ledgerMovements.cardId, card.id));
    expect(lots.map((l) => l.remaining).sort()).toEqual([10, 40]);
    expect(lots.every((l) => l.expiresAt && l.expiresAt.getTime() > Date.now() + 4 * DAY)).toBe(true);
    expect(await lotsTotal(card.id)).toBe(50);
  });
});

describe("spending takes the soonest-expiring lots first", () => {
  it("FIFO by expiry across partial lots, then by earning time; never-expiring points last", async () => {
    const { card, ctx } = await cardWith(0, { expiry: { kind: "days", days: 100 } });
    const accrue = async (points: number) => (await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points })).transaction.id;
    const a = await accrue(100);
    const b = await accrue(50);
    const c = await accrue(30);
    const d = await accrue(20);
    const now = Date.now();
    await setExpiry(a, new Date(now + 10 * DAY));
    await setExpiry(b, new Date(now + 5 * DAY)); // earned later, expires sooner: spent first
    await setExpiry(c, null); // never expires: spent last
    await setExpiry(d, new Date(now + 10 * DAY)); // same date as a, earned later: after a

    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 70 });
    expect([await remainingOf(a), await remainingOf(b), await remainingOf(c), await remainingOf(d)]).toEqual([80, 0, 30, 20]);
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 90 });
    expect([await remainingOf(a), await remainingOf(b), await remainingOf(c), await remainingOf(d)]).toEqual([0, 0, 30, 10]);
    // A purchase pays with old lots, never with the points it earns itself.
    const { transaction: p } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 10_000, redeemPoints: 15 });
    expect(p).toMatchObject({ redeemed: 15, accrued: 4 });
    expect([await remainingOf(d), await remainingOf(c), await remainingOf(p.id)]).toEqual([0, 25, 4]);
    expect(await balanceOf(card.id)).toBe(29);
    expect(await lotsTotal(card.id)).toBe(29);
    expect(await cardExpiring(getDb(), ctx.merchantId, card.id)).toEqual([{ points: 4, at: (await lotOf(p.id)).expiresAt }]);
  });

  it("an adjustment down spends lots like a redemption", async () => {
    const { card, ctx } = await cardWith(0, { expiry: { kind: "days", days: 10 } });
    const { transaction: a } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 60 });
    const { adjustBalanceTo } = await import("@/lib/ledger");
    await getDb().transaction((tx) => adjustBalanceTo(tx, ctx, card.id, 25));
    expect(await remainingOf(a.id)).toBe(25);
    expect(await lotsTotal(card.id)).toBe(25);
  });
});

describe("reversals and lots", () => {
  it("reversing an accrual whose lot was partly spent takes its own lot first, then the soonest-expiring others, then reports the shortfall", async () => {
    const { card, ctx } = await cardWith(0, { expiry: { kind: "days", days: 30 } });
    const { transaction: a } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100 });
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 40 });
    expect(await remainingOf(a.id)).toBe(60);
    const { transaction: b } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 50 });
    // 70 of a's 100: its 60 left, then 10 from b.
    const part = await reverseTransaction(getDb(), ctx, { transactionId: a.id, points: 70 });
    expect(part.transaction).toMatchObject({ points: -70, shortfall: 0, balanceAfter: 40 });
    expect([await remainingOf(a.id), await remainingOf(b.id)]).toEqual([0, 40]);
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 25 });
    // The other 30: only 15 are left on the card.
    const rest = await reverseTransaction(getDb(), ctx, { transactionId: a.id });
    expect(rest.transaction).toMatchObject({ points: -15, redeemed: 15, shortfall: 15, balanceAfter: 0 });
    expect(await lotsTotal(card.id)).toBe(0);
  });

  it("reversing a redemption gives the points back as a lot dated from the redemption; a purchase's refund takes its own accrual first", async () => {
    const { card, ctx } = await cardWith(0, { expiry: { kind: "days", days: 30 }, earnPercent: 10 });
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100 });
    const { transaction: r } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 40 });
    await getDb()
      .update(ledgerTransactions)
      .set({ createdAt: sql`now() - interval '10 days'` })
      .where(eq(ledgerTransactions.id, r.id));
    const { transaction: back } = await reverseTransaction(getDb(), ctx, { transactionId: r.id });
    const lot = await lotOf(back.id);
    expect(lot.remaining).toBe(40);
    expect(Math.abs(lot.expiresAt!.getTime() - (Date.now() + 20 * DAY))).toBeLessThan(5000);

    const { transaction: p } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 50_000 });
    expect(p.accrued).toBe(50);
    await reverseTransaction(getDb(), ctx, { transactionId: p.id, amount: 20_000 });
    expect(await remainingOf(p.id)).toBe(30);
    expect(await lotsTotal(card.id)).toBe(await balanceOf(card.id));
  });
});

describe("the daily expiry job", () => {
  it("writes an expire transaction for what is left of each lot past its date, once, with points.expired and a pass update", async () => {
    const { card, ctx } = await cardWith(0, { expiry: { kind: "days", days: 30 } });
    await createTestWalletDevice(card);
    const { transaction: a } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100 });
    const { transaction: b } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 50 });
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 30 });
    await getDb().delete(walletUpdates).where(eq(walletUpdates.cardId, card.id));
    await setExpiry(a.id, new Date(Date.now() - 1000));

    // Nothing else of this card is due; other test files' cards may be, so only this card's rows are checked.
    await expireDueLots(getDb());
    const expired = await getDb()
      .select()
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.cardId, card.id), eq(ledgerTransactions.type, "expire")));
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ points: -70, redeemed: 70, balanceAfter: 50, actorType: "system" });
    expect(await remainingOf(a.id)).toBe(0);
    expect(await remainingOf(b.id)).toBe(50);
    const [event] = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "points.expired")));
    expect(event.data).toMatchObject({ transactionId: expired[0].id, points: -70, balance: 50, lotId: (await lotOf(a.id)).id });
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toHaveLength(1);

    // Run again (a retry, tomorrow's run): nothing more.
    await expireDueLots(getDb());
    const again = await getDb()
      .select()
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.cardId, card.id), eq(ledgerTransactions.type, "expire")));
    expect(again).toHaveLength(1);
    expect(await balanceOf(card.id)).toBe(50);
  });

  it("works in short batches, never takes the balance below zero, and a fully spent lot writes nothing", async () => {
    const { card, ctx } = await cardWith(0, { expiry: { kind: "days", days: 30 } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 10 })).transaction.id);
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 10 }); // the first lot is spent
    for (const id of ids) await setExpiry(id, new Date(Date.now() - 60_000));
    // A balance short of the lots (as if points had gone some other way): the expiry stops at zero.
    await getDb().update(cards).set({ balance: 5 }).where(eq(cards.id, card.id));

    const first = await expireDueLots(getDb(), { size: 1 });
    expect(first.more).toBe(true);
    for (let i = 0; i < 20 && (await expireDueLots(getDb(), { size: 1 })).more; i++);
    const expired = await getDb()
      .select()
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.cardId, card.id), eq(ledgerTransactions.type, "expire")))
      .orderBy(asc(ledgerTransactions.createdAt));
    expect(expired.map((t) => t.points)).toEqual([-5]);
    expect(await balanceOf(card.id)).toBe(0);
    expect(await lotsTotal(card.id)).toBe(0);
  });
});

describe("what expires when", () => {
  it("the till's lookup and the service tell the next expiries, soonest first", async () => {
    const { m, card, ctx } = await cardWith(0, { expiry: { kind: "days", days: 30 } });
    const { transaction: a } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 100 });
    const { transaction: b } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 40 });
    const soon = new Date(Date.now() + 2 * DAY);
    await setExpiry(b.id, soon);
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 30 });
    const found = await lookupCard(getDb(), m.merchant.id, { code: card.number });
    expect(found.expiring).toEqual([
      { points: 10, at: soon },
      { points: 100, at: (await lotOf(a.id)).expiresAt },
    ]);
    const other = await createTestMerchant();
    await expect(cardExpiring(getDb(), other.merchant.id, card.id)).rejects.toMatchObject({ code: "not_found" });
  });
});
