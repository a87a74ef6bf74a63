import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards } from "@/db/schema";
import { countCardsByTemplate } from "@/lib/cards/template-cards";
import { createTemplate, getTemplateOrThrow, restoreTemplateVersion, saveTemplateVersion } from "@/lib/templates";
import { createTestMerchant } from "../factories";

// Cards are inserted as rows here: issuing them through the cabinet and the API comes with the cards work.
async function addCard(merchantId: string, templateId: string, updateTag = 1000) {
  const [card] = await getDb()
    .insert(cards)
    .values({
      merchantId,
      templateId,
      number: randomBytes(5).toString("hex"),
      serialNumber: randomBytes(12).toString("hex"),
      authenticationToken: randomBytes(16).toString("hex"),
      linkToken: randomBytes(16).toString("base64url"),
      updateTag,
    })
    .returning();
  return card;
}

const tags = async (ids: string[]) =>
  new Map((await getDb().select({ id: cards.id, tag: cards.updateTag }).from(cards).where(inArray(cards.id, ids))).map((r) => [r.id, r.tag]));

describe("template changes and their cards", () => {
  it("a saved or restored version marks every card of that template changed, and no other card", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const x = await createTemplate(db, a.actor, { name: "X", kind: "loyalty" });
    const y = await createTemplate(db, a.actor, { name: "Y", kind: "gift" });
    const theirs = await createTemplate(db, b.actor, { name: "B", kind: "loyalty" });
    const [x1, x2, y1, b1] = [
      await addCard(a.merchant.id, x.id),
      await addCard(a.merchant.id, x.id),
      await addCard(a.merchant.id, y.id),
      await addCard(b.merchant.id, theirs.id),
    ];

    const { definition } = (await getTemplateOrThrow(db, a.merchant.id, x.id)).version;
    await saveTemplateVersion(db, a.actor, x.id, { name: "X", definition: { ...definition, design: { ...definition.design, backgroundColor: "#000000" } } });
    const afterSave = await tags([x1.id, x2.id, y1.id, b1.id]);
    expect(afterSave.get(x1.id)).toBeGreaterThan(1000);
    expect(afterSave.get(x2.id)).toBeGreaterThan(1000);
    expect(afterSave.get(y1.id)).toBe(1000);
    expect(afterSave.get(b1.id)).toBe(1000);

    await restoreTemplateVersion(db, a.actor, x.id, 1);
    const afterRestore = await tags([x1.id]);
    expect(afterRestore.get(x1.id)).toBeGreaterThan(afterSave.get(x1.id)!);
  });

  it("counts cards per template for the template list, within the merchant", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const x = await createTemplate(db, a.actor, { name: "X", kind: "coupon" });
    await addCard(a.merchant.id, x.id);
    await addCard(a.merchant.id, x.id);
    expect((await countCardsByTemplate(db, a.merchant.id, [x.id])).get(x.id)).toBe(2);
    expect((await countCardsByTemplate(db, b.merchant.id, [x.id])).get(x.id)).toBeUndefined();
    const [row] = await db.select().from(cards).where(eq(cards.templateId, x.id));
    expect(row.status).toBe("issued");
  });
});
