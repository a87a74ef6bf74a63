import "server-only";
import { getTranslations } from "next-intl/server";
import { barcodeKey, sampleTillCode, type BarcodeSlots } from "@/components/templates/sample";
import { scanCode } from "@/lib/till/qr";
import { BARCODE_FORMATS, type BarcodeFormat, type TemplateDefinition } from "@/lib/templates/definition";
import { Barcode } from "./barcode";

type BarcodeSpec = TemplateDefinition["barcode"];
const SOURCES: BarcodeSpec["source"][] = ["cardNumber", "serialNumber"];

async function labeller() {
  const t = await getTranslations("templates");
  return (format: BarcodeFormat) => t("preview.barcodeLabel", { format: t(`barcodes.${format}`) });
}

/**
 * Sample barcodes for the pass previews, drawn on the server. The designer gets every format and
 * source (the preview follows the choice as it is made); a fixed design gets just its own.
 */
export async function sampleBarcodeSlots(only?: Pick<BarcodeSpec, "format" | "source">): Promise<BarcodeSlots> {
  const label = await labeller();
  const pairs = only ? [only] : BARCODE_FORMATS.flatMap((format) => SOURCES.map((source) => ({ format, source })));
  return Object.fromEntries(
    pairs.map(({ format, source }) => [
      barcodeKey(format, source),
      <Barcode key={barcodeKey(format, source)} format={format} value={sampleTillCode(format, source)} size="pass" label={label(format)} />,
    ]),
  );
}

/**
 * A real card's barcode for its pass previews (the card page, the cashier screen): what the customer's
 * pass and page show the till (lib/till/qr scanCode) — a rotating-QR template's day payload, never
 * its plain number — under the key the preview looks it up by (its shown format).
 */
export async function cardBarcodeSlots(
  definition: Pick<TemplateDefinition, "barcode" | "rotatingQr">,
  card: { id: string; merchantId: string; number: string; serialNumber: string },
): Promise<BarcodeSlots> {
  const label = await labeller();
  const { format, value } = scanCode(card, definition);
  return { [barcodeKey(format, definition.barcode.source)]: <Barcode format={format} value={value} size="pass" label={label(format)} /> };
}
