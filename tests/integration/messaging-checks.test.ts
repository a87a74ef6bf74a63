import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import type { StaffContext } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { listMerchantMessages } from "@/lib/messaging/messages";
import { startResendStandIn, type ResendStandIn } from "../support/resend-stand-in";
import { startSmsRuStandIn, startSmscStandIn, type SmsRuStandIn, type SmscStandIn } from "../support/sms-stand-ins";
import { createTestMerchant, unique, uniquePhone } from "../factories";

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => ({ getLocale: async () => "en" }));

const { saveSmsSettingsAction, checkSmsBalanceAction, sendTestSmsAction } = await import("@/app/(cabinet)/settings/sms/actions");
const { saveEmailSettingsAction, sendTestEmailAction } = await import("@/app/(cabinet)/settings/email/actions");

type Merchant = Awaited<ReturnType<typeof createTestMerchant>>;
const form = (values: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  return fd;
};
const as = (m: Merchant, role: StaffContext["role"] = "owner"): StaffContext => ({
  userId: m.owner.id,
  merchantId: m.merchant.id,
  role,
  merchant: m.merchant,
  user: { ...m.owner, role },
});
const outboxRow = async (id: string) => (await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, id)))[0];

let smsRu: SmsRuStandIn;
let smsc: SmscStandIn;
let resend: ResendStandIn;
const RESEND_KEY = "re_checks_key_0001";
beforeAll(async () => {
  [smsRu, smsc, resend] = await Promise.all([
    startSmsRuStandIn({ pricePerSms: 4 }),
    startSmscStandIn({ apiKeys: ["smsc-checks-key-0001"], pricePerSms: 2.5 }),
    startResendStandIn({ apiKeys: [RESEND_KEY] }),
  ]);
  Object.assign(getEnv(), { SMS_RU_URL: smsRu.url, SMSC_URL: smsc.url, RESEND_URL: resend.url });
});
afterAll(async () => {
  await Promise.all([smsRu.close(), smsc.close(), resend.close()]);
});
beforeEach(() => {
  signedIn = null;
});

async function onSmsRu(m: Merchant) {
  signedIn = as(m);
  const apiId = unique("checks-api");
  expect(await saveSmsSettingsAction(null, form({ provider: "smsru", smsruSecretApiId: apiId, sender: "Coffee" }))).toMatchObject({ ok: true });
  return apiId;
}

describe("Check balance", () => {
  it("shows the provider's balance with its currency, its refusal, or that the console has none", async () => {
    const m = await createTestMerchant();
    signedIn = as(m);
    expect(await checkSmsBalanceAction(null, form({}))).toEqual({ ok: true, data: { kind: "unsupported", provider: "console" } });
    const apiId = await onSmsRu(m);
    smsRu.setBalance(apiId, 1234.56);
    expect(await checkSmsBalanceAction(null, form({}))).toEqual({
      ok: true,
      data: { kind: "balance", provider: "sms.ru", amountMinor: 123456, currency: "RUB" },
    });
    smsRu.failApiId(apiId, 200);
    expect(await checkSmsBalanceAction(null, form({}))).toEqual({
      ok: true,
      data: { kind: "refused", code: "auth", detail: expect.stringContaining("sms.ru 200: Неправильный api_id") },
    });
    await saveSmsSettingsAction(null, form({ provider: "smsc", smscAuth: "apiKey", smscSecretApiKey: "smsc-checks-key-0001" }));
    smsc.setBalance("smsc-checks-key-0001", 77.7);
    expect(await checkSmsBalanceAction(null, form({}))).toMatchObject({
      ok: true,
      data: { kind: "balance", provider: "smsc.ru", amountMinor: 7770, currency: "RUB" },
    });
  });

  it("is for owners and admins only", async () => {
    const m = await createTestMerchant();
    signedIn = as(m, "cashier");
    expect(await checkSmsBalanceAction(null, form({}))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await sendTestSmsAction(null, form({ phone: uniquePhone() }))).toMatchObject({ ok: false, code: "forbidden" });
  });
});

describe("Send test SMS", () => {
  it("sends through the provider at once, answers with its message id and cost, and lists it under Messages", async () => {
    const m = await createTestMerchant();
    const apiId = await onSmsRu(m);
    const phone = uniquePhone();
    // Typed as people type it; read in the merchant's country.
    const national = `8 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`;
    const result = await sendTestSmsAction(null, form({ phone: national }));
    expect(result).toMatchObject({ ok: true, data: { kind: "sent", provider: "sms.ru", providerMessageId: expect.stringMatching(/^\d{6}-\d+$/) } });
    const { outboxId } = (result as { data: { outboxId: string } }).data;
    expect(smsRu.received.at(-1)?.params).toMatchObject({
      api_id: apiId,
      to: phone.slice(1),
      from: "Coffee",
      msg: expect.stringContaining("a test message from CardDesk"),
    });
    expect(await outboxRow(outboxId)).toMatchObject({ merchantId: m.merchant.id, kind: "test", status: "sent", recipient: phone });
    const { rows } = await listMerchantMessages(getDb(), m.merchant.id, { kind: "test" }, { page: 1 });
    expect(rows.map((r) => r.id)).toEqual([outboxId]);
  });

  it("shows the provider's refusal in plain words: blocked number, no money, unapproved sender", async () => {
    const m = await createTestMerchant();
    const apiId = await onSmsRu(m);
    const blocked = uniquePhone();
    smsRu.failPhone(blocked, 207);
    expect(await sendTestSmsAction(null, form({ phone: blocked }))).toMatchObject({
      ok: true,
      data: { kind: "refused", code: "number_blocked", provider: "sms.ru" },
    });
    smsRu.failApiId(apiId, 204);
    expect(await sendTestSmsAction(null, form({ phone: uniquePhone() }))).toMatchObject({
      ok: true,
      data: { kind: "refused", code: "sender_not_approved", detail: expect.stringContaining('"Coffee"') },
    });
    smsRu.failApiId(apiId, 206);
    expect(await sendTestSmsAction(null, form({ phone: uniquePhone() }))).toMatchObject({ ok: true, data: { kind: "refused", code: "daily_limit" } });
    // smsc.ru with an empty account.
    await saveSmsSettingsAction(null, form({ provider: "smsc", smscAuth: "apiKey", smscSecretApiKey: "smsc-checks-key-0001" }));
    smsc.setBalance("smsc-checks-key-0001", 0);
    const broke = await sendTestSmsAction(null, form({ phone: uniquePhone() }));
    expect(broke).toMatchObject({ ok: true, data: { kind: "refused", code: "insufficient_funds", provider: "smsc.ru" } });
    expect(await outboxRow((broke as { data: { outboxId: string } }).data.outboxId)).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^insufficient_funds: /),
    });
  });

  it("a temporary refusal is shown, not retried in the background", async () => {
    const m = await createTestMerchant();
    const apiId = await onSmsRu(m);
    smsRu.failApiId(apiId, 220);
    const result = await sendTestSmsAction(null, form({ phone: uniquePhone() }));
    expect(result).toMatchObject({ ok: true, data: { kind: "refused", code: "unavailable" } });
    expect(await outboxRow((result as { data: { outboxId: string } }).data.outboxId)).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("asks for a real phone number", async () => {
    const m = await createTestMerchant();
    signedIn = as(m);
    expect(await sendTestSmsAction(null, form({ phone: "12" }))).toMatchObject({
      ok: false,
      fieldErrors: { phone: "validation.phone" },
      values: { phone: "12" },
    });
    expect(await sendTestSmsAction(null, form({ phone: "" }))).toMatchObject({ ok: false, fieldErrors: { phone: "validation.required" } });
  });
});

describe("Send test e-mail", () => {
  it("sends through Resend from the merchant's address, or shows Resend's refusal", async () => {
    const m = await createTestMerchant();
    signedIn = as(m);
    await saveEmailSettingsAction(null, form({ provider: "resend", resendSecretApiKey: RESEND_KEY, from: "Coffee <cards@coffee.example>" }));
    const to = `${unique("test")}@example.com`;
    const result = await sendTestEmailAction(null, form({ to }));
    expect(result).toMatchObject({ ok: true, data: { kind: "sent", provider: "resend" } });
    const { outboxId, providerMessageId } = (result as { data: { outboxId: string; providerMessageId: string } }).data;
    expect(resend.emails.find((e) => e.to[0] === to)).toMatchObject({
      id: providerMessageId,
      from: "Coffee <cards@coffee.example>",
      idempotencyKey: outboxId,
      subject: expect.stringContaining("test e-mail"),
    });
    const unverified = `${unique("blocked")}@example.com`;
    resend.failRecipient(unverified, { status: 403, name: "validation_error", message: "You can only send testing emails to your own email address." });
    expect(await sendTestEmailAction(null, form({ to: unverified }))).toMatchObject({
      ok: true,
      data: { kind: "refused", code: "sender_not_approved", detail: expect.stringContaining("testing emails") },
    });
    expect(await sendTestEmailAction(null, form({ to: "nobody" }))).toMatchObject({ ok: false, fieldErrors: { to: "validation.email" } });
  });
});

describe("tenancy", () => {
  it("a test SMS from B goes through B's provider into B's outbox; A's list never shows it", async () => {
    const a = await createTestMerchant();
    await onSmsRu(a);
    const b = await createTestMerchant();
    signedIn = as(b);
    const before = smsRu.received.length;
    const result = await sendTestSmsAction(null, form({ phone: uniquePhone() }));
    expect(result).toMatchObject({ ok: true, data: { kind: "sent", provider: "console" } });
    expect(smsRu.received.length).toBe(before);
    const { outboxId } = (result as { data: { outboxId: string } }).data;
    expect((await outboxRow(outboxId)).merchantId).toBe(b.merchant.id);
    expect((await listMerchantMessages(getDb(), a.merchant.id, {}, { page: 1 })).rows.map((r) => r.id)).not.toContain(outboxId);
    expect((await listMerchantMessages(getDb(), b.merchant.id, {}, { page: 1 })).rows.map((r) => r.id)).toContain(outboxId);
  });
});
