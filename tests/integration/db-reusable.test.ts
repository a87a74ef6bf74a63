import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db";
import { findCardDetail } from "@/db/queries/cards";
import { reusable } from "@/db/reusable";
import { cards, cardTemplates, cardTemplateVersions, customers } from "@/db/schema";
import { currentVersionOf } from "@/db/queries/templates";
import { createTestCard, createTestMerchant } from "../factories";

/** A query built once (db/reusable) answers exactly as drizzle's builder does, on the pool and in a transaction, for any values. */

const built = (db: Db, merchantId: string, id: string) =>
  db
    .select({ card: cards, customer: customers, template: cardTemplates, definition: cardTemplateVersions.definition })
    .from(cards)
    .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, merchantId)))
    .innerJoin(cardTemplateVersions, currentVersionOf(merchantId))
    .where(and(eq(cards.merchantId, merchantId), eq(cards.id, id)));

describe("reusable queries", () => {
  it("answer as the builder does, for every call's own values, on the pool and in a transaction", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { card: cardA } = await createTestCard(a, { balance: 7 });
    const { card: cardB } = await createTestCard(b, { balance: 9 });
    const db = getDb();

    expect(await findCardDetail(db, a.merchant.id, { id: cardA.id })).toEqual((await built(db, a.merchant.id, cardA.id))[0]);
    expect(await findCardDetail(db, b.merchant.id, { id: cardB.id })).toEqual((await built(db, b.merchant.id, cardB.id))[0]);
    expect((await findCardDetail(db, a.merchant.id, { number: cardA.number }))?.card.id).toBe(cardA.id);
    // Another merchant's card is not found: the merchant is a value of each call, not of the first.
    expect(await findCardDetail(db, a.merchant.id, { id: cardB.id })).toBeUndefined();

    await db
      .transaction(async (tx) => {
        await tx.update(cards).set({ balance: 70 }).where(eq(cards.id, cardA.id));
        // Inside the transaction it sees the transaction's own write.
        expect((await findCardDetail(tx, a.merchant.id, { id: cardA.id }))?.card.balance).toBe(70);
        tx.rollback();
      })
      .catch(() => {});
    expect((await findCardDetail(db, a.merchant.id, { id: cardA.id }))?.card.balance).toBe(7);
  });

  it("runs writes, with and without returning", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m, { balance: 1 });
    const setBalance = reusable((db) =>
      db
        .update(cards)
        .set({ balance: sql`${sql.placeholder("balance")}::int` })
        .where(eq(cards.id, sql.placeholder("id")))
        .returning({ balance: cards.balance }),
    );
    expect(await setBalance(getDb(), { id: card.id, balance: 5 })).toEqual([{ balance: 5 }]);
    expect(await setBalance(getDb(), { id: card.id, balance: 6 })).toEqual([{ balance: 6 }]);
  });
});
