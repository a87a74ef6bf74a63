import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { StopNewsButton } from "@/components/customer/stop-news-button";
import { describeUnsubscribeToken } from "@/lib/push-events/consent";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pushEvents"))("unsubscribeButton"), robots: { index: false } };
}

/**
 * The stop link every news SMS carries. Opening it changes nothing: messengers' link previews and
 * scanners open links the customer never tapped. One tap on the page's button withdraws consent at once.
 */
export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const t = await getTranslations("pushEvents");
  const { token } = await params;
  const who = await describeUnsubscribeToken(getDb(), token);
  if (!who)
    return (
      <p role="alert" className="mt-10 rounded-xl bg-white p-6 text-center shadow-sm">
        {t("unsubscribeInvalid")}
      </p>
    );
  return (
    <section className="mt-10 rounded-xl bg-white p-6 text-center shadow-sm">
      <StopNewsButton token={token} merchant={who.merchantName} />
    </section>
  );
}
