import { describe, expect, it } from "vitest";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/catalogue";
import { GET } from "@/app/api/v1/openapi.json/route";
import { API_ERROR_STATUS } from "@/lib/api/errors";

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { security: Record<string, string[]>[]; responses: Record<string, unknown>; requestBody?: unknown; parameters?: { name: string; in: string }[] }
    >
  >;
  components: Record<string, Record<string, unknown>>;
};

/** Every `$ref` anywhere in the document. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" ? [v] : refs(v)));
}

describe("GET /api/v1/openapi.json", async () => {
  const response = GET();
  const text = await response.text();
  const doc = JSON.parse(text) as Doc;

  it("is an OpenAPI 3.1 document served as JSON", () => {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("describes every endpoint with its scope, input and errors", () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        "DELETE /campaigns/{id}",
        "DELETE /cards/{id}",
        "DELETE /webhooks/{id}",
        "GET /campaigns",
        "GET /campaigns/{id}",
        "GET /cards",
        "GET /cards/{id}",
        "GET /cards/{id}/pass",
        "GET /cards/{id}/transactions",
        "GET /certificate-definitions",
        "GET /certificates",
        "GET /certificates/{id}",
        "GET /customers",
        "GET /customers/{id}",
        "GET /customers/{id}/cards",
        "GET /events",
        "GET /pos/lookup",
        "GET /reports/{report}",
        "GET /templates",
        "GET /templates/{id}",
        "GET /transactions",
        "GET /transactions/{id}",
        "GET /webhooks",
        "GET /webhooks/{id}",
        "GET /webhooks/{id}/deliveries",
        "PATCH /cards/{id}",
        "PATCH /customers/{id}",
        "PATCH /webhooks/{id}",
        "POST /campaigns",
        "POST /cards",
        "POST /cards/{id}/block",
        "POST /cards/{id}/move",
        "POST /cards/{id}/send",
        "POST /cards/{id}/transactions",
        "POST /cards/{id}/unblock",
        "POST /certificates",
        "POST /customers",
        "POST /pos/authorizations",
        "POST /pos/authorizations/{id}/verify",
        "POST /pos/cards",
        "POST /transactions/{id}/cancel",
        "POST /transactions/{id}/confirm",
        "POST /transactions/{id}/reverse",
        "POST /webhooks",
        "POST /webhooks/deliveries/{id}/replay",
        "POST /webhooks/{id}/rotate-secret",
        "POST /webhooks/{id}/test",
        "GET /trigger-rules",
        "POST /trigger-rules",
        "GET /trigger-rules/{id}",
        "PATCH /trigger-rules/{id}",
        "DELETE /trigger-rules/{id}",
        "GET /forms",
        "GET /forms/{id}",
        "GET /forms/{id}/submissions",
      ].sort(),
    );
    const scopes = {
      "GET /templates": "templates:read",
      "GET /cards": "cards:read",
      "POST /cards": "cards:write",
      "GET /cards/{id}": "cards:read",
      "PATCH /cards/{id}": "cards:write",
      "GET /cards/{id}/pass": "cards:read",
      "GET /pos/lookup": "pos:write",
      "POST /cards/{id}/transactions": "pos:write",
      "POST /transactions/{id}/reverse": "pos:write",
      "GET /cards/{id}/transactions": "ledger:read",
      "GET /transactions": "ledger:read",
      "GET /transactions/{id}": "ledger:read",
      "GET /webhooks": "webhooks:read",
      "POST /webhooks": "webhooks:write",
      "GET /webhooks/{id}/deliveries": "webhooks:read",
      "POST /webhooks/deliveries/{id}/replay": "webhooks:write",
      "GET /events": "events:read",
      "GET /customers": "customers:read",
      "POST /customers": "customers:write",
      "GET /customers/{id}": "customers:read",
      "PATCH /customers/{id}": "customers:write",
      "GET /customers/{id}/cards": "customers:read",
      "GET /templates/{id}": "templates:read",
      "POST /cards/{id}/block": "cards:write",
      "POST /cards/{id}/unblock": "cards:write",
      "POST /cards/{id}/move": "cards:write",
      "POST /cards/{id}/send": "cards:write",
      "DELETE /cards/{id}": "cards:write",
      "GET /reports/{report}": "reports:read",
      "GET /forms": "forms:read",
      "GET /forms/{id}": "forms:read",
      "GET /forms/{id}/submissions": "forms:read",
    };
    for (const [operation, scope] of Object.entries(scopes)) {
      const [method, path] = operation.split(" ");
      const op = doc.paths[path][method.toLowerCase()];
      expect(op.security, operation).toEqual([{ apiKey: [scope] }]);
      expect(Object.keys(op.responses), operation).toEqual(expect.arrayContaining(["401", "403", "429", "500"]));
    }
    expect(doc.paths["/cards"].post.requestBody).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/CardCreate" } } } });
    expect(doc.paths["/cards/{id}"].patch.requestBody).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/CardPatch" } } },
    });
    expect(doc.paths["/cards"].get.parameters?.map((p) => p.name).sort()).toEqual(["cursor", "limit", "number", "phone", "status", "template"]);
    expect(Object.keys(doc.paths["/cards"].post.responses)).toEqual(expect.arrayContaining(["201", "409", "422"]));
  });

  it("documents the POS API: Idempotency-Key required on its writes, examples, and each error code with its data", () => {
    const post = doc.paths["/cards/{id}/transactions"].post as unknown as {
      parameters: { name: string; required: boolean }[];
      requestBody: { content: Record<string, { examples: Record<string, unknown> }> };
      responses: Record<string, { $ref?: string }>;
    };
    expect(post.parameters.find((p) => p.name === "Idempotency-Key")).toMatchObject({ required: true });
    expect(Object.keys(post.requestBody.content["application/json"].examples)).toEqual(["accrue", "redeem", "purchase", "certificate", "stampReward", "skip"]);
    expect(post.responses["409"]).toEqual({ $ref: "#/components/responses/TransactionConflict" });
    expect(post.responses["422"]).toEqual({ $ref: "#/components/responses/LedgerValidation" });
    const schemas = doc.components.schemas as Record<
      string,
      { properties: Record<string, { properties?: Record<string, { enum?: string[]; anyOf?: unknown[] }> }> }
    >;
    expect(schemas.LookupConflictError.properties.error.properties!.code.enum).toEqual(["card_blocked", "card_expired", "several_cards"]);
    expect(schemas.ReverseConflictError.properties.error.properties!.code.enum).toEqual(["conflict", "reverse_exceeds_original", "already_reversed"]);
    expect(schemas.LedgerValidationError.properties.error.properties!.data.anyOf).toContainEqual(
      expect.objectContaining({ properties: { maxPoints: expect.objectContaining({ type: "integer" }) } }),
    );
    expect(schemas.TransactionCreate).toBeTruthy();
    expect(schemas.Lookup.properties.redeemable).toBeTruthy();
  });

  it("documents POST /pos/authorizations as one of phone or card number, with an example of each and its own 429", () => {
    const op = doc.paths["/pos/authorizations"].post as unknown as {
      requestBody: { content: Record<string, { schema: { $ref: string }; examples: Record<string, { value: unknown }> }> };
      responses: Record<string, { $ref?: string }>;
    };
    const body = op.requestBody.content["application/json"];
    expect(body.schema).toEqual({ $ref: "#/components/schemas/AuthorizationCreate" });
    expect(body.examples.phone.value).toEqual({ phone: expect.any(String) });
    expect(body.examples.number.value).toEqual({ number: expect.any(String) });
    const create = doc.components.schemas.AuthorizationCreate as { oneOf: { properties: Record<string, { type: string }>; required: string[] }[] };
    expect(create.oneOf.map((o) => o.required)).toEqual([["phone"], ["number"]]);
    expect(create.oneOf[1].properties.number).toMatchObject({ type: "string", maxLength: 64 });
    expect(op.responses["429"]).toEqual({ $ref: "#/components/responses/PinLimited" });
    expect(op.responses["201"]).toBeTruthy();
  });

  it("documents every webhook event under `webhooks`, each with an example body", () => {
    const events = (doc as unknown as { webhooks: Record<string, { post: { requestBody: { content: Record<string, { example: { type: string } }> } } }> })
      .webhooks;
    for (const type of WEBHOOK_EVENT_TYPES) expect(events[type]?.post.requestBody.content["application/json"].example.type, type).toBe(type);
    expect(Object.keys(events)).toEqual(expect.arrayContaining(["card.issued", "points.accrued", "certificate.redeemed", "webhook.test"]));
  });

  it("resolves every reference to a component that exists", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const ref of new Set(all)) {
      const [, section, name] = /^#\/components\/(schemas|responses)\/(\w+)$/.exec(ref) ?? [];
      expect(section && doc.components[section][name], ref).toBeTruthy();
    }
  });

  it("generates the bodies from the card schemas: nested values, nullable expiry, and the error shape", () => {
    const schemas = doc.components.schemas as Record<
      string,
      { properties: Record<string, { properties?: Record<string, unknown>; type?: unknown }>; required?: string[] }
    >;
    expect(schemas.CardCreate.required).toEqual(["templateId", "customer"]);
    expect(schemas.CardCreate.properties.values.properties?.balance).toMatchObject({ type: "integer", minimum: 0 });
    expect(schemas.CardPatch.properties.status).toMatchObject({ enum: ["active", "blocked", "deactivated"] });
    // Every code the API answers with is documented in some error response.
    const documented = Object.entries(schemas)
      .filter(([name]) => name.endsWith("Error"))
      .flatMap(([, s]) => (s.properties.error.properties?.code as { enum: string[] }).enum);
    expect(new Set(documented)).toEqual(new Set(Object.keys(API_ERROR_STATUS)));
    expect(schemas.CardList.properties.data).toMatchObject({ items: { $ref: "#/components/schemas/Card" } });
    expect(text).not.toContain('"$schema"');
  });

  it("documents one card per phone per template: allowDuplicate in, card_exists with the card in error.data out", () => {
    const schemas = doc.components.schemas as Record<
      string,
      { properties: Record<string, { properties?: Record<string, { enum?: string[]; anyOf?: unknown[] }>; type?: unknown }> }
    >;
    expect(schemas.CardCreate.properties.allowDuplicate).toMatchObject({ type: "boolean" });
    expect(doc.components.responses.Conflict).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/ConflictError" } } } });
    const conflict = schemas.ConflictError.properties.error.properties!;
    expect(conflict.code.enum).toEqual(["conflict", "card_exists"]);
    expect(conflict.data.anyOf).toContainEqual(expect.objectContaining({ properties: { card: { $ref: "#/components/schemas/Card" } }, required: ["card"] }));
    expect(schemas.ForbiddenError.properties.error.properties?.data).toMatchObject({ properties: { scope: { type: "string" } } });
    expect(schemas.RateLimitedError.properties.error.properties?.data).toMatchObject({ properties: { retryAfter: { type: "integer" } } });
    expect(schemas.NotFoundError.properties.error.properties?.data).toBeUndefined();
  });
});
