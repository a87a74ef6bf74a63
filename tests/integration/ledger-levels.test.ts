import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, walletUpdates } from "@/db/schema";
import { postTransaction, reverseTransaction } from "@/lib/ledger";
import { lookupCard } from "@/lib/ledger/lookup";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_DISCOUNT_PROGRAM, type LoyaltyProgram } from "@/lib/templates/definition";
import { toPassCard } from "@/lib/wallet/pass";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice } from "../factories";
import { LEVELS } from "../support/levels";

async function cardOn(program: LoyaltyProgram) {
  const m = await createTestMerchant();
  const template = await createTestTemplate(m);
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, { name: template.name, definition: { ...version.definition, program } });
  const { card } = await createTestCard(m, { template });
  return { m, card, ctx: { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till-1" } } };
}
const cardRow = async (id: string) => (await getDb().select().from(cards).where(eq(cards.id, id)))[0];
const levelEvents = async (cardId: string) =>
  (
    await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, cardId), eq(cardEvents.type, "level.changed")))
  ).map((e) => [e.data.from, e.data.to, e.data.discountPercent]);

describe("cumulative discount levels", () => {
  it("a purchase recomputes the level in its transaction; earning is at the level the customer pays at; a refund may lower it", async () => {
    const { m, card, ctx } = await cardOn(LEVELS);
    expect(card).toMatchObject({ discount: 3, purchaseTotal: 0 });
    await createTestWalletDevice(card);

    const first = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 600_000 });
    // Base earns 1 % of 6,000.00 = 60 points.
    expect(first.transaction.accrued).toBe(60);
    expect(await cardRow(card.id)).toMatchObject({ purchaseTotal: 600_000, discount: 3 });
    expect(await levelEvents(card.id)).toEqual([]);

    await getDb().delete(walletUpdates).where(eq(walletUpdates.cardId, card.id));
    const second = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 500_000 });
    expect(second.transaction.accrued).toBe(50); // still Base while paying
    expect(await cardRow(card.id)).toMatchObject({ purchaseTotal: 1_100_000, discount: 5 });
    expect(await levelEvents(card.id)).toEqual([["Base", "Silver", 5]]);
    // The wallet follower treats it as a pass change.
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toHaveLength(1);

    const third = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 100_000 });
    expect(third.transaction.accrued).toBe(30); // Silver earns 3 %

    const found = await lookupCard(getDb(), m.merchant.id, { code: card.number });
    expect(found.level).toMatchObject({ name: "Silver", discountPercent: 5, earnPercent: 3, nextLevelIn: 5_000_000 - 1_200_000 });
    expect(found.discountPercent).toBe(5);

    // Refunding half of the second purchase: 1,200,000 − 250,000 = 950,000, back to Base.
    await reverseTransaction(getDb(), ctx, { transactionId: second.transaction.id, amount: 250_000 });
    expect(await cardRow(card.id)).toMatchObject({ purchaseTotal: 950_000, discount: 3 });
    expect(await levelEvents(card.id)).toEqual(expect.arrayContaining([["Silver", "Base", 3]]));

    const passCard = toPassCard(await cardRow(card.id), "Anna", {
      kind: "loyalty",
      definition: { ...(await getTemplateOrThrow(getDb(), m.merchant.id, card.templateId)).version.definition },
    });
    expect(passCard).toMatchObject({ level: "Base", nextLevelIn: 50_000, discount: 3 });
  });

  it("a fixed discount programme gives every card its discount", async () => {
    const { m, card } = await cardOn({ ...DEFAULT_DISCOUNT_PROGRAM, discountPercent: 7 });
    expect(card.discount).toBe(7);
    const found = await lookupCard(getDb(), m.merchant.id, { code: card.number });
    expect(found).toMatchObject({ level: null, discountPercent: 7 });
  });
});
