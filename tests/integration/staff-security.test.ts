import { generate } from "otplib";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { signInAttempts, staffRecoveryCodes, staffSessions, staffTotp } from "@/db/schema";
import { changePassword } from "@/lib/staff";
import { RECOVERY_CODE_COUNT } from "@/lib/staff-security/recovery-codes";
import { endMemberSessions, endOtherStaffSessions, endStaffSession, listSignInHistory, listStaffSessions } from "@/lib/staff-security/sessions";
import { signInWithCode, signInWithPassword } from "@/lib/staff-security/sign-in";
import {
  confirmTwoFactorSetup,
  disableTwoFactor,
  getTwoFactorState,
  regenerateRecoveryCodes,
  setTwoFactorRequired,
  startTwoFactorSetup,
  verifySecondFactor,
} from "@/lib/staff-security/two-factor";
import { PASSWORD, createTestMerchant, createTestStaff } from "../factories";

let cookie: { user: Record<string, unknown> } | null = null;
vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => cookie, signIn: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { getStaffContext } = await import("@/lib/auth/session");
const { mustSetUpTwoFactor } = await import("@/lib/auth/two-factor-gate");
const { startTwoFactorAction } = await import("@/app/(cabinet)/settings/security/actions");
const { addStaffAction } = await import("@/app/(cabinet)/settings/staff/actions");

const client = {
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
};
const noWait = { wait: async () => {}, now: new Date(1_800_000_000_000) };
// A fixed clock on a step boundary, so "one step later" is exactly 30 s.
const T0 = new Date(1_800_000_000_000);
const at = (steps: number) => new Date(T0.getTime() + steps * 30_000);
const codeAt = (secret: string, when: Date) => generate({ secret, epoch: Math.floor(when.getTime() / 1000) });

type Actor = { merchantId: string; userId: string };
/** Turns two-factor sign-in on for the actor at T0; returns the secret and the recovery codes. */
async function enableTwoFactor(actor: Actor) {
  await startTwoFactorSetup(getDb(), actor, PASSWORD);
  const state = await getTwoFactorState(getDb(), actor);
  if (state.status !== "pending") throw new Error("not pending");
  const codes = await confirmTwoFactorSetup(getDb(), actor, await codeAt(state.secret, T0), T0);
  return { secret: state.secret, codes };
}

function form(values: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

describe("two-factor sign-in (TOTP)", () => {
  it("is on only after a correct code; the secret is sealed at rest", async () => {
    const { actor, owner } = await createTestMerchant();
    await expect(startTwoFactorSetup(getDb(), actor, "wrong-password-1")).rejects.toMatchObject({ fieldErrors: { password: expect.any(String) } });
    await startTwoFactorSetup(getDb(), actor, PASSWORD);
    const state = await getTwoFactorState(getDb(), actor);
    expect(state.status).toBe("pending");
    if (state.status !== "pending") return;
    expect(state.qr).toContain("<svg");
    const [row] = await getDb().select().from(staffTotp).where(eq(staffTotp.userId, owner.id));
    expect(row.secretSealed).not.toContain(state.secret);
    expect(row.enabledAt).toBeNull();
    await expect(confirmTwoFactorSetup(getDb(), actor, "000000", T0)).rejects.toMatchObject({ fieldErrors: { code: "security.errors.wrongCode" } });
    expect((await getTwoFactorState(getDb(), actor)).status).toBe("pending");
    const codes = await confirmTwoFactorSetup(getDb(), actor, await codeAt(state.secret, T0), T0);
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    expect(await getTwoFactorState(getDb(), actor)).toMatchObject({ status: "on", remainingCodes: 10 });
    // Stored as keyed hashes, never as the codes.
    const stored = await getDb().select().from(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, owner.id));
    expect(stored.map((r) => r.codeHash)).not.toContain(codes[0]);
    expect(stored.map((r) => r.codeHash).join()).not.toContain(codes[0].replace("-", ""));
  });

  it("accepts ±1 step with an injected clock, and never the same code twice", async () => {
    const { actor, owner } = await createTestMerchant();
    const { secret } = await enableTwoFactor(actor);
    const u = { id: owner.id, merchantId: owner.merchantId };
    // The set-up code (step 0) is spent already.
    expect(await verifySecondFactor(getDb(), u, await codeAt(secret, T0), at(0))).toBeNull();
    // The next step's code, read one step early (phone clock ahead): accepted once.
    const next = await codeAt(secret, at(1));
    expect(await verifySecondFactor(getDb(), u, next, at(0))).toEqual({ method: "totp" });
    expect(await verifySecondFactor(getDb(), u, next, at(1))).toBeNull();
    // Two steps away is outside the window.
    expect(await verifySecondFactor(getDb(), u, await codeAt(secret, at(5)), at(3))).toBeNull();
    // One step behind (phone clock late) works.
    expect(await verifySecondFactor(getDb(), u, await codeAt(secret, at(9)), at(10))).toEqual({ method: "totp" });
    // Older than the last accepted step: refused even inside the window.
    expect(await verifySecondFactor(getDb(), u, await codeAt(secret, at(8)), at(9))).toBeNull();
  });

  it("one code used by two requests at once lets exactly one in", async () => {
    const { actor, owner } = await createTestMerchant();
    const { secret } = await enableTwoFactor(actor);
    const code = await codeAt(secret, at(2));
    const u = { id: owner.id, merchantId: owner.merchantId };
    const results = await Promise.all([verifySecondFactor(getDb(), u, code, at(2)), verifySecondFactor(getDb(), u, code, at(2))]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe("recovery codes", () => {
  it("are single-use, even under two parallel uses, and say how many remain", async () => {
    const { actor, owner } = await createTestMerchant();
    const { codes } = await enableTwoFactor(actor);
    const u = { id: owner.id, merchantId: owner.merchantId };
    const results = await Promise.all([verifySecondFactor(getDb(), u, codes[0], T0), verifySecondFactor(getDb(), u, codes[0], T0)]);
    expect(results.filter(Boolean)).toEqual([{ method: "recovery_code", remaining: 9 }]);
    expect(await verifySecondFactor(getDb(), u, codes[0], T0)).toBeNull();
    // Typed in capitals without the dash, it still counts.
    expect(await verifySecondFactor(getDb(), u, codes[1].replace("-", "").toUpperCase(), T0)).toEqual({ method: "recovery_code", remaining: 8 });
    expect(await verifySecondFactor(getDb(), u, "aaaaa-aaaaa", T0)).toBeNull();
  });

  it("regenerating replaces all old codes (after the password)", async () => {
    const { actor, owner } = await createTestMerchant();
    const { codes } = await enableTwoFactor(actor);
    await expect(regenerateRecoveryCodes(getDb(), actor, "not-my-password-1")).rejects.toMatchObject({ code: "validation" });
    const fresh = await regenerateRecoveryCodes(getDb(), actor, PASSWORD);
    const u = { id: owner.id, merchantId: owner.merchantId };
    expect(await verifySecondFactor(getDb(), u, codes[0], T0)).toBeNull();
    expect(await verifySecondFactor(getDb(), u, fresh[0], T0)).toEqual({ method: "recovery_code", remaining: 9 });
  });

  it("of one user never open another's account (tenancy)", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { codes } = await enableTwoFactor(a.actor);
    await enableTwoFactor(b.actor);
    expect(await verifySecondFactor(getDb(), { id: b.owner.id, merchantId: b.merchant.id }, codes[0], T0)).toBeNull();
    // A's user named under B's merchant finds nothing either.
    expect(await verifySecondFactor(getDb(), { id: a.owner.id, merchantId: b.merchant.id }, codes[0], T0)).toBeNull();
  });
});

describe("sign-in with a second factor", () => {
  it("without 2FA, a password alone signs in and records the session and the history", async () => {
    const { owner } = await createTestMerchant();
    const result = await signInWithPassword(getDb(), { email: owner.email, password: PASSWORD }, client, noWait);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [row] = await getDb().select().from(staffSessions).where(eq(staffSessions.id, result.sessionId));
    expect(row).toMatchObject({ userId: owner.id, ip: client.ip, device: "Safari on macOS", endedAt: null });
    expect((await listSignInHistory(getDb(), { merchantId: owner.merchantId, userId: owner.id }))[0]).toMatchObject({ outcome: "success", method: "password" });
  });

  it("with 2FA asks for a code after the right password only; unknown e-mails and wrong passwords answer alike", async () => {
    const { actor, owner } = await createTestMerchant();
    const { secret, codes } = await enableTwoFactor(actor);
    const wrong = await signInWithPassword(getDb(), { email: owner.email, password: "Wrong-pass-123" }, client, noWait);
    const unknown = await signInWithPassword(getDb(), { email: `nobody-${Date.now()}@example.com`, password: "Wrong-pass-123" }, client, noWait);
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);

    const first = await signInWithPassword(getDb(), { email: owner.email, password: PASSWORD }, client, noWait);
    expect(first).toMatchObject({ ok: false, reason: "second_factor" });
    if (first.ok || first.reason !== "second_factor") return;
    expect(await getDb().select().from(staffSessions).where(eq(staffSessions.userId, owner.id))).toHaveLength(0);

    expect(await signInWithCode(getDb(), { challenge: first.challenge, code: "123456" }, client, at(1))).toEqual({ ok: false, reason: "bad_code" });
    expect(await signInWithCode(getDb(), { challenge: "forged", code: await codeAt(secret, at(1)) }, client, at(1))).toEqual({
      ok: false,
      reason: "challenge_expired",
    });
    const ok = await signInWithCode(getDb(), { challenge: first.challenge, code: await codeAt(secret, at(1)) }, client, at(1));
    expect(ok).toMatchObject({ ok: true });
    // A recovery code works as the second step too.
    expect(await signInWithCode(getDb(), { challenge: first.challenge, code: codes[3] }, client, at(1))).toMatchObject({ ok: true });
    const history = await listSignInHistory(getDb(), actor);
    expect(history.map((h) => `${h.outcome}/${h.method}`)).toEqual(
      expect.arrayContaining(["bad_password/password", "code_required/password", "bad_code/totp", "success/totp", "success/recovery_code"]),
    );
  });

  it("a challenge expires after five minutes and with a password change", async () => {
    const { actor, owner } = await createTestMerchant();
    const { secret } = await enableTwoFactor(actor);
    const first = await signInWithPassword(getDb(), { email: owner.email, password: PASSWORD }, client, { ...noWait, now: new Date() });
    // (Real time here: the password change below checks the challenge against the real clock's version.)
    if (first.ok || first.reason !== "second_factor") throw new Error("expected a code step");
    const later = new Date(Date.now() + 6 * 60_000);
    expect(await signInWithCode(getDb(), { challenge: first.challenge, code: await codeAt(secret, later) }, client, later)).toEqual({
      ok: false,
      reason: "challenge_expired",
    });
    await changePassword(getDb(), actor, PASSWORD, "Another-pass-123");
    const now = new Date();
    expect(await signInWithCode(getDb(), { challenge: first.challenge, code: await codeAt(secret, now) }, client, now)).toEqual({
      ok: false,
      reason: "challenge_expired",
    });
  });

  it("codes are throttled: after five wrong ones even the right code waits", async () => {
    const { actor, owner } = await createTestMerchant();
    const { secret } = await enableTwoFactor(actor);
    const first = await signInWithPassword(getDb(), { email: owner.email, password: PASSWORD }, client, noWait);
    if (first.ok || first.reason !== "second_factor") throw new Error("expected a code step");
    for (let i = 0; i < 5; i++) await signInWithCode(getDb(), { challenge: first.challenge, code: "000000" }, client, at(3));
    expect(await signInWithCode(getDb(), { challenge: first.challenge, code: await codeAt(secret, at(3)) }, client, at(3))).toMatchObject({
      ok: false,
      reason: "throttled",
    });
  });
});

async function signedIn(user: { id: string; merchantId: string; role: string; sessionVersion?: number }) {
  const result = await signInWithPassword(getDb(), { email: (await userEmail(user.id))!, password: PASSWORD }, client, noWait);
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return { user: { id: user.id, merchantId: user.merchantId, role: user.role, sessionVersion: result.user.sessionVersion, sessionId: result.sessionId } };
}
async function userEmail(id: string) {
  const { users } = await import("@/db/schema");
  const [u] = await getDb().select({ email: users.email }).from(users).where(eq(users.id, id));
  return u?.email;
}

describe("owner-required two-factor sign-in", () => {
  it("the owner turns it on only with their own 2FA; staff without it are sent to set it up and cannot act meanwhile", async () => {
    const { actor } = await createTestMerchant();
    const { member } = await createTestStaff(actor, "manager");
    await expect(setTwoFactorRequired(getDb(), actor, true)).rejects.toMatchObject({ message: "security.errors.ownFirst" });
    await enableTwoFactor(actor);
    await setTwoFactorRequired(getDb(), actor, true);

    cookie = await signedIn(member);
    const ctx = await getStaffContext();
    expect(ctx && mustSetUpTwoFactor(ctx)).toBe(true);
    // An ordinary action is refused until then; the set-up's own actions are not.
    expect(await addStaffAction(null, form({ name: "X", email: "x@example.com", role: "cashier", password: "Long-pass-1234" }))).toMatchObject({
      ok: false,
      error: "security.errors.setupRequired",
    });
    expect(await startTwoFactorAction(null, form({ password: PASSWORD }))).toEqual({ ok: true, data: undefined });
    const memberActor = { merchantId: member.merchantId, userId: member.id };
    const state = await getTwoFactorState(getDb(), memberActor);
    if (state.status !== "pending") throw new Error("not pending");
    await confirmTwoFactorSetup(getDb(), memberActor, await codeAt(state.secret, T0), T0);
    const after = await getStaffContext();
    expect(after && mustSetUpTwoFactor(after)).toBe(false);
    // While required, it cannot be switched off.
    await expect(disableTwoFactor(getDb(), memberActor, PASSWORD)).rejects.toMatchObject({ message: "security.errors.required" });
  });
});

describe("sessions", () => {
  it("an ended session is signed out at its next request; ending others keeps this one", async () => {
    const { actor, owner } = await createTestMerchant();
    const laptop = await signedIn(owner);
    const phone = await signedIn(owner);
    const tablet = await signedIn(owner);
    expect(await listStaffSessions(getDb(), actor)).toHaveLength(3);

    cookie = phone;
    expect(await getStaffContext()).not.toBeNull();
    await endStaffSession(getDb(), actor, phone.user.sessionId);
    expect(await getStaffContext()).toBeNull();

    cookie = laptop;
    expect(await endOtherStaffSessions(getDb(), actor, laptop.user.sessionId)).toBe(1);
    expect(await getStaffContext()).not.toBeNull();
    cookie = tablet;
    expect(await getStaffContext()).toBeNull();
    expect((await listStaffSessions(getDb(), actor)).map((s) => s.id)).toEqual([laptop.user.sessionId]);
  });

  it("last seen is written at most once a minute", async () => {
    const { owner } = await createTestMerchant();
    cookie = await signedIn(owner);
    const id = String(cookie.user.sessionId);
    const old = new Date(Date.now() - 5 * 60_000);
    await getDb().update(staffSessions).set({ lastSeenAt: old }).where(eq(staffSessions.id, id));
    await getStaffContext();
    const [touched] = await getDb().select().from(staffSessions).where(eq(staffSessions.id, id));
    expect(touched.lastSeenAt.getTime()).toBeGreaterThan(old.getTime());
    const recent = new Date(Date.now() - 10_000);
    await getDb().update(staffSessions).set({ lastSeenAt: recent }).where(eq(staffSessions.id, id));
    await getStaffContext();
    const [untouched] = await getDb().select().from(staffSessions).where(eq(staffSessions.id, id));
    expect(untouched.lastSeenAt.getTime()).toBe(recent.getTime());
  });

  it("an owner ends a staff member's sessions; nobody reaches another merchant's or colleague's sessions (tenancy)", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { member } = await createTestStaff(a.actor, "cashier");
    const memberCookie = await signedIn(member);
    const bCookie = await signedIn(b.owner);

    // B's owner cannot end A's staff, nor end A's session by id; A's member cannot end the owner's.
    await expect(endMemberSessions(getDb(), b.actor, member.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(endStaffSession(getDb(), b.actor, memberCookie.user.sessionId)).rejects.toMatchObject({ code: "not_found" });
    const ownerCookie = await signedIn(a.owner);
    await expect(endStaffSession(getDb(), { merchantId: a.merchant.id, userId: member.id }, ownerCookie.user.sessionId)).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await listStaffSessions(getDb(), b.actor)).map((s) => s.id)).toEqual([bCookie.user.sessionId]);
    expect((await listSignInHistory(getDb(), b.actor)).every((h) => h.userId === b.owner.id)).toBe(true);
    const bRows = await getDb().select().from(signInAttempts).where(eq(signInAttempts.merchantId, b.merchant.id));
    expect(bRows.every((r) => r.userId === b.owner.id)).toBe(true);

    cookie = memberCookie;
    expect(await getStaffContext()).not.toBeNull();
    expect(await endMemberSessions(getDb(), a.actor, member.id)).toBe(1);
    expect(await getStaffContext()).toBeNull();
    cookie = bCookie;
    expect(await getStaffContext()).not.toBeNull();
  });

  it("a cookie naming another user's session row finds nothing", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const aCookie = await signedIn(a.owner);
    const bCookie = await signedIn(b.owner);
    cookie = { user: { ...bCookie.user, sessionId: aCookie.user.sessionId } };
    expect(await getStaffContext()).toBeNull();
  });
});
