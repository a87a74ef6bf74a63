import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("errors");
  return (
    <main className="grid min-h-dvh place-items-center p-6">
      <div className="max-w-sm text-center">
        <p className="text-5xl font-bold text-brand-600">404</p>
        <h1 className="mt-4 text-xl font-semibold">{t("notFoundTitle")}</h1>
        <p className="mt-2 text-sm text-slate-600">{t("notFoundText")}</p>
        <Link href="/dashboard" className="mt-6 inline-block rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          {t("backHome")}
        </Link>
      </div>
    </main>
  );
}
