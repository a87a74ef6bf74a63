import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createApiKey } from "@/lib/api-keys";
import { eraseCustomer } from "@/lib/customers/data-rights";
import { createSource } from "@/lib/forms/sources";
import type { ApiScope } from "@/lib/validations/api-keys";
import { GET as listForms } from "@/app/api/v1/forms/route";
import { GET as getForm } from "@/app/api/v1/forms/[id]/route";
import { GET as listSubmissions } from "@/app/api/v1/forms/[id]/submissions/route";
import { createTestMerchant, uniquePhone } from "../factories";
import { callApi } from "../support/api-call";
import { formOf, send } from "../support/forms";

const answers = { f_name: "Olga", f_size: "m", c_terms: "on" };

async function apiMerchant(scopes: ApiScope[] = ["forms:read"]) {
  const m = await createTestMerchant();
  const { key } = await createApiKey(getDb(), m.actor, { name: "CRM", scopes });
  const form = await formOf(m);
  return { ...m, key, form };
}

describe("/api/v1/forms", () => {
  it("lists forms, reads one with its companies and groups, and pages its submitted answers", async () => {
    const a = await apiMerchant();
    const company = await createSource(getDb(), a.actor, {
      kind: "company",
      formId: a.form.id,
      name: "Acme Ltd",
      tag: "acme",
      startsAt: null,
      endsAt: null,
      maxRegistrations: 5,
      welcomeBonus: 100,
      discount: 10,
      levelFloor: null,
      active: true,
    });
    const first = await send(a.form.token, uniquePhone(), answers);
    const second = await send(company.token, uniquePhone(), { ...answers, f_name: "Ivan" });
    const third = await send(a.form.token, uniquePhone(), { ...answers, f_name: "Anna" });

    const list = await callApi(listForms, a.key);
    expect(list.status).toBe(200);
    expect(list.body.data).toMatchObject([{ id: a.form.id, name: "Club", active: true, submissions: 3, templateId: a.form.templateId }]);
    expect(list.body.data[0].url).toMatch(new RegExp(`/f/${a.form.token}$`));

    const one = await callApi(getForm, a.key, { params: { id: a.form.id } });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: a.form.id,
      definition: { consents: [{ key: "terms", version: 1 }, { key: "news" }] },
      sources: [
        { id: company.id, kind: "company", name: "Acme Ltd", maxRegistrations: 5, registrations: 1, discount: 10, levelFloor: null, welcomeBonus: 100 },
      ],
    });

    const page1 = await callApi(listSubmissions, a.key, { params: { id: a.form.id }, query: { limit: "2" } });
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((s: { cardId: string }) => s.cardId)).toEqual([third.card.id, second.card.id]);
    expect(page1.body.data[1]).toMatchObject({ sourceId: company.id, customerId: second.card.customerId, answers: { name: "Ivan" }, formVersion: 1 });
    const page2 = await callApi(listSubmissions, a.key, { params: { id: a.form.id }, query: { limit: "2", cursor: page1.body.nextCursor } });
    expect(page2.body).toMatchObject({ data: [{ cardId: first.card.id, sourceId: null }], nextCursor: null });

    // An erased customer's answers are gone from the API too.
    await eraseCustomer(getDb(), a.merchant.id, first.card.customerId!, { type: "customer" });
    const after = await callApi(listSubmissions, a.key, { params: { id: a.form.id }, query: { limit: "2", cursor: page1.body.nextCursor } });
    expect(after.body.data[0].answers).toEqual({});
  });

  it("refuses a bad cursor or limit with 422, an unknown or malformed id with 404", async () => {
    const a = await apiMerchant();
    const bad: Record<string, string>[] = [{ cursor: "nonsense" }, { limit: "0" }, { limit: "101" }, { cursor: "a\u0000b" }];
    for (const query of bad) {
      const res = await callApi(listSubmissions, a.key, { params: { id: a.form.id }, query });
      expect(res.status, JSON.stringify(query)).toBe(422);
      expect(res.body.error.code).toBe("validation");
    }
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "x".repeat(5000)]) {
      expect((await callApi(getForm, a.key, { params: { id } })).status).toBe(404);
      expect((await callApi(listSubmissions, a.key, { params: { id } })).status).toBe(404);
    }
  });

  it("needs the forms:read scope", async () => {
    const a = await apiMerchant(["cards:read", "customers:read"]);
    expect((await callApi(listForms, a.key)).status).toBe(403);
    expect((await callApi(getForm, a.key, { params: { id: a.form.id } })).body.error.code).toBe("forbidden");
    expect((await callApi(listSubmissions, a.key, { params: { id: a.form.id } })).status).toBe(403);
  });

  it("tenancy: another merchant's key sees none of a merchant's forms or answers", async () => {
    const a = await apiMerchant();
    const b = await apiMerchant();
    await send(a.form.token, uniquePhone(), answers);
    expect((await callApi(listForms, b.key)).body.data.map((f: { id: string }) => f.id)).toEqual([b.form.id]);
    expect((await callApi(getForm, b.key, { params: { id: a.form.id } })).status).toBe(404);
    expect((await callApi(listSubmissions, b.key, { params: { id: a.form.id } })).status).toBe(404);
    expect((await callApi(listSubmissions, b.key, { params: { id: b.form.id } })).body).toEqual({ data: [], nextCursor: null });
  });
});
