import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardImports, customers, marketingStops, merchants } from "@/db/schema";
import { stopNewsAction } from "@/app/(public)/u/[token]/actions";
import { eraseCustomer } from "@/lib/customers/data-rights";
import { createApiKey } from "@/lib/api-keys";
import { GET as getCustomer, PATCH as patchCustomer } from "@/app/api/v1/customers/[id]/route";
import { POST as createCustomer } from "@/app/api/v1/customers/route";
import { parseCardsCsv } from "@/lib/cards/csv";
import { getCardImportOrThrow, previewCardImport, runCardImport } from "@/lib/cards/import";
import { giveMarketingConsent, unsubscribeByToken, unsubscribeToken } from "@/lib/push-events/consent";
import { createTemplate } from "@/lib/templates";
import en from "@/messages/en/push-events.json";
import ru from "@/messages/ru/push-events.json";
import { createTestCustomer, createTestMerchant, uniquePhone, type TestMerchant } from "../factories";
import { callApi } from "../support/api-call";

const consentOf = async (merchantId: string, phone: string) => {
  const [row] = await getDb()
    .select({ given: customers.marketingConsent, text: customers.marketingConsentText, at: customers.marketingConsentAt })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), eq(customers.phone, phone)));
  return row;
};

describe("marketing consent from the CSV import", () => {
  it("reads the consent column (yes / no / blank, English or Russian) and refuses anything else on its line", () => {
    const [a, b, c, d, e] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    const parsed = parseCardsCsv(["phone;Согласие на рассылку", `${a};да`, `${b};No`, `${c};`, `${d};maybe`, `${e};1`].join("\n"), {
      defaultCountry: "RU",
      customKeys: [],
    });
    expect(parsed.columns[1]).toEqual({ header: "Согласие на рассылку", field: "marketingConsent" });
    expect(parsed.rows.map((r) => [r.phone, r.marketingConsent])).toEqual([
      [a, true],
      [b, false],
      [c, undefined],
      [e, true],
    ]);
    expect(parsed.errors).toEqual([{ line: 5, column: "Согласие на рассылку", field: "marketingConsent", message: "pushEvents.consentImport.cellError" }]);
  });

  it("counts the consenting rows in the preview; the run gives consent with the merchant's current text and time, withdraws on a no, and keeps an earlier consent as it was", async () => {
    const m = await createTestMerchant();
    await getDb().update(merchants).set({ country: "RU" }).where(eq(merchants.id, m.merchant.id));
    const template = await createTemplate(getDb(), m.actor, { name: "Consent import", kind: "loyalty" });
    const [yes, no, blank, earlier] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    const withdrawn = await createTestCustomer(m, { phone: no });
    await giveMarketingConsent(getDb(), m.merchant.id, withdrawn.id, "old text");
    const before = await createTestCustomer(m, { phone: earlier });
    const earlierAt = new Date("2026-01-02T03:04:05Z");
    await giveMarketingConsent(getDb(), m.merchant.id, before.id, "the text they saw then", earlierAt);

    const text = ["phone,consent", `${yes},yes`, `${no},no`, `${blank},`, `${earlier},yes`].join("\n");
    const outcome = await previewCardImport(getDb(), m.actor, { templateId: template.id, fileName: "c.csv", text, skipExisting: true });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.fileErrors));
    expect(await getCardImportOrThrow(getDb(), m.merchant.id, outcome.importId)).toMatchObject({ valid: 4, consenting: 2 });

    const started = Date.now();
    await getDb().update(cardImports).set({ status: "queued" }).where(eq(cardImports.id, outcome.importId));
    await runCardImport(getDb(), outcome.importId);

    const given = await consentOf(m.merchant.id, yes);
    expect(given).toMatchObject({ given: true, text: ru.pushEvents.marketingConsent });
    expect(given.at!.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(await consentOf(m.merchant.id, no)).toMatchObject({ given: false });
    expect(await consentOf(m.merchant.id, blank)).toMatchObject({ given: false, text: null, at: null });
    expect(await consentOf(m.merchant.id, earlier)).toEqual({ given: true, text: "the text they saw then", at: earlierAt });
  });

  it("touches only the importing merchant's customers (tenancy)", async () => {
    const [a, b] = [await createTestMerchant(), await createTestMerchant()];
    await getDb().update(merchants).set({ country: "US" }).where(eq(merchants.id, a.merchant.id));
    const phone = uniquePhone();
    await createTestCustomer(b, { phone });
    const template = await createTemplate(getDb(), a.actor, { name: "A", kind: "loyalty" });
    const outcome = await previewCardImport(getDb(), a.actor, {
      templateId: template.id,
      fileName: "c.csv",
      text: `phone;consent\n${phone};yes`,
      skipExisting: true,
    });
    if (!outcome.ok) throw new Error("refused");
    await getDb().update(cardImports).set({ status: "queued" }).where(eq(cardImports.id, outcome.importId));
    await runCardImport(getDb(), outcome.importId);
    expect(await consentOf(a.merchant.id, phone)).toMatchObject({ given: true, text: en.pushEvents.marketingConsent });
    expect(await consentOf(b.merchant.id, phone)).toMatchObject({ given: false });
  });
});

async function crm() {
  const m = await createTestMerchant();
  const { key } = await createApiKey(getDb(), m.actor, { name: "CRM", scopes: ["customers:read", "customers:write"] });
  const create = (body: unknown) => callApi(createCustomer, key, { method: "POST", path: "/api/v1/customers", body });
  const patch = (id: string, body: unknown) => callApi(patchCustomer, key, { method: "PATCH", path: `/api/v1/customers/${id}`, params: { id }, body });
  return { ...m, key, create, patch };
}

/** A card import of one row, the phone with "yes" in its consent column, run to the end. */
async function importWithConsent(m: TestMerchant, phone: string) {
  const template = await createTemplate(getDb(), m.actor, { name: "Old list", kind: "loyalty" });
  const outcome = await previewCardImport(getDb(), m.actor, {
    templateId: template.id,
    fileName: "c.csv",
    text: `phone,consent\n${phone},yes`,
    skipExisting: false,
  });
  if (!outcome.ok) throw new Error("refused");
  await getDb().update(cardImports).set({ status: "queued" }).where(eq(cardImports.id, outcome.importId));
  await runCardImport(getDb(), outcome.importId);
}

describe("marketing consent through the customers API", () => {
  it("gives consent on create with the merchant's current text and the time, and answers it", async () => {
    const m = await crm();
    const res = await m.create({ phone: uniquePhone(), name: "Olga", marketingConsent: true });
    expect(res.status).toBe(201);
    expect(res.body.marketingConsent).toEqual({ given: true, text: ru.pushEvents.marketingConsent, at: expect.any(String) });
    const plain = await m.create({ phone: uniquePhone() });
    expect(plain.body.marketingConsent).toEqual({ given: false, text: null, at: null });
  });

  it("withdraws and gives again by PATCH (consent alone is a change); a consent already given keeps its time", async () => {
    const m = await crm();
    const created = await m.create({ phone: uniquePhone(), marketingConsent: true });
    const id = created.body.id as string;
    const same = await m.patch(id, { marketingConsent: true });
    expect(same.status).toBe(200);
    expect(same.body.marketingConsent).toEqual(created.body.marketingConsent);
    const off = await m.patch(id, { marketingConsent: false });
    expect(off.status).toBe(200);
    expect(off.body.marketingConsent).toMatchObject({ given: false, text: ru.pushEvents.marketingConsent });
    const on = await m.patch(id, { name: "Olga Again", marketingConsent: true });
    expect(on.body).toMatchObject({ name: "Olga Again", marketingConsent: { given: true } });
    const read = await callApi(getCustomer, m.key, { params: { id } });
    expect(read.body.marketingConsent.given).toBe(true);
  });

  it("a customer who stopped through the SMS's link is put back only by themselves: not by PATCH, not by an import", async () => {
    const m = await crm();
    await getDb().update(merchants).set({ country: "US" }).where(eq(merchants.id, m.merchant.id));
    const phone = uniquePhone();
    const id = (await m.create({ phone, marketingConsent: true })).body.id as string;
    expect(await unsubscribeByToken(getDb(), unsubscribeToken(m.merchant.id, id))).toMatchObject({ merchantName: expect.any(String) });
    expect(await consentOf(m.merchant.id, phone)).toMatchObject({ given: false });

    const again = await m.patch(id, { name: "Stale CRM", marketingConsent: true });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", details: [{ path: "marketingConsent" }] });
    // Refused whole: the name did not change either.
    expect((await callApi(getCustomer, m.key, { params: { id } })).body).toMatchObject({ name: "", marketingConsent: { given: false } });

    await importWithConsent(m, phone);
    expect(await consentOf(m.merchant.id, phone)).toMatchObject({ given: false });

    // The customer agrees again themselves (the enrolment page, a form): from then on the merchant may record changes again.
    await giveMarketingConsent(getDb(), m.merchant.id, id, "Yes, send me news", new Date(), "customer");
    expect(await consentOf(m.merchant.id, phone)).toMatchObject({ given: true, text: "Yes, send me news" });
    expect((await m.patch(id, { marketingConsent: false })).status).toBe(200);
    expect((await m.patch(id, { marketingConsent: true })).status).toBe(200);
  });

  it("the stop stays with the phone: a changed number, a new customer with it or one after an erasure is not put back by the merchant", async () => {
    const m = await crm();
    const phone = uniquePhone();
    const id = (await m.create({ phone, marketingConsent: true })).body.id as string;
    const form = new FormData();
    form.set("token", unsubscribeToken(m.merchant.id, id));
    expect(await stopNewsAction(null, form)).toEqual({ done: true });
    const stopped = { status: 409, body: { error: { code: "conflict", details: [{ path: "marketingConsent" }] } } };

    // The old row gets another number; a new customer with the phone, consenting, is refused whole.
    expect((await m.patch(id, { phone: uniquePhone() })).status).toBe(200);
    expect(await m.create({ phone, marketingConsent: true })).toMatchObject(stopped);
    const second = await m.create({ phone });
    expect(second.status).toBe(201);
    expect(await m.patch(second.body.id, { marketingConsent: true })).toMatchObject(stopped);
    // The old row, under its new number, is no longer the stopped phone: the merchant may record its consent.
    expect((await m.patch(id, { marketingConsent: true })).status).toBe(200);

    // Erased and enrolled again by an import: still stopped; the list keeps a hash, never the number.
    await eraseCustomer(getDb(), m.merchant.id, second.body.id, { type: "staff", userId: m.owner.id });
    await importWithConsent(m, phone);
    expect(await consentOf(m.merchant.id, phone)).toMatchObject({ given: false });
    const kept = await getDb().select().from(marketingStops).where(eq(marketingStops.merchantId, m.merchant.id));
    expect(kept).toHaveLength(1);
    expect(JSON.stringify(kept)).not.toContain(phone.slice(1));

    // Another merchant's list is its own: the same phone consents there.
    const other = await crm();
    expect((await other.create({ phone, marketingConsent: true })).status).toBe(201);
  });

  it.each([
    ["create", "a string", { marketingConsent: "yes" }],
    ["create", "null", { marketingConsent: null }],
    ["patch", "a number", { marketingConsent: 1 }],
  ])("refuses marketingConsent as %s (%s) with 422 naming the field", async (how, _name, extra) => {
    const m = await crm();
    const res =
      how === "create" ? await m.create({ phone: uniquePhone(), ...extra }) : await m.patch((await m.create({ phone: uniquePhone() })).body.id, extra);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "validation", details: [{ path: "marketingConsent" }] });
  });

  it("cannot change another merchant's customer's consent (tenancy)", async () => {
    const [a, b] = [await crm(), await crm()];
    const theirs = await b.create({ phone: uniquePhone() });
    const res = await a.patch(theirs.body.id, { marketingConsent: true });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    const [row] = await getDb().select().from(customers).where(eq(customers.id, theirs.body.id));
    expect(row.marketingConsent).toBe(false);
  });
});
