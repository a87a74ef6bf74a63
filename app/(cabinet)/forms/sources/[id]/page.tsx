import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LinkPanel } from "@/components/forms/link-panel";
import { SourceEditor } from "@/components/forms/source-editor";
import { Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { formLink } from "@/lib/forms/look";
import { SOURCE_CARDS_PAGE_SIZE, getSourceOrThrow, listSourceCards, sourceFormOptions } from "@/lib/forms/sources";
import { toZonedInput } from "@/lib/push-events/zone";
import { page as pageParam } from "@/lib/validations/common";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("forms") };
}

/** A group or a company: its link and QR, its settings, and the cards it enrolled. */
export default async function SourcePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ saved?: string; page?: string }>;
}) {
  const ctx = await requireStaff("forms.manage");
  const t = await getTranslations("regGroups");
  const { id } = await params;
  const { saved, page: rawPage } = await searchParams;
  const page = pageParam().parse(rawPage);
  const db = getDb();
  const { source, registrations } = await getSourceOrThrow(db, ctx.merchantId, id);
  const [forms, enrolled] = await Promise.all([sourceFormOptions(db, ctx.merchantId), listSourceCards(db, ctx.merchantId, source.id, page)]);
  const zone = ctx.merchant.timeZone;
  const zoned = (d: Date | null) => (d ? toZonedInput(zone, d) : "");
  const cap = source.maxRegistrations === null ? t("noCap", { count: registrations }) : t("ofCap", { count: registrations, max: source.maxRegistrations });
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <PageHeader title={source.name} description={`${source.kind === "company" ? t("company") : t("group")} · ${cap}`} />
      {saved && (
        <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {t("saved")}
        </p>
      )}
      <Card className="p-5 sm:p-6">
        <LinkPanel url={formLink(getEnv().APP_URL, source.token)} testId="source-link" />
      </Card>
      <SourceEditor
        zone={zone}
        currency={ctx.merchant.currency}
        forms={forms}
        values={{
          id: source.id,
          kind: source.kind,
          formId: source.formId,
          name: source.name,
          tag: source.tag,
          startsAt: zoned(source.startsAt),
          endsAt: zoned(source.endsAt),
          maxRegistrations: source.maxRegistrations === null ? "" : String(source.maxRegistrations),
          welcomeBonus: String(source.welcomeBonus),
          discount: source.discount === null ? "" : String(source.discount),
          levelFloor: source.levelFloor === null ? "" : String(source.levelFloor),
          active: source.active,
        }}
      />
      <Card>
        <h2 className="border-b border-slate-100 px-4 py-3 text-base font-semibold">{t("enrolled")}</h2>
        {enrolled.rows.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600">{t("noneEnrolled")}</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="enrolled-cards">
            {enrolled.rows.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                <Link href={`/cards/${c.id}`} className="font-medium text-brand-700 hover:underline">
                  {c.holder || c.phone || c.number}
                </Link>
                <span className="font-mono text-xs text-slate-600">{c.number}</span>
              </li>
            ))}
          </ul>
        )}
        <Pagination page={page} pageSize={SOURCE_CARDS_PAGE_SIZE} total={enrolled.total} basePath={`/forms/sources/${source.id}`} query={{}} />
      </Card>
    </div>
  );
}
