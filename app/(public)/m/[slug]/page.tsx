import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { CodeSignIn } from "@/components/customer/code-sign-in";
import { CustomerCards } from "@/components/customer/customer-cards";
import { SignOutButton } from "@/components/customer/sign-out-button";
import { isAndroid } from "@/components/customer/wallet-buttons";
import { getDb } from "@/db";
import { listCardsForSession } from "@/lib/customer-auth/cards";
import { CustomerCertificates } from "@/components/gift-certificates/customer-certificates";
import { certificateExtrasFor } from "@/lib/gift-certificates/customer";
import { getCustomerSession } from "@/lib/customer-auth/session";
import { findMerchantBySlug } from "@/lib/merchants";
import { isEnrolmentOpen } from "@/lib/merchants/enrolment";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ enrolled?: string; returning?: string; join?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const merchant = await findMerchantBySlug(getDb(), (await params).slug);
  return { title: merchant?.name ?? "CardDesk", robots: { index: false } };
}

/** A merchant's own entry: its logo and name, the same phone sign-in, its cards first; enrolment where it allows it. */
export default async function MerchantEntryPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { enrolled, returning, join } = await searchParams;
  const db = getDb();
  const merchant = await findMerchantBySlug(db, slug);
  if (!merchant) notFound();
  const t = await getTranslations("customerAuth");
  const session = await getCustomerSession(db, { for: merchant.id });
  const canEnrol = isEnrolmentOpen(merchant);
  const header = (
    <div className="text-center">
      {merchant.logoFileId && (
        // eslint-disable-next-line @next/next/no-img-element -- the merchant's logo, served by our file route
        <img src={`/api/files/${merchant.logoFileId}`} alt="" className="mx-auto mb-2 size-16 rounded-2xl object-contain" />
      )}
      <h1 className="text-2xl font-semibold text-slate-900" data-testid="merchant-title">
        {merchant.name}
      </h1>
    </div>
  );
  if (session) {
    const all = await listCardsForSession(db, session, merchant.id);
    // Gift certificates in their own section, as on /my (lib/gift-certificates/customer).
    const extras = await certificateExtrasFor(
      db,
      all.map((r) => r.card.id),
    );
    const rows = all.filter((r) => !extras.has(r.card.id));
    const certificates = all.filter((r) => extras.has(r.card.id));
    const android = isAndroid((await headers()).get("user-agent"));
    return (
      <div className="flex flex-col gap-6 pt-2">
        {header}
        {enrolled && (
          <p role="status" className="rounded-xl border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
            {t("enrolled")}
          </p>
        )}
        {returning && (
          <p role="status" className="rounded-xl border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900">
            {(await getTranslations("forms"))("returning")}
          </p>
        )}
        <div className="flex items-center justify-between gap-3">
          <p className="text-sm text-slate-600" data-testid="signed-in-phone">
            {session.phone}
          </p>
          <SignOutButton merchant={merchant.slug} />
        </div>
        {(rows.length > 0 || certificates.length === 0) && <CustomerCards rows={rows} android={android} />}
        <CustomerCertificates rows={certificates} extras={extras} android={android} />
      </div>
    );
  }
  const enrolling = canEnrol && join === "1";
  return (
    <div className="flex flex-col gap-6 pt-6">
      {header}
      <div className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-4 text-base font-semibold text-slate-900">{enrolling ? t("joinTitle") : t("signInTitle")}</h2>
        <CodeSignIn
          key={enrolling ? "enrol" : "sign-in"}
          merchant={merchant.slug}
          purpose={enrolling ? "enrol" : "sign_in"}
          enrolment={canEnrol ? "open" : "closed"}
        />
      </div>
      {canEnrol && (
        <p className="text-center text-sm text-slate-600">
          {enrolling ? (
            <a href={`/m/${merchant.slug}`} className="font-medium text-brand-700 underline">
              {t("haveCard")}
            </a>
          ) : (
            <a href={`/m/${merchant.slug}?join=1`} className="font-medium text-brand-700 underline" data-testid="join-link">
              {t("noCardYet")}
            </a>
          )}
        </p>
      )}
    </div>
  );
}
