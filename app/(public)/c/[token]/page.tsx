import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { cardPreviewValues } from "@/components/cards/card-values";
import { CardFace } from "@/components/customer/card-face";
import { InviteFriend } from "@/components/forms/invite-friend";
import { TillCode } from "@/components/customer/till-code";
import { WalletButtons, isAndroid } from "@/components/customer/wallet-buttons";
import { getDb } from "@/db";
import { loadCardByLinkToken } from "@/lib/wallet/pass";
import { CertificateDetails } from "@/components/gift-certificates/customer-certificates";
import { OpenedBeacon } from "@/components/gift-certificates/opened-beacon";
import { certificateExtrasFor } from "@/lib/gift-certificates/customer";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("cards.public"))("title"), robots: { index: false } };
}

/**
 * The card's public page, in the visitor's language: the card's values, one big code for the till in
 * the template's real format, and the buttons that put the card in a wallet.
 */
export default async function PublicCardPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const data = await loadCardByLinkToken(getDb(), token);
  if (!data) notFound();
  const t = await getTranslations("cards.public");
  const format = await getFormatter();
  const { card, merchant, definition, kind } = data;
  const android = isAndroid((await headers()).get("user-agent"));
  const blocked = card.blockReason !== null;
  // A gift certificate's page also shows its code, terms and points of sale, and reports being opened.
  const certificate = (await certificateExtrasFor(getDb(), [card.id])).get(card.id);
  const values = cardPreviewValues(format, { card, holderName: data.holderName, kind, currency: merchant.currency, locale: await getLocale(), definition });
  return (
    <div className="flex flex-col gap-5">
      <div className="text-center">
        {merchant.logoFileId && (
          // eslint-disable-next-line @next/next/no-img-element -- the merchant's logo, served by our file route
          <img src={`/api/files/${merchant.logoFileId}`} alt="" className="mx-auto mb-2 size-14 rounded-xl object-contain" />
        )}
        <h1 className="text-xl font-semibold text-slate-900">{merchant.name}</h1>
        <p className="text-sm text-slate-600">{t("cardNumber", { number: card.number })}</p>
      </div>
      {/* A blocked card's code must not be shown at a till, nor the card offered to a wallet. */}
      {blocked ? (
        <p role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="card-blocked">
          {card.blockReason === "deactivated" ? t("deactivated") : t("blocked")}
        </p>
      ) : (
        <>
          <CardFace definition={definition} kind={kind} merchantName={merchant.name} values={values} />
          <TillCode definition={definition} card={card} />
          <WalletButtons token={token} android={android} />
          {!certificate && <InviteFriend card={card} />}
        </>
      )}
      {certificate && (
        <ul>
          <OpenedBeacon tokens={[token]} />
          <CertificateDetails
            row={{ card, merchant: { ...merchant, id: card.merchantId, slug: "" }, definition }}
            extras={certificate}
            android={android}
            withCodes={false}
          />
        </ul>
      )}
    </div>
  );
}
