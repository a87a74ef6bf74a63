import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, ledgerTransactions } from "@/db/schema";
import { apiErrorSchemaFor } from "@/lib/api/schemas";
import { createApiKey } from "@/lib/api-keys";
import { postTransaction } from "@/lib/ledger";
import { GET as getCard, PATCH as patchCard } from "@/app/api/v1/cards/[id]/route";
import { GET as openApi } from "@/app/api/v1/openapi.json/route";
import { createTestCard, createTestMerchant } from "../factories";

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

async function send(route: Route, key: string, id: string, opts: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const request = new Request(`http://localhost/api/v1/cards/${id}`, {
    method: opts.method ?? "GET",
    headers: { authorization: `Bearer ${key}`, ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  return route(request, { params: Promise.resolve({ id } as never) });
}

async function setup() {
  const db = getDb();
  const m = await createTestMerchant();
  const { card } = await createTestCard(m, { balance: 100 });
  const { key } = await createApiKey(db, m.actor, { name: "CRM", scopes: ["*"] });
  const read = async () => {
    const res = await send(getCard, key, card.id);
    return { res, etag: res.headers.get("etag")!, body: await res.json() };
  };
  const patch = (body: unknown, ifMatch?: string) =>
    send(patchCard, key, card.id, { method: "PATCH", body, headers: ifMatch === undefined ? {} : { "if-match": ifMatch } });
  const events = async () =>
    (
      await db
        .select()
        .from(cardEvents)
        .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.cardId, card.id)))
    ).length;
  return { db, m, card, key, read, patch, events };
}

const preconditionFailed = apiErrorSchemaFor(["precondition_failed"]);

describe("REST API — a card's ETag and If-Match", () => {
  it("GET sends a strong ETag that stays while the card does and moves with any change", async () => {
    const s = await setup();
    const first = await s.read();
    expect(first.res.status).toBe(200);
    // Strong (no W/), quoted, opaque.
    expect(first.etag).toMatch(/^"[\w-]{27}"$/);
    expect((await s.read()).etag).toBe(first.etag);
    // A change made elsewhere (the ledger, not this API) moves it too.
    await postTransaction(s.db, { merchantId: s.m.merchant.id, actor: { type: "api", keyId: "till" } }, { cardId: s.card.id, type: "accrue", points: 5 });
    const after = await s.read();
    expect(after.body.values.balance).toBe(105);
    expect(after.etag).not.toBe(first.etag);
  });

  it("PATCH with the ETag just read changes the card and answers its new ETag, the one GET now sends", async () => {
    const s = await setup();
    const { etag } = await s.read();
    const res = await s.patch({ values: { discount: 7 } }, etag);
    expect(res.status).toBe(200);
    expect((await res.json()).values.discount).toBe(7);
    const next = res.headers.get("etag");
    expect(next).not.toBe(etag);
    expect((await s.read()).etag).toBe(next);
  });

  it("PATCH with a stale ETag answers 412 precondition_failed in the error envelope and changes nothing", async () => {
    const s = await setup();
    const stale = (await s.read()).etag;
    expect((await s.patch({ values: { discount: 3 } })).status).toBe(200); // someone else's change, without If-Match: as before
    const now = await s.read();
    const eventsBefore = await s.events();

    const res = await s.patch({ values: { discount: 9, balance: 0 }, status: "blocked" }, stale);
    expect(res.status).toBe(412);
    const body = await res.json();
    expect(preconditionFailed.safeParse(body).success).toBe(true);
    expect(body.error).toMatchObject({ code: "precondition_failed", data: { etag: now.etag } });
    expect(body.error.message).toMatch(/changed since/);
    expect(res.headers.get("etag")).toBe(now.etag);

    const unchanged = await s.read();
    expect(unchanged.etag).toBe(now.etag);
    expect(unchanged.body).toMatchObject({ status: now.body.status, values: { discount: 3, balance: 100 } });
    expect(await s.events()).toBe(eventsBefore);
    const adjusts = await s.db
      .select()
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.cardId, s.card.id), eq(ledgerTransactions.type, "adjust")));
    expect(adjusts.map((t) => t.points)).toEqual([100]); // the opening balance only, no adjust to 0
  });

  it("compares strongly: a weak tag never matches; a list matches if any strong tag in it does", async () => {
    const s = await setup();
    const { etag } = await s.read();
    expect((await s.patch({ values: { discount: 1 } }, `W/${etag}`)).status).toBe(412);
    const res = await s.patch({ values: { discount: 1 } }, `"nope", W/${etag},  ${etag}`);
    expect(res.status).toBe(200);
  });

  it("If-Match: * changes any card that exists; an unknown or another merchant's card stays 404", async () => {
    const s = await setup();
    const res = await s.patch({ values: { discount: 4 } }, "*");
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe((await s.read()).etag);

    expect((await send(patchCard, s.key, randomUUID(), { method: "PATCH", body: { values: { discount: 1 } }, headers: { "if-match": "*" } })).status).toBe(404);
    const other = await setup();
    const theirs = await other.read();
    const foreign = await send(patchCard, s.key, other.card.id, { method: "PATCH", body: { values: { discount: 1 } }, headers: { "if-match": theirs.etag } });
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error.code).toBe("not_found");
    expect((await send(getCard, s.key, other.card.id)).headers.get("etag")).toBeNull();
  });

  it("a malformed If-Match is a 400, not a silent pass", async () => {
    const s = await setup();
    for (const header of ["abc", '"unclosed', "W/abc", ","]) {
      const res = await s.patch({ values: { discount: 2 } }, header);
      expect(res.status, header).toBe(400);
      expect((await res.json()).error.code).toBe("bad_request");
    }
    expect((await s.read()).body.values.discount).toBe(0);
  });

  it("checks and writes under the card's lock: of two PATCHes racing with one ETag exactly one wins", async () => {
    const s = await setup();
    const { etag } = await s.read();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => s.patch({ values: { discount: 10 + i } }, etag)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412]);
  });

  it("the OpenAPI document tells the ETag, If-Match and the 412", async () => {
    const doc = await openApi().json();
    const op = doc.paths["/cards/{id}"];
    expect(op.get.responses["200"].headers.ETag).toBeDefined();
    expect(op.patch.responses["200"].headers.ETag).toBeDefined();
    expect(op.patch.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toContain("header:If-Match");
    expect(op.patch.responses["412"]).toEqual({ $ref: "#/components/responses/PreconditionFailed" });
    expect(JSON.stringify(doc.components.schemas.PreconditionFailedError)).toContain("precondition_failed");
  });
});
