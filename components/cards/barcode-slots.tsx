import "server-only";
import { getTranslations } from "next-intl/server";
import { barcodeKey, sampleTillCode, type BarcodeSlots } from "@/components/templates/sample";
import { tillCode } from "@/lib/templates/till-code";
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

/** A real card's barcode for its pass previews: what the till scans, in the template's format. */
export async function cardBarcodeSlots(definition: Pick<TemplateDefinition, "barcode">, card: { number: string; serialNumber: string }): Promise<BarcodeSlots> {
  const label = await labeller();
  const { format, source } = definition.barcode;
  return { [barcodeKey(format, source)]: <Barcode format={format} value={tillCode(card, definition)} size="pass" label={label(format)} /> };
}
