import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { formatMoney } from "@/lib/format/money";
import type { StaffContext } from "@/lib/auth/session";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { createTestMerchant, uniquePhone, type TestMerchant } from "../factories";

/** A single certificate issued from the cabinet or the API texts its link to the phone (issue 13, item 8 with 7). */

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => ({ getLocale: async () => "en" }));

const { POST: issueRoute } = await import("@/app/api/v1/certificates/route");
const { issueCertificateAction } = await import("@/app/(cabinet)/gift-certificates/actions");

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function issue(key: string, body: unknown, idempotencyKey = `k-${Math.random().toString(36).slice(2)}`) {
  const response = await (issueRoute as Route)(
    new Request("http://localhost/api/v1/certificates", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "idempotency-key": idempotencyKey },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({} as never) },
  );
  return { status: response.status, body: await response.json() };
}

const smsTo = async (merchantId: string, phone: string) =>
  getDb()
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.merchantId, merchantId), eq(outboxMessages.recipient, phone), eq(outboxMessages.channel, "sms")));

const text = (en: string) => ({ en, ru: en });
const s = {} as { m: TestMerchant; key: string; money: string; product: string };

beforeAll(async () => {
  const db = getDb();
  s.m = await createTestMerchant("Pizza Place");
  const base = { presentation: text("Show it"), terms: text("Terms"), validity: { mode: "days" as const, days: 30 } };
  const money = await createDefinition(db, s.m.actor, {
    ...base,
    name: "Gift 1000",
    valueKind: "money",
    nominal: 100_000,
    smsTemplate: "{merchant} gives you {amount}: {link}",
  });
  const product = await createDefinition(db, s.m.actor, { ...base, name: "Pizza", valueKind: "product", product: text("One large pizza") });
  await generatePoolCodes(db, s.m.actor, money.id, { count: 10, length: 10 });
  await generatePoolCodes(db, s.m.actor, product.id, { count: 5, length: 10 });
  s.money = money.id;
  s.product = product.id;
  s.key = (await createApiKey(db, s.m.actor, { name: "CRM", scopes: ["certificates:write", "certificates:read"] })).key;
});

describe("the SMS of a single certificate", () => {
  it("the API texts the definition's SMS with the merchant, the amount and the link, once even when retried", async () => {
    const phone = uniquePhone();
    const key = `retry-${Math.random()}`;
    const first = await issue(s.key, { definitionId: s.money, phone, amount: 50_000 }, key);
    expect(first.status).toBe(201);
    const again = await issue(s.key, { definitionId: s.money, phone, amount: 50_000 }, key);
    expect(again.body.id).toBe(first.body.id);
    const sent = await smsTo(s.m.merchant.id, phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "card", cardId: first.body.id });
    expect(sent[0].body).toBe(`Pizza Place gives you ${formatMoney(50_000, s.m.merchant.currency, "ru")}: ${first.body.links.page}`);
  });

  it("a product certificate's SMS names the product, in the default text", async () => {
    const phone = uniquePhone();
    const answer = await issue(s.key, { definitionId: s.product, phone });
    const [sms] = await smsTo(s.m.merchant.id, phone);
    expect(sms.body).toContain("One large pizza");
    expect(sms.body).toContain(answer.body.links.page);
  });

  it("`sendSms: false` issues without a message", async () => {
    const phone = uniquePhone();
    expect((await issue(s.key, { definitionId: s.money, phone, sendSms: false })).status).toBe(201);
    expect(await smsTo(s.m.merchant.id, phone)).toHaveLength(0);
  });

  it("refuses a `sendSms` that is not a boolean, and neither issues nor texts", async () => {
    const phone = uniquePhone();
    expect(await issue(s.key, { definitionId: s.money, phone, sendSms: "no" })).toEqual({
      status: 422,
      body: {
        error: {
          code: "validation",
          message: "Some fields are invalid; see details.",
          details: [{ path: "sendSms", message: "sendSms is true or false." }],
        },
      },
    });
    expect(await smsTo(s.m.merchant.id, phone)).toHaveLength(0);
  });

  it("the cabinet texts the link when the box is ticked, and not when it is not", async () => {
    signedIn = { userId: s.m.owner.id, merchantId: s.m.merchant.id, role: "owner", merchant: s.m.merchant, user: s.m.owner };
    const form = (values: Record<string, string>) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(values)) fd.set(k, v);
      return fd;
    };
    const ticked = uniquePhone();
    const withSms = await issueCertificateAction(null, form({ id: s.money, phone: ticked, sendSms: "on" }));
    expect(withSms).toMatchObject({ ok: true, data: { sent: true } });
    const [sms] = await smsTo(s.m.merchant.id, ticked);
    expect(sms.body).toMatch(/^Pizza Place gives you .*1[\s\u00a0,.]?000.*: http/);
    const unticked = uniquePhone();
    expect(await issueCertificateAction(null, form({ id: s.money, phone: unticked }))).toMatchObject({ ok: true, data: { sent: false } });
    expect(await smsTo(s.m.merchant.id, unticked)).toHaveLength(0);
  });

  it("never texts another merchant's definition", async () => {
    const other = await createTestMerchant();
    const otherKey = (await createApiKey(getDb(), other.actor, { name: "Other", scopes: ["*"] })).key;
    const phone = uniquePhone();
    expect((await issue(otherKey, { definitionId: s.money, phone })).status).toBe(404);
    expect(await smsTo(s.m.merchant.id, phone)).toHaveLength(0);
    expect(await smsTo(other.merchant.id, phone)).toHaveLength(0);
  });
});
