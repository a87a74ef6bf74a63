import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import { financeTable, listFinance } from "@/lib/finance";
import { toCsv } from "@/lib/reports/tables";
import { financeFiltersSchema } from "@/lib/validations/finance";
import { createTestMerchant } from "../factories";

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
      { month: "2026-11", currency: "RUB", operations: 1, amountMinor: 390 },
      { month: "2026-10", currency: "RUB", operations: 1, amountMinor: 450 },
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
    expect(csv.split("\r\n")[0]).toBe("date,type,document,status,amountMinor,currency,provider");
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

  it("drops bad filter values", () => {
    expect(financeFiltersSchema.parse({ type: "fax", status: "x", from: "2026-13", to: "2026-1" })).toEqual({});
  });
});
