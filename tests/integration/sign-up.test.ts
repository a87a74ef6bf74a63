import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { merchants, outboxMessages, users } from "@/db/schema";
import { THROTTLE_RULES } from "@/lib/auth/throttle";
import { confirmSignUp, openSignUpRequest, requestSignUp, sealSignUpRequest } from "@/lib/auth/sign-up";
import { PASSWORD, createTestMerchant, unique } from "../factories";

const ip = () => `203.0.113.${Math.floor(Math.random() * 250)}-${unique()}`;
const form = (email: string) => ({ organisation: unique("Shop"), name: "New Owner", email, password: PASSWORD });

async function mailsOf(ids: string[]) {
  return getDb().select().from(outboxMessages).where(inArray(outboxMessages.id, ids));
}

function linkToken(body: string): string {
  const token = body.match(/\/sign-up\/confirm\?token=([A-Za-z0-9_-]+)/)?.[1];
  expect(token, body).toBeTruthy();
  return token!;
}

describe("sign-up", () => {
  it("creates nothing until the e-mailed link is used with the chosen password", async () => {
    const email = `${unique("new")}@example.com`;
    const input = form(email);
    const { outboxIds } = await requestSignUp(getDb(), input, { ip: ip() });
    const [mail] = await mailsOf(outboxIds);
    expect(mail).toMatchObject({ channel: "email", recipient: email, merchantId: null, status: "queued" });
    expect(
      await getDb()
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = ${email}`),
    ).toHaveLength(0);

    const token = linkToken(mail.body);
    // The link does not carry the password, nor anything readable.
    expect(Buffer.from(token, "base64url").toString()).not.toContain(email);
    await expect(confirmSignUp(getDb(), token, "Wrong-pass-9999")).rejects.toMatchObject({ fieldErrors: { password: "auth.signUpPasswordMismatch" } });

    const { merchant, owner } = await confirmSignUp(getDb(), token, PASSWORD);
    expect(merchant.name).toBe(input.organisation);
    expect(owner).toMatchObject({ email, role: "owner", name: "New Owner" });
    // A second click on the same link creates nothing more.
    await expect(confirmSignUp(getDb(), token, PASSWORD)).rejects.toMatchObject({ message: "validation.emailTaken" });
    expect(await getDb().select().from(merchants).where(eq(merchants.name, input.organisation))).toHaveLength(1);
  });

  // The reported oracle: the form said "An account with this e-mail already exists".
  it("answers a taken e-mail exactly as a new one, and tells the owner instead", async () => {
    const { owner } = await createTestMerchant();
    const taken = await requestSignUp(getDb(), form(owner.email.toUpperCase()), { ip: ip() });
    const fresh = await requestSignUp(getDb(), form(`${unique("fresh")}@example.com`), { ip: ip() });
    expect(Object.keys(taken)).toEqual(Object.keys(fresh));
    expect(taken.outboxIds).toHaveLength(fresh.outboxIds.length);

    const [note] = await mailsOf(taken.outboxIds);
    expect(note).toMatchObject({ channel: "email", recipient: owner.email, merchantId: null });
    expect(note.body).toContain("already has one");
    expect(note.body).not.toContain("token=");
    expect(
      await getDb()
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = ${owner.email.toLowerCase()}`),
    ).toHaveLength(1);
  });

  it("refuses forged, damaged and expired links", async () => {
    const hour = 3600_000;
    const good = sealSignUpRequest({ organisation: "O", name: "N", email: "a@example.com", passwordHash: "h" }, new Date(Date.now() + hour));
    expect(openSignUpRequest(good)).toMatchObject({ email: "a@example.com" });
    expect(openSignUpRequest(good, new Date(Date.now() + 2 * hour))).toBeNull();
    const bytes = Buffer.from(good, "base64url");
    bytes[bytes.length - 3] ^= 1;
    for (const bad of [bytes.toString("base64url"), "", "abc", "x".repeat(5000), null, ["a"]]) expect(openSignUpRequest(bad)).toBeNull();
    await expect(confirmSignUp(getDb(), "abc", PASSWORD)).rejects.toMatchObject({ message: "auth.signUpLinkInvalid" });
  });

  it("limits sign-ups per address, new and taken e-mails alike, without touching other addresses", async () => {
    const limit = THROTTLE_RULES.signup.limit;
    expect(limit).toBeGreaterThanOrEqual(5);
    const { owner } = await createTestMerchant();
    const busy = ip();
    for (let i = 0; i < limit; i++) await requestSignUp(getDb(), form(i % 2 ? owner.email : `${unique("many")}@example.com`), { ip: busy });
    await expect(requestSignUp(getDb(), form(`${unique("one-more")}@example.com`), { ip: busy })).rejects.toMatchObject({
      code: "rate_limited",
      message: "auth.signUpThrottled",
    });
    await expect(requestSignUp(getDb(), form(`${unique("elsewhere")}@example.com`), { ip: ip() })).resolves.toMatchObject({ outboxIds: [expect.any(String)] });
  });
});
