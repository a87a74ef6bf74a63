import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { getEnv } from "@/lib/env";
import { invitationFor } from "@/lib/forms/referral";
import { qrSvg } from "@/lib/qr";

/**
 * "Invite a friend" — the card holder's personal link and QR, on the card's public page and on /my,
 * wherever lib/forms/referral's invitationFor says the card offers one.
 */
export async function InviteFriend({ card }: { card: { id: string; merchantId: string; templateId: string; blockReason: string | null } }) {
  const invitation = await invitationFor(getDb(), getEnv().APP_URL, card);
  if (!invitation) return null;
  const { url, terms } = invitation;
  const t = await getTranslations("referral");
  return (
    <section className="flex flex-col items-center gap-3 rounded-2xl bg-white p-5 text-center shadow-sm ring-1 ring-slate-200" data-testid="invite-friend">
      <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
      <p className="text-sm text-slate-600">
        {t(terms.on === "installed" ? "termsInstalled" : "termsUsed", { you: terms.inviterBonus, friend: terms.friendBonus })}
      </p>
      <div className="size-36 [&>svg]:size-full" role="img" aria-label={t("qr")} dangerouslySetInnerHTML={{ __html: await qrSvg(url) }} />
      <a href={url} className="font-mono text-xs break-all text-brand-700 underline" data-testid="invite-link">
        {url}
      </a>
    </section>
  );
}
