import type { getFormatter } from "next-intl/server";
import type { Card, TemplateKind } from "@/db/schema";
import type { CardValues } from "@/components/templates/sample";
import { formatBalance, formatMoney } from "@/lib/format/money";
import { levelOf } from "@/lib/ledger/levels";
import { stampsOf } from "@/lib/ledger/stamps";
import { programOf, stampProgramOf, type TemplateDefinition } from "@/lib/templates/definition";

type Format = Awaited<ReturnType<typeof getFormatter>>;

/**
 * A real card's values, formatted for the pass previews (cabinet card page, public card page); the
 * balance as lib/format/money has it, the level and the stamps from the template's programme as the
 * pass has them (lib/wallet/pass toPassCard), so every page shows what the wallet shows.
 */
export function cardPreviewValues(
  format: Format,
  input: {
    card: Card;
    holderName: string;
    kind: TemplateKind;
    currency: string;
    locale: string;
    /** The template's design as the card's version has it: its programme gives the level and the stamps. */
    definition: TemplateDefinition;
  },
): CardValues {
  const { card, definition } = input;
  const level = levelOf(programOf(input.kind, definition), card);
  const stampProgram = stampProgramOf(input.kind, definition);
  const stamps = stampProgram ? stampsOf(stampProgram, card.balance) : null;
  return {
    number: card.number,
    serialNumber: card.serialNumber,
    holderName: input.holderName,
    balance: formatBalance(input.kind, card.balance, input.currency, input.locale),
    discount: `${card.discount}%`,
    expiryDate: card.expiresAt ? format.dateTime(card.expiresAt, { dateStyle: "medium" }) : "—",
    custom: card.custom,
    ...(level && { level: level.name, ...(level.nextLevelIn !== null && { nextLevelIn: formatMoney(level.nextLevelIn, input.currency, input.locale) }) }),
    stamps: stamps ? stamps.collected : card.balance,
    rewards: stamps?.rewards ?? 0,
    voided: card.blockReason !== null,
  };
}
