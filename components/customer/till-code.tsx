import { getTranslations } from "next-intl/server";
import { Barcode } from "@/components/cards/barcode";
import type { TemplateDefinition } from "@/lib/templates/definition";
import { shownText } from "@/lib/templates/till-code";
import { scanCode } from "@/lib/till/qr";
import { RefreshWhileOpen } from "./refresh-while-open";

/**
 * The one code a cashier scans off the customer's screen, big and in the template's real format (a
 * till set to EAN-13 reads it), for when the card is not in a wallet. A rotating QR's payload changes
 * every day (lib/till/qr scanCode); the page then refreshes itself to keep up.
 */
export async function TillCode({
  definition,
  card,
}: {
  definition: Pick<TemplateDefinition, "barcode" | "rotatingQr">;
  card: { id: string; merchantId: string; number: string; serialNumber: string };
}) {
  const t = await getTranslations("cards.public");
  const code = scanCode(card, definition);
  return (
    <figure
      className="flex flex-col items-center gap-3 rounded-2xl bg-white px-4 py-5 shadow-sm ring-1 ring-slate-200"
      data-testid="till-code"
      data-value={code.value}
      data-format={code.format}
    >
      {code.rotating && <RefreshWhileOpen />}
      <Barcode format={code.format} value={code.value} size="till" label={t("codeLabel", { number: card.number })} className="mx-auto" />
      <figcaption className="text-center text-xs text-slate-600">
        {/* An EAN-13 carries its digits under the bars already. */}
        {code.format !== "ean13" && <span className="block font-mono text-base break-all text-slate-900">{shownText(card, definition)}</span>}
        {t("qrHint")}
      </figcaption>
    </figure>
  );
}
