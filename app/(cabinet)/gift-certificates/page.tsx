import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { ButtonLink } from "@/components/ui/button";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { formatMoney } from "@/lib/format/money";
import { listDefinitions } from "@/lib/gift-certificates/definitions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("giftCertificates") };
}

export default async function GiftCertificatesPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await requireStaff("giftCertificates.view");
  const t = await getTranslations("giftCertificates");
  const locale = await getLocale();
  const archived = (await searchParams).archived === "1";
  const rows = await listDefinitions(getDb(), ctx.merchantId, { archived });
  const manage = can(ctx.role, "giftCertificates.manage");
  const money = (minor: number) => formatMoney(minor, ctx.merchant.currency, locale);
  const tab = (on: boolean) => (on ? "border-b-2 border-brand-600 px-3 py-2 font-medium text-brand-700" : "px-3 py-2 text-slate-600 hover:text-slate-900");

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        actions={
          manage && (
            <div className="flex gap-2">
              <ButtonLink href="/gift-certificates/new?kind=coupon" variant="secondary">
                {t("newCoupon")}
              </ButtonLink>
              <ButtonLink href="/gift-certificates/new">{t("newDefinition")}</ButtonLink>
            </div>
          )
        }
      />
      <Card>
        <nav className="flex gap-2 border-b border-slate-100 px-3 text-sm">
          <Link href="/gift-certificates" className={tab(!archived)}>
            {t("active")}
          </Link>
          <Link href="/gift-certificates?archived=1" className={tab(archived)}>
            {t("archived")}
          </Link>
        </nav>
        {rows.length === 0 ? (
          <EmptyState
            icon="inbox"
            title={t("title")}
            text={t("empty")}
            action={manage && !archived && <ButtonLink href="/gift-certificates/new">{t("newDefinition")}</ButtonLink>}
          />
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="definitions">
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
                <tr>
                  <th className="px-4 py-3">{t("columns.name")}</th>
                  <th className="px-4 py-3">{t("columns.value")}</th>
                  <th className="px-4 py-3 text-right">{t("columns.issued")}</th>
                  <th className="px-4 py-3 text-right">{t("columns.opened")}</th>
                  <th className="px-4 py-3 text-right">{t("columns.redeemed")}</th>
                  <th className="px-4 py-3 text-right">{t("columns.outstanding")}</th>
                  <th className="px-4 py-3 text-right">{t("columns.breakage")}</th>
                  <th className="px-4 py-3 text-right">{t("columns.free")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((d) => (
                  <tr key={d.id} className="hover:bg-slate-50">
                    <td className="px-4 py-3 font-medium">
                      <Link href={`/gift-certificates/${d.id}`} className="text-brand-700 hover:underline">
                        {d.name}
                      </Link>
                      {d.kind === "coupon" && (
                        <span className="ml-2">
                          <Badge tone="blue">{t("coupon")}</Badge>
                        </span>
                      )}
                    </td>
                    <td className="px-4 py-3 text-slate-600">
                      {d.nominal === null ? (locale === "ru" ? d.product?.ru || d.product?.en : d.product?.en || d.product?.ru) : money(d.nominal)}
                    </td>
                    <td className="px-4 py-3 text-right tabular-nums">{d.issued}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{d.opened}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{d.redeemed}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{d.nominal === null ? d.outstanding : money(d.outstanding)}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{d.nominal === null ? d.breakage : money(d.breakage)}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{d.free}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
