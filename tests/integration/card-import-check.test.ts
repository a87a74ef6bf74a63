import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardImportRows, cardImports, cards } from "@/db/schema";
import { issueCard } from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { parseCardsCsv } from "@/lib/cards/csv";
import { getCardImportOrThrow, IMPORT_ROWS_PAGE_SIZE, listCardImportRows, previewCardImport, runCardImport } from "@/lib/cards/import";
import { DECODE_CHUNK, decodeCsv, previewUploadedImport } from "@/lib/cards/import-upload";
import { createTemplate } from "@/lib/templates";
import { issueCardSchema } from "@/lib/validations/cards";
import { createTestMerchant, uniquePhone } from "../factories";

async function setUp() {
  const m = await createTestMerchant();
  const template = await createTemplate(getDb(), m.actor, { name: "Import check", kind: "loyalty" });
  return { m, template };
}
const queue = (id: string) => getDb().update(cardImports).set({ status: "queued" }).where(eq(cardImports.id, id));

describe("checking a CSV before anything is issued", () => {
  it("counts a phone that already holds a card of the template at check time, lists it as skipped, and the run issues the rest without counting it twice", async () => {
    const { m, template } = await setUp();
    const [held, a, b, c] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    await issueCard(getDb(), m.merchant.id, staffActor(m.owner.id), issueCardSchema("RU").parse({ templateId: template.id, customer: { phone: held } }));
    const text = ["phone;name", `${a};Anna`, `${held};Has one`, `${b};Boris`, `${a};Anna again`, `${c};Clara`].join("\n");

    const outcome = await previewCardImport(getDb(), m.actor, { templateId: template.id, fileName: "c.csv", text, skipExisting: true });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.fileErrors));
    // 4 valid rows: 3 to issue and 1 to skip, known now; the repeated phone is an error of its line.
    expect(await getCardImportOrThrow(getDb(), m.merchant.id, outcome.importId)).toMatchObject({ total: 5, valid: 4, skipped: 1, errorCount: 1, processed: 0 });
    const listed = await listCardImportRows(getDb(), m.merchant.id, outcome.importId);
    expect(listed.map((r) => [r.line, r.data.phone, r.data.held ?? false])).toEqual([
      [2, a, false],
      [3, held, true],
      [4, b, false],
      [6, c, false],
    ]);

    await queue(outcome.importId);
    await runCardImport(getDb(), outcome.importId);
    expect(await getCardImportOrThrow(getDb(), m.merchant.id, outcome.importId)).toMatchObject({
      status: "done",
      processed: 4,
      issued: 3,
      skipped: 1,
      errorCount: 1,
    });
    const [{ n }] = await getDb().select({ n: count() }).from(cards).where(eq(cards.templateId, template.id));
    expect(n).toBe(4);
  });

  it("counts a phone that gained a card after the check as skipped then, and one checked as held that lost it meanwhile as issued", async () => {
    const { m, template } = await setUp();
    const [held, late] = [uniquePhone(), uniquePhone()];
    const first = await issueCard(
      getDb(),
      m.merchant.id,
      staffActor(m.owner.id),
      issueCardSchema("RU").parse({ templateId: template.id, customer: { phone: held } }),
    );
    const outcome = await previewCardImport(getDb(), m.actor, {
      templateId: template.id,
      fileName: "c.csv",
      text: `phone\n${held}\n${late}\n`,
      skipExisting: true,
    });
    if (!outcome.ok) throw new Error("refused");
    expect(await getCardImportOrThrow(getDb(), m.merchant.id, outcome.importId)).toMatchObject({ valid: 2, skipped: 1 });
    await getDb().delete(cards).where(eq(cards.id, first.id));
    await issueCard(getDb(), m.merchant.id, staffActor(m.owner.id), issueCardSchema("RU").parse({ templateId: template.id, customer: { phone: late } }));
    await queue(outcome.importId);
    await runCardImport(getDb(), outcome.importId);
    expect(await getCardImportOrThrow(getDb(), m.merchant.id, outcome.importId)).toMatchObject({ status: "done", issued: 1, skipped: 1 });
  });

  it("stores a file of several batches with each row's line, lists it a page at a time, and only to its merchant", async () => {
    const { m, template } = await setUp();
    const phones = Array.from({ length: 4_500 }, () => uniquePhone());
    const text = ["phone,balance", ...phones.map((p, i) => `${p},${i}`)].join("\r\n");
    const outcome = await previewCardImport(getDb(), m.actor, { templateId: template.id, fileName: "big.csv", text, skipExisting: true });
    if (!outcome.ok) throw new Error("refused");
    const [{ n }] = await getDb().select({ n: count() }).from(cardImportRows).where(eq(cardImportRows.importId, outcome.importId));
    expect(n).toBe(4_500);
    const page2 = await listCardImportRows(getDb(), m.merchant.id, outcome.importId, 2);
    expect(page2).toHaveLength(IMPORT_ROWS_PAGE_SIZE);
    expect(page2[0]).toEqual({ line: IMPORT_ROWS_PAGE_SIZE + 2, data: { phone: phones[IMPORT_ROWS_PAGE_SIZE], balance: IMPORT_ROWS_PAGE_SIZE, custom: {} } });
    const other = await createTestMerchant();
    expect(await listCardImportRows(getDb(), other.merchant.id, outcome.importId)).toEqual([]);
  });

  it("keeps nothing of a file refused at its very end (a quote never closed after thousands of good rows)", async () => {
    const { m, template } = await setUp();
    const good = Array.from({ length: 5_000 }, () => uniquePhone());
    const text = ["phone,name", ...good.map((p) => `${p},ok`), `${uniquePhone()},"never closed`].join("\n");
    const outcome = await previewCardImport(getDb(), m.actor, { templateId: template.id, fileName: "bad.csv", text, skipExisting: false });
    expect(outcome).toEqual({ ok: false, fileErrors: [{ message: "cards.csv.errors.unclosedQuote", params: { line: 5_002 } }] });
    expect(
      await getDb()
        .select()
        .from(cardImports)
        .where(and(eq(cardImports.merchantId, m.merchant.id))),
    ).toEqual([]);
  });

  it("reads an upload slice by slice without ever holding the event loop for the whole file", async () => {
    const { m, template } = await setUp();
    const rows = 40_000;
    const text = ["phone;name;balance", ...Array.from({ length: rows }, (_, i) => `+7916${String(1_000_000 + i)};Customer ${i};${i}`)].join("\n");
    const started = performance.now();
    parseCardsCsv(text, { defaultCountry: "RU", customKeys: [] });
    const wholeFileMs = performance.now() - started;

    let longest = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    try {
      await previewUploadedImport(getDb(), m.actor, {
        templateId: template.id,
        fileName: "big.csv",
        bytes: new TextEncoder().encode(text),
        skipExisting: false,
      });
    } finally {
      clearInterval(ticker);
    }
    // Read in one go (as before), the file held the loop for about wholeFileMs; in slices, each pause is a fraction of it.
    expect(longest).toBeLessThan(wholeFileMs / 2);
  }, 60_000);

  it("decodes UTF-8 across the slices it reads, even a letter cut in two by a slice's end", async () => {
    const { m, template } = await setUp();
    const phone = uniquePhone();
    // "Ж" (2 bytes) starts on the last byte of the first slice; the ignored "note" column pads up to it.
    const prefix = `phone;note;name\n${phone};`;
    const pad = DECODE_CHUNK - 1 - new TextEncoder().encode(prefix).byteLength - 1;
    const bytes = new TextEncoder().encode(`${prefix}${"a".repeat(pad)};Жанна\n`);
    expect(bytes[DECODE_CHUNK - 1]).toBe(0xd0);
    expect([...decodeCsv(bytes)].join("")).toBe(new TextDecoder().decode(bytes));
    const { importId } = await previewUploadedImport(getDb(), m.actor, { templateId: template.id, fileName: "utf8.csv", bytes, skipExisting: false });
    expect((await listCardImportRows(getDb(), m.merchant.id, importId)).map((r) => r.data.name)).toEqual(["Жанна"]);
  });
});
