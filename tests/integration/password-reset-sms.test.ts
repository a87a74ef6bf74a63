import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { outboxMessages, staffPhoneCodes, staffSessions, users } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { openCodeSecret } from "@/lib/outbox";
import { confirmPhone, requestSmsReset, resetPasswordBySms, startPhoneVerification, STAFF_CODE_RULES } from "@/lib/staff-security/phone-recovery";
import { createStaffSession } from "@/lib/staff-security/sessions";
import { createTestMerchant, createTestStaff, unique, uniquePhone } from "../factories";

const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}`;
type Staff = { id: string; merchantId: string };

/** The code of the latest code message to this phone (the outbox seals it; staff only ever see it masked). */
async function codeSentTo(phone: string): Promise<string> {
  const rows = await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone));
  const last = rows.sort((a, b) => +a.createdAt - +b.createdAt).at(-1);
  if (!last) throw new Error("no code sent");
  expect(last.kind).toBe("code");
  expect(last.body).not.toMatch(/\d{6}/);
  return openCodeSecret(last)!.code;
}

async function withVerifiedPhone(staff: Staff) {
  const phone = uniquePhone();
  await startPhoneVerification(getDb(), staff, phone);
  await confirmPhone(getDb(), staff, await codeSentTo(phone));
  return phone;
}

describe("staff phone and forgot password by SMS", () => {
  it("verifies a phone by a code through the merchant's SMS path; a wrong code does not", async () => {
    const { owner, merchant } = await createTestMerchant();
    const phone = uniquePhone();
    await startPhoneVerification(getDb(), owner, phone);
    const [msg] = await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone));
    expect(msg).toMatchObject({ merchantId: merchant.id, channel: "sms", kind: "code" });
    const code = await codeSentTo(phone);
    const wrong = code === "000000" ? "111111" : "000000";
    await expect(confirmPhone(getDb(), owner, wrong)).rejects.toMatchObject({ message: "security.phone.wrongCode" });
    expect((await getDb().select().from(users).where(eq(users.id, owner.id)))[0].phoneVerifiedAt).toBeNull();
    await confirmPhone(getDb(), owner, code);
    expect((await getDb().select().from(users).where(eq(users.id, owner.id)))[0]).toMatchObject({ phone });
    // Stored as a keyed hash only.
    const rows = await getDb().select().from(staffPhoneCodes).where(eq(staffPhoneCodes.userId, owner.id));
    expect(rows.every((r) => !r.codeHash.includes(code))).toBe(true);
    await expect(startPhoneVerification(getDb(), owner, "12")).rejects.toMatchObject({ code: "validation" });
  });

  it("answers the same for an unknown address and for an account without a verified phone, sending nothing", async () => {
    const { owner } = await createTestMerchant();
    expect(await requestSmsReset(getDb(), `${unique("nobody")}@example.com`, { ip: ip() })).toEqual({ outboxIds: [] });
    expect(await requestSmsReset(getDb(), owner.email, { ip: ip() })).toEqual({ outboxIds: [] });
    const phone = await withVerifiedPhone(owner);
    const sent = await requestSmsReset(getDb(), owner.email.toUpperCase(), { ip: ip() });
    expect(sent.outboxIds).toHaveLength(1);
    const [msg] = await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, sent.outboxIds[0]));
    expect(msg.recipient).toBe(phone);
  });

  it("a correct code sets the password once and ends every session", async () => {
    const { owner } = await createTestMerchant();
    const phone = await withVerifiedPhone(owner);
    const session = await createStaffSession(getDb(), owner, { ip: "203.0.113.1", userAgent: null });
    await requestSmsReset(getDb(), owner.email, { ip: ip() });
    const code = await codeSentTo(phone);
    const results = await Promise.allSettled([
      resetPasswordBySms(getDb(), owner.email, code, "Fresh-pass-1234"),
      resetPasswordBySms(getDb(), owner.email, code, "Other-pass-1234"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    await expect(resetPasswordBySms(getDb(), owner.email, code, "Third-pass-1234")).rejects.toMatchObject({ message: "passwordReset.invalidCode" });
    const [row] = await getDb().select().from(staffSessions).where(eq(staffSessions.id, session));
    expect(row).toMatchObject({ endedReason: "password_reset" });
    const winner = results[0].status === "fulfilled" ? "Fresh-pass-1234" : "Other-pass-1234";
    expect(await authenticate(getDb(), { email: owner.email, password: winner, ip: ip() })).toMatchObject({ ok: true });
  });

  it("a code expires after 10 minutes and allows 5 tries, then even the right code fails", async () => {
    const { owner } = await createTestMerchant();
    const phone = await withVerifiedPhone(owner);
    const t0 = new Date();
    await requestSmsReset(getDb(), owner.email, { ip: ip(), now: t0 });
    const code = await codeSentTo(phone);
    await expect(
      resetPasswordBySms(getDb(), owner.email, code, "Late-pass-12345", new Date(t0.getTime() + (STAFF_CODE_RULES.ttlMinutes + 1) * 60_000)),
    ).rejects.toMatchObject({ message: "passwordReset.invalidCode" });

    await requestSmsReset(getDb(), owner.email, { ip: ip() });
    const fresh = await codeSentTo(phone);
    const wrong = fresh === "000000" ? "111111" : "000000";
    for (let i = 0; i < STAFF_CODE_RULES.tries; i++)
      await expect(resetPasswordBySms(getDb(), owner.email, wrong, "Wrong-pass-12345")).rejects.toMatchObject({ message: "passwordReset.invalidCode" });
    await expect(resetPasswordBySms(getDb(), owner.email, fresh, "Right-pass-12345")).rejects.toMatchObject({ message: "passwordReset.invalidCode" });
    // Unknown address: the same error.
    await expect(resetPasswordBySms(getDb(), `${unique("nobody")}@example.com`, fresh, "Right-pass-12345")).rejects.toMatchObject({
      message: "passwordReset.invalidCode",
    });
  });

  it("sends at most 5 codes an hour to one staff member, silently, and throttles one address like the e-mail reset", async () => {
    const { owner } = await createTestMerchant();
    await withVerifiedPhone(owner); // 1 code
    for (let i = 0; i < STAFF_CODE_RULES.perHour - 1; i++) expect((await requestSmsReset(getDb(), owner.email, { ip: ip() })).outboxIds).toHaveLength(1);
    expect(await requestSmsReset(getDb(), owner.email, { ip: ip() })).toEqual({ outboxIds: [] });
    const address = "192.0.2.78";
    for (let i = 0; i < 10; i++) await requestSmsReset(getDb(), `${unique("x")}@example.com`, { ip: address });
    await expect(requestSmsReset(getDb(), `${unique("x")}@example.com`, { ip: address })).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("tenancy: a code belongs to its staff member and merchant; another merchant's staff cannot use or see it", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { member } = await createTestStaff(a.actor);
    const phone = uniquePhone();
    await startPhoneVerification(getDb(), member, phone);
    const code = await codeSentTo(phone);
    // The owner of A and B's owner cannot confirm A's cashier's code as their own.
    await expect(confirmPhone(getDb(), a.owner, code)).rejects.toMatchObject({ message: "security.phone.wrongCode" });
    await expect(confirmPhone(getDb(), { id: member.id, merchantId: b.merchant.id }, code)).rejects.toMatchObject({ message: "security.phone.wrongCode" });
    await confirmPhone(getDb(), member, code);
    const rows = await getDb()
      .select()
      .from(staffPhoneCodes)
      .where(and(eq(staffPhoneCodes.merchantId, b.merchant.id)));
    expect(rows).toHaveLength(0);
  });
});
