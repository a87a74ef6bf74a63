import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditLog, messagingSettings } from "@/db/schema";
import type { StaffContext } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { getMessagingSettingsView } from "@/lib/messaging/settings";
import { startResendStandIn, type ResendStandIn } from "../support/resend-stand-in";
import { startSmsRuStandIn, startSmscStandIn, type SmsRuStandIn, type SmscStandIn } from "../support/sms-stand-ins";
import { createTestMerchant, unique } from "../factories";

// Actions run as whoever this says; the real guard reads the next-auth cookie.
let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => ({ getLocale: async () => "en" }));

const { saveSmsSettingsAction } = await import("@/app/(cabinet)/settings/sms/actions");
const { saveEmailSettingsAction } = await import("@/app/(cabinet)/settings/email/actions");

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
const stored = async (merchantId: string) => (await getDb().select().from(messagingSettings).where(eq(messagingSettings.merchantId, merchantId)))[0];
const audits = (merchantId: string, action: string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.action, action)));

let smsRu: SmsRuStandIn;
let smsc: SmscStandIn;
let resend: ResendStandIn;
beforeAll(async () => {
  [smsRu, smsc, resend] = await Promise.all([startSmsRuStandIn(), startSmscStandIn(), startResendStandIn()]);
  Object.assign(getEnv(), { SMS_RU_URL: smsRu.url, SMSC_URL: smsc.url, RESEND_URL: resend.url });
});
afterAll(async () => {
  await Promise.all([smsRu.close(), smsc.close(), resend.close()]);
});
beforeEach(() => {
  signedIn = null;
});

describe("Settings → SMS service", () => {
  it("seals the sms.ru key, shows only its last four characters and never returns it", async () => {
    const m = await createTestMerchant();
    signedIn = as(m);
    const apiId = `${unique("api")}-A1B2`;
    const result = await saveSmsSettingsAction(
      null,
      form({ provider: "smsru", smsruSecretApiId: apiId, sender: "Coffee", codeTemplate: "{code} — {merchant}", linkTemplate: "" }),
    );
    expect(result).toEqual({ ok: true, data: undefined });
    const row = await stored(m.merchant.id);
    expect(row).toMatchObject({ smsProvider: "smsru", smsSender: "Coffee", smsCodeTemplate: "{code} — {merchant}", smsLinkTemplate: "" });
    expect(row.smsSealed).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(apiId);
    const view = await getMessagingSettingsView(getDb(), m.merchant.id);
    expect(view.sms).toMatchObject({ provider: "smsru", smsruApiIdEnding: "A1B2", sender: "Coffee" });
    expect(JSON.stringify(view)).not.toContain(apiId);
    const [audit] = await audits(m.merchant.id, "messaging.sms.update");
    expect(audit.after).toMatchObject({ provider: "smsru", sender: "Coffee", secretsChanged: ["smsru.apiId"] });
    expect(JSON.stringify(audit)).not.toContain(apiId);
  });

  it("keeps the saved key when the field is left empty, and uses it to send", async () => {
    const m = await createTestMerchant();
    signedIn = as(m);
    const apiId = unique("api-keep");
    await saveSmsSettingsAction(null, form({ provider: "smsru", smsruSecretApiId: apiId }));
    expect(await saveSmsSettingsAction(null, form({ provider: "smsru", smsruSecretApiId: "", sender: "NewName" }))).toMatchObject({ ok: true });
    const { checkSmsBalance } = await import("@/lib/messaging/provider-checks");
    smsRu.setBalance(apiId, 42.5);
    expect(await checkSmsBalance(getDb(), m.merchant.id)).toEqual({ kind: "balance", provider: "sms.ru", amountMinor: 4250, currency: "RUB" });
    expect(smsRu.received.at(-1)?.params.api_id).toBe(apiId);
    const [, second] = await audits(m.merchant.id, "messaging.sms.update").orderBy(auditLog.createdAt);
    expect(second.after).toMatchObject({ sender: "NewName", secretsChanged: [] });
    // Switching to the console and back keeps the key too.
    await saveSmsSettingsAction(null, form({ provider: "console" }));
    expect(await stored(m.merchant.id)).toMatchObject({ smsProvider: "console", smsSender: "NewName" });
    expect(await saveSmsSettingsAction(null, form({ provider: "smsru", sender: "NewName" }))).toMatchObject({ ok: true });
    expect((await getMessagingSettingsView(getDb(), m.merchant.id)).sms).toMatchObject({
      provider: "smsru",
      sender: "NewName",
      smsruApiIdEnding: apiId.slice(-4),
    });
  });

  it("refuses a code text without {code}, a card text without {link}, and sms.ru without a key — never echoing a typed secret", async () => {
    const m = await createTestMerchant();
    signedIn = as(m);
    const secret = unique("typed-secret");
    const refused = await saveSmsSettingsAction(
      null,
      form({ provider: "smsru", smsruSecretApiId: secret, codeTemplate: "Your code is here", linkTemplate: "Your card" }),
    );
    expect(refused).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { codeTemplate: "messaging.errors.codeMissing", linkTemplate: "messaging.errors.linkMissing" },
      values: { codeTemplate: "Your code is here", provider: "smsru" },
    });
    expect(JSON.stringify(refused)).not.toContain(secret);
    expect(await saveSmsSettingsAction(null, form({ provider: "smsru" }))).toMatchObject({
      ok: false,
      fieldErrors: { smsruSecretApiId: "messaging.errors.apiIdRequired" },
    });
    expect(await saveSmsSettingsAction(null, form({ provider: "smsru", smsruSecretApiId: "x", sender: "Way too long sender" }))).toMatchObject({
      ok: false,
      fieldErrors: { sender: "validation.tooLong" },
    });
    expect(await saveSmsSettingsAction(null, form({ provider: "nexmo" }))).toMatchObject({ ok: false, fieldErrors: { provider: "messaging.errors.provider" } });
    expect(await stored(m.merchant.id)).toBeUndefined();
  });

  it("smsc.ru: login and password, a new login needs its password, or an API key instead", async () => {
    const m = await createTestMerchant();
    signedIn = as(m);
    await saveSmsSettingsAction(null, form({ provider: "smsc", smscAuth: "password", smscLogin: "shop", smscSecretPassword: "pw-123456" }));
    expect((await getMessagingSettingsView(getDb(), m.merchant.id)).sms).toMatchObject({
      smscLogin: "shop",
      smscPasswordSaved: true,
      smscAuth: "password",
      smscApiKeyEnding: null,
    });
    expect(await saveSmsSettingsAction(null, form({ provider: "smsc", smscAuth: "password", smscLogin: "shop" }))).toMatchObject({ ok: true });
    expect(await saveSmsSettingsAction(null, form({ provider: "smsc", smscAuth: "password", smscLogin: "other" }))).toMatchObject({
      ok: false,
      fieldErrors: { smscSecretPassword: "messaging.errors.passwordRequired" },
    });
    await saveSmsSettingsAction(null, form({ provider: "smsc", smscAuth: "apiKey", smscSecretApiKey: "smsc-key-0123456789" }));
    expect((await getMessagingSettingsView(getDb(), m.merchant.id)).sms).toMatchObject({
      smscAuth: "apiKey",
      smscApiKeyEnding: "6789",
      smscPasswordSaved: false,
    });
  });

  it("only owners and admins may change it", async () => {
    const m = await createTestMerchant();
    signedIn = as(m, "manager");
    expect(await saveSmsSettingsAction(null, form({ provider: "console" }))).toMatchObject({ ok: false, code: "forbidden" });
    signedIn = null;
    expect(await saveSmsSettingsAction(null, form({ provider: "console" }))).toMatchObject({ ok: false, code: "unauthorized" });
  });
});

describe("Settings → E-mail service", () => {
  it("Resend needs a key starting re_ and a valid from address; the key is sealed and kept", async () => {
    const m = await createTestMerchant();
    signedIn = as(m);
    expect(await saveEmailSettingsAction(null, form({ provider: "resend", resendSecretApiKey: "sk_wrong", from: "not an address" }))).toMatchObject({
      ok: false,
      fieldErrors: { resendSecretApiKey: "messaging.errors.resendKey", from: "messaging.errors.from" },
    });
    expect(await saveEmailSettingsAction(null, form({ provider: "resend", from: "a@b.example" }))).toMatchObject({
      ok: false,
      fieldErrors: { resendSecretApiKey: "messaging.errors.apiKeyRequired" },
    });
    expect(await saveEmailSettingsAction(null, form({ provider: "resend", resendSecretApiKey: "re_abcdefgh1234", from: "" }))).toMatchObject({
      ok: false,
      fieldErrors: { from: "messaging.errors.fromRequired" },
    });
    const key = "re_live_key_9Z8Y";
    expect(
      await saveEmailSettingsAction(null, form({ provider: "resend", resendSecretApiKey: key, from: '  "Coffee House"  <cards@coffee.example> ' })),
    ).toMatchObject({ ok: true });
    const row = await stored(m.merchant.id);
    expect(row).toMatchObject({ emailProvider: "resend", emailFrom: "Coffee House <cards@coffee.example>" });
    expect(JSON.stringify(row)).not.toContain(key);
    expect((await getMessagingSettingsView(getDb(), m.merchant.id)).email).toEqual({
      provider: "resend",
      from: "Coffee House <cards@coffee.example>",
      resendApiKeyEnding: "9Z8Y",
      unreadable: false,
    });
    expect(await saveEmailSettingsAction(null, form({ provider: "resend", from: "cards@coffee.example" }))).toMatchObject({ ok: true });
    expect((await getMessagingSettingsView(getDb(), m.merchant.id)).email.resendApiKeyEnding).toBe("9Z8Y");
    const [audit] = await audits(m.merchant.id, "messaging.email.update");
    expect(audit.after).toMatchObject({ provider: "resend", secretsChanged: ["resend.apiKey"] });
    expect(JSON.stringify(await audits(m.merchant.id, "messaging.email.update"))).not.toContain(key);
  });
});

describe("tenancy", () => {
  it("merchant B never reads or changes A's settings, through the services or the actions", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    signedIn = as(a);
    const apiId = unique("a-secret");
    await saveSmsSettingsAction(null, form({ provider: "smsru", smsruSecretApiId: apiId, sender: "AShop", codeTemplate: "A {code}" }));
    signedIn = as(b);
    await saveSmsSettingsAction(null, form({ provider: "console", codeTemplate: "B {code}" }));
    const viewB = await getMessagingSettingsView(getDb(), b.merchant.id);
    expect(viewB.sms).toMatchObject({ provider: "console", codeTemplate: "B {code}", smsruApiIdEnding: null, sender: "" });
    expect(await stored(a.merchant.id)).toMatchObject({ smsProvider: "smsru", smsSender: "AShop", smsCodeTemplate: "A {code}" });
    // B asking its provider for a balance reaches B's console, not A's sms.ru account.
    const before = smsRu.received.length;
    const { checkSmsBalanceAction } = await import("@/app/(cabinet)/settings/sms/actions");
    expect(await checkSmsBalanceAction(null, form({}))).toEqual({ ok: true, data: { kind: "unsupported", provider: "console" } });
    expect(smsRu.received.length).toBe(before);
  });
});
