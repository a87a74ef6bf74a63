import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards, merchants, oneTimeCodes, outboxMessages } from "@/db/schema";
import { listCardsForSession } from "@/lib/customer-auth/cards";
import { CODE_RULES, issueCode, verifyCode } from "@/lib/customer-auth/codes";
import { enrolCustomer } from "@/lib/customer-auth/enrol";
import { requestCustomerCode } from "@/lib/customer-auth/sign-in";
import { openCodeSecret } from "@/lib/outbox";
import { createTemplate } from "@/lib/templates";
import { createTestCard, createTestMerchant, uniquePhone } from "../factories";

const ip = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);

async function merchantWithCard(phone: string) {
  const m = await createTestMerchant();
  return { ...m, ...(await createTestCard(m, { phone })) };
}

describe("one-time codes", () => {
  it("are 6 digits, stored only as an HMAC, work once, and only the newest of a phone counts", async () => {
    const phone = uniquePhone();
    const t0 = new Date();
    const first = await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: ip() }, t0);
    expect(first.code).toMatch(/^\d{6}$/);
    const [row] = await getDb().select().from(oneTimeCodes).where(eq(oneTimeCodes.id, first.id));
    expect(row.codeHmac).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(first.code);
    const second = await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: ip() }, later(t0, 61));
    await expect(
      verifyCode(getDb(), { phone, purpose: "sign_in", code: first.code === second.code ? "000000" : first.code, merchantId: null }, later(t0, 62)),
    ).rejects.toMatchObject({ message: "customerAuth.errors.wrongCode" });
    expect((await verifyCode(getDb(), { phone, purpose: "sign_in", code: second.code, merchantId: null }, later(t0, 63))).consumedAt).toBeInstanceOf(Date);
    await expect(verifyCode(getDb(), { phone, purpose: "sign_in", code: second.code, merchantId: null }, later(t0, 64))).rejects.toMatchObject({
      message: "customerAuth.errors.expired",
    });
  });

  it("expire after 5 minutes", async () => {
    const phone = uniquePhone();
    const t0 = new Date();
    const { code } = await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: ip() }, t0);
    await expect(verifyCode(getDb(), { phone, purpose: "sign_in", code, merchantId: null }, later(t0, CODE_RULES.ttlSeconds + 1))).rejects.toMatchObject({
      code: "rate_limited",
      message: "customerAuth.errors.expired",
    });
  });

  it("end after 5 wrong tries: the 6th is refused even with the right code, and each wrong try says how many are left", async () => {
    const phone = uniquePhone();
    const { code } = await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: ip() });
    const wrong = code === "111111" ? "222222" : "111111";
    for (let left = 4; left >= 1; left--) {
      await expect(verifyCode(getDb(), { phone, purpose: "sign_in", code: wrong, merchantId: null })).rejects.toMatchObject({
        message: "customerAuth.errors.wrongCode",
        params: { left },
      });
    }
    await expect(verifyCode(getDb(), { phone, purpose: "sign_in", code: wrong, merchantId: null })).rejects.toMatchObject({
      message: "customerAuth.errors.noTriesLeft",
    });
    await expect(verifyCode(getDb(), { phone, purpose: "sign_in", code, merchantId: null })).rejects.toMatchObject({
      message: "customerAuth.errors.noTriesLeft",
    });
  });

  it("parallel wrong guesses cannot get more than 5 tries", async () => {
    const phone = uniquePhone();
    const { code } = await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: ip() });
    const wrong = code === "123456" ? "654321" : "123456";
    await Promise.allSettled(Array.from({ length: 12 }, () => verifyCode(getDb(), { phone, purpose: "sign_in", code: wrong, merchantId: null })));
    const [row] = await getDb().select().from(oneTimeCodes).where(eq(oneTimeCodes.phone, phone));
    expect(row.attempts).toBe(CODE_RULES.maxAttempts);
  });

  it("refuse a resend within 60 s, a 6th code for a phone within an hour and a 21st for an IP, saying when to try again", async () => {
    const phone = uniquePhone();
    const addr = ip();
    const t0 = new Date();
    await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: addr }, t0);
    await expect(issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: addr }, later(t0, 20))).rejects.toMatchObject({
      message: "customerAuth.errors.resendWait",
      params: { seconds: 40 },
    });
    for (let i = 1; i < CODE_RULES.perPhonePerHour; i++) await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: addr }, later(t0, 61 * i));
    await expect(issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: addr }, later(t0, 61 * 5))).rejects.toMatchObject({
      message: "customerAuth.errors.phoneLimit",
      params: { seconds: 3600 - 61 * 5 },
    });
    // An hour after the first, one more is allowed.
    await expect(issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: addr }, later(t0, 3601))).resolves.toMatchObject({
      code: expect.any(String),
    });

    const busy = ip();
    for (let i = 0; i < CODE_RULES.perIpPerHour; i++) await issueCode(getDb(), { phone: uniquePhone(), purpose: "sign_in", merchantId: null, ip: busy });
    await expect(issueCode(getDb(), { phone: uniquePhone(), purpose: "sign_in", merchantId: null, ip: busy })).rejects.toMatchObject({
      message: "customerAuth.errors.ipLimit",
    });
  });
});

describe("requesting a code", () => {
  it("sends an SMS to a phone holding a card, and answers the same for an unknown phone without sending", async () => {
    const known = uniquePhone();
    const m = await merchantWithCard(known);
    const stranger = uniquePhone();
    await (
      await requestCustomerCode(getDb(), { phone: known, purpose: "sign_in", merchant: null, ip: ip(), locale: "ru" })
    )();
    await (
      await requestCustomerCode(getDb(), { phone: stranger, purpose: "sign_in", merchant: null, ip: ip(), locale: "ru" })
    )();
    const sent = await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, known));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "code", channel: "sms", merchantId: null });
    // Staff-visible text holds a mask; the real text is sealed for the provider.
    expect(sent[0].body).toMatch(/^•••••• — код для входа в CardDesk/);
    expect(openCodeSecret(sent[0])?.body).toMatch(/^\d{6} — код для входа в CardDesk/);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, stranger))).toEqual([]);
    // The minute between codes holds per deliverer: the same page cannot go round it.
    await expect(requestCustomerCode(getDb(), { phone: known, purpose: "sign_in", merchant: null, ip: ip(), locale: "en" })).rejects.toMatchObject({
      message: "customerAuth.errors.resendWait",
    });
    await expect(requestCustomerCode(getDb(), { phone: known, purpose: "sign_in", merchant: m.merchant, ip: ip(), locale: "en" })).resolves.toBeTypeOf(
      "function",
    );
  });
});

describe("the customer's cards and enrolment", () => {
  it("lists every card of a phone across merchants, the entry merchant's first, and nobody else's", async () => {
    const phone = uniquePhone();
    const a = await merchantWithCard(phone);
    const b = await merchantWithCard(phone);
    await merchantWithCard(uniquePhone());
    const all = await listCardsForSession(getDb(), { phone, merchantId: null }, b.merchant.id);
    expect(all.map((r) => r.card.id)).toEqual([b.card.id, a.card.id]);
    expect(all.every((r) => r.card.customerId !== null)).toBe(true);
  });

  it("enrols a new customer with a card of the merchant's template once; a second enrolment keeps the first card", async () => {
    const m = await createTestMerchant();
    const template = await createTemplate(getDb(), m.actor, { name: "Join", kind: "loyalty" });
    const phone = uniquePhone();
    const holder = { phone, name: "New Person" };
    const { code } = await issueCode(getDb(), { phone, purpose: "enrol", merchantId: m.merchant.id, ip: ip() });
    await expect(enrolCustomer(getDb(), m.merchant, holder, code)).rejects.toMatchObject({ message: "customerAuth.errors.enrolmentClosed" });
    const [open] = await getDb()
      .update(merchants)
      .set({ enrolmentEnabled: true, enrolmentTemplateId: template.id })
      .where(eq(merchants.id, m.merchant.id))
      .returning();
    const first = await enrolCustomer(getDb(), open, holder, code);
    expect(first.created).toBe(true);
    const again = await issueCode(getDb(), { phone, purpose: "enrol", merchantId: m.merchant.id, ip: ip() }, new Date(Date.now() + 61_000));
    const second = await enrolCustomer(getDb(), open, holder, again.code);
    expect(second).toEqual({ cardId: first.cardId, created: false });
    expect(
      await getDb()
        .select()
        .from(cards)
        .where(and(eq(cards.merchantId, m.merchant.id), eq(cards.templateId, template.id))),
    ).toHaveLength(1);
  });
});
