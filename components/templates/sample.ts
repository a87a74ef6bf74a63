import type { ReactNode } from "react";
import type { BarcodeFormat, TemplateDefinition, TemplateField } from "@/lib/templates/definition";
import { pick, sampleBarcodeValue } from "@/lib/templates/definition";

/** Values a preview shows where a real card would show its own. */
export const SAMPLE = {
  cardNumber: "202600427781",
  serialNumber: "5f1c9a2e",
  holderName: { en: "Anna Petrova", ru: "Анна Петрова" },
  balance: "1 250",
  stamps: 3,
  rewards: 1,
  discount: "10%",
  expiryDate: { en: "31 Dec 2027", ru: "31.12.2027" },
  custom: "VIP",
  level: "Silver",
  nextLevelIn: "25 500 ₽",
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
  /** The loyalty programme's values, formatted (lib/ledger/levels); "—" when the card has none. */
  level?: string;
  nextLevelIn?: string;
  /** A stamp card's stamps in the row towards the next reward, and its rewards ready to take (lib/ledger/stamps). */
  stamps: number;
  rewards?: number;
  voided: boolean;
};

type Source = TemplateDefinition["barcode"]["source"];

/** Barcodes drawn on the server (components/cards/barcode), handed to the client previews by format and source. */
export type BarcodeSlots = Partial<Record<string, ReactNode>>;
export const barcodeKey = (format: BarcodeFormat, source: Source) => `${format}:${source}`;

/** What a sample card's barcode carries: a value of the kind a real card of this design would. */
export function sampleTillCode(format: BarcodeFormat, source: Source): string {
  return source === "cardNumber" ? sampleBarcodeValue(format, SAMPLE.cardNumber) : SAMPLE.serialNumber;
}

/** A field's value: the real card's, or a sample (the number one a barcode of `format` could carry). */
export function sampleValue(field: TemplateField, locale: string, card?: CardValues, format: BarcodeFormat = "qr"): string {
  switch (field.source) {
    case "static":
      return pick(field.value, locale);
    case "cardNumber":
      return card ? card.number : sampleBarcodeValue(format, SAMPLE.cardNumber);
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
    case "level":
      return card ? (card.level ?? "—") : SAMPLE.level;
    case "nextLevelIn":
      return card ? (card.nextLevelIn ?? "—") : SAMPLE.nextLevelIn;
    case "stamps":
      return String(card ? card.stamps : SAMPLE.stamps);
    case "rewards":
      return String(card ? (card.rewards ?? 0) : SAMPLE.rewards);
  }
}
