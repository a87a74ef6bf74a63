import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createApiKey } from "@/lib/api-keys";
import type { ApiScope } from "@/lib/validations/api-keys";
import { GET as listCampaigns, POST as createCampaign } from "@/app/api/v1/campaigns/route";
import { DELETE as deleteCampaign, GET as getCampaign } from "@/app/api/v1/campaigns/[id]/route";
import { createTestMerchant, createTestTemplate } from "../factories";
import { callApi } from "../support/api-call";

async function apiMerchant(scopes: ApiScope[] = ["campaigns:read", "campaigns:write"]) {
  const m = await createTestMerchant();
  const { key } = await createApiKey(getDb(), m.actor, { name: "CRM", scopes });
  const template = await createTestTemplate(m);
  return { ...m, key, template };
}

const later = () => new Date(Date.now() + 3_600_000).toISOString();

describe("/api/v1/campaigns", () => {
  it("creates, lists, reads with figures and deletes a campaign", async () => {
    const a = await apiMerchant();
    const created = await callApi(createCampaign, a.key, {
      method: "POST",
      body: { type: "push", message: "Half price", audience: { templateIds: [a.template.id], status: ["installed"] }, startAt: later() },
    });
    expect(created).toMatchObject({ status: 201, body: { status: "scheduled" } });
    const id = created.body.id as string;
    const one = await callApi(getCampaign, a.key, { params: { id } });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id,
      type: "push",
      status: "scheduled",
      counts: {
        apple: { pushed: 0, accepted: 0, failed: 0, gone: 0 },
        google: { notified: 0, quiet: 0, failed: 0, inDoubt: 0 },
        sms: { delivered: 0, failed: 0, inDoubt: 0, cost: 0 },
      },
    });
    const list = await callApi(listCampaigns, a.key);
    expect(list.body).toMatchObject({ total: 1, data: [{ id }] });
    expect((await callApi(deleteCampaign, a.key, { method: "DELETE", params: { id } })).status).toBe(204);
    expect((await callApi(getCampaign, a.key, { params: { id } })).status).toBe(404);
  });

  it("a retry with the same Idempotency-Key answers the first campaign and creates no second; another body with that key is a conflict", async () => {
    const a = await apiMerchant();
    const body = { type: "push", message: "Once", audience: { templateIds: [a.template.id] }, startAt: later() };
    const headers = { "idempotency-key": "crm-campaign-17" };
    const first = await callApi(createCampaign, a.key, { method: "POST", body, headers });
    expect(first.status).toBe(201);
    const again = await callApi(createCampaign, a.key, { method: "POST", body, headers });
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await callApi(listCampaigns, a.key)).body).toMatchObject({ total: 1, data: [{ id: first.body.id }] });
    const other = await callApi(createCampaign, a.key, { method: "POST", body: { ...body, message: "Twice" }, headers });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("conflict");
    // Without a key every request creates one, as before.
    expect((await callApi(createCampaign, a.key, { method: "POST", body })).status).toBe(201);
    expect((await callApi(listCampaigns, a.key)).body).toMatchObject({ total: 2 });
  });

  it.each([
    ["no audience", { type: "push", message: "x" }, "audience"],
    ["no message for a push", { type: "push", audience: { templateIds: [] } }, "message"],
    ["a promotion without an end", { type: "promotion", audience: { templateIds: ["00000000-0000-4000-8000-000000000000"] } }, "endAt"],
    ["an unknown type", { type: "fax", message: "x", audience: { templateIds: ["00000000-0000-4000-8000-000000000000"] } }, "type"],
    [
      "a start that is not a time",
      { type: "push", message: "x", audience: { templateIds: ["00000000-0000-4000-8000-000000000000"] }, startAt: "tomorrow" },
      "startAt",
    ],
    // A misspelt field must not widen the audience or start the campaign now: it is named and refused.
    [
      "a misspelt start",
      { type: "push", message: "x", audience: { templateIds: ["00000000-0000-4000-8000-000000000000"] }, sendAt: "2030-01-01T00:00:00Z" },
      "sendAt",
    ],
    [
      "a misspelt filter",
      { type: "sms", message: "x", audience: { templateIds: ["00000000-0000-4000-8000-000000000000"], statuses: ["apple"] } },
      "audience.statuses",
    ],
    [
      "a promotion whose end has passed",
      {
        type: "promotion",
        audience: { templateIds: ["00000000-0000-4000-8000-000000000000"] },
        startAt: "2020-01-01T00:00:00Z",
        endAt: "2020-01-02T00:00:00Z",
      },
      "endAt",
    ],
  ])("refuses %s with 422 validation", async (_name, body, field) => {
    const a = await apiMerchant();
    const res = await callApi(createCampaign, a.key, { method: "POST", body });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation");
    expect(JSON.stringify(res.body.error)).toContain(field);
  });

  it("refuses a promotion whose field key repeats in the JSON with 422 at that field, instead of keeping the last", async () => {
    const a = await apiMerchant();
    const body = `{"type":"promotion","audience":{"templateIds":["${a.template.id}"]},"endAt":"${later()}",
      "design":{"fields":{"points":{"label":"Double"},"level":{"value":"Gold"},"points":{"label":"Triple"}}}}`;
    const res = await callApi(createCampaign, a.key, { method: "POST", body });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: "validation",
      details: [{ path: "design.fields.points", message: "This field key is given twice: give each field once." }],
    });
    expect((await callApi(listCampaigns, a.key)).body.total).toBe(0);
    // The same fields once each are taken.
    const fine = await callApi(createCampaign, a.key, { method: "POST", body: body.replace(`,"points":{"label":"Triple"}`, "") });
    expect(fine.status).toBe(201);
  });

  it("needs its scopes", async () => {
    const a = await apiMerchant(["cards:read"]);
    expect((await callApi(listCampaigns, a.key)).status).toBe(403);
    const reader = await apiMerchant(["campaigns:read"]);
    const res = await callApi(createCampaign, reader.key, {
      method: "POST",
      body: { type: "push", message: "x", audience: { templateIds: [reader.template.id] } },
    });
    expect(res.status).toBe(403);
  });

  it("tenancy: another merchant's key neither sees, deletes nor aims at a merchant's campaigns and templates", async () => {
    const a = await apiMerchant();
    const b = await apiMerchant();
    const created = await callApi(createCampaign, a.key, {
      method: "POST",
      body: { type: "push", message: "Mine", audience: { templateIds: [a.template.id] }, startAt: later() },
    });
    const id = created.body.id as string;
    expect((await callApi(getCampaign, b.key, { params: { id } })).status).toBe(404);
    expect((await callApi(deleteCampaign, b.key, { method: "DELETE", params: { id } })).status).toBe(404);
    expect((await callApi(listCampaigns, b.key)).body).toMatchObject({ total: 0, data: [] });
    const aimed = await callApi(createCampaign, b.key, { method: "POST", body: { type: "push", message: "x", audience: { templateIds: [a.template.id] } } });
    expect(aimed.status).toBe(422);
    expect((await callApi(getCampaign, a.key, { params: { id } })).status).toBe(200);
  });
});
