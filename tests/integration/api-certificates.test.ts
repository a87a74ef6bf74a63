import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createApiKey } from "@/lib/api-keys";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { GET as listDefinitions } from "@/app/api/v1/certificate-definitions/route";
import { GET as listCerts, POST as issueCert } from "@/app/api/v1/certificates/route";
import { GET as getCert } from "@/app/api/v1/certificates/[id]/route";
import { GET as lookup } from "@/app/api/v1/pos/lookup/route";
import { POST as postTx } from "@/app/api/v1/cards/[id]/transactions/route";
import { createTestMerchant, uniquePhone } from "../factories";

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function send(
  route: Route,
  {
    method = "GET",
    path = "/api/v1/x",
    params = {},
    key,
    body,
  }: { method?: string; path?: string; params?: Record<string, string>; key: string; body?: unknown },
) {
  // Till writes need an Idempotency-Key; a fresh one per call.
  const init: RequestInit = { method, headers: { authorization: `Bearer ${key}`, "idempotency-key": `k-${Math.random().toString(36).slice(2)}` } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await route(new Request(`http://localhost${path}`, init), { params: Promise.resolve(params as never) });
  return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? await response.json() : null };
}

const text = (en: string) => ({ en, ru: en });
const s = {} as {
  key: string;
  readOnly: string;
  cardsOnly: string;
  pos: string;
  otherKey: string;
  definitionId: string;
  small: string;
  otherDefinition: string;
};

beforeAll(async () => {
  const db = getDb();
  const m = await createTestMerchant();
  const base = { valueKind: "money" as const, presentation: text("Show it"), terms: text("Terms"), validity: { mode: "days" as const, days: 30 } };
  const definition = await createDefinition(db, m.actor, { ...base, name: "Gift 1000", nominal: 100_000 });
  await generatePoolCodes(db, m.actor, definition.id, { count: 5, length: 8 });
  const small = await createDefinition(db, m.actor, { ...base, name: "Empty pool", nominal: 500 });
  s.definitionId = definition.id;
  s.small = small.id;
  s.key = (await createApiKey(db, m.actor, { name: "Certs", scopes: ["certificates:read", "certificates:write"] })).key;
  s.readOnly = (await createApiKey(db, m.actor, { name: "Read", scopes: ["certificates:read"] })).key;
  s.cardsOnly = (await createApiKey(db, m.actor, { name: "Cards", scopes: ["cards:read", "cards:write"] })).key;
  s.pos = (await createApiKey(db, m.actor, { name: "Till", scopes: ["pos:write"] })).key;
  const other = await createTestMerchant();
  s.otherKey = (await createApiKey(db, other.actor, { name: "Other", scopes: ["*"] })).key;
  s.otherDefinition = (await createDefinition(db, other.actor, { ...base, name: "Theirs", nominal: 100 })).id;
});

describe("gift certificate API", () => {
  it("lists definitions with their pools", async () => {
    const { status, body } = await send(listDefinitions as Route, { key: s.readOnly });
    expect(status).toBe(200);
    const mine = body.data.find((d: { id: string }) => d.id === s.definitionId);
    expect(mine).toMatchObject({ name: "Gift 1000", nominal: 100_000, product: null, partialRedemption: true, freeCodes: 5 });
    expect(body.data).toHaveLength(2);
  });

  it("issues, reads, lists by phone and status, and redeems half at the till", async () => {
    const phone = uniquePhone();
    const issued = await send(issueCert as Route, { method: "POST", key: s.key, body: { definitionId: s.definitionId, phone, message: "Happy birthday" } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      number: issued.body.certificate.code,
      values: { balance: 100_000 },
      status: "issued",
      certificate: { message: "Happy birthday" },
    });
    expect(issued.body.links.pass).toMatch(/\/pass$/);
    const one = await send(getCert as Route, { key: s.readOnly, params: { id: issued.body.id } });
    expect(one.body.certificate.code).toBe(issued.body.number);
    const byPhone = await send(listCerts as Route, { key: s.readOnly, path: `/api/v1/certificates?phone=${encodeURIComponent(phone)}&status=active` });
    expect(byPhone.body.data.map((c: { id: string }) => c.id)).toEqual([issued.body.id]);
    const found = await send(lookup as Route, { key: s.pos, path: `/api/v1/pos/lookup?code=${issued.body.number}` });
    expect(found.status).toBe(200);
    const redeemed = await send(postTx as Route, { method: "POST", key: s.pos, params: { id: issued.body.id }, body: { type: "redeem", points: 50_000 } });
    expect(redeemed.status).toBe(201);
    const after = await send(getCert as Route, { key: s.readOnly, params: { id: issued.body.id } });
    expect(after.body.values.balance).toBe(50_000);
  });

  it("a message with half an emoji (a lone surrogate, which jsonb cannot hold) is a 422 on the field, not a 500", async () => {
    const issued = await send(issueCert as Route, {
      method: "POST",
      key: s.key,
      body: { definitionId: s.definitionId, phone: uniquePhone(), message: "hi \ud800 there" },
    });
    expect(issued.status).toBe(422);
    expect(issued.body.error).toMatchObject({ code: "validation", details: [{ path: "message" }] });
  });

  it("pages with a cursor", async () => {
    for (let i = 0; i < 2; i++) await send(issueCert as Route, { method: "POST", key: s.key, body: { definitionId: s.definitionId, phone: uniquePhone() } });
    const first = await send(listCerts as Route, { key: s.readOnly, path: `/api/v1/certificates?definitionId=${s.definitionId}&limit=2` });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await send(listCerts as Route, {
      key: s.readOnly,
      path: `/api/v1/certificates?definitionId=${s.definitionId}&limit=2&cursor=${first.body.nextCursor}`,
    });
    expect(second.body.data.length).toBeGreaterThanOrEqual(1);
    expect(second.body.data[0].id).not.toBe(first.body.data[1].id);
  });

  it.each([
    ["an empty pool", () => ({ definitionId: s.small, phone: uniquePhone() }), 409, "no_free_codes"],
    ["another merchant's definition", () => ({ definitionId: s.otherDefinition, phone: uniquePhone() }), 404, "not_found"],
    ["a bad phone", () => ({ definitionId: s.definitionId, phone: "12" }), 422, "validation"],
    ["a zero amount", () => ({ definitionId: s.definitionId, phone: uniquePhone(), amount: 0 }), 422, "validation"],
  ])("refuses %s", async (_name, body, status, code) => {
    const answer = await send(issueCert as Route, { method: "POST", key: s.key, body: body() });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    if (code === "no_free_codes") expect(answer.body.error.data).toEqual({ missing: 1 });
  });

  it("needs the certificate scopes", async () => {
    expect((await send(issueCert as Route, { method: "POST", key: s.readOnly, body: { definitionId: s.definitionId, phone: uniquePhone() } })).status).toBe(
      403,
    );
    expect((await send(listCerts as Route, { key: s.cardsOnly })).status).toBe(403);
    expect((await send(listDefinitions as Route, { key: s.cardsOnly })).status).toBe(403);
  });

  it("another merchant sees none of them", async () => {
    const mine = await send(listCerts as Route, { key: s.readOnly });
    const id = mine.body.data[0].id;
    expect((await send(getCert as Route, { key: s.otherKey, params: { id } })).status).toBe(404);
    const theirs = await send(listCerts as Route, { key: s.otherKey });
    expect(theirs.body.data).toEqual([]);
    const defs = await send(listDefinitions as Route, { key: s.otherKey });
    expect(defs.body.data.map((d: { id: string }) => d.id)).toEqual([s.otherDefinition]);
    expect((await send(postTx as Route, { method: "POST", key: s.otherKey, params: { id }, body: { type: "redeem", points: 1 } })).status).toBe(404);
  });
});
