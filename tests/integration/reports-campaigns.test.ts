import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, reportInbox } from "@/db/schema";
import { GET as getReport } from "@/app/api/v1/reports/[report]/route";
import { createApiKey } from "@/lib/api-keys";
import { staffActor } from "@/lib/card-events/actor";
import { createPushEvent, deletePushEvent } from "@/lib/push-events";
import { campaignDeliveryEvent, noDelivery, recordCampaignDelivery, type CampaignDelivery } from "@/lib/push-events/delivery";
import { record } from "@/lib/card-events";
import { foldAll } from "@/lib/reports/fold";
import { pushesReport } from "@/lib/reports/queries";
import { rebuildMerchantReports, rebuildReports } from "@/lib/reports/rebuild";
import { reportTable } from "@/lib/reports/tables";
import { dayIn } from "@/lib/reports/dimensions";
import { pushEventInputSchema } from "@/lib/validations/push-events";
import { reportFiltersSchema } from "@/lib/validations/reports";
import { createTestCard, createTestMerchant, createTestTemplate, type TestMerchant } from "../factories";
import { callApi } from "../support/api-call";

const db = () => getDb();
const delivery = (d: Partial<CampaignDelivery>): CampaignDelivery => ({ ...noDelivery(), ...d });

async function campaign(m: TestMerchant, templateId: string, name: string) {
  return createPushEvent(
    db(),
    { merchantId: m.merchant.id, actor: staffActor(m.owner.id) },
    pushEventInputSchema.parse({ type: "push", name, message: name, audience: { templateIds: [templateId] }, startAt: new Date(Date.now() + 3_600_000) }),
  );
}

describe("delivered pushes per campaign (reports)", () => {
  it("per campaign and platform: accepted / failed / quota-limited, and the total; a deleted campaign keeps its name; only the merchant's own; a rebuild agrees", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const template = await createTestTemplate(a);
    const cards = await Promise.all([1, 2, 3, 4].map(async () => (await createTestCard(a, { template })).card));
    const autumn = await campaign(a, template.id, "Autumn");
    const winter = await campaign(a, template.id, "Winter");
    // Autumn: two iPhones took it, one device is gone, one Google pass over its quota, one in doubt, one failed by retries.
    await recordCampaignDelivery(db(), a.merchant.id, autumn.id, cards[0].id, delivery({ applePushed: 2, appleAccepted: 2, googleNotified: 1 }));
    await recordCampaignDelivery(db(), a.merchant.id, autumn.id, cards[1].id, delivery({ applePushed: 1, appleGone: 1, googleQuiet: 1 }));
    await recordCampaignDelivery(db(), a.merchant.id, autumn.id, cards[2].id, delivery({ googleInDoubt: 1 }));
    await recordCampaignDelivery(db(), a.merchant.id, autumn.id, cards[3].id, delivery({ applePushed: 1, appleFailed: 1 }), {
      reason: "APNs 503",
      attempts: 8,
    });
    // Winter: one Google notification.
    await recordCampaignDelivery(db(), a.merchant.id, winter.id, cards[0].id, delivery({ googleNotified: 1 }));
    // A push.delivered recorded before events carried their figures still counts.
    const [old] = await db()
      .insert(cardEvents)
      .values({
        merchantId: a.merchant.id,
        cardId: cards[1].id,
        type: "push.delivered",
        actorType: "system",
        data: { campaignId: winter.id, apple: 1, google: 0, googleNotify: false },
      })
      .returning({ id: cardEvents.id });
    await db().insert(reportInbox).values({ eventId: old.id });
    // Merchant B's campaign never counts for A.
    const bTemplate = await createTestTemplate(b);
    const { card: bCard } = await createTestCard(b, { template: bTemplate });
    const theirs = await campaign(b, bTemplate.id, "Theirs");
    await recordCampaignDelivery(db(), b.merchant.id, theirs.id, bCard.id, delivery({ applePushed: 5, appleAccepted: 5 }));

    await deletePushEvent(db(), { merchantId: a.merchant.id, actor: staffActor(a.owner.id) }, winter.id);
    await foldAll(db());
    const today = dayIn(a.merchant.timeZone, new Date());
    const f = reportFiltersSchema.parse({ from: today, to: today });
    const report = await pushesReport(db(), a.merchant.id, f);
    expect(report.campaigns).toEqual([
      {
        id: winter.id,
        name: "Winter",
        type: "push",
        deleted: true,
        apple: { accepted: 1, failed: 0 },
        google: { accepted: 1, quota: 0, failed: 0, inDoubt: 0 },
      },
      {
        id: autumn.id,
        name: "Autumn",
        type: "push",
        deleted: false,
        apple: { accepted: 2, failed: 2 },
        google: { accepted: 1, quota: 1, failed: 0, inDoubt: 1 },
      },
    ]);
    expect(report.total).toEqual({ apple: { accepted: 3, failed: 2 }, google: { accepted: 2, quota: 1, failed: 0, inDoubt: 1 } });
    expect(reportTable("pushes", report).rows.at(-1)).toEqual(["total", 3, 2, 2, 1, 0, 1]);

    // Tenancy: B sees its own campaign only.
    const bReport = await pushesReport(db(), b.merchant.id, reportFiltersSchema.parse({ from: today, to: today }));
    expect(bReport.campaigns.map((c) => c.name)).toEqual(["Theirs"]);
    expect(bReport.total.apple).toEqual({ accepted: 5, failed: 0 });

    // Another template's filter and a period before leave them out.
    const other = await createTestTemplate(a);
    expect((await pushesReport(db(), a.merchant.id, { ...f, templateId: other.id })).campaigns).toEqual([]);
    const before = await pushesReport(db(), a.merchant.id, reportFiltersSchema.parse({ from: "2020-01-01", to: "2020-01-31" }));
    expect(before.campaigns).toEqual([]);
    // With no campaign in the period, the table is the wallet update pushes per period, as the chart then is.
    expect(reportTable("pushes", before).columns).toEqual(["period", "sent", "failed"]);

    // The Reports API answers the same.
    const { key } = await createApiKey(db(), a.actor, { name: "BI", scopes: ["reports:read"] });
    const api = await callApi(getReport, key, { params: { report: "pushes" }, query: { from: today, to: today } });
    expect(api.status).toBe(200);
    expect(api.body.data.campaigns).toEqual(report.campaigns);
    expect(api.body.data.total).toEqual(report.total);

    // A rebuild from the raw events agrees, for one merchant and for all.
    await rebuildMerchantReports(db(), a.merchant.id);
    expect(await pushesReport(db(), a.merchant.id, f)).toEqual(report);
    await rebuildReports(db());
    expect(await pushesReport(db(), a.merchant.id, f)).toEqual(report);
    expect((await pushesReport(db(), b.merchant.id, reportFiltersSchema.parse({ from: today, to: today }))).total).toEqual(bReport.total);
  });

  it("wallet pushes sent: a campaign's delivery that carries its pushes counts once, and so does an older one told in a wallet.push_sent of its own", async () => {
    const a = await createTestMerchant();
    const template = await createTestTemplate(a);
    const [now, before] = await Promise.all([1, 2].map(async () => (await createTestCard(a, { template })).card));
    const spring = await campaign(a, template.id, "Spring");
    const ctx = { merchantId: a.merchant.id, actor: { type: "system" } as const };
    const told = campaignDeliveryEvent({
      merchantId: a.merchant.id,
      campaignId: spring.id,
      cardId: now.id,
      delivery: delivery({ applePushed: 1, appleAccepted: 1 }),
      sent: 1,
    })!;
    expect(told.data).toMatchObject({ pushesSent: 1 });
    await record(db(), ctx, [
      told,
      { type: "push.delivered", cardId: before.id, data: { campaignId: spring.id, apple: 1, google: 0, googleNotify: false } },
      { type: "wallet.push_sent", cardId: before.id, data: { platform: "apple", devices: 1 } },
    ]);
    await foldAll(db());
    const today = dayIn(a.merchant.timeZone, new Date());
    const report = await pushesReport(db(), a.merchant.id, reportFiltersSchema.parse({ from: today, to: today }));
    expect(report.periods.reduce((n, p) => n + p.sent, 0)).toBe(2);
    expect(report.total.apple).toEqual({ accepted: 2, failed: 0 });
  });
});
