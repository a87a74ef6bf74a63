import clsx from "clsx";
import { getLocale, getTranslations } from "next-intl/server";
import { setLocaleAction } from "@/app/locale-actions";
import { LOCALES } from "@/i18n/config";

export async function LocaleSwitch() {
  const current = await getLocale();
  const t = await getTranslations("common");
  return (
    <form action={setLocaleAction} className="flex rounded-lg border border-slate-200 bg-white p-0.5 text-xs font-semibold" aria-label={t("language")}>
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="submit"
          name="locale"
          value={locale}
          aria-pressed={locale === current}
          lang={locale}
          title={t(`languageName.${locale}`)}
          className={clsx("rounded-md px-2.5 py-1.5 uppercase", locale === current ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100")}
        >
          {locale}
        </button>
      ))}
    </form>
  );
}
