import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards } from "@/db/schema";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { expireDueCertificates } from "@/lib/gift-certificates/expiry";
import { issueCertificates } from "@/lib/gift-certificates/issue";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { postTransaction, reverseTransaction } from "@/lib/ledger";
import { foldAll } from "@/lib/reports/fold";
import { certificatesReport } from "@/lib/reports/queries";
import { rebuildReports } from "@/lib/reports/rebuild";
import { reportTable } from "@/lib/reports/tables";
import { dayIn } from "@/lib/reports/dimensions";
import { reportFiltersSchema } from "@/lib/validations/reports";
import type { DefinitionInput } from "@/lib/validations/gift-certificates";
import { createTestMerchant, uniquePhone, type TestMerchant } from "../factories";

const db = () => getDb();
const till = (m: TestMerchant) => ({ merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till" } });
const text = (en: string) => ({ en, ru: en });
const definition = (name: string, nominal: number): DefinitionInput => ({
  name,
  valueKind: "money",
  nominal,
  presentation: text("Show the code"),
  terms: text("Terms"),
  validity: { mode: "days", days: 365 },
  partialRedemption: true,
});

async function pool(m: TestMerchant, name: string, nominal: number) {
  const d = await createDefinition(db(), m.actor, definition(name, nominal));
  await generatePoolCodes(db(), m.actor, d.id, { count: 5, length: 8 });
  return d;
}
const issue = async (m: TestMerchant, definitionId: string) =>
  (await db().transaction((tx) => issueCertificates(tx, till(m), definitionId, [{ phone: uniquePhone(), name: "Anna" }])))[0];

describe("gift certificates report", () => {
  it("per definition: issued, opened, redeemed, breakage and the outstanding balance; only the merchant's own; a rebuild agrees", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const big = await pool(a, "Gift 1000", 100_000);
    const small = await pool(a, "Gift 500", 50_000);
    const c1 = await issue(a, big.id);
    const c2 = await issue(a, big.id);
    const c3 = await issue(a, small.id);
    await postTransaction(db(), till(a), { cardId: c1.card.id, type: "redeem", points: 30_000 });
    const undone = await postTransaction(db(), till(a), { cardId: c1.card.id, type: "redeem", points: 10_000 });
    await reverseTransaction(db(), till(a), { transactionId: undone.transaction.id });
    await postTransaction(db(), till(a), { cardId: c3.card.id, type: "redeem", points: 50_000 });
    // c2 expires with all of its 1,000 unspent: written off, breakage.
    await db()
      .update(cards)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(cards.id, c2.card.id));
    await expireDueCertificates(db());
    const bd = await pool(b, "B gift", 70_000);
    await issue(b, bd.id);
    await foldAll(db());

    const today = dayIn("Europe/Moscow", new Date());
    const f = reportFiltersSchema.parse({ from: "2026-01-01", to: today > "2026-12-31" ? today : "2026-12-31" });
    const report = await certificatesReport(db(), a.merchant.id, f);
    const byName = Object.fromEntries(report.definitions.map((d) => [d.name, d]));
    expect(byName["Gift 1000"]).toMatchObject({ issued: 2, issuedSum: 200_000, redeemed: 2, redeemedSum: 40_000, expired: 1, expiredSum: 100_000 });
    // 2,000 issued − 400 redeemed + 100 given back by the reversal − 1,000 written off.
    expect(byName["Gift 1000"].outstanding).toBe(70_000);
    expect(byName["Gift 500"]).toMatchObject({ issued: 1, redeemed: 1, redeemedSum: 50_000, outstanding: 0 });
    expect(report.total).toMatchObject({ issued: 3, issuedSum: 250_000, expiredSum: 100_000, outstanding: 70_000 });
    expect(report.periods.reduce((s, p) => s + p.issued, 0)).toBe(3);
    expect(reportTable("certificates", report).rows.map((r) => r[0])).toEqual(["Gift 1000", "Gift 500"]);

    // Merchant B sees only its own definition; A's template id through B finds nothing.
    const bReport = await certificatesReport(db(), b.merchant.id, f);
    expect(bReport.definitions.map((d) => [d.name, d.issued, d.outstanding])).toEqual([["B gift", 1, 70_000]]);
    expect((await certificatesReport(db(), b.merchant.id, { ...f, templateId: big.templateId })).definitions).toEqual([]);

    // Before anything happened: nothing issued, nothing outstanding.
    const before = await certificatesReport(db(), a.merchant.id, reportFiltersSchema.parse({ from: "2020-01-01", to: "2020-01-31" }));
    expect(before.total).toMatchObject({ issued: 0, outstanding: 0 });

    await rebuildReports(db());
    expect(await certificatesReport(db(), a.merchant.id, f)).toEqual(report);
  });
});
