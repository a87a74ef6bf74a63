import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { GenerateCodesForm, IssueCertificateForm, UploadCodesForm, UploadPhonesForm } from "@/components/gift-certificates/pool-forms";
import { ButtonLink } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { formatMoney } from "@/lib/format/money";
import { definitionStats, getDefinitionOrThrow } from "@/lib/gift-certificates/definitions";
import { listCertificates } from "@/lib/gift-certificates/queries";
import { certificateStatus, maskCode, STATUS_TONE } from "@/lib/gift-certificates/status";
import { archiveDefinitionAction, generateCodesAction, issueCertificateAction, restoreDefinitionAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("giftCertificates") };
}

export default async function DefinitionPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireStaff("giftCertificates.view");
  const t = await getTranslations("giftCertificates");
  const locale = await getLocale();
  const db = getDb();
  const { id } = await params;
  const definition = await getDefinitionOrThrow(db, ctx.merchantId, id);
  const stats = (await definitionStats(db, ctx.merchantId, [id])).get(id) ?? { free: 0, issued: 0, redeemed: 0, opened: 0, outstanding: 0, breakage: 0 };
  const recent = await listCertificates(db, ctx.merchantId, { definitionId: id }, { limit: 50 });
  const manage = can(ctx.role, "giftCertificates.manage");
  const money = (minor: number) => formatMoney(minor, ctx.merchant.currency, locale);
  const product = locale === "ru" ? definition.product?.ru || definition.product?.en : definition.product?.en || definition.product?.ru;
  const value = definition.nominal === null ? product : money(definition.nominal);
  const validity = definition.validUntil ? t("validUntil", { date: definition.validUntil }) : t("validForDays", { days: definition.validDays ?? 0 });

  return (
    <>
      <PageHeader
        title={definition.name}
        description={`${value} · ${validity}`}
        meta={definition.archivedAt ? <Badge>{t("archived")}</Badge> : definition.kind === "coupon" ? <Badge tone="blue">{t("coupon")}</Badge> : undefined}
        actions={
          manage && (
            <div className="flex gap-2">
              <ButtonLink href={`/gift-certificates/${id}/edit`} variant="secondary">
                {t("editDefinition")}
              </ButtonLink>
              <ConfirmButton
                action={definition.archivedAt ? restoreDefinitionAction : archiveDefinitionAction}
                fields={{ id }}
                label={definition.archivedAt ? t("restore") : t("archive")}
                title={definition.archivedAt ? t("restore") : t("archive")}
                text={definition.name}
                confirmLabel={definition.archivedAt ? t("restore") : t("archive")}
                variant="secondary"
              />
            </div>
          )
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="p-5">
          <h2 className="mb-3 font-semibold">{t("pool.title")}</h2>
          <dl className="grid grid-cols-3 gap-2 text-center" data-testid="pool-counts">
            {(["free", "issued", "redeemed"] as const).map((k) => (
              <div key={k} className="rounded-lg bg-slate-50 p-3">
                <dt className="text-xs text-slate-500">{t(`pool.${k}`)}</dt>
                <dd className="text-xl font-semibold tabular-nums" data-testid={`pool-${k}`}>
                  {stats[k]}
                </dd>
              </div>
            ))}
          </dl>
          <p className="mt-3 text-sm text-slate-600">
            {t("columns.opened")}: {stats.opened} · {t("columns.outstanding")}: {definition.nominal === null ? stats.outstanding : money(stats.outstanding)} ·{" "}
            {t("columns.breakage")}: {definition.nominal === null ? stats.breakage : money(stats.breakage)}
          </p>
        </Card>
        {manage && (
          <Card className="p-5">
            <h2 className="mb-3 font-semibold">{t("pool.generate")}</h2>
            <GenerateCodesForm action={generateCodesAction} definitionId={id} />
            <hr className="my-4 border-slate-100" />
            <UploadCodesForm definitionId={id} />
          </Card>
        )}
        {manage && !definition.archivedAt && (
          <Card className="p-5">
            <h2 className="mb-3 font-semibold">{t("issue.title", { kind: definition.kind })}</h2>
            <IssueCertificateForm action={issueCertificateAction} definitionId={id} money={definition.nominal !== null} kind={definition.kind} />
            <hr className="my-4 border-slate-100" />
            <UploadPhonesForm definitionId={id} currency={ctx.merchant.currency} />
          </Card>
        )}
      </div>
      <Card className="mt-6">
        <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{t("list.title", { kind: definition.kind })}</h2>
        {recent.rows.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600">{t("list.none", { kind: definition.kind })}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="certificates">
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
                <tr>
                  <th className="px-4 py-3">{t("list.code")}</th>
                  <th className="px-4 py-3">{t("list.holder")}</th>
                  <th className="px-4 py-3 text-right">{t("list.balance")}</th>
                  <th className="px-4 py-3">{t("list.status")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {recent.rows.map(({ card, customer, code }) => {
                  const status = certificateStatus(card);
                  return (
                    <tr key={card.id} className="hover:bg-slate-50">
                      <td className="px-4 py-3 font-mono">
                        <Link href={`/gift-certificates/certificates/${card.id}`} className="text-brand-700 hover:underline">
                          {maskCode(code.code)}
                        </Link>
                      </td>
                      <td className="px-4 py-3 text-slate-600">{customer?.phone ?? "—"}</td>
                      <td className="px-4 py-3 text-right tabular-nums">{definition.nominal === null ? card.balance : money(card.balance)}</td>
                      <td className="px-4 py-3">
                        <Badge tone={STATUS_TONE[status]}>{t(`status.${status}`)}</Badge>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
