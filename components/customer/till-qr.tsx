import { getTranslations } from "next-intl/server";
import { qrSvg } from "@/lib/qr";

/** The card's barcode value as a QR code, to show at the till when the card is not in a wallet. */
export async function TillQr({ value, number }: { value: string; number: string }) {
  const t = await getTranslations("cards.public");
  const svg = await qrSvg(value);
  return (
    <figure className="flex flex-col items-center gap-2 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="till-qr" data-value={value}>
      <div className="size-44 [&>svg]:size-full" aria-label={t("qrLabel", { number })} role="img" dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption className="text-center text-xs text-slate-600">
        <span className="font-mono text-sm text-slate-900">{number}</span>
        <br />
        {t("qrHint")}
      </figcaption>
    </figure>
  );
}
