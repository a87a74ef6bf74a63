import type { getFormatter } from "next-intl/server";
import type { Card, TemplateKind } from "@/db/schema";
import type { CardValues } from "@/components/templates/sample";

type Format = Awaited<ReturnType<typeof getFormatter>>;

/** A card's balance as people read it: a gift certificate's is money (minor units), anything else points. */
export function balanceText(format: Format, kind: TemplateKind, balance: number, currency: string): string {
  return kind === "gift" ? format.number(balance / 100, { style: "currency", currency }) : format.number(balance);
}

/** A real card's values, formatted for the pass previews (cabinet card page, public card page). */
export function cardPreviewValues(format: Format, input: { card: Card; holderName: string; kind: TemplateKind; currency: string }): CardValues {
  const { card } = input;
  return {
    number: card.number,
    serialNumber: card.serialNumber,
    holderName: input.holderName,
    balance: balanceText(format, input.kind, card.balance, input.currency),
    discount: `${card.discount}%`,
    expiryDate: card.expiresAt ? format.dateTime(card.expiresAt, { dateStyle: "medium" }) : "—",
    custom: card.custom,
    stamps: card.balance,
    voided: card.blockReason !== null,
  };
}
