import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditLog, cardEvents, outboxMessages, tillCodes, users } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import type { StaffContext } from "@/lib/auth/session";
import { openCodeSecret } from "@/lib/outbox";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_POINTS_PROGRAM } from "@/lib/templates/definition";
import { expirePendingCodes } from "@/lib/till/expiry";
import { createTill, saveTillRules, DEFAULT_TILL_RULES } from "@/lib/till/tills";
import { POST as postTx } from "@/app/api/v1/cards/[id]/transactions/route";
import { callApi } from "../support/api-call";
import { createTestCard, createTestMerchant, createTestStaff, createTestTemplate, uniquePhone, type TestMerchant } from "../factories";

/** The till's rules finished: pending codes expire by a job, the code's SMS says the amount, the hourly limit per key and under races, the per-staff skip switch. */

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
const tillActions = await import("@/app/(cabinet)/till/actions");
const staffActions = await import("@/app/(cabinet)/settings/staff/actions");

let n = 0;
const idem = () => ({ "idempotency-key": `rules-${Date.now()}-${n++}` });
const post = (key: string, cardId: string, body: unknown) => callApi(postTx, key, { method: "POST", params: { id: cardId }, body, headers: idem() });
const form = (values: Record<string, string | number>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, String(v));
  return fd;
};

async function templateWith(m: TestMerchant, name: string, confirm?: { mode: "off" | "on" | "above"; above: number }) {
  const template = await createTestTemplate(m, { name });
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, { name, definition: { ...version.definition, program: { ...DEFAULT_POINTS_PROGRAM, confirm } } });
  return template;
}

/** What getStaffContext would read for this member: their row as it is in the database now. */
async function staffAs(m: TestMerchant, userId: string): Promise<StaffContext> {
  const [user] = await getDb().select().from(users).where(eq(users.id, userId));
  return { userId, merchantId: m.merchant.id, role: user.role, merchant: m.merchant, user } as StaffContext;
}

const s = {} as { m: TestMerchant; key: string; confirm: { id: string }; plain: { id: string } };

beforeAll(async () => {
  s.m = await createTestMerchant();
  s.confirm = await templateWith(s.m, "Confirmed", { mode: "on", above: 0 });
  s.plain = await templateWith(s.m, "Plain");
  s.key = (await createTill(getDb(), s.m.actor, { name: "Till R" })).key;
});

beforeEach(() => {
  signedIn = null;
});

describe("pending confirmations expire by a job", () => {
  it("a batch marks pending codes past their time as expired, leaves live ones, and says when more are due", async () => {
    const db = getDb();
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000, phone: uniquePhone() });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await post(s.key, card.id, { type: "redeem", points: 10 + i })).body.id);
    await db
      .update(tillCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(tillCodes.id, ids[0]));
    await db
      .update(tillCodes)
      .set({ expiresAt: new Date(Date.now() - 2000) })
      .where(eq(tillCodes.id, ids[1]));
    expect(await expirePendingCodes(db, { size: 1 })).toMatchObject({ expired: 1, more: true });
    // Each run takes what is due (other tests' rows may be due too); a last run finds nothing.
    while ((await expirePendingCodes(db)).more);
    expect(await expirePendingCodes(db)).toEqual({ expired: 0, more: false });
    const rows = await db.select({ id: tillCodes.id, status: tillCodes.status }).from(tillCodes).where(eq(tillCodes.cardId, card.id));
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect([status[ids[0]], status[ids[1]], status[ids[2]]]).toEqual(["expired", "expired", "pending"]);
  });
});

describe("the code's SMS", () => {
  it("says how many points it lets the cashier spend", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 5000, phone });
    expect((await post(s.key, card.id, { type: "redeem", points: 345 })).status).toBe(202);
    const [row] = await getDb()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.recipient, phone), eq(outboxMessages.merchantId, s.m.merchant.id)))
      .orderBy(desc(outboxMessages.createdAt))
      .limit(1);
    const { body, code } = openCodeSecret(row)!;
    expect(body).toMatch(/^\d{6} — код для списания 345 в |^\d{6} confirms spending 345 at /);
    // Staff see the text with the code masked, the amount kept.
    expect(row.body).toContain("345");
    expect(row.body).not.toContain(code);
  });
});

describe("the hourly limit", () => {
  it("counts an API key that belongs to no till, per key", async () => {
    const m = await createTestMerchant();
    const template = await templateWith(m, "P");
    const loose = (await createApiKey(getDb(), m.actor, { name: "CRM", scopes: ["pos:write"] })).key;
    const other = (await createApiKey(getDb(), m.actor, { name: "CRM 2", scopes: ["pos:write"] })).key;
    await saveTillRules(getDb(), m.actor, { ...DEFAULT_TILL_RULES, redeemPerTillPerHour: 250 });
    const a = (await createTestCard(m, { template, balance: 1000 })).card;
    const b = (await createTestCard(m, { template, balance: 1000 })).card;
    expect((await post(loose, a.id, { type: "redeem", points: 200 })).status).toBe(201);
    const res = await post(loose, b.id, { type: "redeem", points: 100 });
    expect(res).toMatchObject({ status: 409, body: { error: { code: "limit_exceeded", data: { limit: "till_hour", max: 250, used: 200, requested: 100 } } } });
    expect((await post(other, b.id, { type: "redeem", points: 100 })).status).toBe(201);
  });

  it("two cards redeeming at one till at the same moment cannot both pass it", async () => {
    const m = await createTestMerchant();
    const template = await templateWith(m, "P");
    const key = (await createTill(getDb(), m.actor, { name: "Busy till" })).key;
    await saveTillRules(getDb(), m.actor, { ...DEFAULT_TILL_RULES, redeemPerTillPerHour: 250 });
    const cards = await Promise.all([0, 1, 2, 3].map(() => createTestCard(m, { template, balance: 1000 })));
    const results = await Promise.all(cards.map(({ card }) => post(key, card.id, { type: "redeem", points: 200 })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });
});

describe("skipping the code is a switch per staff member", () => {
  it("a cashier may not skip until the owner switches it on for them; the skip still needs a reason and is recorded", async () => {
    const cashier = await createTestStaff(s.m.actor, "cashier");
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000, phone: uniquePhone() });
    const skip = (reason: string) =>
      tillActions.tillPostAction(null, form({ cardId: card.id, key: randomUUID(), type: "redeem", points: 100, ...(reason && { skipReason: reason }) }));

    signedIn = await staffAs(s.m, cashier.member.id);
    expect(await skip("Phone is dead")).toMatchObject({ ok: false, code: "forbidden" });

    // Only the owner sets it; a cashier cannot switch it on for themselves.
    expect(await staffActions.setSkipConfirmationAction(null, form({ id: cashier.member.id, allowed: "true" }))).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    signedIn = await staffAs(s.m, s.m.owner.id);
    expect(await staffActions.setSkipConfirmationAction(null, form({ id: cashier.member.id, allowed: "true" }))).toMatchObject({ ok: true });

    signedIn = await staffAs(s.m, cashier.member.id);
    // Without a reason it is an ordinary spending: a code is sent.
    expect(await skip("")).toMatchObject({ ok: true, data: { pending: { status: "awaiting_confirmation" } } });
    expect(await skip("Phone is dead")).toMatchObject({ ok: true, data: { transaction: { points: -100 } } });
    const events = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "points.confirmation_skipped")));
    expect(events).toHaveLength(1);
    const audit = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.merchantId, s.m.merchant.id), eq(auditLog.action, "staff.skipConfirmation"), eq(auditLog.entityId, cashier.member.id)));
    expect(audit).toHaveLength(1);

    // And off again.
    signedIn = await staffAs(s.m, s.m.owner.id);
    await staffActions.setSkipConfirmationAction(null, form({ id: cashier.member.id, allowed: "false" }));
    signedIn = await staffAs(s.m, cashier.member.id);
    expect(await skip("Phone is dead")).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("another merchant's owner cannot set it (404)", async () => {
    const b = await createTestMerchant();
    const cashier = await createTestStaff(s.m.actor, "cashier");
    signedIn = await staffAs(b, b.owner.id);
    expect(await staffActions.setSkipConfirmationAction(null, form({ id: cashier.member.id, allowed: "true" }))).toMatchObject({
      ok: false,
      code: "not_found",
    });
    const [row] = await getDb().select({ v: users.maySkipConfirmation }).from(users).where(eq(users.id, cashier.member.id));
    expect(row.v).toBeNull();
  });
});
