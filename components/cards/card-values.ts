import type { getFormatter } from "next-intl/server";
import type { Card, TemplateKind } from "@/db/schema";
import type { CardValues } from "@/components/templates/sample";
import { formatBalance, formatMoney } from "@/lib/format/money";

type Format = Awaited<ReturnType<typeof getFormatter>>;

/** A real card's values, formatted for the pass previews (cabinet card page, public card page); the balance as lib/format/money has it. */
export function cardPreviewValues(
  format: Format,
  input: {
    card: Card;
    holderName: string;
    kind: TemplateKind;
    currency: string;
    locale: string;
    /** The card's cumulative-discount level (lib/ledger levelOf), when its programme has levels. */
    level?: { name: string; nextLevelIn: number | null } | null;
  },
): CardValues {
  const { card, level } = input;
  return {
    number: card.number,
    serialNumber: card.serialNumber,
    holderName: input.holderName,
    balance: formatBalance(input.kind, card.balance, input.currency, input.locale),
    discount: `${card.discount}%`,
    expiryDate: card.expiresAt ? format.dateTime(card.expiresAt, { dateStyle: "medium" }) : "—",
    custom: card.custom,
    ...(level && { level: level.name, ...(level.nextLevelIn !== null && { nextLevelIn: formatMoney(level.nextLevelIn, input.currency, input.locale) }) }),
    stamps: card.balance,
    voided: card.blockReason !== null,
  };
}
