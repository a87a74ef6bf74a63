import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards, consentRecords, customers, formSubmissions } from "@/db/schema";
import { patternRefusal } from "@/lib/forms/definition";
import { findPublicForm, getFormOrThrow, listForms, updateForm } from "@/lib/forms/service";
import { submitForm } from "@/lib/forms/submit";
import { createTestMerchant, createTestTemplate, uniquePhone } from "../factories";
import { formOf, send } from "../support/forms";

describe("registration forms", () => {
  it("refuse a missing required field, a text outside its pattern or length, and an unticked required consent; nothing is issued", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    const phone = uniquePhone();
    await expect(send(form.token, phone, { f_city: "1234", f_size: "xl" })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { f_name: "validation.required", f_city: "forms.errors.noMatch", f_size: "forms.errors.choice", c_terms: "forms.errors.consentRequired" },
    });
    await expect(send(form.token, uniquePhone(), { f_name: "A", f_city: "X", f_size: "s", c_terms: "on" })).rejects.toMatchObject({
      fieldErrors: { f_city: "forms.errors.tooShort" },
    });
    expect(await getDb().select().from(cards).where(eq(cards.merchantId, m.merchant.id))).toHaveLength(0);
  });

  it("issues a card, stores the answers, and records each consent with its exact text and version; marketing consent reaches the customer record", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    const phone = uniquePhone();
    const { card, created } = await send(
      form.token,
      phone,
      { f_name: "Olga", f_email: "Olga@Example.com", f_city: "Kazan", f_size: "m", c_terms: "on", c_news: "on" },
      "ru",
    );
    expect(created).toBe(true);
    const [customer] = await getDb().select().from(customers).where(eq(customers.id, card.customerId!));
    expect(customer).toMatchObject({ name: "Olga", email: "olga@example.com", marketingConsent: true, marketingConsentText: "Присылайте новости" });
    const [submission] = await getDb().select().from(formSubmissions).where(eq(formSubmissions.customerId, customer.id));
    expect(submission.answers).toEqual({ name: "Olga", email: "olga@example.com", city: "Kazan", size: "m" });
    const consents = await getDb().select().from(consentRecords).where(eq(consentRecords.customerId, customer.id));
    expect(consents.map((c) => [c.consentKey, c.textVersion, c.text]).sort()).toEqual([
      ["news", 1, "Присылайте новости"],
      ["terms", 1, "Принимаю условия v1"],
    ]);

    // A new text is a new version; the first customer's record still names the version they agreed to.
    const def = {
      ...form.definition,
      consents: form.definition.consents.map((c) => (c.key === "terms" ? { ...c, text: { en: "Terms v2", ru: "Условия v2" } } : c)),
    };
    const saved = await updateForm(getDb(), m.actor, form.id, { name: form.name, templateId: form.templateId, active: true, definition: def });
    expect(saved.version).toBe(2);
    expect(saved.definition.consents.map((c) => [c.key, c.version])).toEqual([
      ["terms", 2],
      ["news", 1],
    ]);
    const other = await send(form.token, uniquePhone(), { f_name: "Ivan", f_size: "s", c_terms: "on" });
    const [second] = await getDb().select().from(consentRecords).where(eq(consentRecords.customerId, other.card.customerId!));
    expect(second).toMatchObject({ consentKey: "terms", textVersion: 2, text: "Terms v2" });
    expect(
      (await getDb().select().from(consentRecords).where(eq(consentRecords.customerId, customer.id))).find((c) => c.consentKey === "terms")?.textVersion,
    ).toBe(1);
  });

  it("a returning phone gets its existing card, not a second one", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    const phone = uniquePhone();
    const first = await send(form.token, phone, { f_name: "Olga", f_size: "m", c_terms: "on" });
    const again = await send(form.token, phone, { f_name: "Olga 2", f_size: "s", c_terms: "on" }, "en", new Date(Date.now() + 61_000));
    expect(again.created).toBe(false);
    expect(again.card.id).toBe(first.card.id);
    expect(
      await getDb()
        .select()
        .from(cards)
        .where(and(eq(cards.merchantId, m.merchant.id), eq(cards.templateId, form.templateId))),
    ).toHaveLength(1);
  });

  it("a switched-off form takes nobody; a wrong code issues nothing", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    await expect(
      submitForm(getDb(), (await findPublicForm(getDb(), form.token))!, {
        phone: uniquePhone(),
        code: "000000",
        raw: { f_name: "A", f_size: "s", c_terms: "on" },
        locale: "en",
      }),
    ).rejects.toMatchObject({ message: "customerAuth.errors.expired" });
    await updateForm(getDb(), m.actor, form.id, { name: form.name, templateId: form.templateId, active: false, definition: form.definition });
    await expect(send(form.token, uniquePhone(), { f_name: "A", f_size: "s", c_terms: "on" })).rejects.toMatchObject({ message: "forms.errors.closed" });
  });

  it("refuses patterns that could backtrack without end", () => {
    expect(patternRefusal("(a+)+$")).toBe("forms.errors.patternUnsafe");
    expect(patternRefusal("(\\w)\\1")).toBe("forms.errors.patternUnsafe");
    expect(patternRefusal("[")).toBe("forms.errors.pattern");
    expect(patternRefusal("[A-Z]{2}\\d{4}")).toBeNull();
  });

  it("tenancy: another merchant cannot read or change a form, and cannot use its own template in it", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const form = await formOf(a);
    await expect(getFormOrThrow(getDb(), b.merchant.id, form.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await listForms(getDb(), b.merchant.id)).toHaveLength(0);
    await expect(
      updateForm(getDb(), b.actor, form.id, { name: "x", templateId: form.templateId, active: true, definition: form.definition }),
    ).rejects.toMatchObject({
      code: "validation",
    });
    const bTemplate = await createTestTemplate(b);
    await expect(
      updateForm(getDb(), b.actor, form.id, { name: "x", templateId: bTemplate.id, active: true, definition: form.definition }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("the forms list", () => {
  it("counts each form's sign-ups", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    await formOf(m);
    await send(form.token, uniquePhone(), { f_name: "A", f_size: "s", c_terms: "on" });
    expect((await listForms(getDb(), m.merchant.id)).map((r) => [r.form.id === form.id, r.submissions]).sort()).toEqual([
      [false, 0],
      [true, 1],
    ]);
  });
});
