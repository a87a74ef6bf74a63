import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { unsubscribeByToken } from "@/lib/push-events/consent";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pushEvents"))("unsubscribedTitle"), robots: { index: false } };
}

/** The stop link every news SMS carries: opening it withdraws the customer's marketing consent at once. */
export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const t = await getTranslations("pushEvents");
  const done = await unsubscribeByToken(getDb(), (await params).token);
  if (!done) return <p className="mt-10 rounded-xl bg-white p-6 text-center shadow-sm">{t("unsubscribeInvalid")}</p>;
  return (
    <section className="mt-10 rounded-xl bg-white p-6 text-center shadow-sm">
      <h1 className="text-lg font-semibold">{t("unsubscribedTitle")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("unsubscribedText", { merchant: done.merchantName })}</p>
    </section>
  );
}
