import type { Metadata } from "next";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { StopNewsButton } from "@/components/customer/stop-news-button";
import { clientIp } from "@/lib/auth/client-ip";
import { openStopLink } from "@/lib/push-events/consent";

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
  const who = await openStopLink(getDb(), token, clientIp(await headers()));
  if (!who.ok)
    return (
      <p role="alert" className="mt-10 rounded-xl bg-white p-6 text-center shadow-sm">
        {"lockedMinutes" in who ? t("unsubscribeLocked", { minutes: who.lockedMinutes }) : t("unsubscribeInvalid")}
      </p>
    );
  return (
    <section className="mt-10 rounded-xl bg-white p-6 text-center shadow-sm">
      <StopNewsButton token={token} merchant={who.merchantName} />
    </section>
  );
}
