import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { apiKeys, cards, cardTemplates, locations, merchants, users } from "@/db/schema";
import { hashApiKey } from "@/lib/api-keys";
import { authenticate } from "@/lib/auth/authenticate";
import { checkHealth } from "@/lib/health";
import { DEMO, seedDemo } from "@/lib/seed";

describe("seed", () => {
  it("creates the demo merchant, its owner, two points of sale, a template with three named cards (and a few months of report history) and the given API key — once", async () => {
    const db = getDb();
    const first = await seedDemo(db, { apiKey: "cd_test_seed_key_0123456789" });
    const second = await seedDemo(db, { apiKey: "cd_test_seed_key_0123456789" });
    expect(second.merchantId).toBe(first.merchantId);
    expect(await db.select().from(merchants).where(eq(merchants.slug, DEMO.slug))).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.merchantId, first.merchantId))).toHaveLength(1);
    expect(await db.select().from(locations).where(eq(locations.merchantId, first.merchantId))).toHaveLength(2);
    // The loyalty template, and the gift certificate's design (lib/gift-certificates/seed).
    expect(await db.select().from(cardTemplates).where(eq(cardTemplates.merchantId, first.merchantId))).toHaveLength(2);
    // The three named cards, the 40 of the reports' history (lib/reports/demo-history) and two gift certificates.
    expect(await db.select().from(cards).where(eq(cards.merchantId, first.merchantId))).toHaveLength(45);
    const keys = await db.select().from(apiKeys).where(eq(apiKeys.merchantId, first.merchantId));
    expect(keys).toHaveLength(1);
    expect(keys[0].keyHash).toBe(hashApiKey("cd_test_seed_key_0123456789"));
    expect((await authenticate(db, { email: DEMO.email, password: DEMO.password, ip: "seed-test" })).ok).toBe(true);
  });
});

describe("health", () => {
  it("reports the database and the queue as ok", async () => {
    expect(await checkHealth()).toEqual({ db: "ok", queue: "ok" });
  });

  it("answers 503 when the database does not answer", async () => {
    const db = await import("@/db");
    vi.spyOn(db, "getDb").mockReturnValue({ execute: () => Promise.reject(new Error("connection refused")) } as never);
    const { GET } = await import("@/app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ db: "error", queue: "error" });
    vi.restoreAllMocks();
    expect((await GET()).status).toBe(200);
  });
});
