import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { merchants, outboxMessages } from "@/db/schema";
import { issueCard } from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { getDashboardTrends } from "@/lib/dashboard/trends";
import { postTransaction } from "@/lib/ledger";
import { foldAll } from "@/lib/reports/fold";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_POINTS_PROGRAM } from "@/lib/templates/definition";
import { createTestMerchant, createTestTemplate, uniquePhone } from "../factories";

type M = Awaited<ReturnType<typeof createTestMerchant>>;

async function programmeCard(m: M) {
  const db = getDb();
  const template = await createTestTemplate(m);
  const { version } = await getTemplateOrThrow(db, m.merchant.id, template.id);
  await saveTemplateVersion(db, m.actor, template.id, { name: template.name, definition: { ...version.definition, program: DEFAULT_POINTS_PROGRAM } });
  return issueCard(db, m.merchant.id, staffActor(m.owner.id), { templateId: template.id, customer: { phone: uniquePhone(), name: "A" } });
}

describe("dashboard tiles", () => {
  it("show the last 30 days from the rollups and the outbox, each merchant only its own", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    await db.update(merchants).set({ timeZone: "Europe/Moscow" }).where(eq(merchants.id, a.merchant.id));
    const ctx = (m: M) => ({ merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till" } });
    const c1 = await programmeCard(a);
    const c2 = await programmeCard(a);
    await postTransaction(db, ctx(a), { cardId: c1.id, type: "accrue", points: 500 });
    await postTransaction(db, ctx(a), { cardId: c1.id, type: "purchase", amount: 100_000 });
    await postTransaction(db, ctx(a), { cardId: c2.id, type: "purchase", amount: 50_000 });
    await postTransaction(db, ctx(a), { cardId: c1.id, type: "redeem", points: 120 });
    const bc = await programmeCard(b);
    await postTransaction(db, ctx(b), { cardId: bc.id, type: "purchase", amount: 70_000 });
    const sms = (m: M, cost: number, createdAt = new Date()) => ({
      merchantId: m.merchant.id,
      channel: "sms" as const,
      recipient: "+79160000000",
      body: "code",
      status: "sent" as const,
      costMinor: cost,
      currency: "RUB",
      createdAt,
    });
    await db.insert(outboxMessages).values([sms(a, 450), sms(a, 550), sms(a, 300, new Date(Date.now() - 40 * 86_400_000)), sms(b, 99_999)]);
    await foldAll(db);

    const trendsA = await getDashboardTrends(db, a.merchant.id);
    const byKey = Object.fromEntries(trendsA.trends.map((t) => [t.key, t]));
    expect(byKey.issued).toMatchObject({ value: 2, previous: 0 });
    expect(byKey.members).toMatchObject({ value: 2, previous: 0 });
    expect(byKey.redeemed).toMatchObject({ value: 120, previous: 0 });
    expect(byKey.smsSpend).toMatchObject({ value: 1000, previous: 300, currency: "RUB" });
    for (const t of trendsA.trends) {
      expect(t.series).toHaveLength(30);
      expect(t.series.reduce((s, v) => s + v, 0)).toBe(t.key === "members" ? t.series.at(-1) : t.value);
    }
    expect(byKey.issued.series.at(-1)).toBe(2);

    const trendsB = await getDashboardTrends(db, b.merchant.id);
    const bKey = Object.fromEntries(trendsB.trends.map((t) => [t.key, t]));
    expect(bKey.issued.value).toBe(1);
    expect(bKey.members.value).toBe(1);
    expect(bKey.redeemed.value).toBe(0);
    expect(bKey.smsSpend.value).toBe(99_999);
  });
});
