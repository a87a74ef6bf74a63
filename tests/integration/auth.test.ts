import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLog, merchantNotifications, outboxMessages, users } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { THROTTLE_RULES } from "@/lib/auth/throttle";
import { AppError } from "@/lib/errors";
import { createMerchantWithOwner } from "@/lib/merchants";
import { setStaffActive } from "@/lib/staff";
import { PASSWORD, createTestMerchant, createTestStaff, unique } from "../factories";

const noWait = { wait: async () => {} };
const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${unique()}`;

describe("sign-up", () => {
  it("creates the merchant, its owner, a welcome notification, a welcome e-mail and an audit entry", async () => {
    const db = getDb();
    const { merchant, owner } = await createTestMerchant("Кофейня Ромашка");
    expect(merchant.slug).toMatch(/^kofeynya-romashka/);
    expect(owner).toMatchObject({ role: "owner", active: true, merchantId: merchant.id });
    expect(owner.passwordHash).toMatch(/^\$argon2id\$/);
    const notes = await db.select().from(merchantNotifications).where(eq(merchantNotifications.merchantId, merchant.id));
    expect(notes.map((n) => n.kind)).toEqual(["welcome"]);
    const mails = await db.select().from(outboxMessages).where(eq(outboxMessages.merchantId, merchant.id));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ channel: "email", recipient: owner.email, status: "queued" });
    const audit = await db.select().from(auditLog).where(eq(auditLog.merchantId, merchant.id));
    expect(audit.map((a) => a.action)).toEqual(["merchant.create"]);
  });

  it("two sign-ups racing for one e-mail: one wins, the other is told the e-mail is taken", async () => {
    const email = `${unique("race")}@example.com`;
    const results = await Promise.allSettled(
      ["A", "B"].map((org) => createMerchantWithOwner(getDb(), { organisation: `${org} ${unique()}`, name: "X", email, password: PASSWORD })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ fieldErrors: { email: "validation.emailTaken" } });
  });

  it("gives two merchants with one name different slugs, even when they sign up at once", async () => {
    const name = unique("Same time");
    const [a, b] = await Promise.all([createTestMerchant(name), createTestMerchant(name)]);
    expect(a.merchant.slug).not.toBe(b.merchant.slug);
  });

  it("gives two merchants with one name different slugs", async () => {
    const name = unique("Same Name");
    const a = await createTestMerchant(name);
    const b = await createTestMerchant(name);
    expect(b.merchant.slug).not.toBe(a.merchant.slug);
  });

  it("refuses an e-mail that already has an account, whatever its case, and writes nothing", async () => {
    const { owner } = await createTestMerchant();
    const attempt = createMerchantWithOwner(getDb(), { organisation: "Other", name: "X", email: owner.email.toUpperCase(), password: PASSWORD });
    await expect(attempt).rejects.toMatchObject({ code: "validation", fieldErrors: { email: "validation.emailTaken" } });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
  });
});

describe("authenticate", () => {
  it("accepts the right password and records the sign-in time", async () => {
    const { owner } = await createTestMerchant();
    const result = await authenticate(getDb(), { email: owner.email.toUpperCase(), password: PASSWORD, ip: ip() });
    expect(result.ok).toBe(true);
    const [row] = await getDb().select().from(users).where(eq(users.id, owner.id));
    expect(row.lastSignInAt).toBeInstanceOf(Date);
  });

  it("answers an unknown e-mail and a wrong password the same way", async () => {
    const { owner } = await createTestMerchant();
    expect(await authenticate(getDb(), { email: owner.email, password: "wrong-pass-1", ip: ip() })).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(getDb(), { email: `${unique()}@example.com`, password: "x", ip: ip() })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a deactivated user", async () => {
    const { actor } = await createTestMerchant();
    const { member } = await createTestStaff(actor, "cashier");
    expect((await authenticate(getDb(), { email: member.email, password: PASSWORD, ip: ip() })).ok).toBe(true);
    await setStaffActive(getDb(), actor, member.id, false);
    expect(await authenticate(getDb(), { email: member.email, password: PASSWORD, ip: ip() })).toEqual({ ok: false, reason: "inactive" });
  });

  // The reported lock-out: five wrong passwords from anywhere used to lock the victim for 15 minutes.
  it("locks an e-mail only from the address that guessed: the owner signs in from hers", async () => {
    const { owner } = await createTestMerchant();
    const attacker = ip();
    for (let i = 0; i < THROTTLE_RULES.pair.limit; i++) {
      expect(await authenticate(getDb(), { email: owner.email, password: `wrong-${i}`, ip: attacker }, noWait)).toEqual({ ok: false, reason: "invalid" });
    }
    const locked = await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: attacker }, noWait);
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    if (!locked.ok) expect(locked.retryAfterSeconds).toBeGreaterThan(THROTTLE_RULES.pair.lockSeconds - 60);
    expect((await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: ip() }, noWait)).ok).toBe(true);
  });

  it("never refuses the right password because of strangers' guesses from many addresses; it only slows down", async () => {
    const { owner } = await createTestMerchant();
    const waits: number[] = [];
    const wait = async (ms: number) => void waits.push(ms);
    for (let i = 0; i < 8; i++) {
      expect(await authenticate(getDb(), { email: owner.email, password: `wrong-${i}`, ip: ip() }, { wait })).toEqual({ ok: false, reason: "invalid" });
    }
    // Free for the first failures, then 1 s doubling up to the cap.
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    const right = await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: ip() }, { wait });
    expect(right.ok).toBe(true);
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000]);
    // A success forgives the e-mail: the next attempt is not slowed.
    waits.length = 0;
    expect((await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: ip() }, { wait })).ok).toBe(true);
    expect(waits).toEqual([]);
  });

  it("slows an unknown e-mail the same way, so the delay says nothing about who has an account", async () => {
    const email = `${unique("ghost")}@example.com`;
    const known = await createTestMerchant();
    const ghostWaits: number[] = [];
    const ownerWaits: number[] = [];
    for (let i = 0; i < 6; i++) {
      await authenticate(getDb(), { email, password: "x", ip: ip() }, { wait: async (ms) => void ghostWaits.push(ms) });
      await authenticate(getDb(), { email: known.owner.email, password: "x", ip: ip() }, { wait: async (ms) => void ownerWaits.push(ms) });
    }
    expect(ghostWaits).toEqual(ownerWaits);
    expect(ghostWaits.length).toBeGreaterThan(0);
  });

  it("lets no more than the limit of parallel guesses from one address reach the password check", async () => {
    const { owner } = await createTestMerchant();
    const attacker = ip();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => authenticate(getDb(), { email: owner.email, password: `guess-${i}`, ip: attacker }, noWait)),
    );
    const checked = results.filter((r) => !r.ok && r.reason === "invalid").length;
    expect(checked).toBeLessThanOrEqual(THROTTLE_RULES.pair.limit);
    expect(results.filter((r) => !r.ok && r.reason === "throttled").length).toBeGreaterThanOrEqual(20 - THROTTLE_RULES.pair.limit);
  });

  it("locks an IP that fails across many e-mails, without locking other IPs", async () => {
    const { owner } = await createTestMerchant();
    const attacker = ip();
    for (let i = 0; i < THROTTLE_RULES.ip.limit; i++) {
      await authenticate(getDb(), { email: `${unique()}@example.com`, password: "guess", ip: attacker }, noWait);
    }
    expect(await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: attacker }, noWait)).toMatchObject({ ok: false, reason: "throttled" });
    expect((await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: ip() }, noWait)).ok).toBe(true);
  });

  it("clears the pair's failure count after a successful sign-in", async () => {
    const { owner } = await createTestMerchant();
    const me = ip();
    for (let i = 0; i < THROTTLE_RULES.pair.limit - 1; i++) await authenticate(getDb(), { email: owner.email, password: "nope", ip: me }, noWait);
    expect((await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: me }, noWait)).ok).toBe(true);
    expect((await authenticate(getDb(), { email: owner.email, password: "nope", ip: me }, noWait)).ok).toBe(false);
    expect((await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: me }, noWait)).ok).toBe(true);
  });

  it("keeps deactivated users' rows scoped to their merchant", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { member } = await createTestStaff(a.actor);
    await expect(setStaffActive(getDb(), b.actor, member.id, false)).rejects.toMatchObject({ code: "not_found" });
    const [row] = await getDb()
      .select()
      .from(users)
      .where(and(eq(users.id, member.id)));
    expect(row.active).toBe(true);
  });
});
