import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, messagingSettings, outboxMessages } from "@/db/schema";
import { getEmailAdapter, getSmsAdapter } from "@/lib/adapters";
import { consoleSmsAdapter } from "@/lib/adapters/sms/console";
import { getEnv } from "@/lib/env";
import { CODE_MASK } from "@/lib/messaging/errors";
import { saveEmailSettings, saveSmsSettings } from "@/lib/messaging/settings";
import { deliverMessage, openCodeSecret, queueCodeMessage, queueMessage } from "@/lib/outbox";
import { emailSettingsSchema, smsSettingsSchema } from "@/lib/validations/messaging";
import { startResendStandIn, type ResendStandIn } from "../support/resend-stand-in";
import { startSmsRuStandIn, startSmscStandIn, type SmsRuStandIn, type SmscStandIn } from "../support/sms-stand-ins";
import { createTestMerchant, unique, uniquePhone } from "../factories";

let smsRu: SmsRuStandIn;
let smsc: SmscStandIn;
let resend: ResendStandIn;
const SMSC_LOGIN = "shop-login";
const SMSC_PASSWORD = "shop-password-1";
const SMSC_KEY = "smsc-platform-key-0001";
const RESEND_KEY = "re_merchant_key_123456";
const env = getEnv();
const originalEnv = { ...env };

beforeAll(async () => {
  [smsRu, smsc, resend] = await Promise.all([
    startSmsRuStandIn({ pricePerSms: 3.5 }),
    startSmscStandIn({ accounts: { [SMSC_LOGIN]: SMSC_PASSWORD }, apiKeys: [SMSC_KEY], pricePerSms: 2.1 }),
    startResendStandIn({ apiKeys: [RESEND_KEY, "re_platform_key_654321"] }),
  ]);
  // getEnv() is read once per process; the stand-ins' ports are only known now.
  Object.assign(env, { SMS_RU_URL: smsRu.url, SMSC_URL: smsc.url, RESEND_URL: resend.url });
});
afterEach(() => {
  Object.assign(env, {
    SMS_PROVIDER: originalEnv.SMS_PROVIDER,
    SMSC_API_KEY: undefined,
    EMAIL_PROVIDER: originalEnv.EMAIL_PROVIDER,
    RESEND_API_KEY: undefined,
  });
});
afterAll(async () => {
  await Promise.all([smsRu.close(), smsc.close(), resend.close()]);
});

type Merchant = Awaited<ReturnType<typeof createTestMerchant>>;
/** The message outcome events a merchant's door recorded: [type, messageId, reason?]. */
const outcomes = async (merchantId: string) =>
  (await getDb().select().from(cardEvents).where(eq(cardEvents.merchantId, merchantId)))
    .filter((e) => e.type.startsWith("message."))
    .map((e) => [e.type, e.data.messageId, ...(e.data.reason ? [e.data.reason] : [])]);
const row = async (id: string) => (await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, id)))[0];
const sms = (merchantId: string | null, body: string, kind: "code" | "card" | "test" = "card", recipient = uniquePhone()) =>
  kind === "code"
    ? queueCodeMessage(getDb(), { merchantId, recipient, code: /\d{6}/.exec(body)![0], render: (code) => body.replace(/\d{6}/, code) })
    : queueMessage(getDb(), { merchantId, channel: "sms", kind, recipient, body });

async function useSmsRu(m: Merchant, sender = "") {
  const apiId = unique("smsru-api-id");
  await saveSmsSettings(getDb(), m.actor, smsSettingsSchema.parse({ provider: "smsru", smsruSecretApiId: apiId, sender }));
  return apiId;
}
async function useSmsc(m: Merchant) {
  await saveSmsSettings(
    getDb(),
    m.actor,
    smsSettingsSchema.parse({ provider: "smsc", smscAuth: "password", smscLogin: SMSC_LOGIN, smscSecretPassword: SMSC_PASSWORD }),
  );
}

describe("adapter selection", () => {
  it("gives each merchant its own provider and the platform the one in the environment", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    await useSmsRu(a);
    expect((await getSmsAdapter(getDb(), a.merchant.id)).name).toBe("sms.ru");
    expect(await getSmsAdapter(getDb(), b.merchant.id)).toBe(consoleSmsAdapter);
    expect(await getSmsAdapter(getDb(), null)).toBe(consoleSmsAdapter);
    Object.assign(env, { SMS_PROVIDER: "smsc", SMSC_API_KEY: SMSC_KEY, EMAIL_PROVIDER: "resend", RESEND_API_KEY: "re_platform_key_654321" });
    expect((await getSmsAdapter(getDb(), null)).name).toBe("smsc.ru");
    expect((await getSmsAdapter(getDb(), b.merchant.id)).name).toBe("console");
    expect(await getEmailAdapter(getDb(), null)).toMatchObject({ name: "resend", from: env.EMAIL_FROM });
    expect(await getEmailAdapter(getDb(), b.merchant.id)).toMatchObject({ name: "console", from: env.EMAIL_FROM });
  });

  it("the platform's own code goes out through the platform provider", async () => {
    Object.assign(env, { SMS_PROVIDER: "smsc", SMSC_API_KEY: SMSC_KEY });
    const id = await sms(null, "123456 is your CardDesk sign-in code.", "code");
    await deliverMessage(id);
    expect(await row(id)).toMatchObject({ status: "sent", provider: "smsc.ru", costMinor: 210, currency: "RUB" });
    expect(smsc.received.at(-1)?.params).toMatchObject({ apikey: SMSC_KEY, mes: "123456 is your CardDesk sign-in code." });
  });

  it("a sealed setting copied onto another merchant's row does not open there", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    await useSmsRu(a);
    const [sealed] = await getDb().select().from(messagingSettings).where(eq(messagingSettings.merchantId, a.merchant.id));
    await getDb()
      .insert(messagingSettings)
      .values({ ...sealed, merchantId: b.merchant.id });
    const id = await sms(b.merchant.id, "Your card: https://example.test/c/1");
    await deliverMessage(id);
    expect(await row(id)).toMatchObject({ status: "failed", error: expect.stringMatching(/^auth: The stored SMS credentials cannot be read/) });
    expect(smsRu.received.filter((r) => r.path === "/sms/send" && r.params.msg === "Your card: https://example.test/c/1")).toHaveLength(0);
  });
});

describe("delivery through the providers", () => {
  it("sms.ru: sends with the merchant's api_id and sender; the status check marks it delivered with its cost", async () => {
    const m = await createTestMerchant();
    const apiId = await useSmsRu(m, "CoffeeShop");
    const id = await sms(m.merchant.id, "Coffee: your card https://example.test/c/2");
    const sent = await deliverMessage(id);
    expect(sent).toMatchObject({ status: "sent", provider: "sms.ru", attempts: 1, error: null });
    const request = smsRu.received.at(-1)!;
    expect(request.params).toMatchObject({ api_id: apiId, from: "CoffeeShop", to: sent!.recipient.slice(1), json: "1" });
    smsRu.setStatus(sent!.providerMessageId!, 103);
    const { checkDeliveryStatuses } = await import("@/lib/messaging/delivery-status");
    expect(await checkDeliveryStatuses(getDb(), { merchantIds: [m.merchant.id] })).toEqual({ checked: 1, delivered: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ status: "delivered", costMinor: 350, currency: "RUB", statusChecks: 1, deliveredAt: expect.any(Date) });
    // The door learns it once: a second check finds nothing left to move.
    await checkDeliveryStatuses(getDb(), { merchantIds: [m.merchant.id] });
    expect(await outcomes(m.merchant.id)).toEqual([["message.delivered", id]]);
  });

  it("smsc.ru: keeps the cost of the send; an undeliverable message fails with the provider's reason", async () => {
    const m = await createTestMerchant();
    await useSmsc(m);
    const id = await sms(m.merchant.id, "Your card https://example.test/c/3");
    const sent = await deliverMessage(id);
    expect(sent).toMatchObject({ status: "sent", provider: "smsc.ru", costMinor: 210, currency: "RUB" });
    expect(smsc.received.at(-1)?.params).toMatchObject({ login: SMSC_LOGIN, psw: SMSC_PASSWORD, cost: "3", fmt: "3" });
    const { checkDeliveryStatuses } = await import("@/lib/messaging/delivery-status");
    // Still at the operator: asked again later.
    expect(await checkDeliveryStatuses(getDb(), { merchantIds: [m.merchant.id] })).toEqual({ checked: 1, delivered: 0, failed: 0 });
    expect(await row(id)).toMatchObject({ status: "sent", statusChecks: 1 });
    smsc.setStatus(sent!.providerMessageId!, 20, 1);
    expect(await checkDeliveryStatuses(getDb(), { merchantIds: [m.merchant.id] })).toEqual({ checked: 1, delivered: 0, failed: 1 });
    expect(await row(id)).toMatchObject({ status: "failed", statusChecks: 2, error: "not delivered: cannot be delivered (operator error 1)" });
    expect(await outcomes(m.merchant.id)).toEqual([["message.failed", id, "not delivered: cannot be delivered (operator error 1)"]]);
  });

  it("the status check leaves alone messages over a day old, asked ten times, or sent by the console", async () => {
    const m = await createTestMerchant();
    await useSmsRu(m);
    const old = await sms(m.merchant.id, "Old https://example.test/c/4");
    const tired = await sms(m.merchant.id, "Tired https://example.test/c/5");
    for (const id of [old, tired]) await deliverMessage(id);
    await getDb()
      .update(outboxMessages)
      .set({ sentAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(outboxMessages.id, old));
    await getDb().update(outboxMessages).set({ statusChecks: 10 }).where(eq(outboxMessages.id, tired));
    const other = await createTestMerchant();
    const onConsole = await sms(other.merchant.id, "Console https://example.test/c/6");
    await deliverMessage(onConsole);
    const { checkDeliveryStatuses } = await import("@/lib/messaging/delivery-status");
    expect(await checkDeliveryStatuses(getDb(), { merchantIds: [m.merchant.id, other.merchant.id] })).toEqual({ checked: 0, delivered: 0, failed: 0 });
  });

  it("a permanent refusal fails at once with its code and sms.ru's words; a per-number refusal too", async () => {
    const m = await createTestMerchant();
    const apiId = await useSmsRu(m);
    const blockedPhone = uniquePhone();
    smsRu.failPhone(blockedPhone, 209);
    const blocked = await sms(m.merchant.id, "Card https://example.test/c/7", "card", blockedPhone);
    expect(await deliverMessage(blocked)).toBeNull();
    expect(await row(blocked)).toMatchObject({ status: "failed", attempts: 1, error: expect.stringMatching(/^number_blocked: .*stop-list.*\(sms\.ru 209: /) });
    smsRu.failApiId(apiId, 201);
    const broke = await sms(m.merchant.id, "Card https://example.test/c/8");
    await deliverMessage(broke);
    expect(await row(broke)).toMatchObject({ status: "failed", error: expect.stringMatching(/^insufficient_funds: .*\(sms\.ru 201: Не хватает средств/) });
    expect((await outcomes(m.merchant.id)).map((o) => o.slice(0, 2))).toEqual([
      ["message.failed", blocked],
      ["message.failed", broke],
    ]);
  });

  it("a temporary refusal goes back to the queue for pg-boss to retry, and fails on the last try", async () => {
    const m = await createTestMerchant();
    const apiId = await useSmsRu(m);
    smsRu.failApiId(apiId, { httpStatus: 503 });
    const id = await sms(m.merchant.id, "Card https://example.test/c/9");
    await expect(deliverMessage(id)).rejects.toMatchObject({ code: "unavailable", temporary: true });
    expect(await row(id)).toMatchObject({ status: "queued", attempts: 1, error: expect.stringMatching(/^unavailable: /) });
    // A retry to come is not an outcome; the last try's failure is.
    expect(await outcomes(m.merchant.id)).toEqual([]);
    await deliverMessage(id, { isLast: true });
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 2 });
    expect((await outcomes(m.merchant.id)).map((o) => o[0])).toEqual(["message.failed"]);
  });

  it("a one-time code is never in the stored text; its seal is dropped once a real provider has it, and kept on the console", async () => {
    const m = await createTestMerchant();
    const onConsole = await sms(m.merchant.id, "482913 is your sign-in code.", "code");
    await deliverMessage(onConsole);
    expect((await row(onConsole)).body).toBe(`${CODE_MASK} is your sign-in code.`);
    expect(openCodeSecret(await row(onConsole))?.body).toBe("482913 is your sign-in code.");
    await useSmsRu(m);
    const real = await sms(m.merchant.id, "482913 is your sign-in code. Card 1234567.", "code");
    await deliverMessage(real);
    expect(smsRu.received.at(-1)?.params.msg).toBe("482913 is your sign-in code. Card 1234567.");
    expect(await row(real)).toMatchObject({ body: `${CODE_MASK} is your sign-in code. Card 1234567.`, secret: null });
    const card = await sms(m.merchant.id, "Card 482913 https://example.test/c/10", "card");
    await deliverMessage(card);
    expect((await row(card)).body).toBe("Card 482913 https://example.test/c/10");
  });
});

describe("e-mail through Resend", () => {
  async function useResend(m: Merchant) {
    await saveEmailSettings(
      getDb(),
      m.actor,
      emailSettingsSchema.parse({ provider: "resend", resendSecretApiKey: RESEND_KEY, from: "Coffee House <cards@coffee.example>" }),
    );
  }
  const mail = (merchantId: string, to: string) =>
    queueMessage(getDb(), { merchantId, channel: "email", kind: "card", recipient: to, subject: "Your card", body: "Text", html: "<p>Card</p>" });

  it("sends from the merchant's address with the message id as idempotency key, so a repeat cannot send twice", async () => {
    const m = await createTestMerchant();
    await useResend(m);
    const to = `${unique("holder")}@example.com`;
    const id = await mail(m.merchant.id, to);
    const sent = await deliverMessage(id);
    expect(sent).toMatchObject({ status: "sent", provider: "resend" });
    const accepted = resend.emails.filter((e) => e.to[0] === to);
    expect(accepted).toEqual([
      expect.objectContaining({
        id: sent!.providerMessageId,
        from: "Coffee House <cards@coffee.example>",
        idempotencyKey: id,
        html: "<p>Card</p>",
        text: "Text",
      }),
    ]);
    // A retry after a lost answer carries the same key: Resend answers with the first e-mail.
    const adapter = await getEmailAdapter(getDb(), m.merchant.id);
    const again = await adapter.send({ from: adapter.from, to, subject: "Your card", text: "Text", html: "<p>Card</p>" }, { idempotencyKey: id });
    expect(again.providerMessageId).toBe(sent!.providerMessageId);
    expect(resend.emails.filter((e) => e.to[0] === to)).toHaveLength(1);
  });

  it("a refused address fails the message; Resend being down leaves it queued", async () => {
    const m = await createTestMerchant();
    await useResend(m);
    const bad = `${unique("bad")}@example.com`;
    resend.failRecipient(bad, { status: 422, name: "validation_error", message: "Invalid `to` field." });
    const refused = await mail(m.merchant.id, bad);
    await deliverMessage(refused);
    expect(await row(refused)).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^message_rejected: Resend refused the e-mail: Invalid `to` field\./),
    });
    const busy = `${unique("busy")}@example.com`;
    resend.failRecipient(busy, { status: 500, name: "internal_server_error", message: "Unexpected error." });
    const retried = await mail(m.merchant.id, busy);
    await expect(deliverMessage(retried)).rejects.toMatchObject({ temporary: true });
    expect(await row(retried)).toMatchObject({ status: "queued", provider: "resend", error: expect.stringMatching(/^unavailable: /) });
  });

  it("staff mail goes through the platform, not the merchant's Resend", async () => {
    const m = await createTestMerchant();
    await useResend(m);
    const id = await queueMessage(getDb(), { merchantId: m.merchant.id, channel: "email", recipient: "staff@example.com", subject: "Access", body: "Hi" });
    expect(await deliverMessage(id)).toMatchObject({ status: "sent", provider: "console" });
  });
});
