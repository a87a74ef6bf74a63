import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards, pushTriggerRules, pushTriggerSends } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { createTriggerRule, deliverTriggerSends, updateTriggerRule } from "@/lib/push-events/triggers";
import { createApiKey } from "@/lib/api-keys";
import type { ApiScope } from "@/lib/validations/api-keys";
import { GET as listRules, POST as createRule } from "@/app/api/v1/trigger-rules/route";
import { DELETE as deleteRule, GET as getRule, PATCH as patchRule } from "@/app/api/v1/trigger-rules/[id]/route";
import en from "@/messages/en/push-events.json";
import { createTestCard, createTestMerchant } from "../factories";
import { callApi } from "../support/api-call";

async function apiMerchant(scopes: ApiScope[] = ["campaigns:read", "campaigns:write"]) {
  const m = await createTestMerchant();
  const { key } = await createApiKey(getDb(), m.actor, { name: "CRM", scopes });
  return { ...m, key };
}

const errors = en.pushEvents.errors;

describe("/api/v1/trigger-rules", () => {
  it("creates (with defaults), lists, reads, changes only the fields sent and deletes a rule", async () => {
    const a = await apiMerchant();
    const created = await callApi(createRule, a.key, { method: "POST", body: { kind: "birthday", message: "Happy birthday!" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      kind: "birthday",
      channel: "push",
      message: "Happy birthday!",
      days: 0,
      hour: 10,
      limitPerCard: 1,
      quietFrom: null,
      quietTo: null,
      enabled: true,
      sent: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id as string;
    expect((await callApi(listRules, a.key)).body).toEqual({ data: [created.body] });
    expect(await callApi(getRule, a.key, { params: { id } })).toMatchObject({ status: 200, body: created.body });

    const patched = await callApi(patchRule, a.key, { method: "PATCH", params: { id }, body: { hour: 9, enabled: false, channel: "sms" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ kind: "birthday", message: "Happy birthday!", hour: 9, enabled: false, channel: "sms" });

    expect((await callApi(deleteRule, a.key, { method: "DELETE", params: { id } })).status).toBe(204);
    const gone = await callApi(getRule, a.key, { params: { id } });
    expect(gone).toMatchObject({ status: 404, body: { error: { code: "not_found", message: expect.any(String) } } });
  });

  it.each([
    ["no kind", { message: "x" }, "kind", errors.kind],
    ["an unknown kind", { kind: "anniversary", message: "x" }, "kind", errors.kind],
    ["no message", { kind: "welcome" }, "message", errors.message],
    ["an empty message", { kind: "welcome", message: "" }, "message", errors.message],
    ["an unknown channel", { kind: "welcome", message: "x", channel: "fax" }, "channel", errors.channel],
    ["days below zero", { kind: "inactive", message: "x", days: -1 }, "days", errors.days],
    ["days as a string", { kind: "inactive", message: "x", days: "30" }, "days", errors.days],
    ["an hour of 24", { kind: "birthday", message: "x", hour: 24 }, "hour", errors.hour],
    ["a limit of 0", { kind: "welcome", message: "x", limitPerCard: 0 }, "limitPerCard", errors.limit],
    ["enabled as a string", { kind: "welcome", message: "x", enabled: "yes" }, "enabled", errors.enabled],
    ["a quiet hour of 24", { kind: "welcome", message: "x", quietFrom: 24, quietTo: 8 }, "quietFrom", errors.hour],
    ["a quiet hour as a string", { kind: "welcome", message: "x", quietFrom: 22, quietTo: "8" }, "quietTo", errors.hour],
    ["only the start of quiet hours", { kind: "welcome", message: "x", quietFrom: 22 }, "quietTo", errors.quietBoth],
    ["quiet hours ending where they start", { kind: "welcome", message: "x", quietFrom: 22, quietTo: 22 }, "quietTo", errors.quietSame],
  ])("refuses %s with 422 naming the field", async (_name, body, path, message) => {
    const a = await apiMerchant();
    const res = await callApi(createRule, a.key, { method: "POST", body });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: { code: "validation", message: expect.any(String), details: [{ path, message }] } });
  });

  it("a rule's own quiet hours: set on create, changed and cleared (both or neither) by PATCH", async () => {
    const a = await apiMerchant();
    const created = await callApi(createRule, a.key, { method: "POST", body: { kind: "welcome", message: "Hi", quietFrom: 21, quietTo: 10 } });
    expect(created).toMatchObject({ status: 201, body: { quietFrom: 21, quietTo: 10 } });
    const id = created.body.id as string;
    const one = await callApi(patchRule, a.key, { method: "PATCH", params: { id }, body: { quietFrom: 22 } });
    expect(one.body).toEqual({ error: { code: "validation", message: expect.any(String), details: [{ path: "quietTo", message: errors.quietBoth }] } });
    const half = await callApi(patchRule, a.key, { method: "PATCH", params: { id }, body: { quietFrom: null, quietTo: 8 } });
    expect(half.body.error.details).toEqual([{ path: "quietTo", message: errors.quietBoth }]);
    const moved = await callApi(patchRule, a.key, { method: "PATCH", params: { id }, body: { quietFrom: 23, quietTo: 7 } });
    expect(moved).toMatchObject({ status: 200, body: { quietFrom: 23, quietTo: 7, message: "Hi" } });
    const cleared = await callApi(patchRule, a.key, { method: "PATCH", params: { id }, body: { quietFrom: null, quietTo: null } });
    expect(cleared).toMatchObject({ status: 200, body: { quietFrom: null, quietTo: null } });
  });

  it("refuses an empty PATCH and a bad field in one with exact errors", async () => {
    const a = await apiMerchant();
    const { body: rule } = await callApi(createRule, a.key, { method: "POST", body: { kind: "welcome", message: "Welcome" } });
    const empty = await callApi(patchRule, a.key, { method: "PATCH", params: { id: rule.id }, body: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.error).toMatchObject({ code: "validation" });
    const bad = await callApi(patchRule, a.key, { method: "PATCH", params: { id: rule.id }, body: { hour: 30 } });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ error: { code: "validation", message: expect.any(String), details: [{ path: "hour", message: errors.hour }] } });
    const notJson = await callApi(patchRule, a.key, { method: "PATCH", params: { id: rule.id }, body: "{" });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("bad_request");
  });

  it("needs its scopes: reading with campaigns:read, changing with campaigns:write", async () => {
    const none = await apiMerchant(["cards:read"]);
    expect((await callApi(listRules, none.key)).status).toBe(403);
    const reader = await apiMerchant(["campaigns:read"]);
    expect((await callApi(listRules, reader.key)).status).toBe(200);
    const refused = await callApi(createRule, reader.key, { method: "POST", body: { kind: "welcome", message: "x" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
  });

  it("tenancy: another merchant's key neither lists, reads, changes nor deletes a merchant's rules", async () => {
    const a = await apiMerchant();
    const b = await apiMerchant();
    const { body: rule } = await callApi(createRule, a.key, { method: "POST", body: { kind: "welcome", message: "Mine" } });
    const id = rule.id as string;
    expect((await callApi(listRules, b.key)).body).toEqual({ data: [] });
    expect((await callApi(getRule, b.key, { params: { id } })).status).toBe(404);
    expect((await callApi(patchRule, b.key, { method: "PATCH", params: { id }, body: { message: "Theirs" } })).status).toBe(404);
    expect((await callApi(deleteRule, b.key, { method: "DELETE", params: { id } })).status).toBe(404);
    const [kept] = await getDb().select().from(pushTriggerRules).where(eq(pushTriggerRules.id, id));
    expect(kept).toMatchObject({ merchantId: a.merchant.id, message: "Mine" });
  });
});

describe("trigger rules: editing (the cabinet's service)", () => {
  it("a paused rule sends nothing, even a message already waiting; another merchant cannot change it", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { card } = await createTestCard(a);
    const rule = await createTriggerRule(getDb(), a.merchant.id, { kind: "welcome", channel: "push", message: "Welcome", days: 0, hour: 10, limitPerCard: 1 });
    await getDb().insert(pushTriggerSends).values({ merchantId: a.merchant.id, ruleId: rule.id, cardId: card.id, occasion: "welcome" });
    await expect(updateTriggerRule(getDb(), b.merchant.id, rule.id, { enabled: false })).rejects.toBeInstanceOf(NotFoundError);
    const paused = await updateTriggerRule(getDb(), a.merchant.id, rule.id, { enabled: false, message: "Hello" });
    expect(paused).toMatchObject({ enabled: false, message: "Hello", kind: "welcome" });
    await deliverTriggerSends(getDb());
    const [send] = await getDb().select().from(pushTriggerSends).where(eq(pushTriggerSends.ruleId, rule.id));
    expect(send).toMatchObject({ status: "skipped", reason: "disabled" });
    const [row] = await getDb().select().from(cards).where(eq(cards.id, card.id));
    expect(row.news).not.toBe("Hello");
  });
});
