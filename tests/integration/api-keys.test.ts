import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { apiKeys, auditLog } from "@/db/schema";
import { createApiKey, findActiveApiKey, hasScope, hashApiKey, listApiKeys, revokeApiKey, touchApiKey } from "@/lib/api-keys";
import type { StaffContext } from "@/lib/auth/session";
import { createTestMerchant, createTestStaff } from "../factories";

// Actions run as whoever this says; the real guard reads the next-auth cookie.
let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { createApiKeyAction, revokeApiKeyAction } = await import("@/app/(cabinet)/settings/api-keys/actions");
const { GET: listTemplates } = await import("@/app/api/v1/templates/route");

type Merchant = Awaited<ReturnType<typeof createTestMerchant>>;

const form = (values: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  return fd;
};

function contextFor(m: Merchant, userId = m.owner.id, role: StaffContext["role"] = "owner"): StaffContext {
  return { userId, merchantId: m.merchant.id, role, merchant: m.merchant, user: { ...m.owner, id: userId, role } };
}

const auditOf = (merchantId: string, entityId: string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.entityId, entityId)));

beforeEach(() => {
  signedIn = null;
});

describe("API keys — settings actions", () => {
  it("creates a key with the chosen scopes, shows it once and stores only its hash", async () => {
    const m = await createTestMerchant();
    signedIn = contextFor(m);
    const result = await createApiKeyAction(null, form({ name: "Till 1", "scope.cards:read": "on", "scope.cards:write": "on" }));
    expect(result.ok).toBe(true);
    const { id, key, name } = (result as { data: { id: string; key: string; name: string } }).data;
    expect(name).toBe("Till 1");
    expect(key).toMatch(/^cd_[\w-]{43}$/);

    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row).toMatchObject({
      merchantId: m.merchant.id,
      name: "Till 1",
      scopes: ["cards:read", "cards:write"],
      prefix: key.slice(0, 8),
      keyHash: hashApiKey(key),
      createdBy: m.owner.id,
    });
    expect(JSON.stringify(row)).not.toContain(key);
    const listed = await listApiKeys(getDb(), m.merchant.id);
    expect(listed.map((k) => k.id)).toEqual([id]);
    expect(listed[0]).not.toHaveProperty("keyHash");

    const [audit] = await auditOf(m.merchant.id, id);
    expect(audit).toMatchObject({ action: "apiKey.create", userId: m.owner.id });
    expect(JSON.stringify(audit.after)).not.toContain(row.keyHash);
  });

  it("asks for a name and at least one scope, keeping what was typed", async () => {
    const m = await createTestMerchant();
    signedIn = contextFor(m);
    expect(await createApiKeyAction(null, form({ name: "No scopes" }))).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { scopes: "apiKeys.errors.scopes" },
      values: { name: "No scopes" },
    });
    expect(await createApiKeyAction(null, form({ name: " ", "scope.cards:read": "on" }))).toMatchObject({
      ok: false,
      fieldErrors: { name: "validation.required" },
    });
    // An unknown scope is not a checkbox the form has: it is ignored, and alone it grants nothing.
    expect(await createApiKeyAction(null, form({ name: "Sneaky", "scope.*": "on" }))).toMatchObject({
      ok: false,
      fieldErrors: { scopes: "apiKeys.errors.scopes" },
    });
    expect(await listApiKeys(getDb(), m.merchant.id)).toEqual([]);
  });

  it("lets owners and admins manage keys, and no other role", async () => {
    const m = await createTestMerchant();
    for (const role of ["manager", "cashier"] as const) {
      const staff = await createTestStaff(m.actor, role);
      signedIn = contextFor(m, staff.member.id, role);
      expect(await createApiKeyAction(null, form({ name: "K", "scope.cards:read": "on" }))).toMatchObject({ ok: false, code: "forbidden" });
    }
    signedIn = null;
    expect(await createApiKeyAction(null, form({ name: "K", "scope.cards:read": "on" }))).toMatchObject({ ok: false, code: "unauthorized" });
    expect(await listApiKeys(getDb(), m.merchant.id)).toEqual([]);
    const admin = await createTestStaff(m.actor, "admin");
    signedIn = contextFor(m, admin.member.id, "admin");
    expect(await createApiKeyAction(null, form({ name: "K", "scope.cards:read": "on" }))).toMatchObject({ ok: true });
  });

  it("revokes a key: the API refuses it at once, the log records it, a second revoke is refused", async () => {
    const m = await createTestMerchant();
    const { key, row } = await createApiKey(getDb(), m.actor, { name: "Old till", scopes: ["templates:read"] });
    const call = () =>
      listTemplates(new Request("http://localhost/api/v1/templates", { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
    expect((await call()).status).toBe(200);

    signedIn = contextFor(m);
    expect(await revokeApiKeyAction(null, form({ id: row.id }))).toEqual({ ok: true, data: undefined });
    expect((await call()).status).toBe(401);
    expect(await findActiveApiKey(getDb(), key)).toBeNull();
    const audit = await auditOf(m.merchant.id, row.id);
    expect(audit.map((a) => a.action).sort()).toEqual(["apiKey.create", "apiKey.revoke"]);
    expect(audit.find((a) => a.action === "apiKey.revoke")).toMatchObject({ userId: m.owner.id, before: { revokedAt: null } });
    expect(await revokeApiKeyAction(null, form({ id: row.id }))).toMatchObject({ ok: false, code: "conflict", error: "apiKeys.errors.alreadyRevoked" });
  });
});

describe("API keys — tenancy", () => {
  it("merchant B cannot see or revoke merchant A's key", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { key, row } = await createApiKey(getDb(), a.actor, { name: "A's till", scopes: ["*"] });
    await createApiKey(getDb(), b.actor, { name: "B's till", scopes: ["*"] });
    expect((await listApiKeys(getDb(), b.merchant.id)).map((k) => k.name)).toEqual(["B's till"]);
    signedIn = contextFor(b);
    expect(await revokeApiKeyAction(null, form({ id: row.id }))).toMatchObject({ ok: false, code: "not_found" });
    await expect(revokeApiKey(getDb(), b.actor, row.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await findActiveApiKey(getDb(), key))?.merchant.id).toBe(a.merchant.id);
  });
});

describe("API keys — use", () => {
  it("`*` grants every scope; a listed scope grants only itself", () => {
    expect(hasScope(["*"], "cards:write")).toBe(true);
    expect(hasScope(["cards:read"], "cards:read")).toBe(true);
    expect(hasScope(["cards:read"], "cards:write")).toBe(false);
    expect(hasScope([], "templates:read")).toBe(false);
  });

  it("refuses a key with a scope that does not exist", async () => {
    const m = await createTestMerchant();
    await expect(createApiKey(getDb(), m.actor, { name: "X", scopes: ["cards:delete"] })).rejects.toMatchObject({
      code: "validation",
      message: "apiKeys.errors.scopes",
    });
  });

  it("records last use at most once a minute per key", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const { row } = await createApiKey(db, m.actor, { name: "Busy", scopes: ["*"] });
    const lastUsed = async () => (await db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, row.id)))[0].at?.getTime();
    const t0 = Date.now();
    await touchApiKey(db, { id: row.id, lastUsedAt: null }, t0);
    expect(await lastUsed()).toBe(t0);
    await touchApiKey(db, { id: row.id, lastUsedAt: null }, t0 + 59_000);
    expect(await lastUsed()).toBe(t0);
    await touchApiKey(db, { id: row.id, lastUsedAt: new Date(t0) }, t0 + 61_000);
    expect(await lastUsed()).toBe(t0 + 61_000);
  });
});
