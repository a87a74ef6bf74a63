import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { englishMessages, type Translate } from "@/lib/api/messages";
import { FixedWindowLimiter } from "@/lib/api/rate-limit";
import { API_ERROR_DATA, apiErrorSchemaFor } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { createApiKey, revokeApiKey } from "@/lib/api-keys";
import { createTemplate } from "@/lib/templates";
import { GET as listCards, POST as issueCard } from "@/app/api/v1/cards/route";
import { GET as getCard, PATCH as patchCard } from "@/app/api/v1/cards/[id]/route";
import { GET as getPass } from "@/app/api/v1/cards/[id]/pass/route";
import { GET as listTemplates } from "@/app/api/v1/templates/route";
import { createTestMerchant } from "../factories";

/** Contract of /api/v1: the exact status and error body for each bad input. */

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
type Call = {
  route: Route;
  method?: string;
  path?: string;
  params?: Record<string, string>;
  auth?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
};

async function send({ route, method = "GET", path = "/api/v1/x", params = {}, auth, body, headers = {} }: Call) {
  const init: RequestInit = { method, headers: { ...(auth ? { authorization: auth } : {}), ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await route(new Request(`http://localhost${path}`, init), { params: Promise.resolve(params as never) });
  return { status: response.status, headers: response.headers, body: response.headers.get("content-type")?.includes("json") ? await response.json() : null };
}

const phone = () => `+7916${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;

let t: Translate;
let a: { key: string; readOnly: string; revoked: string; templateId: string; cardId: string; merchantId: string; phone: string; card: Record<string, unknown> };
let otherCardId: string;

beforeAll(async () => {
  t = await englishMessages();
  const db = getDb();
  const m = await createTestMerchant();
  const template = await createTemplate(db, m.actor, { name: "Loyalty", kind: "loyalty" });
  const { key } = await createApiKey(db, m.actor, { name: "All", scopes: ["*"] });
  const { key: readOnly } = await createApiKey(db, m.actor, { name: "Templates only", scopes: ["templates:read"] });
  const revokedKey = await createApiKey(db, m.actor, { name: "Old", scopes: ["*"] });
  await revokeApiKey(db, m.actor, revokedKey.row.id);
  a = { key, readOnly, revoked: revokedKey.key, templateId: template.id, cardId: "", merchantId: m.merchant.id, phone: phone(), card: {} };
  const issued = await send({
    route: issueCard,
    method: "POST",
    auth: `Bearer ${key}`,
    body: { templateId: template.id, customer: { phone: a.phone }, number: "TAKEN-0001" },
  });
  expect(issued.status).toBe(201);
  a.cardId = issued.body.id;
  a.card = issued.body;

  const b = await createTestMerchant();
  const bTemplate = await createTemplate(db, b.actor, { name: "B", kind: "loyalty" });
  const { key: bKey } = await createApiKey(db, b.actor, { name: "B", scopes: ["*"] });
  otherCardId = (await send({ route: issueCard, method: "POST", auth: `Bearer ${bKey}`, body: { templateId: bTemplate.id, customer: { phone: phone() } } }))
    .body.id;
});

const err = (code: string, message: string, details?: { path: string; message: string }[], data?: Record<string, unknown>) => ({
  error: { code, message, ...(details && { details }), ...(data && { data }) },
});
const bearer = () => `Bearer ${a.key}`;
const newCard = (extra: Record<string, unknown> = {}) => ({ templateId: a.templateId, customer: { phone: phone() }, ...extra });

describe("REST API errors", () => {
  const cases: { name: string; call: () => Call; status: number; body: () => unknown }[] = [
    { name: "no key", call: () => ({ route: getCard, params: { id: a.cardId } }), status: 401, body: () => err("unauthorized", t("api.errors.missingKey")) },
    {
      name: "Basic instead of Bearer",
      call: () => ({ route: getCard, params: { id: a.cardId }, auth: `Basic ${a.key}` }),
      status: 401,
      body: () => err("unauthorized", t("api.errors.malformedKey")),
    },
    {
      name: "Bearer with no key",
      call: () => ({ route: getCard, params: { id: a.cardId }, auth: "Bearer " }),
      status: 401,
      body: () => err("unauthorized", t("api.errors.malformedKey")),
    },
    {
      name: "unknown key",
      call: () => ({ route: getCard, params: { id: a.cardId }, auth: "Bearer cd_not-a-key" }),
      status: 401,
      body: () => err("unauthorized", t("api.errors.invalidKey")),
    },
    {
      name: "revoked key",
      call: () => ({ route: getCard, params: { id: a.cardId }, auth: `Bearer ${a.revoked}` }),
      status: 401,
      body: () => err("unauthorized", t("api.errors.invalidKey")),
    },
    {
      name: "key without the scope",
      call: () => ({ route: issueCard, method: "POST", auth: `Bearer ${a.readOnly}`, body: newCard() }),
      status: 403,
      body: () => err("forbidden", "This API key does not have the “cards:write” scope.", undefined, { scope: "cards:write" }),
    },
    {
      name: "read with a templates-only key",
      call: () => ({ route: listCards, auth: `Bearer ${a.readOnly}` }),
      status: 403,
      body: () => err("forbidden", "This API key does not have the “cards:read” scope.", undefined, { scope: "cards:read" }),
    },
    {
      name: "unknown card",
      call: () => ({ route: getCard, params: { id: randomUUID() }, auth: bearer() }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "malformed card id",
      call: () => ({ route: getCard, params: { id: "nope" }, auth: bearer() }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "another merchant's card",
      call: () => ({ route: getCard, params: { id: otherCardId }, auth: bearer() }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "another merchant's pass",
      call: () => ({ route: getPass, params: { id: otherCardId }, auth: bearer() }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "patching another merchant's card",
      call: () => ({ route: patchCard, method: "PATCH", params: { id: otherCardId }, auth: bearer(), body: { values: { balance: 1 } } }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "body that is not JSON",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: "{not json" }),
      status: 400,
      body: () => err("bad_request", "The request body is not valid JSON."),
    },
    {
      name: "invalid phone",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: newCard({ customer: { phone: "12345" } }) }),
      status: 422,
      body: () => err("validation", t("api.errors.validation"), [{ path: "customer.phone", message: t("customers.errors.phone") }]),
    },
    {
      name: "unknown template",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: newCard({ templateId: randomUUID() }) }),
      status: 422,
      body: () => err("validation", t("cards.errors.template"), [{ path: "templateId", message: t("cards.errors.template") }]),
    },
    {
      name: "negative balance",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: newCard({ values: { balance: -5 } }) }),
      status: 422,
      body: () => err("validation", t("api.errors.validation"), [{ path: "values.balance", message: t("cards.errors.balance") }]),
    },
    {
      name: "expiry in the past",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: newCard({ expiresAt: "2020-01-31" }) }),
      status: 422,
      body: () => err("validation", t("api.errors.validation"), [{ path: "expiresAt", message: t("cards.errors.expiryPast") }]),
    },
    {
      name: "expiry that is not a date",
      call: () => ({ route: patchCard, method: "PATCH", params: { id: a.cardId }, auth: bearer(), body: { expiresAt: "next week" } }),
      status: 422,
      body: () => err("validation", t("api.errors.validation"), [{ path: "expiresAt", message: t("cards.errors.expiryFormat") }]),
    },
    {
      name: "custom key the template does not show",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: newCard({ values: { custom: { tier: "gold" } } }) }),
      status: 422,
      body: () =>
        err(
          "validation",
          t("cards.errors.unknownCustom", { keys: "tier" }),
          [{ path: "values.custom", message: t("cards.errors.unknownCustom", { keys: "tier" }) }],
          { keys: ["tier"] },
        ),
    },
    {
      name: "patch with nothing to change",
      call: () => ({ route: patchCard, method: "PATCH", params: { id: a.cardId }, auth: bearer(), body: {} }),
      status: 422,
      body: () => err("validation", t("api.errors.validation"), [{ path: "", message: t("cards.errors.nothingToChange") }]),
    },
    {
      name: "own number already taken",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: newCard({ number: "taken-0001" }) }),
      status: 409,
      body: () =>
        err(
          "conflict",
          t("cards.errors.numberTaken", { number: "TAKEN-0001" }),
          [{ path: "number", message: t("cards.errors.numberTaken", { number: "TAKEN-0001" }) }],
          { number: "TAKEN-0001" },
        ),
    },
    {
      name: "a card of the template for a phone that holds one",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: newCard({ customer: { phone: a.phone } }) }),
      status: 409,
      body: () => err("card_exists", t("cards.errors.cardExists", { number: "TAKEN-0001" }), undefined, { card: a.card }),
    },
    {
      name: "invalid phone in a search",
      call: () => ({ route: listCards, path: "/api/v1/cards?phone=12", auth: bearer() }),
      status: 422,
      body: () => err("validation", t("api.errors.validation"), [{ path: "phone", message: t("customers.errors.phone") }]),
    },
    {
      name: "limit out of range",
      call: () => ({ route: listCards, path: "/api/v1/cards?limit=101", auth: bearer() }),
      status: 422,
      body: () => err("validation", t("api.errors.validation"), [{ path: "limit", message: "limit must be a whole number from 1 to 100." }]),
    },
    {
      name: "cursor this API did not make",
      call: () => ({ route: listCards, path: "/api/v1/cards?cursor=abc", auth: bearer() }),
      status: 422,
      body: () => err("validation", t("api.errors.cursor"), [{ path: "cursor", message: t("api.errors.cursor") }]),
    },
    {
      name: "archived flag that is not a boolean",
      call: () => ({ route: listTemplates, path: "/api/v1/templates?archived=yes", auth: bearer() }),
      status: 422,
      body: () => err("validation", t("api.errors.validation"), [{ path: "archived", message: "Use true or false." }]),
    },
    {
      name: "Idempotency-Key that is too long",
      call: () => ({ route: issueCard, method: "POST", auth: bearer(), body: newCard(), headers: { "idempotency-key": "k".repeat(256) } }),
      status: 400,
      body: () => err("bad_request", t("api.errors.idempotencyKey")),
    },
  ];

  it.each(cases)("$name → $status", async ({ call, status, body }) => {
    const response = await send(call());
    expect(response.status).toBe(status);
    expect(response.body).toEqual(body());
    // Every message is English text, never a translation key.
    expect(JSON.stringify(response.body)).not.toMatch(/"(api|cards|customers|errors)\.[a-zA-Z.]+"/);
    // `data` is only what the OpenAPI document promises for the code, and the body is its documented shape.
    const code = response.body.error.code as string;
    if (response.body.error.data) expect(Object.keys(API_ERROR_DATA)).toContain(code);
    expect(
      apiErrorSchemaFor([code as never])
        .strict()
        .safeParse(response.body).success,
      JSON.stringify(response.body),
    ).toBe(true);
  });

  it("tells a 401 to use a Bearer token", async () => {
    const response = await send({ route: getCard, params: { id: a.cardId } });
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
  });
});

describe("REST API limits and failures", () => {
  it("answers 429 with Retry-After once a key passes its limit, and counts each key apart", async () => {
    const limiter = new FixedWindowLimiter(2, 60_000);
    const route = withApiKey("templates:read", async () => Response.json({ ok: true }), { limiter }) as Route;
    for (let i = 0; i < 2; i++) {
      const ok = await send({ route, auth: bearer() });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("x-ratelimit-remaining")).toBe(String(1 - i));
    }
    const limited = await send({ route, auth: bearer() });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(
      err("rate_limited", t("api.errors.rateLimited", { seconds: limited.headers.get("retry-after")! }), undefined, {
        retryAfter: Number(limited.headers.get("retry-after")),
      }),
    );
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await send({ route, auth: `Bearer ${a.readOnly}` })).status).toBe(200);
  });

  it("opens a new window when the old one ends", () => {
    const limiter = new FixedWindowLimiter(1, 1000);
    expect(limiter.hit("k", 0).ok).toBe(true);
    expect(limiter.hit("k", 999).ok).toBe(false);
    expect(limiter.hit("k", 1000)).toEqual({ ok: true, limit: 1, remaining: 0, resetAt: 2000 });
  });

  it("logs an unexpected error and answers a bare 500", async () => {
    const route = withApiKey("templates:read", async () => {
      throw new Error("database exploded: secret detail");
    }) as Route;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await send({ route, auth: bearer() });
    expect(response.status).toBe(500);
    expect(response.body).toEqual(err("internal", t("api.errors.internal")));
    expect(logged.mock.calls.map((c) => String(c[0])).join("\n")).toContain("database exploded");
    logged.mockRestore();
  });
});
