import type { TemplateField } from "@/lib/templates/definition";
import { pick } from "@/lib/templates/definition";

/** Values a preview shows where a real card would show its own. */
export const SAMPLE = {
  cardNumber: "2026 0042 7781",
  serialNumber: "5f1c9a2e",
  holderName: { en: "Anna Petrova", ru: "Анна Петрова" },
  balance: "1 250",
  discount: "10%",
  expiryDate: { en: "31 Dec 2027", ru: "31.12.2027" },
  custom: "VIP",
};

export function sampleValue(field: TemplateField, locale: string): string {
  switch (field.source) {
    case "static":
      return pick(field.value, locale);
    case "cardNumber":
      return SAMPLE.cardNumber;
    case "holderName":
      return pick(SAMPLE.holderName, locale);
    case "balance":
      return SAMPLE.balance;
    case "discount":
      return SAMPLE.discount;
    case "expiryDate":
      return pick(SAMPLE.expiryDate, locale);
    case "custom":
      return SAMPLE.custom;
  }
}
