import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createApiKey } from "@/lib/api-keys";
import { apiCardDetailSchema } from "@/lib/api/schemas";
import { postTransaction } from "@/lib/ledger";
import { lookupCard } from "@/lib/ledger/lookup";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_POINTS_PROGRAM } from "@/lib/templates/definition";
import { GET as getCard, PATCH as patchCard } from "@/app/api/v1/cards/[id]/route";
import { createTestCard, createTestMerchant, createTestTemplate } from "../factories";

/** GET /api/v1/cards/{id} shows what of the card's points expires when, as the till's lookup does. */

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
const call = async (route: Route, id: string, key: string, init: RequestInit = {}) => {
  const response = await route(new Request(`http://localhost/api/v1/cards/${id}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } }), {
    params: Promise.resolve({ id } as never),
  });
  return { status: response.status, etag: response.headers.get("etag"), body: await response.json() };
};

describe("GET /api/v1/cards/{id} — expiring", () => {
  it("lists the card's next expiries soonest first, the same as the lookup, in the card's ETag; empty when nothing expires", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    await saveTemplateVersion(getDb(), m.actor, template.id, {
      name: template.name,
      definition: { ...version.definition, program: { ...DEFAULT_POINTS_PROGRAM, expiry: { kind: "days", days: 30 } } },
    });
    const { card } = await createTestCard(m, { template });
    const key = (await createApiKey(getDb(), m.actor, { name: "CRM", scopes: ["*"] })).key;

    const before = await call(getCard, card.id, key);
    expect(before.status).toBe(200);
    expect(before.body.expiring).toEqual([]);

    const ctx = { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till" } };
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "accrue", points: 120 });
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "redeem", points: 20 });
    const after = await call(getCard, card.id, key);
    expect(apiCardDetailSchema.parse(after.body)).toBeTruthy();
    expect(after.body.expiring).toHaveLength(1);
    expect(after.body.expiring[0].points).toBe(100);
    const at = new Date(after.body.expiring[0].at).getTime();
    expect(Math.abs(at - (Date.now() + 30 * 86_400_000))).toBeLessThan(120_000);
    const looked = await lookupCard(getDb(), m.merchant.id, { code: card.number });
    expect(after.body.expiring).toEqual(looked.expiring.map((e) => ({ points: e.points, at: e.at.toISOString() })));
    // A change to what expires is a change of the card: a new ETag.
    expect(after.etag).not.toBe(before.etag);

    // PATCH answers the same shape, and If-Match with the tag just read still holds.
    const patched = await call(patchCard, card.id, key, {
      method: "PATCH",
      headers: { "if-match": after.etag!, "content-type": "application/json" },
      body: JSON.stringify({ values: { discount: 7 } }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ values: { discount: 7 }, expiring: after.body.expiring });
  });

  it("another merchant's card is 404", async () => {
    const a = await createTestMerchant();
    const { card } = await createTestCard(a);
    const b = await createTestMerchant();
    const key = (await createApiKey(getDb(), b.actor, { name: "B", scopes: ["*"] })).key;
    expect((await call(getCard, card.id, key)).status).toBe(404);
  });
});
