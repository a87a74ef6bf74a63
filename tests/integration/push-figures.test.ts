import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, outboxMessages, walletUpdates } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { GET as getCampaign } from "@/app/api/v1/campaigns/[id]/route";
import { GET as listCampaigns } from "@/app/api/v1/campaigns/route";
import { createPushEvent, getPushEventOrThrow, listPushEvents, loadPushEventCounts, loadPushEventsCounts, pushEventCounts } from "@/lib/push-events";
import { giveMarketingConsent } from "@/lib/push-events/consent";
import { noDelivery, recordCampaignDelivery, sendCampaignGoogleMessage } from "@/lib/push-events/delivery";
import { runPushEvent } from "@/lib/push-events/run";
import { drainWalletUpdates } from "@/lib/wallet/drain";
import { WalletApiError } from "@/lib/wallet/google/client";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice } from "../factories";
import { callApi } from "../support/api-call";
import { apnsStandInForFile, cardWithScheduledPush, ctxOf, input, makeDue } from "../support/push";

const db = () => getDb();

const apns = apnsStandInForFile();

describe("campaign figures: in doubt", () => {
  it("a Google message found already there after a crash (409) is in doubt: counted on its own, in the card's history and in the API", async () => {
    const { m, card, event } = await cardWithScheduledPush();
    const client = {
      addMessage: async () => {
        throw new WalletApiError("already exists", 409);
      },
    };
    const d = noDelivery();
    await sendCampaignGoogleMessage(
      db(),
      client,
      { type: "loyaltyObject", body: { id: "issuer.card" } } as never,
      { merchantId: m.merchant.id, cardId: card.id, campaignId: event.id },
      d,
    );
    expect(d).toMatchObject({ googleNotified: 0, googleQuiet: 0, googleFailed: 0, googleInDoubt: 1 });
    await recordCampaignDelivery(db(), m.merchant.id, event.id, card.id, d);
    const row = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(pushEventCounts(row).google).toEqual({ notified: 0, quiet: 0, failed: 0, inDoubt: 1 });
    const [delivered] = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "push.delivered")));
    expect(delivered.data).toMatchObject({ campaignId: event.id, googleNotify: false, figures: { googleInDoubt: 1 } });

    const { key } = await createApiKey(db(), m.actor, { name: "CRM", scopes: ["campaigns:read"] });
    const res = await callApi(getCampaign, key, { params: { id: event.id } });
    expect(res.body.counts.google).toEqual({ notified: 0, quiet: 0, failed: 0, inDoubt: 1 });
  });

  it("an SMS the outbox marked in doubt is its own figure, neither delivered nor failed", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    await giveMarketingConsent(db(), m.merchant.id, card.customerId!, "I agree");
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "sms", message: "Sale", audience: { templateIds: [template.id] } }));
    await runPushEvent(db(), event.id);
    await db()
      .update(outboxMessages)
      .set({ status: "in_doubt" })
      .where(and(eq(outboxMessages.merchantId, m.merchant.id), eq(outboxMessages.cardId, card.id)));
    const row = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect((await loadPushEventCounts(db(), row)).sms).toEqual({ delivered: 0, failed: 0, inDoubt: 1, cost: 0 });
  });
});

describe("campaign figures: the list agrees with the event's page", () => {
  it("SMS news's figures on the list (cabinet and API) are its messages' delivery and cost, as on its page; another merchant's rows count nothing", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const cards = [];
    for (let i = 0; i < 3; i++) cards.push((await createTestCard(m, { template })).card);
    for (const c of cards) await giveMarketingConsent(db(), m.merchant.id, c.customerId!, "I agree");
    const sms = await createPushEvent(db(), ctxOf(m), input({ type: "sms", message: "Sale", audience: { templateIds: [template.id] } }));
    const push = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Hi", audience: { templateIds: [template.id] } }));
    await runPushEvent(db(), sms.id);
    await runPushEvent(db(), push.id);
    // The provider reports two delivered at 350 kopecks each and one failed.
    const outbox = await db().select().from(outboxMessages).where(eq(outboxMessages.merchantId, m.merchant.id));
    const news = outbox.filter((o) => o.body.startsWith("Sale"));
    expect(news).toHaveLength(3);
    for (const [i, o] of news.entries())
      await db()
        .update(outboxMessages)
        .set(i < 2 ? { status: "delivered", costMinor: 350 } : { status: "failed" })
        .where(eq(outboxMessages.id, o.id));

    const expected = { delivered: 2, failed: 1, inDoubt: 0, cost: 700 };
    const page = await loadPushEventCounts(db(), await getPushEventOrThrow(db(), m.merchant.id, sms.id));
    expect(page.sms).toEqual(expected);
    const { rows } = await listPushEvents(db(), m.merchant.id, { page: 1, pageSize: 25 });
    const listed = await loadPushEventsCounts(db(), m.merchant.id, rows);
    expect(listed.get(sms.id)).toEqual(page);
    expect(listed.get(push.id)!.sms).toEqual({ delivered: 0, failed: 0, inDoubt: 0, cost: 0 });

    const { key } = await createApiKey(db(), m.actor, { name: "CRM", scopes: ["campaigns:read"] });
    const list = await callApi(listCampaigns, key);
    expect(list.status).toBe(200);
    expect(list.body.data.find((c: { id: string }) => c.id === sms.id).counts.sms).toEqual(expected);
    expect((await callApi(getCampaign, key, { params: { id: sms.id } })).body.counts.sms).toEqual(expected);

    // Another merchant passing these rows reads none of their messages.
    const other = await createTestMerchant();
    expect((await loadPushEventsCounts(db(), other.merchant.id, rows)).get(sms.id)!.sms).toEqual({ delivered: 0, failed: 0, inDoubt: 0, cost: 0 });
  });
});

describe("campaign figures: retries run out", () => {
  it("a card whose wallet retries ran out counts as failed in its campaign, with one wallet.push_failed naming the campaign", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    const { card: fine } = await createTestCard(m, { template });
    await createTestWalletDevice(card, "doomed-dev");
    await createTestWalletDevice(fine, "fine-dev");
    apns().respond(Buffer.from("doomed-dev").toString("hex"), { status: 503, reason: "ServiceUnavailable" });
    await db().delete(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id));
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Hello", audience: { templateIds: [template.id] } }));
    await runPushEvent(db(), event.id);

    // A first refusal is retried later, and counts nothing yet.
    await makeDue();
    await drainWalletUpdates(db(), { apnsUrl: apns().url });
    const [waiting] = await db().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id));
    expect(waiting).toMatchObject({ attempts: 1, campaignId: event.id });
    expect(pushEventCounts(await getPushEventOrThrow(db(), m.merchant.id, event.id)).apple).toEqual({ pushed: 1, accepted: 1, failed: 0, gone: 0 });

    // The last attempt fails too: the card is failed in its campaign and the campaign can finish.
    await db().update(walletUpdates).set({ attempts: 7 }).where(eq(walletUpdates.cardId, card.id));
    await makeDue();
    await drainWalletUpdates(db(), { apnsUrl: apns().url });
    expect(await db().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toEqual([]);
    await runPushEvent(db(), event.id);
    const done = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(done.state).toBe("finished");
    expect(pushEventCounts(done).apple).toEqual({ pushed: 2, accepted: 1, failed: 1, gone: 0 });
    const failed = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "wallet.push_failed")));
    expect(failed).toHaveLength(1);
    expect(failed[0].data).toMatchObject({ campaignId: event.id, platform: "apple", attempts: 8, figures: { appleFailed: 1 } });
  });
});
