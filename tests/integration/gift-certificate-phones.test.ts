import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards, certificateCodes, outboxMessages } from "@/db/schema";
import { getCardImportOrThrow, runCardImport, startCardImport } from "@/lib/cards/import";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { previewPhoneImport } from "@/lib/gift-certificates/phone-import";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { deliverMessage } from "@/lib/outbox";
import { createTestMerchant, uniquePhone } from "../factories";

const db = () => getDb();
const text = (en: string) => ({ en, ru: en });
const bytes = (s: string) => new TextEncoder().encode(s);

async function setup(codes: number) {
  const m = await createTestMerchant();
  const definition = await createDefinition(db(), m.actor, {
    name: "Gift 1000",
    valueKind: "money",
    nominal: 100_000,
    presentation: text("Show it"),
    terms: text("Terms"),
    validity: { mode: "days", days: 30 },
  });
  if (codes) await generatePoolCodes(db(), m.actor, definition.id, { count: codes, length: 8 });
  return { m, definition };
}

describe("phone lists", () => {
  it("previews with per-line errors, issues one certificate per valid phone with an SMS each, and refuses the same file again", async () => {
    const { m, definition } = await setup(5);
    const [a, b, c] = [uniquePhone(), uniquePhone(), uniquePhone()];
    const csv = `phone;name;amount;message\n${a};Anna;;Happy birthday\nnot a phone;Bob;;\n${b};Boris;500;\n${c};;;`;
    const { importId } = await previewPhoneImport(db(), m.actor, { definitionId: definition.id, fileName: "list.csv", bytes: bytes(csv) });
    const preview = await getCardImportOrThrow(db(), m.merchant.id, importId);
    expect(preview).toMatchObject({ status: "preview", total: 4, valid: 3, errorCount: 1, certificateDefinitionId: definition.id });
    expect(preview.errors[0]).toMatchObject({ line: 3 });
    // Nothing issued before the merchant confirms.
    expect(await db().select().from(cards).where(eq(cards.merchantId, m.merchant.id))).toHaveLength(0);

    await startCardImport(db(), m.actor, importId);
    await runCardImport(db(), importId);
    expect(await getCardImportOrThrow(db(), m.merchant.id, importId)).toMatchObject({ status: "done", issued: 3 });
    const issued = await db()
      .select({ card: cards, code: certificateCodes })
      .from(certificateCodes)
      .innerJoin(cards, eq(cards.id, certificateCodes.cardId))
      .where(eq(certificateCodes.definitionId, definition.id));
    expect(issued.map((r) => r.card.balance).sort((x, y) => x - y)).toEqual([50_000, 100_000, 100_000]);
    expect(issued.find((r) => r.code.message === "Happy birthday")).toBeTruthy();
    expect(new Set(issued.map((r) => r.code.code)).size).toBe(3);

    const sms = await db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.merchantId, m.merchant.id), eq(outboxMessages.channel, "sms")));
    expect(sms.map((s) => s.recipient).sort()).toEqual([a, b, c].sort());
    const toAnna = sms.find((s) => s.recipient === a)!;
    expect(toAnna.body).toContain("/c/");
    expect(toAnna.body).toMatch(/1[\s\u00a0,.]?000/);
    const sent = await deliverMessage(toAnna.id);
    expect(sent?.status).toBe("sent");

    // The same file for the same definition: refused, naming when; nothing written.
    await expect(previewPhoneImport(db(), m.actor, { definitionId: definition.id, fileName: "again.csv", bytes: bytes(csv) })).rejects.toMatchObject({
      message: "giftCertificates.errors.alreadyImported",
    });
    // The same phone in another list on purpose: a second certificate.
    const { importId: second } = await previewPhoneImport(db(), m.actor, { definitionId: definition.id, fileName: "more.csv", bytes: bytes(`phone\n${a}\n`) });
    await startCardImport(db(), m.actor, second);
    await runCardImport(db(), second);
    expect(await getCardImportOrThrow(db(), m.merchant.id, second)).toMatchObject({ status: "done", issued: 1 });
  });

  it("refuses a list with more phones than free codes, saying how many are missing, writing nothing", async () => {
    const { m, definition } = await setup(1);
    const csv = `phone\n${uniquePhone()}\n${uniquePhone()}\n${uniquePhone()}\n`;
    await expect(previewPhoneImport(db(), m.actor, { definitionId: definition.id, fileName: "x.csv", bytes: bytes(csv) })).rejects.toMatchObject({
      code: "no_free_codes",
      data: { missing: 2 },
    });
    const { cardImports } = await import("@/db/schema");
    expect(await db().select().from(cardImports).where(eq(cardImports.merchantId, m.merchant.id))).toHaveLength(0);
  });

  it("another merchant cannot upload a list to the definition", async () => {
    const { definition } = await setup(1);
    const b = await createTestMerchant();
    await expect(
      previewPhoneImport(db(), b.actor, { definitionId: definition.id, fileName: "x.csv", bytes: bytes(`phone\n${uniquePhone()}\n`) }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("runs in lanes side by side (and two jobs at once): every phone gets exactly one certificate and one SMS, and the import ends done with its counts", async () => {
    const { m, definition } = await setup(300);
    const phones = Array.from({ length: 240 }, () => uniquePhone());
    const csv = `phone\n${phones.join("\n")}`;
    const { importId } = await previewPhoneImport(db(), m.actor, { definitionId: definition.id, fileName: "lanes.csv", bytes: bytes(csv) });
    await startCardImport(db(), m.actor, importId);
    // Batches of 20: two lanes each in two runs racing, as a retried job beside the first would.
    await Promise.all([runCardImport(db(), importId, 20), runCardImport(db(), importId, 20)]);
    expect(await getCardImportOrThrow(db(), m.merchant.id, importId)).toMatchObject({ status: "done", processed: 240, issued: 240 });
    const issued = await db()
      .select({ phone: cards.customerId, code: certificateCodes.code })
      .from(certificateCodes)
      .innerJoin(cards, eq(cards.id, certificateCodes.cardId))
      .where(eq(certificateCodes.definitionId, definition.id));
    expect(issued).toHaveLength(240);
    expect(new Set(issued.map((r) => r.phone)).size).toBe(240);
    expect(new Set(issued.map((r) => r.code)).size).toBe(240);
    const sms = await db()
      .select({ recipient: outboxMessages.recipient })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.merchantId, m.merchant.id), eq(outboxMessages.channel, "sms")));
    expect(sms.map((s) => s.recipient).sort()).toEqual([...phones].sort());
  });
});
