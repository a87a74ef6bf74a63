import type { TemplateDefinition } from "./definition";

/**
 * What the till scans for a card: its number or its serial number, as the template's barcode says.
 * The one place this rule lives (passes, Google objects, the card pages, previews); plain, so client
 * previews can use it too. Its inverse, scanned text → card, is `findCardByScan` in lib/cards/scan.
 */
export function tillCode(card: { number: string; serialNumber: string }, definition: { barcode: Pick<TemplateDefinition["barcode"], "source"> }): string {
  return definition.barcode.source === "cardNumber" ? card.number : card.serialNumber;
}
