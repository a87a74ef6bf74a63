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

/** A real card's values, already formatted, for the card page's "as it looks now" view. */
export type CardValues = {
  number: string;
  serialNumber: string;
  holderName: string;
  balance: string;
  discount: string;
  expiryDate: string;
  custom: Record<string, string>;
  voided: boolean;
};

export function sampleValue(field: TemplateField, locale: string, card?: CardValues): string {
  switch (field.source) {
    case "static":
      return pick(field.value, locale);
    case "cardNumber":
      return card ? card.number : SAMPLE.cardNumber;
    case "holderName":
      return card ? card.holderName : pick(SAMPLE.holderName, locale);
    case "balance":
      return card ? card.balance : SAMPLE.balance;
    case "discount":
      return card ? card.discount : SAMPLE.discount;
    case "expiryDate":
      return card ? card.expiryDate : pick(SAMPLE.expiryDate, locale);
    case "custom":
      return card ? (card.custom[field.customKey] ?? "") : SAMPLE.custom;
  }
}
