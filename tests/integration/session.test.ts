import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { changePassword, changeStaffRole, setStaffActive } from "@/lib/staff";
import { createStaffSession } from "@/lib/staff-security/sessions";
import { PASSWORD, createTestMerchant, createTestStaff } from "../factories";

// The session cookie as next-auth would decode it; the guard must still check the database.
let cookie: { user: { id: string; merchantId: string; role: string; sessionVersion: number; sessionId?: string } } | null = null;
vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => cookie }));
const { getStaffContext } = await import("@/lib/auth/session");

// Every sign-in is a staff_sessions row, and the cookie names it.
const sessionOf = async (m: { id: string; merchantId: string; role: string }, sessionVersion = 0) => ({
  user: {
    id: m.id,
    merchantId: m.merchantId,
    role: m.role,
    sessionVersion,
    sessionId: await createStaffSession(getDb(), m, { ip: "203.0.113.9", userAgent: null }),
  },
});

describe("staff sessions", () => {
  it("follow the database: a role change applies at once, whatever the cookie says", async () => {
    const { actor } = await createTestMerchant();
    const { member } = await createTestStaff(actor, "cashier");
    cookie = await sessionOf(member);
    expect((await getStaffContext())?.role).toBe("cashier");
    await changeStaffRole(getDb(), actor, member.id, "manager");
    expect((await getStaffContext())?.role).toBe("manager");
  });

  it("end when the user is deactivated, and stay ended after reactivation", async () => {
    const { actor } = await createTestMerchant();
    const { member } = await createTestStaff(actor, "cashier");
    cookie = await sessionOf(member);
    expect(await getStaffContext()).not.toBeNull();
    await setStaffActive(getDb(), actor, member.id, false);
    expect(await getStaffContext()).toBeNull();
    await setStaffActive(getDb(), actor, member.id, true);
    expect(await getStaffContext()).toBeNull();
    // A new sign-in (a new row, the new version) works again.
    cookie = await sessionOf(member, 1);
    expect(await getStaffContext()).not.toBeNull();
  });

  it("signed before a password change stop working", async () => {
    const { actor, owner } = await createTestMerchant();
    cookie = await sessionOf(owner);
    expect(await getStaffContext()).not.toBeNull();
    await changePassword(getDb(), actor, PASSWORD, "Brand-new-pass-1");
    expect(await getStaffContext()).toBeNull();
  });

  it("never cross merchants: a cookie naming another merchant's id finds nothing", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    cookie = { user: { id: a.owner.id, merchantId: b.merchant.id, role: "owner", sessionVersion: 0, sessionId: (await sessionOf(a.owner)).user.sessionId } };
    expect(await getStaffContext()).toBeNull();
  });

  it("without a session row (a cookie from before sessions were rows) find nothing", async () => {
    const { owner } = await createTestMerchant();
    cookie = { user: { id: owner.id, merchantId: owner.merchantId, role: "owner", sessionVersion: 0 } };
    expect(await getStaffContext()).toBeNull();
  });
});
