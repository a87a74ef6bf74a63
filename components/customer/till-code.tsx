import { getTranslations } from "next-intl/server";
import { Barcode } from "@/components/cards/barcode";
import { tillCode } from "@/lib/templates/till-code";
import type { TemplateDefinition } from "@/lib/templates/definition";
import { rotatingPayload } from "@/lib/till/qr";
import { RefreshWhileOpen } from "./refresh-while-open";

/**
 * The one code a cashier scans off the customer's screen, big and in the template's real format (a
 * till set to EAN-13 reads it), for when the card is not in a wallet.
 */
export async function TillCode({
  definition,
  card,
}: {
  definition: Pick<TemplateDefinition, "barcode" | "rotatingQr">;
  card: { id: string; merchantId: string; number: string; serialNumber: string };
}) {
  const t = await getTranslations("cards.public");
  // A rotating QR's payload changes every day (lib/till/qr); the page refreshes itself to keep up.
  if (definition.rotatingQr) {
    const payload = rotatingPayload(card);
    return (
      <figure
        className="flex flex-col items-center gap-3 rounded-2xl bg-white px-4 py-5 shadow-sm ring-1 ring-slate-200"
        data-testid="till-code"
        data-value={payload}
        data-format="qr"
      >
        <RefreshWhileOpen />
        <Barcode format="qr" value={payload} size="till" label={t("codeLabel", { number: card.number })} className="mx-auto" />
        <figcaption className="text-center text-xs text-slate-600">
          <span className="block font-mono text-base text-slate-900">{card.number}</span>
          {t("qrHint")}
        </figcaption>
      </figure>
    );
  }
  const value = tillCode(card, definition);
  return (
    <figure
      className="flex flex-col items-center gap-3 rounded-2xl bg-white px-4 py-5 shadow-sm ring-1 ring-slate-200"
      data-testid="till-code"
      data-value={value}
      data-format={definition.barcode.format}
    >
      <Barcode format={definition.barcode.format} value={value} size="till" label={t("codeLabel", { number: card.number })} className="mx-auto" />
      <figcaption className="text-center text-xs text-slate-600">
        {/* An EAN-13 carries its digits under the bars already. */}
        {definition.barcode.format !== "ean13" && <span className="block font-mono text-base break-all text-slate-900">{value}</span>}
        {t("qrHint")}
      </figcaption>
    </figure>
  );
}
