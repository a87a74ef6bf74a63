import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { GET as listCustomers, POST as createCustomer } from "@/app/api/v1/customers/route";
import { GET as getCustomer, PATCH as patchCustomer } from "@/app/api/v1/customers/[id]/route";
import { GET as customerCards } from "@/app/api/v1/customers/[id]/cards/route";
import { createTestCard, createTestMerchant, uniquePhone } from "../factories";
import { callApi } from "../support/api-call";

async function crm(scopes = ["customers:read", "customers:write"]) {
  const m = await createTestMerchant();
  const { key } = await createApiKey(getDb(), m.actor, { name: "CRM", scopes });
  const create = (body: unknown, headers?: Record<string, string>) =>
    callApi(createCustomer, key, { method: "POST", path: "/api/v1/customers", body, headers });
  const patch = (id: string, body: unknown, headers?: Record<string, string>) =>
    callApi(patchCustomer, key, { method: "PATCH", path: `/api/v1/customers/${id}`, params: { id }, body, headers });
  const list = (query: Record<string, string>) => callApi(listCustomers, key, { path: "/api/v1/customers", query });
  return { ...m, key, create, patch, list };
}

// +7 916 <7 digits> in national form, as a CRM might keep it.
const national = (e164: string) => `8 (${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8, 10)}-${e164.slice(10)}`;

describe("REST API — customers", () => {
  it("creates a customer (phone in any format, stored E.164) and reads it back; the same phone again is a conflict", async () => {
    const m = await crm();
    const phone = uniquePhone();
    const created = await m.create({ phone: national(phone), name: "Olga Smirnova", email: "Olga@Example.com", birthday: "1990-04-12" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      phone,
      email: "olga@example.com",
      name: "Olga Smirnova",
      birthday: "1990-04-12",
      marketingConsent: { given: false, text: null, at: null },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const read = await callApi(getCustomer, m.key, { params: { id: created.body.id } });
    expect(read).toMatchObject({ status: 200, body: created.body });
    const again = await m.create({ phone });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", details: [{ path: "phone" }] });
    const [event] = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "customer.created")));
    expect(event.data).toEqual({ customerId: created.body.id });
  });

  it("replays a create sent again with the same Idempotency-Key", async () => {
    const m = await crm();
    const body = { phone: uniquePhone(), name: "Retry" };
    const first = await m.create(body, { "idempotency-key": "c-1" });
    const second = await m.create(body, { "idempotency-key": "c-1" });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });

  it.each([
    ["no phone", { name: "X" }, "phone"],
    ["a phone that is not one", { phone: "12" }, "phone"],
    ["a bad e-mail", { phone: "+79161234567", email: "nope" }, "email"],
    ["a birthday in the future", { phone: "+79161234567", birthday: "2999-01-01" }, "birthday"],
    ["a control character in the name", { phone: "+79161234567", name: "A\u0000B" }, "name"],
  ])("refuses %s with 422 naming the field", async (_name, body, path) => {
    const m = await crm();
    const res = await m.create(body);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "validation", details: [{ path }] });
  });

  it("finds customers by phone in any format, by e-mail and by part of the name, a page at a time", async () => {
    const m = await crm();
    const phones = [uniquePhone(), uniquePhone(), uniquePhone()];
    await m.create({ phone: phones[0], name: "Ivan Petrov", email: "ivan@example.com" });
    await m.create({ phone: phones[1], name: "Maria Ivanova" });
    await m.create({ phone: phones[2], name: "Pyotr Sidorov" });
    expect((await m.list({ phone: national(phones[0]) })).body.data.map((c: { name: string }) => c.name)).toEqual(["Ivan Petrov"]);
    expect((await m.list({ phone: `+${phones[1].slice(1, 2)} ${phones[1].slice(2)}` })).body.data.map((c: { name: string }) => c.name)).toEqual([
      "Maria Ivanova",
    ]);
    expect((await m.list({ email: "IVAN@example.com" })).body.data).toHaveLength(1);
    expect((await m.list({ name: "ivan" })).body.data.map((c: { name: string }) => c.name).sort()).toEqual(["Ivan Petrov", "Maria Ivanova"]);
    const first = await m.list({ limit: "2" });
    expect(first.body.data).toHaveLength(2);
    const second = await m.list({ limit: "2", cursor: first.body.nextCursor });
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const names = [...first.body.data, ...second.body.data].map((c: { name: string }) => c.name);
    expect(new Set(names).size).toBe(3);
    expect((await m.list({ phone: "12" })).body.error).toMatchObject({ code: "validation", details: [{ path: "phone" }] });
    expect((await m.list({ cursor: "x" })).body.error).toMatchObject({ code: "validation", details: [{ path: "cursor" }] });
  });

  it("changes only the fields sent, clears one sent as null, and the holder's passes follow", async () => {
    const m = await crm(["customers:read", "customers:write", "cards:read"]);
    const phone = uniquePhone();
    const { card } = await createTestCard(m, { phone, name: "Old Name" });
    const [{ id }] = (await m.list({ phone })).body.data;
    const changed = await m.patch(id, { name: "New Name", email: "new@example.com" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id, phone, name: "New Name", email: "new@example.com" });
    const cleared = await m.patch(id, { email: null });
    expect(cleared.body).toMatchObject({ name: "New Name", email: null });
    expect((await m.patch(id, {})).body.error).toMatchObject({ code: "validation" });
    const events = await getDb()
      .select({ type: cardEvents.type })
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.cardId, card.id), eq(cardEvents.type, "card.holder_changed")));
    expect(events).toHaveLength(2);
    const cards = await callApi(customerCards, m.key, { params: { id } });
    expect(cards.body.data.map((c: { id: string; customer: { name: string } }) => [c.id, c.customer.name])).toEqual([[card.id, "New Name"]]);
    // A phone another customer has is a conflict.
    const other = (await m.create({ phone: uniquePhone() })).body;
    expect((await m.patch(other.id, { phone })).body.error).toMatchObject({ code: "conflict", details: [{ path: "phone" }] });
  });

  it("another merchant's customer is not found, to read, change or list cards of; and scopes are checked", async () => {
    const a = await crm();
    const b = await crm();
    const theirs = (await a.create({ phone: uniquePhone(), name: "A's" })).body;
    for (const res of [
      await callApi(getCustomer, b.key, { params: { id: theirs.id } }),
      await b.patch(theirs.id, { name: "Stolen" }),
      await callApi(customerCards, b.key, { params: { id: theirs.id } }),
      await callApi(getCustomer, b.key, { params: { id: "not-a-uuid" } }),
      await callApi(getCustomer, b.key, { params: { id: randomUUID() } }),
    ])
      expect(res).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect((await b.list({ phone: theirs.phone })).body.data).toEqual([]);
    expect((await b.list({})).body.data).toEqual([]);
    const readOnly = await crm(["customers:read"]);
    const res = await readOnly.create({ phone: uniquePhone() });
    expect(res).toMatchObject({ status: 403, body: { error: { code: "forbidden", data: { scope: "customers:write" } } } });
  });
});
