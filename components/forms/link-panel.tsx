import { getTranslations } from "next-intl/server";
import { qrSvg } from "@/lib/qr";

/** A public link with its QR code, to print or share. */
export async function LinkPanel({ url, testId = "form-link" }: { url: string; testId?: string }) {
  const t = await getTranslations("forms");
  return (
    <div className="flex flex-col items-start gap-4 sm:flex-row sm:items-center">
      <div className="size-32 shrink-0 [&>svg]:size-full" role="img" aria-label={t("qr")} dangerouslySetInnerHTML={{ __html: await qrSvg(url) }} />
      <div className="flex min-w-0 flex-col gap-1">
        <p className="text-sm text-slate-600">{t("linkHelp")}</p>
        <a href={url} className="font-mono text-sm break-all text-brand-700 underline" data-testid={testId}>
          {url}
        </a>
      </div>
    </div>
  );
}
