import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { stopNewsAction } from "@/app/(public)/u/[token]/actions";
import { encryptionKey } from "@/lib/crypto/secrets";
import { cardEvents, customers, outboxMessages, pushEvents } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { saveSmsSettings } from "@/lib/messaging/settings";
import { createPushEvent, loadPushEventCounts } from "@/lib/push-events";
import {
  CONSENT_WITHDRAWN_REASON,
  describeUnsubscribeToken,
  giveConsentForCard,
  giveMarketingConsent,
  newsWithdrawn,
  resolveUnsubscribeToken,
  stopLinkCustomer,
  unsubscribeByToken,
  unsubscribeToken,
  withdrawMarketingConsent,
} from "@/lib/push-events/consent";
import { deliverMessage } from "@/lib/outbox";
import { runPushEvent } from "@/lib/push-events/run";
import { estimateSmsNews } from "@/lib/push-events/sms";
import { smsSettingsSchema } from "@/lib/validations/messaging";
import { pushEventInputSchema } from "@/lib/validations/push-events";
import { createTestCard, createTestMerchant, createTestTemplate, unique } from "../factories";
import { startSmscStandIn, startSmsRuStandIn, type SmscStandIn, type SmsRuStandIn } from "../support/sms-stand-ins";
import { ctxOf, type TestMerchant } from "../support/push";

const db = () => getDb();
const uuidB64 = (id: string) => Buffer.from(id.replaceAll("-", ""), "hex").toString("base64url");
const CONSENT = "I agree to receive news from the shop by SMS.";

let smsRu: SmsRuStandIn;
let smsc: SmscStandIn;
const env = getEnv();
beforeAll(async () => {
  [smsRu, smsc] = await Promise.all([startSmsRuStandIn({ pricePerSms: 3.5 }), startSmscStandIn({ accounts: { shop: "shop-password-1" }, pricePerSms: 2.1 })]);
  Object.assign(env, { SMS_RU_URL: smsRu.url, SMSC_URL: smsc.url });
});
afterAll(async () => {
  await Promise.all([smsRu.close(), smsc.close()]);
});

async function audienceOf(m: TestMerchant, n: number) {
  const template = await createTestTemplate(m);
  const made = [];
  for (let i = 0; i < n; i++) made.push((await createTestCard(m, { template })).card);
  return { template, cards: made };
}

describe("SMS news", () => {
  it("goes only to customers who consented, once per customer, with a stop link that withdraws consent at once", async () => {
    const m = await createTestMerchant();
    const { template, cards } = await audienceOf(m, 3);
    const [agreed, silent, second] = cards;
    await giveMarketingConsent(db(), m.merchant.id, agreed.customerId!, CONSENT);
    await giveMarketingConsent(db(), m.merchant.id, second.customerId!, CONSENT);
    const [kept] = await db().select().from(customers).where(eq(customers.id, agreed.customerId!));
    expect(kept).toMatchObject({ marketingConsent: true, marketingConsentText: CONSENT });
    expect(kept.marketingConsentAt).toBeInstanceOf(Date);
    // The agreed customer holds a card of a second template in the audience too: still one text.
    const other = await createTestTemplate(m);
    await createTestCard(m, { template: other, phone: kept.phone! });

    const event = await createPushEvent(
      db(),
      ctxOf(m),
      pushEventInputSchema.parse({ type: "sms", message: "Sale on Sunday", audience: { templateIds: [template.id, other.id] } }),
    );
    await runPushEvent(db(), event.id, { size: 2 });
    const sent = await db().select().from(outboxMessages).where(eq(outboxMessages.merchantId, m.merchant.id));
    const news = sent.filter((o) => o.body.startsWith("Sale on Sunday"));
    expect(news.map((o) => o.recipient).sort()).toEqual(
      [kept.phone, (await db().select().from(customers).where(eq(customers.id, second.customerId!)))[0].phone].sort(),
    );
    expect(news.some((o) => o.cardId === silent.id)).toBe(false);
    const link = /\/u\/([A-Za-z0-9_-]+)/.exec(news.find((o) => o.recipient === kept.phone)!.body)![1];
    expect(link).toBe(unsubscribeToken(m.merchant.id, agreed.customerId!));
    // Short, as every character of an SMS costs; the stop word in the merchant's language.
    expect(link).toHaveLength(30);
    expect(news.find((o) => o.recipient === kept.phone)!.body).toContain("\nОтписаться: ");
    expect(await resolveUnsubscribeToken(db(), link)).toEqual({ merchantId: m.merchant.id, customerId: agreed.customerId });
    expect(await resolveUnsubscribeToken(db(), link.slice(0, -2) + (link.endsWith("AA") ? "AB" : "AA"))).toBeNull();
    // A 56-character link from an SMS sent before still names the customer.
    const legacy = [
      uuidB64(m.merchant.id),
      uuidB64(agreed.customerId!),
      createHmac("sha256", encryptionKey()).update(`unsubscribe:${m.merchant.id}:${agreed.customerId}`).digest().subarray(0, 9).toString("base64url"),
    ].join("");
    expect(await resolveUnsubscribeToken(db(), legacy)).toEqual({ merchantId: m.merchant.id, customerId: agreed.customerId });
    const [finished] = await db().select().from(pushEvents).where(eq(pushEvents.id, event.id));
    expect(finished.state).toBe("finished");
    expect((await loadPushEventCounts(db(), finished)).sms).toMatchObject({ cost: 0 });

    // The link withdraws consent; the next news skips that customer.
    // Opening the link (a messenger's preview does) only names the merchant; the page's button withdraws.
    expect(await describeUnsubscribeToken(db(), link)).toMatchObject({ merchantName: m.merchant.name, customerId: agreed.customerId });
    expect((await db().select().from(customers).where(eq(customers.id, agreed.customerId!)))[0].marketingConsent).toBe(true);
    const form = new FormData();
    form.set("token", link);
    expect(await stopNewsAction(null, form)).toEqual({ done: true });
    expect(await unsubscribeByToken(db(), link)).toEqual({ merchantName: m.merchant.name });
    form.set("token", "not-a-token");
    expect(await stopNewsAction(null, form)).toEqual({ done: false, invalid: true });
    const [withdrawn] = await db().select().from(customers).where(eq(customers.id, agreed.customerId!));
    expect(withdrawn.marketingConsent).toBe(false);
    // Their news still waiting in the outbox is not sent; the other customer's still goes.
    const outcome = await db().select().from(outboxMessages).where(eq(outboxMessages.merchantId, m.merchant.id));
    const newsOf = (phone: string | null) => outcome.find((o) => o.recipient === phone && o.body.startsWith("Sale on Sunday"))!;
    expect(newsOf(kept.phone)).toMatchObject({ status: "failed", error: CONSENT_WITHDRAWN_REASON });
    const failed = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "message.failed")));
    expect(failed.map((e) => e.data)).toEqual([expect.objectContaining({ messageId: newsOf(kept.phone).id, reason: CONSENT_WITHDRAWN_REASON })]);
    expect(outcome.filter((o) => o.body.startsWith("Sale on Sunday") && o.status !== "failed")).toHaveLength(1);
    const again = await createPushEvent(
      db(),
      ctxOf(m),
      pushEventInputSchema.parse({ type: "sms", message: "Second news", audience: { templateIds: [template.id] } }),
    );
    await runPushEvent(db(), again.id);
    const second2 = await db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.merchantId, m.merchant.id), eq(outboxMessages.recipient, kept.phone!)));
    expect(second2.filter((o) => o.body.startsWith("Second news"))).toEqual([]);
  });

  it("is not sent once consent is withdrawn, even where the withdrawal could not see it: committed just after, or back in the queue after a temporary failure", async () => {
    const m = await createTestMerchant();
    const { template, cards } = await audienceOf(m, 3);
    for (const c of cards) await giveMarketingConsent(db(), m.merchant.id, c.customerId!, CONSENT);
    await saveSmsSettings(db(), m.actor, smsSettingsSchema.parse({ provider: "smsru", smsruSecretApiId: unique("api"), sender: "" }));
    const event = await createPushEvent(
      db(),
      ctxOf(m),
      pushEventInputSchema.parse({ type: "sms", message: "Weekend sale", audience: { templateIds: [template.id] } }),
    );
    await runPushEvent(db(), event.id);
    const queued = await db().select().from(outboxMessages).where(eq(outboxMessages.merchantId, m.merchant.id));
    const newsOf = (cardId: string) => queued.find((o) => o.cardId === cardId && o.body.startsWith("Weekend sale"))!;
    const [late, retried, kept] = cards.map((c) => newsOf(c.id));
    expect([late, retried, kept].map((o) => o.status)).toEqual(["queued", "queued", "queued"]);

    // A batch that read consent just before the withdrawal committed its news just after it: the
    // withdrawal's own sweep of queued news could not see it. Withdrawn here without that sweep.
    await db().update(customers).set({ marketingConsent: false }).where(eq(customers.id, cards[0].customerId!));
    // News being sent when the customer withdrew, which then failed for a while and went back to the queue.
    await db().update(outboxMessages).set({ status: "sending" }).where(eq(outboxMessages.id, retried.id));
    await withdrawMarketingConsent(db(), m.merchant.id, cards[1].customerId!, "customer");
    expect((await db().select().from(outboxMessages).where(eq(outboxMessages.id, retried.id)))[0].status).toBe("sending");
    await db().update(outboxMessages).set({ status: "queued" }).where(eq(outboxMessages.id, retried.id));

    const before = smsRu.received.length;
    expect(await deliverMessage(late.id)).toMatchObject({ status: "failed", error: CONSENT_WITHDRAWN_REASON });
    expect(await deliverMessage(retried.id)).toMatchObject({ status: "failed", error: CONSENT_WITHDRAWN_REASON });
    // The customer who still consents gets theirs.
    expect(await deliverMessage(kept.id)).toMatchObject({ status: "sent" });
    const sent = smsRu.received.slice(before).filter((r) => r.path === "/sms/send");
    expect(sent.map((r) => r.params.msg)).toEqual([kept.body]);
    const failed = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "message.failed")));
    expect(failed.map((e) => e.data.messageId).sort()).toEqual([late.id, retried.id].sort());

    // A card message that carries no stop link is not news: it goes whatever the consent.
    const [plain] = await db()
      .insert(outboxMessages)
      .values({ merchantId: m.merchant.id, channel: "sms", kind: "card", cardId: cards[0].id, recipient: late.recipient, body: "Your card: 5 points" })
      .returning();
    expect(await deliverMessage(plain.id)).toMatchObject({ status: "sent" });
  });

  it("reads only the stop link a text ends with, and only as its own merchant's (tenancy)", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { cards } = await audienceOf(a, 1);
    const customerId = cards[0].customerId!;
    const link = unsubscribeToken(a.merchant.id, customerId);
    expect(stopLinkCustomer(a.merchant.id, `News\nStop: https://x.test/u/${link}`)).toBe(customerId);
    // B's text carrying A's customer's link, or a link B made for A's customer, names nobody for B.
    expect(stopLinkCustomer(b.merchant.id, `News\nStop: https://x.test/u/${link}`)).toBeNull();
    expect(stopLinkCustomer(a.merchant.id, `Stop: https://x.test/u/${unsubscribeToken(b.merchant.id, customerId)}`)).toBeNull();
    expect(stopLinkCustomer(a.merchant.id, `Stop: https://x.test/u/${link}x`)).toBeNull();
    expect(stopLinkCustomer(a.merchant.id, `Stop: https://x.test/u/${link}\nSee you`)).toBeNull();
    // A link in the merchant's own words (pasted from an earlier SMS) is not the recipient's.
    const { cards: others } = await audienceOf(a, 1);
    const recipient = unsubscribeToken(a.merchant.id, others[0].customerId!);
    expect(stopLinkCustomer(a.merchant.id, `Stop with https://x.test/u/${link}\nStop: https://x.test/u/${recipient}`)).toBe(others[0].customerId);
    // B's own news to that phone is not stopped by A's customer's withdrawal.
    await db().update(customers).set({ marketingConsent: false }).where(eq(customers.id, customerId));
    expect(await newsWithdrawn(db(), { merchantId: a.merchant.id, body: `Stop: https://x.test/u/${link}` })).toBe(true);
    expect(await newsWithdrawn(db(), { merchantId: b.merchant.id, body: `Stop: https://x.test/u/${link}` })).toBe(false);
    await giveMarketingConsent(db(), a.merchant.id, others[0].customerId!, CONSENT);
    expect(await newsWithdrawn(db(), { merchantId: a.merchant.id, body: `Old news: /u/${link}\nStop: https://x.test/u/${recipient}` })).toBe(false);
    // Nor does the first customer's withdrawal drop the second's news that quotes it.
    const [quoting] = await db()
      .insert(outboxMessages)
      .values({
        merchantId: a.merchant.id,
        channel: "sms",
        kind: "card",
        cardId: others[0].id,
        recipient: "+70000000000",
        body: `Old news: ${getEnv().APP_URL}/u/${link}\nStop: ${getEnv().APP_URL}/u/${recipient}`,
      })
      .returning();
    await giveMarketingConsent(db(), a.merchant.id, customerId, CONSENT);
    await withdrawMarketingConsent(db(), a.merchant.id, customerId, "customer");
    expect((await db().select().from(outboxMessages).where(eq(outboxMessages.id, quoting.id)))[0].status).toBe("queued");
  });

  it("estimates the cost before sending with sms.ru's cost query, sending nothing", async () => {
    const m = await createTestMerchant();
    const { template, cards } = await audienceOf(m, 3);
    for (const c of cards.slice(0, 2)) await giveMarketingConsent(db(), m.merchant.id, c.customerId!, CONSENT);
    await saveSmsSettings(db(), m.actor, smsSettingsSchema.parse({ provider: "smsru", smsruSecretApiId: unique("api"), sender: "" }));
    const before = smsRu.received.length;
    const estimate = await estimateSmsNews(db(), m.merchant.id, { templateIds: [template.id] }, "Sale on Sunday");
    // 2 phones × 2 parts (Cyrillic stop text makes it UCS-2, over 70 characters) × 3.50 ₽.
    expect(estimate).toMatchObject({ phones: 2, parts: 2, perMessageMinor: 700, totalMinor: 1400, currency: "RUB" });
    const asked = smsRu.received.slice(before);
    expect(asked.map((r) => r.path)).toEqual(["/sms/cost"]);
    expect(asked[0].params.msg).toContain("/u/");
  });

  it("estimates the cost with smsc.ru's cost=1 query", async () => {
    const m = await createTestMerchant();
    const { template, cards } = await audienceOf(m, 1);
    await giveMarketingConsent(db(), m.merchant.id, cards[0].customerId!, CONSENT);
    await saveSmsSettings(
      db(),
      m.actor,
      smsSettingsSchema.parse({ provider: "smsc", smscAuth: "password", smscLogin: "shop", smscSecretPassword: "shop-password-1" }),
    );
    const before = smsc.received.length;
    const estimate = await estimateSmsNews(db(), m.merchant.id, { templateIds: [template.id] }, "Hi");
    expect(estimate).toMatchObject({ phones: 1, currency: "RUB" });
    expect(estimate.totalMinor).toBe(estimate.perMessageMinor);
    expect(estimate.perMessageMinor).toBe(Math.round(estimate.parts * 210));
    const asked = smsc.received.slice(before);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ path: "/sys/send.php", params: expect.objectContaining({ cost: "1" }) });
  });

  it("tenancy: a token names one merchant's customer; another merchant's estimate sees none of them", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { template, cards } = await audienceOf(a, 1);
    await giveMarketingConsent(db(), a.merchant.id, cards[0].customerId!, CONSENT);
    // Merchant B cannot give or withdraw consent for A's customer.
    await giveMarketingConsent(db(), b.merchant.id, cards[0].customerId!, "forged");
    const [row] = await db().select().from(customers).where(eq(customers.id, cards[0].customerId!));
    expect(row.marketingConsentText).toBe(CONSENT);
    // B can make a token for A's customer with its own merchant id, but the link is checked against the customer's own merchant.
    const forged = unsubscribeToken(b.merchant.id, cards[0].customerId!);
    expect(await resolveUnsubscribeToken(db(), forged)).toBeNull();
    expect(await unsubscribeByToken(db(), forged)).toBeNull();
    expect(await unsubscribeByToken(db(), "not-a-token")).toBeNull();
    expect((await db().select().from(customers).where(eq(customers.id, cards[0].customerId!)))[0].marketingConsent).toBe(true);
    expect((await estimateSmsNews(db(), b.merchant.id, { templateIds: [template.id] }, "x")).phones).toBe(0);
    // The enrolment page's consent names a card: another merchant's card id changes nothing.
    await db().update(customers).set({ marketingConsent: false }).where(eq(customers.id, cards[0].customerId!));
    await giveConsentForCard(db(), b.merchant.id, cards[0].id, "forged");
    expect((await db().select().from(customers).where(eq(customers.id, cards[0].customerId!)))[0].marketingConsent).toBe(false);
    await giveConsentForCard(db(), a.merchant.id, cards[0].id, CONSENT);
    expect((await db().select().from(customers).where(eq(customers.id, cards[0].customerId!)))[0].marketingConsent).toBe(true);
  });
});
