import { and, desc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditLog, locations } from "@/db/schema";
import type { StaffContext } from "@/lib/auth/session";
import { createLocation, deleteLocation, getLocationOrThrow, listLocations, updateLocation } from "@/lib/locations";
import { createTestMerchant, createTestStaff } from "../factories";

// Actions run as whoever this says; the real guard reads the next-auth cookie.
let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { createLocationAction, deleteLocationAction, updateLocationAction } = await import("@/app/(cabinet)/locations/actions");

const input = { name: "Main street", address: "Main st 1", latitude: 55.75, longitude: 37.61, nearbyText: "Near us" };
const form = (values: Record<string, string | number>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, String(v));
  return fd;
};

async function contextFor(m: Awaited<ReturnType<typeof createTestMerchant>>, userId = m.owner.id, role: StaffContext["role"] = "owner"): Promise<StaffContext> {
  return { userId, merchantId: m.merchant.id, role, merchant: m.merchant, user: { ...m.owner, id: userId, role } };
}

beforeEach(() => {
  signedIn = null;
});

describe("points of sale", () => {
  it("creates, updates and deletes, writing each change to the audit log with before and after", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const created = await createLocation(db, actor, input);
    const updated = await updateLocation(db, actor, created.id, { ...input, name: "Renamed" });
    expect(updated.name).toBe("Renamed");
    await deleteLocation(db, actor, created.id);
    await expect(getLocationOrThrow(db, merchant.id, created.id)).rejects.toMatchObject({ code: "not_found" });

    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.merchantId, merchant.id), eq(auditLog.entityId, created.id)))
      .orderBy(desc(auditLog.createdAt));
    expect(audit.map((a) => a.action).sort()).toEqual(["location.create", "location.delete", "location.update"]);
    const update = audit.find((a) => a.action === "location.update")!;
    expect(update.before).toMatchObject({ name: "Main street" });
    expect(update.after).toMatchObject({ name: "Renamed" });
    expect(update.userId).toBe(actor.userId);
  });

  it("sorts names the way people count: shop 3 before shop 10, across pages and regardless of case", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    for (const name of ["Shop 10", "shop 2", "Shop 1", "Shop 11", "Shop 3", "Mall 2 stand 10", "Mall 2 stand 9", "Mall 10 stand 1"])
      await createLocation(db, actor, { ...input, name });
    const all = await listLocations(db, merchant.id, { page: 1, pageSize: 50 });
    expect(all.rows.map((r) => r.name)).toEqual(["Mall 2 stand 9", "Mall 2 stand 10", "Mall 10 stand 1", "Shop 1", "shop 2", "Shop 3", "Shop 10", "Shop 11"]);
    const page2 = await listLocations(db, merchant.id, { page: 2, pageSize: 3 });
    expect(page2.rows.map((r) => r.name)).toEqual(["Shop 1", "shop 2", "Shop 3"]);
  });

  it("lists only the merchant's own, paginated and searchable", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    for (let i = 1; i <= 5; i++) await createLocation(db, a.actor, { ...input, name: `Shop ${i}` });
    await createLocation(db, b.actor, { ...input, name: "Shop of B" });
    const page1 = await listLocations(db, a.merchant.id, { page: 1, pageSize: 2 });
    const page3 = await listLocations(db, a.merchant.id, { page: 3, pageSize: 2 });
    expect(page1.total).toBe(5);
    expect(page1.rows.map((r) => r.name)).toEqual(["Shop 1", "Shop 2"]);
    expect(page3.rows.map((r) => r.name)).toEqual(["Shop 5"]);
    expect((await listLocations(db, a.merchant.id, { page: 1, pageSize: 10, search: "of B" })).total).toBe(0);
    expect((await listLocations(db, a.merchant.id, { page: 1, pageSize: 10, search: "shop 4" })).rows.map((r) => r.name)).toEqual(["Shop 4"]);
    expect((await listLocations(db, a.merchant.id, { page: 1, pageSize: 10, search: "%" })).total).toBe(0);
  });
});

describe("points of sale — tenancy", () => {
  it("merchant B cannot read, change or delete merchant A's point of sale through the services", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const location = await createLocation(db, a.actor, input);
    await expect(getLocationOrThrow(db, b.merchant.id, location.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(updateLocation(db, b.actor, location.id, { ...input, name: "Hijacked" })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteLocation(db, b.actor, location.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await getLocationOrThrow(db, a.merchant.id, location.id)).name).toBe(input.name);
  });

  it("merchant B gets not_found from the update and delete actions, and A's row is untouched", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const location = await createLocation(db, a.actor, input);
    signedIn = await contextFor(b);
    const update = await updateLocationAction(null, form({ ...input, id: location.id, name: "Hijacked" }));
    expect(update).toMatchObject({ ok: false, code: "not_found", error: "errors.notFound" });
    const del = await deleteLocationAction(null, form({ id: location.id }));
    expect(del).toMatchObject({ ok: false, code: "not_found" });
    const [row] = await db.select().from(locations).where(eq(locations.id, location.id));
    expect(row.name).toBe(input.name);
  });
});

describe("points of sale — actions", () => {
  it("returns field errors for a latitude of 100 and keeps what was typed", async () => {
    const m = await createTestMerchant();
    signedIn = await contextFor(m);
    const result = await createLocationAction(null, form({ ...input, latitude: "100" }));
    expect(result).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { latitude: "validation.latitudeRange" },
      values: { name: input.name, latitude: "100" },
    });
    expect((await listLocations(getDb(), m.merchant.id, { page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("refuses a cashier and a signed-out visitor", async () => {
    const m = await createTestMerchant();
    const cashier = await createTestStaff(m.actor, "cashier");
    signedIn = await contextFor(m, cashier.member.id, "cashier");
    expect(await createLocationAction(null, form(input))).toMatchObject({ ok: false, code: "forbidden" });
    signedIn = null;
    expect(await createLocationAction(null, form(input))).toMatchObject({ ok: false, code: "unauthorized" });
    expect((await listLocations(getDb(), m.merchant.id, { page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("creates through the action and redirects to the list", async () => {
    const m = await createTestMerchant();
    signedIn = await contextFor(m);
    await expect(createLocationAction(null, form(input))).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
    expect((await listLocations(getDb(), m.merchant.id, { page: 1, pageSize: 10 })).rows.map((r) => r.name)).toEqual([input.name]);
  });
});
