import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, cardTemplates, certificateCodes } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { certificateExtrasFor } from "@/lib/gift-certificates/customer";
import { createDefinition, updateDefinition } from "@/lib/gift-certificates/definitions";
import { expireDueCertificates } from "@/lib/gift-certificates/expiry";
import { generatePoolCodes, uploadCodes } from "@/lib/gift-certificates/pool";
import { postTransaction, reverseTransaction } from "@/lib/ledger";
import type { DefinitionInput } from "@/lib/validations/gift-certificates";
import { GET as listDefinitionsRoute } from "@/app/api/v1/certificate-definitions/route";
import { GET as listRoute, POST as issueRoute } from "@/app/api/v1/certificates/route";
import { GET as getRoute } from "@/app/api/v1/certificates/[id]/route";
import { GET as lookupRoute } from "@/app/api/v1/pos/lookup/route";
import { POST as postTxRoute } from "@/app/api/v1/cards/[id]/transactions/route";
import { createTestMerchant, uniquePhone, type TestMerchant } from "../factories";

/** Promo-code coupons: the certificates' pools issue coupons that redeem once (issue 13, item 5). */

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function call(
  route: unknown,
  key: string,
  { method = "GET", path = "/api/v1/x", params = {}, body }: { method?: string; path?: string; params?: object; body?: unknown } = {},
) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${key}`, "idempotency-key": `k-${Math.random().toString(36).slice(2)}` } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await (route as Route)(new Request(`http://localhost${path}`, init), { params: Promise.resolve(params as never) });
  return { status: response.status, body: await response.json() };
}

const db = () => getDb();
const text = (en: string) => ({ en, ru: en });
const couponInput = (over: Partial<DefinitionInput> = {}): DefinitionInput => ({
  name: "−20% pizza",
  valueKind: "coupon",
  product: { en: "−20% on any pizza", ru: "−20% на любую пиццу" },
  presentation: text("Name the code at the till"),
  terms: text("One per order"),
  validity: { mode: "days", days: 30 },
  ...over,
});
const till = (m: TestMerchant) => ({ merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till" } });
const s = {} as { m: TestMerchant; coupon: string; gift: string; key: string; pos: string; other: TestMerchant; otherKey: string };

async function issueCoupon(phone = uniquePhone()) {
  const answer = await call(issueRoute, s.key, { method: "POST", body: { definitionId: s.coupon, phone, sendSms: false } });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; number: string; certificate: { kind: string; code: string }; values: { balance: number }; links: { page: string } };
}

beforeAll(async () => {
  s.m = await createTestMerchant();
  const coupon = await createDefinition(db(), s.m.actor, couponInput());
  const gift = await createDefinition(db(), s.m.actor, {
    ...couponInput({ name: "Gift", valueKind: "money", product: undefined }),
    nominal: 1000,
  });
  s.coupon = coupon.id;
  s.gift = gift.id;
  await generatePoolCodes(db(), s.m.actor, coupon.id, { count: 80, length: 8 });
  s.key = (await createApiKey(db(), s.m.actor, { name: "CRM", scopes: ["certificates:read", "certificates:write"] })).key;
  s.pos = (await createApiKey(db(), s.m.actor, { name: "Till", scopes: ["pos:write"] })).key;
  s.other = await createTestMerchant();
  s.otherKey = (await createApiKey(db(), s.other.actor, { name: "Other", scopes: ["*"] })).key;
});

describe("coupon definitions", () => {
  it("a coupon definition has a coupon template, holds no money and redeems whole; it keeps its kind", async () => {
    const made = await createDefinition(db(), s.m.actor, couponInput({ name: "Free coffee", partialRedemption: true }));
    expect(made).toMatchObject({ kind: "coupon", nominal: null, partialRedemption: false, product: { en: "−20% on any pizza" } });
    const [template] = await db().select().from(cardTemplates).where(eq(cardTemplates.id, made.templateId));
    expect(template.kind).toBe("coupon");
    await expect(createDefinition(db(), s.m.actor, couponInput({ product: text("") }))).rejects.toThrow();
    await expect(updateDefinition(db(), s.m.actor, made.id, { ...couponInput(), valueKind: "money", nominal: 100, product: undefined })).rejects.toMatchObject({
      message: "giftCertificates.errors.kindFixed",
    });
  });

  it("uploads and generates codes through the same pools: a code of a gift pool is taken for a coupon pool too", async () => {
    expect((await uploadCodes(db(), s.m.actor, s.gift, "code\nSHARED01\n")).imported).toBe(1);
    const report = await uploadCodes(db(), s.m.actor, s.coupon, "code\nSHARED01\nCOUPON01\n");
    expect(report).toMatchObject({ written: false, problems: [{ line: 2, code: "SHARED01", problem: "giftCertificates.errors.codeTaken" }] });
    expect((await uploadCodes(db(), s.m.actor, s.coupon, "code\nCOUPON01\n")).imported).toBe(1);
  });

  it("lists definitions with their kind through the API", async () => {
    const { body } = await call(listDefinitionsRoute, s.key);
    expect(body.data.find((d: { id: string }) => d.id === s.coupon)).toMatchObject({ kind: "coupon", nominal: null, partialRedemption: false });
    expect(body.data.find((d: { id: string }) => d.id === s.gift)).toMatchObject({ kind: "gift" });
  });
});

describe("coupons at the till", () => {
  it("issues a coupon holding 1, finds it by its code, redeems it once; a second redemption is 409 coupon_used", async () => {
    const coupon = await issueCoupon();
    expect(coupon).toMatchObject({ values: { balance: 1 }, certificate: { kind: "coupon" } });
    expect(coupon.number).toBe(coupon.certificate.code);
    const found = await call(lookupRoute, s.pos, { path: `/api/v1/pos/lookup?code=${coupon.number.toLowerCase()}` });
    expect(found.status).toBe(200);
    expect(await call(postTxRoute, s.pos, { method: "POST", params: { id: coupon.id }, body: { type: "redeem", points: 2 } })).toEqual({
      status: 422,
      body: {
        error: {
          code: "validation",
          message: "A coupon is redeemed once, whole (1).",
          details: [{ path: "points", message: "A coupon is redeemed once, whole (1)." }],
        },
      },
    });
    const first = await call(postTxRoute, s.pos, { method: "POST", params: { id: coupon.id }, body: { type: "redeem", points: 1 } });
    expect(first.status).toBe(201);
    const second = await call(postTxRoute, s.pos, { method: "POST", params: { id: coupon.id }, body: { type: "redeem", points: 1 } });
    expect(second).toEqual({
      status: 409,
      body: { error: { code: "coupon_used", message: "This coupon was already used.", data: { usedAt: first.body.createdAt } } },
    });
    const [code] = await db().select().from(certificateCodes).where(eq(certificateCodes.cardId, coupon.id));
    expect(code.status).toBe("redeemed");
    const events = await db()
      .select({ type: cardEvents.type })
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, coupon.id), eq(cardEvents.merchantId, s.m.merchant.id)));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["certificate.issued", "certificate.redeemed"]));
    const used = await call(listRoute, s.key, { path: `/api/v1/certificates?kind=coupon&status=used` });
    expect(used.body.data.map((c: { id: string }) => c.id)).toContain(coupon.id);
    const gifts = await call(listRoute, s.key, { path: `/api/v1/certificates?kind=gift` });
    expect(gifts.body.data.map((c: { id: string }) => c.id)).not.toContain(coupon.id);
  });

  it("refuses an amount, accruals, and reverses back to usable", async () => {
    const amount = await call(issueRoute, s.key, { method: "POST", body: { definitionId: s.coupon, phone: uniquePhone(), amount: 500 } });
    expect(amount.status).toBe(422);
    const coupon = await issueCoupon();
    await expect(postTransaction(db(), till(s.m), { cardId: coupon.id, type: "accrue", points: 1 })).rejects.toMatchObject({
      message: "giftCertificates.errors.noAccrual",
    });
    const { transaction } = await postTransaction(db(), till(s.m), { cardId: coupon.id, type: "redeem", points: 1 });
    await reverseTransaction(db(), till(s.m), { transactionId: transaction.id });
    const [code] = await db().select().from(certificateCodes).where(eq(certificateCodes.cardId, coupon.id));
    expect(code.status).toBe("issued");
    expect((await postTransaction(db(), till(s.m), { cardId: coupon.id, type: "redeem", points: 1 })).transaction.balanceAfter).toBe(0);
  });

  it("50 tills racing redeem it exactly once; the rest hear coupon_used", async () => {
    const coupon = await issueCoupon();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        postTransaction(db(), till(s.m), { cardId: coupon.id, type: "redeem", points: 1, idempotencyKey: `c-race-${coupon.id}-${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(new Set(refused.map((r) => (r.reason as { code: string }).code))).toEqual(new Set(["coupon_used"]));
    const [card] = await db().select().from(cards).where(eq(cards.id, coupon.id));
    expect(card.balance).toBe(0);
  });

  it("expires past its validity, written off like a certificate", async () => {
    const coupon = await issueCoupon();
    await db()
      .update(cards)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(cards.id, coupon.id));
    expect(await expireDueCertificates(db())).toBeGreaterThanOrEqual(1);
    const [card] = await db().select().from(cards).where(eq(cards.id, coupon.id));
    expect(card).toMatchObject({ status: "expired", balance: 0 });
    const answer = await call(postTxRoute, s.pos, { method: "POST", params: { id: coupon.id }, body: { type: "redeem", points: 1 } });
    expect(answer.body.error.code).toBe("card_expired");
  });
});

describe("the customer's side", () => {
  it("/my shows a coupon among the certificates, with its offer and code", async () => {
    const coupon = await issueCoupon();
    const extras = (await certificateExtrasFor(db(), [coupon.id])).get(coupon.id)!;
    expect(extras).toMatchObject({ code: coupon.number, definition: { kind: "coupon", product: { en: "−20% on any pizza" } } });
  });
});

describe("tenancy", () => {
  it("another merchant can neither see, find, issue from nor redeem a coupon", async () => {
    const coupon = await issueCoupon();
    expect((await call(getRoute, s.otherKey, { params: { id: coupon.id } })).status).toBe(404);
    expect((await call(lookupRoute, s.otherKey, { path: `/api/v1/pos/lookup?code=${coupon.number}` })).body.error.code).toBe("card_not_found");
    expect((await call(postTxRoute, s.otherKey, { method: "POST", params: { id: coupon.id }, body: { type: "redeem", points: 1 } })).status).toBe(404);
    expect((await call(issueRoute, s.otherKey, { method: "POST", body: { definitionId: s.coupon, phone: uniquePhone() } })).status).toBe(404);
    expect((await call(listRoute, s.otherKey, { path: "/api/v1/certificates?kind=coupon" })).body.data).toEqual([]);
    expect((await call(listDefinitionsRoute, s.otherKey)).body.data).toEqual([]);
    await expect(uploadCodes(db(), s.other.actor, s.coupon, "THEIRS01\n")).rejects.toMatchObject({ code: "not_found" });
    await expect(generatePoolCodes(db(), s.other.actor, s.coupon, { count: 1, length: 8 })).rejects.toMatchObject({ code: "not_found" });
    await expect(updateDefinition(db(), s.other.actor, s.coupon, couponInput())).rejects.toMatchObject({ code: "not_found" });
    const [card] = await db().select().from(cards).where(eq(cards.id, coupon.id));
    expect(card.balance).toBe(1);
  });
});

describe("a coupon's SMS", () => {
  it("tells of a coupon, not a gift certificate, in the default text", async () => {
    const { outboxMessages } = await import("@/db/schema");
    const phone = uniquePhone();
    const answer = await call(issueRoute, s.key, { method: "POST", body: { definitionId: s.coupon, phone } });
    const [sms] = await db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.merchantId, s.m.merchant.id), eq(outboxMessages.recipient, phone)));
    expect(sms.body).toMatch(/coupon|купон/);
    expect(sms.body).not.toMatch(/certificate|сертификат/);
    expect(sms.body).toContain(answer.body.links.page);
  });
});
