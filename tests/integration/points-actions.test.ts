import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, ledgerTransactions } from "@/db/schema";
import type { StaffContext } from "@/lib/auth/session";
import { POINTS_PAGE_SIZE, formatPointsCursor, listCardPoints, parsePointsCursor } from "@/lib/cards/points";
import { postTransaction } from "@/lib/ledger";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_POINTS_PROGRAM } from "@/lib/templates/definition";
import { createTestCard, createTestMerchant, createTestStaff, createTestTemplate } from "../factories";

// Actions run as whoever this says; the real guard reads the next-auth cookie.
let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const actions = await import("@/app/(cabinet)/cards/points-actions");

type M = Awaited<ReturnType<typeof createTestMerchant>>;

const form = (values: Record<string, string | number>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, String(v));
  return fd;
};
const as = (m: M, role: StaffContext["role"] = "owner", userId = m.owner.id): StaffContext => ({
  userId,
  merchantId: m.merchant.id,
  role,
  merchant: m.merchant,
  user: { ...m.owner, id: userId, role },
});
const cardOf = async (id: string) => (await getDb().select().from(cards).where(eq(cards.id, id)))[0];
const transactionsOf = (cardId: string) => getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.cardId, cardId));

beforeEach(() => {
  signedIn = null;
});

describe("points actions on the card page", () => {
  it("a cashier accrues and redeems but may neither adjust nor reverse; a manager may", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m);
    const cashier = await createTestStaff(m.actor, "cashier");
    signedIn = as(m, "cashier", cashier.member.id);

    const accrued = await actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "accrue", points: "1 000", receipt: "A-1" }));
    expect(accrued).toMatchObject({ ok: true, data: { points: 1000, balanceAfter: 1000, replayed: false } });
    expect(await actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "redeem", points: 300 }))).toMatchObject({
      ok: true,
      data: { points: -300, balanceAfter: 700 },
    });
    const [accrual] = (await transactionsOf(card.id)).filter((t) => t.type === "accrue");
    expect(accrual).toMatchObject({ receipt: "A-1", actorType: "staff", actorId: cashier.member.id });
    expect(
      await actions.adjustPointsAction(null, form({ id: card.id, key: randomUUID(), expectedTag: (await cardOf(card.id)).updateTag, points: 5, reason: "x" })),
    ).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await actions.reversePointsAction(null, form({ id: accrual.id, key: randomUUID() }))).toMatchObject({ ok: false, code: "forbidden" });
    expect((await cardOf(card.id)).balance).toBe(700);

    const manager = await createTestStaff(m.actor, "manager");
    signedIn = as(m, "manager", manager.member.id);
    expect(await actions.reversePointsAction(null, form({ id: accrual.id, key: randomUUID(), points: 200, reason: "wrong receipt" }))).toMatchObject({
      ok: true,
    });
    expect((await cardOf(card.id)).balance).toBe(500);
    const tag = (await cardOf(card.id)).updateTag;
    expect(
      await actions.adjustPointsAction(null, form({ id: card.id, key: randomUUID(), expectedTag: tag, points: "-50", reason: "goodwill correction" })),
    ).toMatchObject({
      ok: true,
    });
    const after = await cardOf(card.id);
    expect(after.balance).toBe(450);
    const adjust = (await transactionsOf(card.id)).find((t) => t.type === "adjust");
    expect(adjust).toMatchObject({ points: -50, reason: "goodwill correction", actorId: manager.member.id });

    // What the list shows: newest first, who did it, what is left to reverse.
    const { rows } = await listCardPoints(getDb(), m.merchant.id, card.id);
    expect(rows.map((r) => r.transaction.type)).toEqual(["adjust", "reversal", "redeem", "accrue"]);
    expect(rows[3]).toMatchObject({ actorName: "A cashier", reversible: { by: "points", left: 800 } });
    expect(rows[1].reversible).toBeNull();
  });

  it("an adjustment needs a reason and a non-zero number, and never takes the balance below zero", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m, { balance: 40 });
    signedIn = as(m);
    const tag = (await cardOf(card.id)).updateTag;
    expect(await actions.adjustPointsAction(null, form({ id: card.id, key: randomUUID(), expectedTag: tag, points: 10, reason: " " }))).toMatchObject({
      ok: false,
      fieldErrors: { reason: "validation.required" },
    });
    expect(await actions.adjustPointsAction(null, form({ id: card.id, key: randomUUID(), expectedTag: tag, points: 0, reason: "r" }))).toMatchObject({
      ok: false,
      fieldErrors: { points: "points.errors.adjustPoints" },
    });
    expect(await actions.adjustPointsAction(null, form({ id: card.id, key: randomUUID(), expectedTag: tag, points: -41, reason: "r" }))).toMatchObject({
      ok: false,
      code: "insufficient_balance",
      error: "ledger.errors.insufficientBalance",
      params: { balance: 40 },
    });
    expect((await cardOf(card.id)).balance).toBe(40);
  });

  it("a form sent twice (a double click) posts once: accrual, redemption, reversal and adjustment", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m);
    signedIn = as(m);
    const accrue = form({ id: card.id, key: randomUUID(), op: "accrue", points: 100 });
    const [first, second] = await Promise.all([actions.postPointsAction(null, accrue), actions.postPointsAction(null, accrue)]);
    expect([first, second]).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    expect(first.ok && second.ok && first.data!.id === second.data!.id).toBe(true);
    // Sent again later (a retry after a lost answer): still the same transaction.
    expect(await actions.postPointsAction(null, accrue)).toMatchObject({ ok: true, data: { replayed: true } });
    expect((await cardOf(card.id)).balance).toBe(100);

    const redeem = form({ id: card.id, key: randomUUID(), op: "redeem", points: 30 });
    await Promise.all([actions.postPointsAction(null, redeem), actions.postPointsAction(null, redeem)]);
    expect((await cardOf(card.id)).balance).toBe(70);

    const accrual = (await transactionsOf(card.id)).find((t) => t.type === "accrue")!;
    const reverse = form({ id: accrual.id, key: randomUUID(), points: 10 });
    const reversals = await Promise.all([actions.reversePointsAction(null, reverse), actions.reversePointsAction(null, reverse)]);
    expect(reversals.every((r) => r.ok)).toBe(true);
    expect((await cardOf(card.id)).balance).toBe(60);

    // The adjustment's form key makes it once: both answers of a double click show the one adjustment.
    const tag = (await cardOf(card.id)).updateTag;
    const adjust = form({ id: card.id, key: randomUUID(), expectedTag: tag, points: 5, reason: "found receipt" });
    const adjusted = await Promise.all([actions.adjustPointsAction(null, adjust), actions.adjustPointsAction(null, adjust)]);
    expect(adjusted).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    const [one, two] = adjusted.map((r) => (r.ok ? (r.data as { id: string; balanceAfter: number }) : null));
    expect(one!.id).toBe(two!.id);
    expect(one!.balanceAfter).toBe(65);
    // Sent again after it was done (the card's tag has moved since): still the one adjustment, not a conflict.
    expect(await actions.adjustPointsAction(null, adjust)).toMatchObject({ ok: true, data: { id: one!.id, replayed: true } });
    expect((await cardOf(card.id)).balance).toBe(65);
    expect((await transactionsOf(card.id)).map((t) => t.type).sort()).toEqual(["accrue", "adjust", "redeem", "reversal"]);
    const stored = (await transactionsOf(card.id)).find((t) => t.type === "adjust")!;
    expect(stored.idempotencyKey).toBe(`cabinet:${adjust.get("key")}`);
    // A new form drawn before that adjustment (its tag now stale) is refused: the card changed meanwhile.
    expect(await actions.adjustPointsAction(null, form({ id: card.id, key: randomUUID(), expectedTag: tag, points: 5, reason: "again" }))).toMatchObject({
      ok: false,
      code: "conflict",
      error: "points.errors.changedMeanwhile",
    });
    // The same key with another body is a conflict, and moves nothing.
    expect(
      await actions.adjustPointsAction(null, form({ id: card.id, key: adjust.get("key") as string, expectedTag: tag, points: 6, reason: "found receipt" })),
    ).toMatchObject({ ok: false, code: "conflict" });
    expect((await cardOf(card.id)).balance).toBe(65);
  });

  it("tells why a write is refused: the balance when it is too low, what is left when a reversal asks too much", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m, { balance: 25 });
    signedIn = as(m);
    expect(await actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "redeem", points: 26 }))).toMatchObject({
      ok: false,
      code: "insufficient_balance",
      params: { balance: 25 },
      data: { balance: 25 },
    });
    expect(await actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "redeem", points: "abc" }))).toMatchObject({
      ok: false,
      fieldErrors: { points: "points.errors.points" },
    });
    const { transaction } = await postTransaction(
      getDb(),
      { merchantId: m.merchant.id, actor: { type: "api", keyId: "till" } },
      { cardId: card.id, type: "accrue", points: 10 },
    );
    expect(await actions.reversePointsAction(null, form({ id: transaction.id, key: randomUUID(), points: 11 }))).toMatchObject({
      ok: false,
      code: "reverse_exceeds_original",
      params: { left: 10 },
    });
    expect(await actions.reversePointsAction(null, form({ id: transaction.id, key: randomUUID(), amount: "5" }))).toMatchObject({
      ok: false,
      fieldErrors: { amount: "ledger.errors.reverseBy" },
    });
  });

  it("reverses a purchase by the money refunded, typed in roubles", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m);
    const ctx = { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till" } };
    // The default programme: 5 % of the money part, one point per rouble.
    const { transaction } = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 200_000 });
    expect(transaction.accrued).toBe(100);
    signedIn = as(m);
    expect(await actions.reversePointsAction(null, form({ id: transaction.id, key: randomUUID(), amount: "500,50" }))).toMatchObject({ ok: true });
    const reversal = (await transactionsOf(card.id)).find((t) => t.type === "reversal")!;
    expect(reversal).toMatchObject({ amount: 50_050, redeemed: 25 });
    expect(await actions.reversePointsAction(null, form({ id: transaction.id, key: randomUUID(), amount: "1.234" }))).toMatchObject({
      ok: false,
      fieldErrors: { amount: "points.errors.amount" },
    });
  });

  it("another merchant's card and transaction ids are not found, and nothing moves", async () => {
    const a = await createTestMerchant();
    const { card } = await createTestCard(a, { balance: 100 });
    const [{ id: transactionId }] = await getDb()
      .select({ id: ledgerTransactions.id })
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.cardId, card.id), eq(ledgerTransactions.merchantId, a.merchant.id)));
    const b = await createTestMerchant();
    signedIn = as(b);
    const tag = (await cardOf(card.id)).updateTag;
    const results = await Promise.all([
      actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "accrue", points: 5 })),
      actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "redeem", points: 5 })),
      actions.adjustPointsAction(null, form({ id: card.id, key: randomUUID(), expectedTag: tag, points: 5, reason: "r" })),
      actions.reversePointsAction(null, form({ id: transactionId, key: randomUUID() })),
    ]);
    for (const result of results) expect(result).toMatchObject({ ok: false, code: "not_found" });
    await expect(listCardPoints(getDb(), b.merchant.id, card.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await cardOf(card.id)).balance).toBe(100);
    expect(await transactionsOf(card.id)).toHaveLength(1);
  });

  it("pages the list newest first by a cursor the page's address carries", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m);
    const ctx = { merchantId: m.merchant.id, actor: { type: "staff" as const, userId: m.owner.id } };
    for (let i = 1; i <= POINTS_PAGE_SIZE + 3; i++) await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: i });
    const first = await listCardPoints(getDb(), m.merchant.id, card.id);
    expect(first.rows.map((r) => r.transaction.points)).toEqual(Array.from({ length: POINTS_PAGE_SIZE }, (_, i) => POINTS_PAGE_SIZE + 3 - i));
    const cursor = parsePointsCursor(formatPointsCursor(first.next!));
    expect(cursor).toEqual(first.next);
    const second = await listCardPoints(getDb(), m.merchant.id, card.id, cursor);
    expect(second.rows.map((r) => r.transaction.points)).toEqual([3, 2, 1]);
    expect(second.next).toBeNull();
    // Whatever else the address holds is the first page.
    expect(parsePointsCursor("1.2")).toBeUndefined();
    expect(parsePointsCursor("123.x'--")).toBeUndefined();
  });
  it("spending a programme confirms by a code: a cashier is sent to the cashier screen and nothing moves; an owner's is recorded as a skip", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    await saveTemplateVersion(getDb(), m.actor, template.id, {
      name: template.name,
      definition: { ...version.definition, program: { ...DEFAULT_POINTS_PROGRAM, confirm: { mode: "on", above: 0 } } },
    });
    const { card } = await createTestCard(m, { template });
    await postTransaction(getDb(), { merchantId: m.merchant.id, actor: { type: "api", keyId: "k" } }, { cardId: card.id, type: "accrue", points: 500 });
    const cashier = await createTestStaff(m.actor, "cashier");
    signedIn = as(m, "cashier", cashier.member.id);
    expect(await actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "redeem", points: 100 }))).toMatchObject({
      ok: false,
      code: "conflict",
    });
    expect((await cardOf(card.id)).balance).toBe(500);
    // Accruing spends nothing and needs no code.
    expect(await actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "accrue", points: 10 }))).toMatchObject({ ok: true });
    signedIn = as(m, "owner");
    expect(await actions.postPointsAction(null, form({ id: card.id, key: randomUUID(), op: "redeem", points: 100 }))).toMatchObject({
      ok: true,
      data: { balanceAfter: 410 },
    });
    const skips = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "points.confirmation_skipped")));
    expect(skips).toHaveLength(1);
  });
});
