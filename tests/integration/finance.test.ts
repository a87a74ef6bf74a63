import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import { addFinanceEntry, financeTable, listFinance } from "@/lib/finance";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { issueCertificates } from "@/lib/gift-certificates/issue";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { financeEntrySchema } from "@/lib/validations/finance";
import { toCsv } from "@/lib/reports/tables";
import { financeFiltersSchema } from "@/lib/validations/finance";
import { createTestMerchant, uniquePhone } from "../factories";

async function sent(merchantId: string | null, values: Partial<typeof outboxMessages.$inferInsert>) {
  const [row] = await getDb()
    .insert(outboxMessages)
    .values({ merchantId, channel: "sms", recipient: "+79160000000", body: "hi", status: "sent", provider: "smsru", ...values })
    .returning();
  return row;
}

describe("finance", () => {
  it("lists the merchant's sends with the provider's cost and document number, totals per month, filters — and never another merchant's", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    await sent(a.merchant.id, { costMinor: 450, currency: "RUB", providerMessageId: "201-A", createdAt: new Date("2026-10-10T10:00:00Z") });
    await sent(a.merchant.id, { costMinor: 390, currency: "RUB", providerMessageId: "202-A", createdAt: new Date("2026-11-02T10:00:00Z") });
    await sent(a.merchant.id, { channel: "email", recipient: "x@example.com", status: "failed", createdAt: new Date("2026-11-03T10:00:00Z") });
    await sent(b.merchant.id, { costMinor: 999, currency: "RUB", providerMessageId: "B-1" });
    await sent(null, { costMinor: 111, currency: "RUB", providerMessageId: "PLATFORM" });

    // (The merchant's welcome e-mail from sign-up is an operation too; SMS alone are these two.)
    const sms = await listFinance(getDb(), a.merchant.id, { page: 1, pageSize: 30, filters: { type: "sms" } });
    expect(sms.total).toBe(2);
    expect(sms.rows.map((r) => r.document)).toEqual(["202-A", "201-A"]);
    expect(sms.months).toEqual([
      { month: "2026-11", type: "sms", currency: "RUB", operations: 1, amountMinor: 390 },
      { month: "2026-10", type: "sms", currency: "RUB", operations: 1, amountMinor: 450 },
    ]);
    const all = await listFinance(getDb(), a.merchant.id, { page: 1, pageSize: 30, filters: {} });
    expect(all.rows.every((r) => r.document !== "B-1" && r.document !== "PLATFORM")).toBe(true);
    // Sends without a reported cost count as operations but add nothing.
    expect(all.months).toEqual(expect.arrayContaining([expect.objectContaining({ month: "2026-11", currency: null, amountMinor: 0 })]));
    expect(
      (await listFinance(getDb(), a.merchant.id, { page: 1, pageSize: 30, filters: { type: "sms", from: "2026-11", to: "2026-11" } })).rows.map(
        (r) => r.document,
      ),
    ).toEqual(["202-A"]);
    expect((await listFinance(getDb(), a.merchant.id, { page: 1, pageSize: 30, filters: { type: "email", status: "failed" } })).total).toBe(1);
    const bRows = await listFinance(getDb(), b.merchant.id, { page: 1, pageSize: 30, filters: {} });
    expect(bRows.rows.map((r) => r.document).filter(Boolean)).toEqual(["B-1"]);

    const csv = toCsv(await financeTable(getDb(), a.merchant.id, {}));
    expect(csv.split("\r\n")[0]).toBe("date,type,document,status,amountMinor,currency,note");
    expect(csv).toContain(",201-A,sent,450,RUB,smsru");
    expect(csv).not.toContain("B-1");
  });

  it("a document number starting with = is exported as text", async () => {
    const a = await createTestMerchant();
    const row = await sent(a.merchant.id, { providerMessageId: "=cmd|' /C calc'!A0", costMinor: 1, currency: "RUB" });
    expect(row.merchantId).toBe(a.merchant.id);
    expect(toCsv(await financeTable(getDb(), a.merchant.id, {}))).toContain(`"'=cmd|' /C calc'!A0"`);
    await getDb().delete(outboxMessages).where(eq(outboxMessages.id, row.id));
  });

  it("lists the operator's top-ups and charges and the certificates sold beside the message costs — never another merchant's", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const slugOf = async (m: typeof a) => m.merchant.slug;
    await addFinanceEntry(
      getDb(),
      financeEntrySchema.parse({ merchant: await slugOf(a), kind: "topup", amount: "100000", note: "Invoice 7", document: "INV-7", by: "ops" }),
    );
    await addFinanceEntry(getDb(), financeEntrySchema.parse({ merchant: await slugOf(a), kind: "charge", amount: 2500, note: "=HYPERLINK(1)", by: "ops" }));
    await addFinanceEntry(getDb(), financeEntrySchema.parse({ merchant: await slugOf(b), kind: "topup", amount: 777, document: "B-TOPUP", by: "ops" }));
    await expect(addFinanceEntry(getDb(), financeEntrySchema.parse({ merchant: "no-such-merchant", kind: "topup", amount: 1, by: "ops" }))).rejects.toThrow();
    expect(financeEntrySchema.safeParse({ merchant: "x", kind: "topup", amount: 0, by: "ops" }).success).toBe(false);
    expect(financeEntrySchema.safeParse({ merchant: "x", kind: "refund", amount: 1, by: "ops" }).success).toBe(false);

    const definition = await createDefinition(getDb(), a.actor, {
      name: "Gift 1000",
      valueKind: "money",
      nominal: 100_000,
      presentation: { en: "Show the code", ru: "Покажите код" },
      terms: { en: "Terms", ru: "Условия" },
      validity: { mode: "days", days: 365 },
      partialRedemption: true,
    });
    await generatePoolCodes(getDb(), a.actor, definition.id, { count: 3, length: 8 });
    const issued = await getDb().transaction((tx) =>
      issueCertificates(tx, { merchantId: a.merchant.id, actor: { type: "api", keyId: "till" } }, definition.id, [
        { phone: uniquePhone(), name: "Anna" },
        { phone: uniquePhone(), name: "Boris", amount: 50_000 },
      ]),
    );

    const all = await listFinance(getDb(), a.merchant.id, { page: 1, pageSize: 30, filters: {} });
    const byType = (t: string) => all.rows.filter((r) => r.type === t);
    expect(byType("topup")).toEqual([
      expect.objectContaining({ amountMinor: 100_000, currency: "RUB", document: "INV-7", note: "Invoice 7", status: "completed" }),
    ]);
    expect(byType("charge")).toEqual([expect.objectContaining({ amountMinor: 2500, status: "completed" })]);
    // Each certificate issued is a sale at its own amount (the nominal, or the row's), numbered by its code; none is unsold.
    expect(
      byType("certificate")
        .map((r) => [r.document, r.amountMinor, r.currency, r.status, r.note])
        .sort(),
    ).toEqual(
      [
        [issued[0].code, 100_000, "RUB", "sold", "Gift 1000"],
        [issued[1].code, 50_000, "RUB", "sold", "Gift 1000"],
      ].sort(),
    );
    expect(all.rows.some((r) => r.document === "B-TOPUP")).toBe(false);
    const month = all.months.find((m) => m.type === "certificate")!;
    expect(month).toMatchObject({ currency: "RUB", operations: 2, amountMinor: 150_000 });
    expect((await listFinance(getDb(), a.merchant.id, { page: 1, pageSize: 30, filters: { type: "topup" } })).total).toBe(1);
    expect((await listFinance(getDb(), a.merchant.id, { page: 1, pageSize: 30, filters: { status: "sold" } })).total).toBe(2);
    expect((await listFinance(getDb(), a.merchant.id, { page: 1, pageSize: 30, filters: { type: "certificate", from: "2001-01", to: "2001-12" } })).total).toBe(
      0,
    );

    // The other merchant sees its own top-up and nothing of A's.
    const bAll = await listFinance(getDb(), b.merchant.id, { page: 1, pageSize: 30, filters: { type: "topup" } });
    expect(bAll.rows.map((r) => r.document)).toEqual(["B-TOPUP"]);
    expect((await listFinance(getDb(), b.merchant.id, { page: 1, pageSize: 30, filters: { type: "certificate" } })).total).toBe(0);

    const csv = toCsv(await financeTable(getDb(), a.merchant.id, {}));
    expect(csv).toContain(",topup,INV-7,completed,100000,RUB,Invoice 7");
    expect(csv).toContain(`"'=HYPERLINK(1)"`);
    expect(csv).toContain(`,certificate,${issued[0].code},sold,100000,RUB,Gift 1000`);
    expect(csv).not.toContain("B-TOPUP");
  });

  it("drops bad filter values", () => {
    expect(financeFiltersSchema.parse({ type: "fax", status: "x", from: "2026-13", to: "2026-1" })).toEqual({});
  });
});
