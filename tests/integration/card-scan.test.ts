import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards } from "@/db/schema";
import { findCardByScan, tillCode } from "@/lib/cards/scan";
import { createTemplate, getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import type { TemplateDefinition } from "@/lib/templates/definition";
import { createTestMerchant } from "../factories";

type M = Awaited<ReturnType<typeof createTestMerchant>>;

async function templateCarrying(m: M, source: TemplateDefinition["barcode"]["source"]) {
  const db = getDb();
  const template = await createTemplate(db, m.actor, { name: `T ${source}`, kind: "loyalty" });
  const { definition } = (await getTemplateOrThrow(db, m.merchant.id, template.id)).version;
  await saveTemplateVersion(db, m.actor, template.id, { name: template.name, definition: { ...definition, barcode: { ...definition.barcode, source } } });
  return template;
}

async function addCard(merchantId: string, templateId: string, number = randomBytes(5).toString("hex").toUpperCase()) {
  const [card] = await getDb()
    .insert(cards)
    .values({
      merchantId,
      templateId,
      number,
      serialNumber: randomBytes(12).toString("base64url"),
      authenticationToken: randomBytes(16).toString("hex"),
      linkToken: randomBytes(16).toString("base64url"),
    })
    .returning();
  return card;
}

describe("tillCode", () => {
  it("is the number or the serial number, as the template's barcode says", () => {
    const card = { number: "2026004277", serialNumber: "s3r1al" };
    expect(tillCode(card, { barcode: { source: "cardNumber" } })).toBe("2026004277");
    expect(tillCode(card, { barcode: { source: "serialNumber" } })).toBe("s3r1al");
  });
});

describe("findCardByScan", () => {
  it("finds a card by what its barcode carries, trimming what the scanner adds, and is the inverse of tillCode", async () => {
    const m = await createTestMerchant();
    const byNumber = await templateCarrying(m, "cardNumber");
    const bySerial = await templateCarrying(m, "serialNumber");
    const a = await addCard(m.merchant.id, byNumber.id);
    const b = await addCard(m.merchant.id, bySerial.id);

    const foundA = await findCardByScan(getDb(), m.merchant.id, `  ${a.number}\r\n`);
    expect(foundA?.card.id).toBe(a.id);
    expect(tillCode(foundA!.card, foundA!.definition)).toBe(a.number);
    const foundB = await findCardByScan(getDb(), m.merchant.id, b.serialNumber);
    expect(foundB?.card.id).toBe(b.id);
    expect(tillCode(foundB!.card, foundB!.definition)).toBe(b.serialNumber);
  });

  it("does not take the value the template's barcode does not carry", async () => {
    const m = await createTestMerchant();
    const a = await addCard(m.merchant.id, (await templateCarrying(m, "cardNumber")).id);
    const b = await addCard(m.merchant.id, (await templateCarrying(m, "serialNumber")).id);
    expect(await findCardByScan(getDb(), m.merchant.id, a.serialNumber)).toBeNull();
    expect(await findCardByScan(getDb(), m.merchant.id, b.number)).toBeNull();
  });

  it("follows the template when its barcode source changes", async () => {
    const m = await createTestMerchant();
    const template = await templateCarrying(m, "cardNumber");
    const card = await addCard(m.merchant.id, template.id);
    expect((await findCardByScan(getDb(), m.merchant.id, card.number))?.card.id).toBe(card.id);
    const { definition } = (await getTemplateOrThrow(getDb(), m.merchant.id, template.id)).version;
    await saveTemplateVersion(getDb(), m.actor, template.id, {
      name: template.name,
      definition: { ...definition, barcode: { ...definition.barcode, source: "serialNumber" } },
    });
    expect(await findCardByScan(getDb(), m.merchant.id, card.number)).toBeNull();
    expect((await findCardByScan(getDb(), m.merchant.id, card.serialNumber))?.card.id).toBe(card.id);
  });

  it("never finds another merchant's card, even with the same number", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const theirs = await addCard(a.merchant.id, (await templateCarrying(a, "cardNumber")).id, "SHARED42");
    const theirSerial = await addCard(a.merchant.id, (await templateCarrying(a, "serialNumber")).id);
    expect(await findCardByScan(getDb(), b.merchant.id, theirs.number)).toBeNull();
    expect(await findCardByScan(getDb(), b.merchant.id, theirSerial.serialNumber)).toBeNull();
    // B's own card with the same number is B's, and only B's.
    const mine = await addCard(b.merchant.id, (await templateCarrying(b, "cardNumber")).id, "SHARED42");
    expect((await findCardByScan(getDb(), b.merchant.id, "SHARED42"))?.card.id).toBe(mine.id);
    expect((await findCardByScan(getDb(), a.merchant.id, "SHARED42"))?.card.id).toBe(theirs.id);
  });

  it("finds nothing for empty, blank or overlong input", async () => {
    const m = await createTestMerchant();
    for (const scanned of ["", "   ", "\n", "9".repeat(500)]) expect(await findCardByScan(getDb(), m.merchant.id, scanned)).toBeNull();
  });
});
