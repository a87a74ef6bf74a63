import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** A customer's link that leads nowhere (a mistyped shop, a card link no longer valid): the way on is their cards. */
export default async function PublicNotFound() {
  const t = await getTranslations("customerNotFound");
  return (
    <div className="pt-16 text-center" data-testid="customer-not-found">
      <p className="text-5xl font-bold text-brand-600">404</p>
      <h1 className="mt-4 text-xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("text")}</p>
      <Link href="/my" className="mt-6 inline-block rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
        {t("myCards")}
      </Link>
    </div>
  );
}
