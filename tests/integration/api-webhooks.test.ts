import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createApiKey } from "@/lib/api-keys";
import { deliverWebhooks } from "@/lib/webhooks/deliver";
import { GET as listWebhooks, POST as createWebhook } from "@/app/api/v1/webhooks/route";
import { DELETE as deleteWebhook, GET as getWebhook, PATCH as patchWebhook } from "@/app/api/v1/webhooks/[id]/route";
import { POST as rotateSecret } from "@/app/api/v1/webhooks/[id]/rotate-secret/route";
import { POST as testWebhook } from "@/app/api/v1/webhooks/[id]/test/route";
import { GET as listDeliveries } from "@/app/api/v1/webhooks/[id]/deliveries/route";
import { POST as replayDelivery } from "@/app/api/v1/webhooks/deliveries/[id]/replay/route";
import { createTestMerchant } from "../factories";
import { startReceiver } from "../support/webhook-receiver";

process.env.WEBHOOK_ALLOW_LOOPBACK = "true";

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

async function call(route: Route, key: string, opts: { method?: string; query?: string; id?: string; body?: unknown; raw?: string } = {}) {
  const request = new Request(`http://localhost/api/v1/webhooks${opts.query ?? ""}`, {
    method: opts.method ?? "GET",
    headers: { authorization: `Bearer ${key}` },
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const response = await route(request, { params: Promise.resolve((opts.id ? { id: opts.id } : {}) as never) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

async function apiMerchant(scopes: string[] = ["webhooks:read", "webhooks:write"]) {
  const m = await createTestMerchant();
  const { key } = await createApiKey(getDb(), m.actor, { name: "CRM", scopes });
  return { ...m, key };
}

const ENDPOINT_KEYS = ["consecutiveFailures", "createdAt", "description", "disabledReason", "enabled", "events", "id", "updatedAt", "url"];

describe("REST API — webhooks", () => {
  it("creates an endpoint, answering its secret once; reads never show it", async () => {
    const m = await apiMerchant();
    const created = await call(createWebhook, m.key, {
      method: "POST",
      body: { url: receiver.url, events: ["card.issued", "points.accrued"], description: "CRM" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: receiver.url, events: ["card.issued", "points.accrued"], enabled: true, description: "CRM" });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.body.secret.slice(6), "base64").length).toBeGreaterThanOrEqual(24);
    expect(Object.keys(created.body).sort()).toEqual([...ENDPOINT_KEYS, "secret"].sort());

    const one = await call(getWebhook, m.key, { id: created.body.id });
    expect(one.status).toBe(200);
    expect(Object.keys(one.body).sort()).toEqual(ENDPOINT_KEYS);
    const list = await call(listWebhooks, m.key);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([created.body.id]);
    expect(JSON.stringify(list.body)).not.toContain("whsec_");

    // "*" alone stands for all; duplicates collapse.
    const all = await call(createWebhook, m.key, { method: "POST", body: { url: receiver.url, events: ["card.issued", "*"] } });
    expect(all.body.events).toEqual(["*"]);
  });

  it.each([
    ["no url", { events: ["*"] }, "url"],
    ["empty url", { url: "", events: ["*"] }, "url"],
    ["no events", { url: "https://example.com/h" }, "events"],
    ["empty events", { url: "https://example.com/h", events: [] }, "events"],
    ["unknown event", { url: "https://example.com/h", events: ["card.exploded"] }, "events.0"],
    ["events not a list", { url: "https://example.com/h", events: "card.issued" }, "events"],
    ["description too long", { url: "https://example.com/h", events: ["*"], description: "x".repeat(501) }, "description"],
  ])("refuses a create with %s: 422 naming the field", async (_name, body, path) => {
    const m = await apiMerchant();
    const res = await call(createWebhook, m.key, { method: "POST", body });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it("refuses a refused address with 422 and the reason, and a body that is not JSON with 400", async () => {
    const m = await apiMerchant();
    const res = await call(createWebhook, m.key, { method: "POST", body: { url: "https://169.254.169.254/latest", events: ["*"] } });
    expect(res).toMatchObject({ status: 422, body: { error: { code: "validation", data: { reason: "link_local", address: "169.254.169.254" } } } });
    expect(res.body.error.details).toEqual([{ path: "url", message: "Link-local addresses (169.254.169.254) are not allowed." }]);
    expect((await call(createWebhook, m.key, { method: "POST", raw: "{nope" })).status).toBe(400);
  });

  it("needs webhooks:write to change and webhooks:read (or write) to read", async () => {
    const reader = await apiMerchant(["webhooks:read"]);
    const denied = await call(createWebhook, reader.key, { method: "POST", body: { url: receiver.url, events: ["*"] } });
    expect(denied).toMatchObject({ status: 403, body: { error: { code: "forbidden", data: { scope: "webhooks:write" } } } });
    expect((await call(listWebhooks, reader.key)).status).toBe(200);
    const other = await apiMerchant(["cards:read"]);
    expect((await call(listWebhooks, other.key)).body.error.data).toEqual({ scope: "webhooks:read" });
  });

  it("changes, rotates, tests, lists deliveries, replays and deletes", async () => {
    const m = await apiMerchant();
    const { body: created } = await call(createWebhook, m.key, { method: "POST", body: { url: receiver.url, events: ["*"] } });
    const id = created.id;

    expect((await call(patchWebhook, m.key, { method: "PATCH", id, body: {} })).status).toBe(422);
    expect((await call(patchWebhook, m.key, { method: "PATCH", id, body: { enabled: "yes" } })).body.error.details[0].path).toBe("enabled");
    const patched = await call(patchWebhook, m.key, { method: "PATCH", id, body: { description: "Renamed", events: ["card.issued"] } });
    expect(patched).toMatchObject({ status: 200, body: { description: "Renamed", events: ["card.issued"] } });

    const rotated = await call(rotateSecret, m.key, { method: "POST", id });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);

    const test = await call(testWebhook, m.key, { method: "POST", id });
    expect(test).toMatchObject({ status: 202, body: { eventType: "webhook.test", status: "pending", attempts: 0 } });
    expect(test.body.eventId).toMatch(/^evt_[0-9a-f]{32}$/);
    receiver.received.length = 0;
    await deliverWebhooks(getDb());
    const sent = receiver.received.find((r) => r.headers["webhook-id"] === test.body.eventId)!;
    expect(new Webhook(rotated.body.secret).verify(sent.body, sent.headers)).toMatchObject({ type: "webhook.test" });
    expect(new Webhook(created.secret).verify(sent.body, sent.headers)).toMatchObject({ type: "webhook.test" });

    for (let i = 0; i < 2; i++) await call(testWebhook, m.key, { method: "POST", id });
    const page1 = await call(listDeliveries, m.key, { id, query: "?limit=2" });
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await call(listDeliveries, m.key, { id, query: `?limit=2&cursor=${page1.body.nextCursor}` });
    expect(page2.body.data.map((d: { id: string }) => d.id)).toEqual([test.body.id]);
    expect(page2.body.nextCursor).toBeNull();
    expect(page2.body.data[0]).toMatchObject({ status: "succeeded", statusCode: 200, attempts: 1, responseBody: "ok" });
    expect(JSON.parse(page2.body.data[0].requestBody)).toMatchObject({ type: "webhook.test" });
    const succeeded = await call(listDeliveries, m.key, { id, query: "?status=succeeded&eventType=webhook.test" });
    expect(succeeded.body.data.map((d: { id: string }) => d.id)).toEqual([test.body.id]);
    expect((await call(listDeliveries, m.key, { id, query: "?status=lost" })).status).toBe(422);
    expect((await call(listDeliveries, m.key, { id, query: "?cursor=garbage" })).body.error.details[0].path).toBe("cursor");

    const replayed = await call(replayDelivery, m.key, { method: "POST", id: test.body.id });
    expect(replayed).toMatchObject({ status: 202, body: { id: test.body.id, status: "pending", eventId: test.body.eventId } });

    // A turned-off endpoint is neither tested nor replayed to.
    await call(patchWebhook, m.key, { method: "PATCH", id, body: { enabled: false } });
    expect((await call(testWebhook, m.key, { method: "POST", id })).body.error.code).toBe("conflict");

    expect((await call(deleteWebhook, m.key, { method: "DELETE", id })).status).toBe(204);
    expect((await call(getWebhook, m.key, { id })).status).toBe(404);
    expect((await call(deleteWebhook, m.key, { method: "DELETE", id })).status).toBe(404);
    expect((await call(getWebhook, m.key, { id: "not-a-uuid" })).status).toBe(404);
  });

  it("keeps merchants apart: another merchant's endpoints and deliveries answer 404", async () => {
    const a = await apiMerchant();
    const b = await apiMerchant();
    const { body: endpoint } = await call(createWebhook, a.key, { method: "POST", body: { url: receiver.url, events: ["*"] } });
    const { body: delivery } = await call(testWebhook, a.key, { method: "POST", id: endpoint.id });
    const id = endpoint.id;
    expect((await call(listWebhooks, b.key)).body.data).toEqual([]);
    for (const [route, method, body] of [
      [getWebhook, "GET", undefined],
      [patchWebhook, "PATCH", { enabled: false }],
      [rotateSecret, "POST", undefined],
      [testWebhook, "POST", undefined],
      [listDeliveries, "GET", undefined],
      [deleteWebhook, "DELETE", undefined],
    ] as const) {
      const res = await call(route as Route, b.key, { method, id, body });
      expect(res, `${method} ${route.name}`).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    }
    expect((await call(replayDelivery, b.key, { method: "POST", id: delivery.id })).status).toBe(404);
    // A's endpoint is untouched.
    expect((await call(getWebhook, a.key, { id })).body).toMatchObject({ enabled: true });
  });
});
