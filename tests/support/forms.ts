// Registration forms for tests: a form with every kind of rule, and a customer sending it with a real code.
import { getDb } from "@/db";
import { issueCode } from "@/lib/customer-auth/codes";
import { emptyDefinition, type FormDefinition } from "@/lib/forms/definition";
import { createForm, findPublicForm } from "@/lib/forms/service";
import { submitForm } from "@/lib/forms/submit";
import { createTestTemplate, type TestMerchant } from "../factories";

const ip = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

export const definition = (): FormDefinition => ({
  ...emptyDefinition(),
  title: { en: "Join our club", ru: "Вступайте в клуб" },
  fields: [
    { key: "name", type: "name", label: { en: "Name", ru: "Имя" }, required: true },
    { key: "email", type: "email", label: { en: "E-mail", ru: "E-mail" }, required: false },
    { key: "city", type: "text", label: { en: "City", ru: "Город" }, required: false, pattern: "[A-Za-zА-Яа-я -]+", minLength: 2, maxLength: 40 },
    {
      key: "size",
      type: "choice",
      label: { en: "Size", ru: "Размер" },
      required: true,
      options: [
        { value: "s", label: { en: "S", ru: "S" } },
        { value: "m", label: { en: "M", ru: "M" } },
      ],
    },
  ],
  consents: [
    { key: "terms", text: { en: "I accept the terms v1", ru: "Принимаю условия v1" }, version: 1, required: true, marketing: false },
    { key: "news", text: { en: "Send me news", ru: "Присылайте новости" }, version: 1, required: false, marketing: true },
  ],
});

export async function formOf(m: TestMerchant, def = definition()) {
  const template = await createTestTemplate(m);
  return createForm(getDb(), m.actor, { name: "Club", templateId: template.id, active: true, definition: def });
}

export async function send(token: string, phone: string, raw: Record<string, unknown>, locale = "en", now?: Date) {
  const link = (await findPublicForm(getDb(), token))!;
  const { code } = await issueCode(getDb(), { phone, purpose: "enrol", merchantId: link.merchant.id, ip: ip() }, now);
  return submitForm(getDb(), link, { phone, code, raw, locale }, now);
}
