import type { BarcodeFormat, TemplateDefinition } from "./definition";

/**
 * What the till scans for a card: its number or its serial number, as the template's barcode says.
 * The one place this rule lives (passes, Google objects, the card pages, previews); plain, so client
 * previews can use it too. Its inverse, scanned text → card, is `findCardByScan` in lib/cards/scan.
 */
export function tillCode(card: { number: string; serialNumber: string }, definition: { barcode: Pick<TemplateDefinition["barcode"], "source"> }): string {
  return definition.barcode.source === "cardNumber" ? card.number : card.serialNumber;
}

type Shown = { barcode: Pick<TemplateDefinition["barcode"], "format" | "source">; rotatingQr?: boolean };

/**
 * The format a card's barcode is drawn in wherever it is shown (its pages, passes and previews): a
 * rotating-QR template's payload (lib/till/qr) is always a QR; any other template's is its own format.
 */
export const shownFormat = (definition: Shown): BarcodeFormat => (definition.rotatingQr ? "qr" : definition.barcode.format);

/**
 * The text printed under a card's barcode: under a rotating QR the card's number (the day's payload is
 * for scanners, and the plain till code would be a copy the till refuses), else the till code itself.
 */
export const shownText = (card: { number: string; serialNumber: string }, definition: Shown): string =>
  definition.rotatingQr ? card.number : tillCode(card, definition);
