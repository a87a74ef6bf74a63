import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, customers } from "@/db/schema";
import { apiIdempotencyKeys } from "@/db/schema/api-idempotency";
import { IDEMPOTENCY_TTL_MS, purgeIdempotencyKeys } from "@/lib/api/idempotency";
import { createApiKey } from "@/lib/api-keys";
import { newField } from "@/lib/templates/definition";
import { createTemplate, getTemplateOrThrow, saveTemplateVersion, setTemplateArchived } from "@/lib/templates";
import { GET as listCards, POST as issueCard } from "@/app/api/v1/cards/route";
import { GET as getCard, PATCH as patchCard } from "@/app/api/v1/cards/[id]/route";
import { GET as getPass } from "@/app/api/v1/cards/[id]/pass/route";
import { GET as listTemplates } from "@/app/api/v1/templates/route";
import { createTestMerchant } from "../factories";

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

async function send(
  route: Route,
  key: string,
  opts: { method?: string; path?: string; params?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
) {
  const request = new Request(`http://localhost${opts.path ?? "/api/v1/x"}`, {
    method: opts.method ?? "GET",
    headers: { authorization: `Bearer ${key}`, ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  return route(request, { params: Promise.resolve((opts.params ?? {}) as never) });
}

const json = async (response: Response) => ({ status: response.status, body: await response.json() });
let phoneSeq = 0;
// National form, as a till would type it; distinct per card so each is its own holder.
const nationalPhone = () => `8 916 ${String(1_000_000 + (Date.now() % 1_000_000) * 7 + phoneSeq++).slice(-7)}`;

/** A merchant with an all-scopes key and a loyalty template that shows the custom value `tier`. */
async function apiMerchant() {
  const db = getDb();
  const m = await createTestMerchant();
  const template = await createTemplate(db, m.actor, { name: "Loyalty", kind: "loyalty" });
  const { definition } = (await getTemplateOrThrow(db, m.merchant.id, template.id)).version;
  const tier = { ...newField("tier", "custom", { en: "Tier", ru: "Уровень" }), customKey: "tier" };
  await saveTemplateVersion(db, m.actor, template.id, { name: "Loyalty", definition: { ...definition, fields: { ...definition.fields, back: [tier] } } });
  const { key, row } = await createApiKey(db, m.actor, { name: "Till", scopes: ["*"] });
  const issue = async (body: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    send(issueCard, key, { method: "POST", path: "/api/v1/cards", body: { templateId: template.id, customer: { phone: nationalPhone() }, ...body }, headers });
  return { ...m, key, keyId: row.id, template, issue };
}

describe("REST API — cards", () => {
  it("issues a card with its holder, values and expiry, then reads it back the same", async () => {
    const m = await apiMerchant();
    const response = await m.issue({
      customer: { phone: "8 (916) 555-12-34", name: "Ivan Petrov", email: "Ivan@Example.com" },
      values: { balance: 120, custom: { tier: "gold" } },
      expiresAt: "2099-12-31",
      number: "club-0042",
    });
    const created = await json(response);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: "CLUB-0042",
      status: "issued",
      templateId: m.template.id,
      customer: { phone: "+79165551234", name: "Ivan Petrov", email: "ivan@example.com" },
      values: { balance: 120, discount: 0, custom: { tier: "gold" } },
      expiresAt: "2099-12-31T23:59:59.000Z",
    });
    expect(created.body.links.pass).toMatch(/^http.*\/c\/[\w-]+\/pass$/);
    expect(Object.keys(created.body).sort()).toEqual([
      "createdAt",
      "customer",
      "expiresAt",
      "id",
      "links",
      "number",
      "serialNumber",
      "status",
      "templateId",
      "updatedAt",
      "values",
    ]);

    const read = await json(await send(getCard, m.key, { params: { id: created.body.id } }));
    // GET adds what of its points expires when (nothing yet).
    expect(read).toEqual({ status: 200, body: { ...created.body, expiring: [] } });
    const [event] = await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, created.body.id));
    expect(event).toMatchObject({ type: "card.issued", actorType: "api", actorId: m.keyId });
  });

  it("changes values, expiry and status in one PATCH, recorded as the key's doing", async () => {
    const m = await apiMerchant();
    const { body: card } = await json(await m.issue({ values: { custom: { tier: "silver" } } }));
    const patched = await json(
      await send(patchCard, m.key, {
        method: "PATCH",
        params: { id: card.id },
        body: { values: { balance: 300, custom: { tier: "" } }, expiresAt: null, status: "blocked" },
      }),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: card.id, status: "blocked", values: { balance: 300, discount: 0, custom: {} }, expiresAt: null });
    const reactivated = await json(await send(patchCard, m.key, { method: "PATCH", params: { id: card.id }, body: { status: "active" } }));
    expect(reactivated.body.status).toBe("issued");
    const events = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.actorType, "api")));
    // The new balance is an adjustment through the ledger, its own event; the custom value a card change.
    expect(events.map((e) => e.type).sort()).toEqual(["card.blocked", "card.issued", "card.unblocked", "card.updated", "points.adjusted"]);
  });

  it("downloads the card's signed pass", async () => {
    const m = await apiMerchant();
    const { body: card } = await json(await m.issue());
    const response = await send(getPass, m.key, { params: { id: card.id } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.apple.pkpass");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${card.number}.pkpass"`);
    const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
    const pass = JSON.parse(await zip.file("pass.json")!.async("string"));
    expect(pass.serialNumber).toBe(card.serialNumber);
    expect(zip.file("signature")).not.toBeNull();
  });

  it("finds cards by phone (any form), number, template and status", async () => {
    const m = await apiMerchant();
    const other = await createTemplate(getDb(), m.actor, { name: "Gift", kind: "gift" });
    const { body: x } = await json(await m.issue({ customer: { phone: "8 916 700-00-01" } }));
    const { body: y } = await json(await m.issue({ templateId: other.id, customer: { phone: "+7 916 700-00-02" } }));
    await send(patchCard, m.key, { method: "PATCH", params: { id: y.id }, body: { status: "blocked" } });
    const ids = async (query: string) =>
      (await json(await send(listCards, m.key, { path: `/api/v1/cards?${query}` }))).body.data.map((c: { id: string }) => c.id);
    expect(await ids(`phone=${encodeURIComponent("+79167000001")}`)).toEqual([x.id]);
    expect(await ids(`phone=${encodeURIComponent("8 (916) 700 00 02")}`)).toEqual([y.id]);
    expect(await ids(`number=${x.number}`)).toEqual([x.id]);
    expect(await ids(`template=${other.id}`)).toEqual([y.id]);
    expect(await ids(`status=blocked`)).toEqual([y.id]);
    expect(await ids(`status=issued&template=${other.id}`)).toEqual([]);
    expect(await ids("")).toEqual([y.id, x.id]);
  });

  it("walks every card page by page with no card twice", async () => {
    const m = await apiMerchant();
    const issued: string[] = [];
    for (let i = 0; i < 7; i++) issued.push((await json(await m.issue())).body.id);
    // Times with sub-millisecond parts (a JS Date would lose them) and two cards sharing one (the id breaks the tie).
    const slot = [0, 1, 2, 3, 3, 4, 5];
    for (const [i, id] of issued.entries()) {
      await getDb()
        .update(cards)
        .set({ updatedAt: sql`timestamptz '2030-01-01 00:00:00+00' + ${slot[i]} * interval '1 millisecond' + interval '600 microseconds'` })
        .where(eq(cards.id, id));
    }
    const expected = issued
      .map((id, i) => ({ id, slot: slot[i] }))
      .sort((x, y) => y.slot - x.slot || (y.id > x.id ? 1 : -1))
      .map((c) => c.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const query: string = cursor ? `limit=3&cursor=${cursor}` : "limit=3";
      const page = await json(await send(listCards, m.key, { path: `/api/v1/cards?${query}` }));
      expect(page.status).toBe(200);
      sizes.push(page.body.data.length);
      seen.push(...page.body.data.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual(expected);
  });

  it("lists the merchant's templates, archived ones on request", async () => {
    const m = await apiMerchant();
    const old = await createTemplate(getDb(), m.actor, { name: "Old", kind: "coupon" });
    await setTemplateArchived(getDb(), m.actor, old.id, true);
    const active = await json(await send(listTemplates, m.key, { path: "/api/v1/templates" }));
    expect(active).toEqual({
      status: 200,
      body: {
        data: [
          { id: m.template.id, name: "Loyalty", kind: "loyalty", version: 2, archived: false, createdAt: expect.any(String), updatedAt: expect.any(String) },
        ],
      },
    });
    const archived = await json(await send(listTemplates, m.key, { path: "/api/v1/templates?archived=true" }));
    expect(archived.body.data.map((t: { id: string; archived: boolean }) => [t.id, t.archived])).toEqual([[old.id, true]]);
  });
});

describe("REST API — tenancy", () => {
  it("merchant B's key sees none of A's cards or templates, in lists or by id", async () => {
    const a = await apiMerchant();
    const b = await apiMerchant();
    const { body: card } = await json(await a.issue({ customer: { phone: "8 916 700-00-09" } }));
    const bIds = async (query: string) => (await json(await send(listCards, b.key, { path: `/api/v1/cards?${query}` }))).body.data;
    expect(await bIds("")).toEqual([]);
    expect(await bIds(`number=${card.number}`)).toEqual([]);
    expect(await bIds(`phone=${encodeURIComponent("+79167000009")}`)).toEqual([]);
    expect(await bIds(`template=${a.template.id}`)).toEqual([]);
    const templates = (await json(await send(listTemplates, b.key, { path: "/api/v1/templates" }))).body.data;
    expect(templates.map((t: { id: string }) => t.id)).toEqual([b.template.id]);
    expect((await send(getCard, b.key, { params: { id: card.id } })).status).toBe(404);
    expect((await send(patchCard, b.key, { method: "PATCH", params: { id: card.id }, body: { values: { balance: 999 } } })).status).toBe(404);
    expect((await send(getPass, b.key, { params: { id: card.id } })).status).toBe(404);
    const issuedOnA = await send(issueCard, b.key, { method: "POST", body: { templateId: a.template.id, customer: { phone: nationalPhone() } } });
    expect(issuedOnA.status).toBe(422);
    const [row] = await getDb().select().from(cards).where(eq(cards.id, card.id));
    expect(row.balance).toBe(0);
  });
});

describe("REST API — idempotent issuing", () => {
  it("answers a retry with the first card instead of issuing twice", async () => {
    const m = await apiMerchant();
    const key = randomUUID();
    const body = { customer: { phone: "8 916 700-00-21" } };
    const first = await m.issue(body, { "idempotency-key": key });
    const retry = await m.issue(body, { "idempotency-key": key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(await retry.json()).toEqual(await first.json());
    const holders = await getDb()
      .select({ id: cards.id })
      .from(cards)
      .innerJoin(customers, eq(customers.id, cards.customerId))
      .where(eq(customers.phone, "+79167000021"));
    expect(holders).toHaveLength(1);
  });

  it("of two racing requests with one key, issues once and answers both with that card", async () => {
    const m = await apiMerchant();
    const headers = { "idempotency-key": randomUUID() };
    const body = { customer: { phone: "8 916 700-00-31" } };
    const [x, y] = await Promise.all([m.issue(body, headers), m.issue(body, headers)]);
    expect([x.status, y.status]).toEqual([201, 201]);
    const [bx, by] = [await x.json(), await y.json()];
    expect(by.id).toBe(bx.id);
    expect(await getDb().select({ id: cards.id }).from(cards).where(eq(cards.merchantId, m.merchant.id))).toEqual([{ id: bx.id }]);
  });

  it("refuses the same key with another request, and keeps keys apart per merchant", async () => {
    const a = await apiMerchant();
    const b = await apiMerchant();
    const headers = { "idempotency-key": randomUUID() };
    expect((await a.issue({}, headers)).status).toBe(201);
    const reused = await json(await a.issue({}, headers));
    expect(reused).toEqual({ status: 409, body: { error: { code: "conflict", message: "This Idempotency-Key was already used for a different request." } } });
    const onB = await b.issue({}, headers);
    expect(onB.status).toBe(201);
    expect(onB.headers.get("idempotent-replayed")).toBeNull();
  });

  it("does not keep a refused request, so a corrected retry with the same key issues", async () => {
    const m = await apiMerchant();
    const headers = { "idempotency-key": randomUUID() };
    // Refused by the card service inside the transaction that would have stored the answer.
    expect((await m.issue({ values: { custom: { nope: "x" } } }, headers)).status).toBe(422);
    expect((await m.issue({}, headers)).status).toBe(201);
  });

  it("forgets an answer after 24 hours, and the purge drops it", async () => {
    const db = getDb();
    const m = await apiMerchant();
    const headers = { "idempotency-key": randomUUID() };
    const mine = eq(apiIdempotencyKeys.merchantId, m.merchant.id);
    const age = () =>
      db
        .update(apiIdempotencyKeys)
        .set({ createdAt: new Date(Date.now() - IDEMPOTENCY_TTL_MS - 1000) })
        .where(mine);
    const first = await json(await m.issue({}, headers));
    await age();
    const later = await json(await m.issue({}, headers));
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    await age();
    expect(await purgeIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(apiIdempotencyKeys).where(mine)).toEqual([]);
  });
});
