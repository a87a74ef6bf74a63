import type { Metadata } from "next";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { CodeSignIn } from "@/components/customer/code-sign-in";
import { CustomerCards } from "@/components/customer/customer-cards";
import { SignOutButton } from "@/components/customer/sign-out-button";
import { MyDataPanel } from "@/components/customers/my-data-panel";
import { isAndroid } from "@/components/customer/wallet-buttons";
import { getDb } from "@/db";
import { listCardsForSession } from "@/lib/customer-auth/cards";
import { getCustomerSession } from "@/lib/customer-auth/session";
import { CustomerCertificates } from "@/components/gift-certificates/customer-certificates";
import { certificateExtrasFor } from "@/lib/gift-certificates/customer";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("customerAuth"))("myTitle"), robots: { index: false } };
}

/** A customer's own page: sign in with a code sent to the phone, then every card bound to it, at every merchant. */
export default async function MyCardsPage({ searchParams }: { searchParams: Promise<{ erased?: string }> }) {
  const t = await getTranslations("customerAuth");
  const db = getDb();
  const session = await getCustomerSession(db, { for: null });
  if (!session) {
    return (
      <div className="flex flex-col gap-6 pt-6">
        <div className="text-center">
          <h1 className="text-2xl font-semibold text-slate-900">{t("myTitle")}</h1>
          <p className="mt-1 text-sm text-slate-600">{t("mySubtitle")}</p>
        </div>
        {(await searchParams).erased && (
          <p role="status" className="rounded-xl border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
            {(await getTranslations("dataRights"))("erasedMine")}
          </p>
        )}
        <div className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <CodeSignIn />
        </div>
      </div>
    );
  }
  const all = await listCardsForSession(db, session, null);
  // Gift certificates are cards too, shown in their own section (lib/gift-certificates/customer).
  const extras = await certificateExtrasFor(
    db,
    all.map((r) => r.card.id),
  );
  const rows = all.filter((r) => !extras.has(r.card.id));
  const certificates = all.filter((r) => extras.has(r.card.id));
  const android = isAndroid((await headers()).get("user-agent"));
  return (
    <div className="flex flex-col gap-6 pt-2">
      <div className="flex items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">{t("myTitle")}</h1>
          <p className="text-sm text-slate-600" data-testid="signed-in-phone">
            {session.phone}
          </p>
        </div>
        <SignOutButton />
      </div>
      {(rows.length > 0 || certificates.length === 0) && <CustomerCards rows={rows} android={android} />}
      <CustomerCertificates rows={certificates} extras={extras} android={android} />
      <MyDataPanel />
    </div>
  );
}
