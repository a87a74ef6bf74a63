import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { certificateCodes } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import type { StaffContext } from "@/lib/auth/session";
import { staffActor } from "@/lib/cards/actor";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { issueCertificates } from "@/lib/gift-certificates/issue";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { createLocation } from "@/lib/locations";
import { postAtTill } from "@/lib/till/post";
import { staffTillContext } from "@/lib/till/staff";
import { createTill } from "@/lib/till/tills";
import { POST as postTx } from "@/app/api/v1/cards/[id]/transactions/route";
import { createTestMerchant, uniquePhone, type TestMerchant } from "../factories";

// The cashier screen's actions draw the pass preview with the request's locale and formatter.
vi.mock("next-intl/server", async () => {
  const { createFormatter } = await vi.importActual<typeof import("next-intl")>("next-intl");
  const translate = Object.assign((key: string) => key, { rich: (key: string) => key, has: () => true });
  return { getLocale: async () => "en", getFormatter: async () => createFormatter({ locale: "en", timeZone: "UTC" }), getTranslations: async () => translate };
});

/** A certificate is taken only at its definition's points of sale (issue 13, item 1). */

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function redeem(key: string, cardId: string, body: Record<string, unknown>) {
  const response = await (postTx as Route)(
    new Request("http://localhost/api/v1/x", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "idempotency-key": `k-${Math.random().toString(36).slice(2)}` },
      body: JSON.stringify({ type: "redeem", ...body }),
    }),
    { params: Promise.resolve({ id: cardId } as never) },
  );
  return { status: response.status, body: await response.json() };
}

const text = (en: string) => ({ en, ru: en });
const base = {
  valueKind: "money" as const,
  nominal: 10_000,
  presentation: text("Show it"),
  terms: text("Terms"),
  validity: { mode: "days" as const, days: 30 },
};
const s = {} as {
  m: TestMerchant;
  shopA: string;
  shopB: string;
  tillA: string;
  tillB: string;
  bareKey: string;
  limited: string;
  everywhere: string;
  tillBId: string;
};

async function issue(definitionId: string): Promise<string> {
  const [one] = await getDb().transaction((tx) =>
    issueCertificates(tx, { merchantId: s.m.merchant.id, actor: staffActor(s.m.owner.id) }, definitionId, [{ phone: uniquePhone() }]),
  );
  return one.card.id;
}

beforeAll(async () => {
  const db = getDb();
  s.m = await createTestMerchant();
  const place = (name: string) => createLocation(db, s.m.actor, { name, address: "", latitude: 55.75, longitude: 37.61, nearbyText: "" });
  s.shopA = (await place("Shop A")).id;
  s.shopB = (await place("Shop B")).id;
  s.tillA = (await createTill(db, s.m.actor, { name: "Till A", locationId: s.shopA })).key;
  const b = await createTill(db, s.m.actor, { name: "Till B", locationId: s.shopB });
  s.tillB = b.key;
  s.tillBId = b.till.id;
  s.bareKey = (await createApiKey(db, s.m.actor, { name: "Central POS", scopes: ["pos:write"] })).key;
  const limited = await createDefinition(db, s.m.actor, { ...base, name: "Shop A only", locationIds: [s.shopA] });
  const everywhere = await createDefinition(db, s.m.actor, { ...base, name: "Everywhere" });
  await generatePoolCodes(db, s.m.actor, limited.id, { count: 10, length: 10 });
  await generatePoolCodes(db, s.m.actor, everywhere.id, { count: 5, length: 10 });
  s.limited = limited.id;
  s.everywhere = everywhere.id;
});

describe("a certificate's points of sale at the till", () => {
  const refusedAt = (locationId: string) => ({
    status: 409,
    body: {
      error: {
        code: "location_not_accepted",
        message: "This certificate is not accepted at this point of sale.",
        data: { locationId, accepted: [s.shopA] },
      },
    },
  });

  it.each([
    ["a till standing at another point of sale", () => s.tillB, {}, () => s.shopB],
    ["a key with no till naming another point of sale", () => s.bareKey, { locationId: "B" }, () => s.shopB],
    ["a till at the right shop naming another point of sale", () => s.tillA, { locationId: "B" }, () => s.shopB],
    ["a till at another point of sale naming an accepted one", () => s.tillB, { locationId: "A" }, () => s.shopB],
  ])("refuses %s, and nothing moves", async (_name, key, extra, where) => {
    const cardId = await issue(s.limited);
    const named = "locationId" in extra ? { locationId: extra.locationId === "A" ? s.shopA : s.shopB } : {};
    const body = { points: 1_000, ...named };
    expect(await redeem(key(), cardId, body)).toEqual(refusedAt(where()));
    const again = await redeem(s.tillA, cardId, { points: 10_000 });
    expect(again.status).toBe(201);
    expect(again.body.balanceAfter).toBe(0);
  });

  it.each([
    ["a till at an accepted point of sale", () => s.tillA, {}],
    ["a key with no till naming an accepted point of sale", () => s.bareKey, { locationId: "A" }],
    ["a key with no till and no point of sale (the merchant's own)", () => s.bareKey, {}],
  ])("takes %s", async (_name, key, extra) => {
    const cardId = await issue(s.limited);
    const answer = await redeem(key(), cardId, { points: 2_500, ...("locationId" in extra ? { locationId: s.shopA } : {}) });
    expect(answer.status).toBe(201);
    expect(answer.body.balanceAfter).toBe(7_500);
  });

  it("takes a definition with no points of sale listed anywhere", async () => {
    const cardId = await issue(s.everywhere);
    expect((await redeem(s.tillB, cardId, { points: 1_000 })).status).toBe(201);
  });

  it("refuses the cashier screen with a till of another point of sale chosen", async () => {
    const db = getDb();
    const staff = { userId: s.m.owner.id, merchantId: s.m.merchant.id, role: "owner", merchant: s.m.merchant, user: s.m.owner } as StaffContext;
    const cardId = await issue(s.limited);
    await expect(
      postAtTill(db, await staffTillContext(db, staff, s.tillBId), { cardId, type: "redeem", points: 100, idempotencyKey: null }),
    ).rejects.toMatchObject({ code: "location_not_accepted", data: { locationId: s.shopB, accepted: [s.shopA] } });
    const atNoTill = await postAtTill(db, await staffTillContext(db, staff, null), { cardId, type: "redeem", points: 100, idempotencyKey: null });
    expect(atNoTill.posted?.transaction.redeemed).toBe(100);
  });
});

describe("the cashier screen's actions", () => {
  it("find a certificate by its code as money, redeem half in it, and refuse a till of another point of sale", async () => {
    const { vi } = await import("vitest");
    const staff = { userId: s.m.owner.id, merchantId: s.m.merchant.id, role: "owner", merchant: s.m.merchant, user: s.m.owner } as StaffContext;
    vi.doMock("@/lib/auth/session", () => ({ getStaffContext: async () => staff, requireStaff: async () => staff }));
    vi.doMock("next/cache", () => ({ revalidatePath: () => {} }));
    const { tillLookupAction, tillPostAction } = await import("@/app/(cabinet)/till/actions");
    const form = (values: Record<string, string>) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(values)) fd.set(k, v);
      return fd;
    };
    const cardId = await issue(s.limited);
    const [{ code }] = await getDb().select({ code: certificateCodes.code }).from(certificateCodes).where(eq(certificateCodes.cardId, cardId));
    const found = await tillLookupAction(null, form({ q: code.toLowerCase(), tillId: "" }));
    expect(found).toMatchObject({ ok: true, data: { certificate: "money", balance: 10_000, card: { id: cardId } } });
    const post = (tillId: string, key: string) => tillPostAction(null, form({ cardId, tillId, key, type: "redeem", points: "5000" }));
    expect(await post(s.tillBId, "till-b-key-1")).toMatchObject({ ok: false, code: "location_not_accepted" });
    expect(await post("", "no-till-key-1")).toMatchObject({ ok: true, data: { transaction: { redeemed: 5_000, balanceAfter: 5_000 } } });
  });
});
