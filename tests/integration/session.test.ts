import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { changePassword, changeStaffRole, setStaffActive } from "@/lib/staff";
import { PASSWORD, createTestMerchant, createTestStaff } from "../factories";

// The session cookie as next-auth would decode it; the guard must still check the database.
let cookie: { user: { id: string; merchantId: string; role: string; sessionVersion: number } } | null = null;
vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => cookie }));
const { getStaffContext } = await import("@/lib/auth/session");

const sessionOf = (m: { id: string; merchantId: string; role: string }, sessionVersion = 0) => ({
  user: { id: m.id, merchantId: m.merchantId, role: m.role, sessionVersion },
});

describe("staff sessions", () => {
  it("follow the database: a role change applies at once, whatever the cookie says", async () => {
    const { actor } = await createTestMerchant();
    const { member } = await createTestStaff(actor, "cashier");
    cookie = sessionOf(member);
    expect((await getStaffContext())?.role).toBe("cashier");
    await changeStaffRole(getDb(), actor, member.id, "manager");
    expect((await getStaffContext())?.role).toBe("manager");
  });

  it("end when the user is deactivated, and stay ended after reactivation", async () => {
    const { actor } = await createTestMerchant();
    const { member } = await createTestStaff(actor, "cashier");
    cookie = sessionOf(member);
    expect(await getStaffContext()).not.toBeNull();
    await setStaffActive(getDb(), actor, member.id, false);
    expect(await getStaffContext()).toBeNull();
    await setStaffActive(getDb(), actor, member.id, true);
    expect(await getStaffContext()).toBeNull();
    cookie = sessionOf(member, 1);
    expect(await getStaffContext()).not.toBeNull();
  });

  it("signed before a password change stop working", async () => {
    const { actor, owner } = await createTestMerchant();
    cookie = sessionOf(owner);
    expect(await getStaffContext()).not.toBeNull();
    await changePassword(getDb(), actor, PASSWORD, "Brand-new-pass-1");
    expect(await getStaffContext()).toBeNull();
  });

  it("never cross merchants: a cookie naming another merchant's id finds nothing", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    cookie = { user: { id: a.owner.id, merchantId: b.merchant.id, role: "owner", sessionVersion: 0 } };
    expect(await getStaffContext()).toBeNull();
  });
});
