import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { outboxMessages, passwordResets, staffSessions } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { isResetTokenUsable, requestPasswordReset, resetPassword } from "@/lib/staff-security/password-reset";
import { createStaffSession } from "@/lib/staff-security/sessions";
import { createTestMerchant, unique } from "../factories";

const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}`;

async function linkFor(email: string): Promise<string> {
  const rows = await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, email));
  const body = rows.at(-1)?.body ?? "";
  const token = body.match(/reset-password\?token=([\w-]+)/)?.[1];
  if (!token) throw new Error("no reset link sent");
  return token;
}

describe("forgot password", () => {
  it("answers the same for an unknown address, and sends nothing to it", async () => {
    const stranger = `${unique("nobody")}@example.com`;
    const result = await requestPasswordReset(getDb(), stranger, { ip: ip() });
    expect(result).toEqual({ outboxIds: [] });
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, stranger))).toHaveLength(0);
    const { owner } = await createTestMerchant();
    const known = await requestPasswordReset(getDb(), owner.email.toUpperCase(), { ip: ip() });
    // The caller (the action) shows one text for both; only the queued e-mail differs.
    expect(known.outboxIds).toHaveLength(1);
    const [mail] = await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, known.outboxIds[0]));
    // A platform message: no merchant's message list shows a colleague's link.
    expect(mail.merchantId).toBeNull();
    const [row] = await getDb().select().from(passwordResets).where(eq(passwordResets.userId, owner.id));
    expect(mail.body).not.toContain(row.tokenHash);
  });

  it("a link works once, ends every session, and the new password signs in", async () => {
    const { owner } = await createTestMerchant();
    const session = await createStaffSession(getDb(), owner, { ip: "203.0.113.1", userAgent: null });
    await requestPasswordReset(getDb(), owner.email, { ip: ip() });
    const token = await linkFor(owner.email);
    expect(await isResetTokenUsable(getDb(), token)).toBe(true);
    // Two tabs at once: one wins.
    const results = await Promise.allSettled([resetPassword(getDb(), token, "Fresh-pass-1234"), resetPassword(getDb(), token, "Other-pass-1234")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { message: "passwordReset.invalid" } });
    expect(await isResetTokenUsable(getDb(), token)).toBe(false);
    const [row] = await getDb().select().from(staffSessions).where(eq(staffSessions.id, session));
    expect(row).toMatchObject({ endedReason: "password_reset" });
    const winner = results[0].status === "fulfilled" ? "Fresh-pass-1234" : "Other-pass-1234";
    expect(await authenticate(getDb(), { email: owner.email, password: winner, ip: ip() })).toMatchObject({ ok: true });
  });

  it("a link expires after an hour, and an older link dies with the use of a newer one", async () => {
    const { owner } = await createTestMerchant();
    const t0 = new Date();
    await requestPasswordReset(getDb(), owner.email, { ip: ip(), now: t0 });
    const first = await linkFor(owner.email);
    const late = new Date(t0.getTime() + 61 * 60_000);
    expect(await isResetTokenUsable(getDb(), first, late)).toBe(false);
    await expect(resetPassword(getDb(), first, "Late-pass-12345", late)).rejects.toMatchObject({ message: "passwordReset.invalid" });

    await requestPasswordReset(getDb(), owner.email, { ip: ip() });
    const second = await linkFor(owner.email);
    expect(second).not.toBe(first);
    await resetPassword(getDb(), second, "Second-pass-1234");
    const open = await getDb()
      .select()
      .from(passwordResets)
      .where(and(eq(passwordResets.userId, owner.id), eq(passwordResets.merchantId, owner.merchantId)));
    expect(open.every((r) => r.usedAt !== null)).toBe(true);
  });

  it("refuses forged tokens and throttles one address", async () => {
    expect(await isResetTokenUsable(getDb(), "forged")).toBe(false);
    await expect(resetPassword(getDb(), "forged", "Some-pass-12345")).rejects.toMatchObject({ message: "passwordReset.invalid" });
    const address = "192.0.2.77";
    for (let i = 0; i < 10; i++) await requestPasswordReset(getDb(), `${unique("x")}@example.com`, { ip: address });
    await expect(requestPasswordReset(getDb(), `${unique("x")}@example.com`, { ip: address })).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("links are per user and merchant (tenancy): a link of A's never changes B's password", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    await requestPasswordReset(getDb(), a.owner.email, { ip: ip() });
    await resetPassword(getDb(), await linkFor(a.owner.email), "Changed-pass-123");
    expect(await authenticate(getDb(), { email: b.owner.email, password: "Changed-pass-123", ip: ip() })).toMatchObject({ ok: false });
    expect(await getDb().select().from(passwordResets).where(eq(passwordResets.merchantId, b.merchant.id))).toHaveLength(0);
  });
});
