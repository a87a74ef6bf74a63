import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { StaffRedeemForm } from "@/components/gift-certificates/pool-forms";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { formatMoney } from "@/lib/format/money";
import { getDefinitionOrThrow } from "@/lib/gift-certificates/definitions";
import { getCertificateOrThrow } from "@/lib/gift-certificates/queries";
import { certificateStatus, STATUS_TONE } from "@/lib/gift-certificates/status";
import { listCardTransactions } from "@/lib/ledger";
import { blockCertificateAction, staffRedeemAction, unblockCertificateAction } from "../../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("giftCertificates") };
}

export default async function CertificatePage({ params }: { params: Promise<{ cardId: string }> }) {
  const ctx = await requireStaff("giftCertificates.view");
  const t = await getTranslations("giftCertificates");
  const types = await getTranslations("points.types");
  const locale = await getLocale();
  const format = await getFormatter();
  const db = getDb();
  const { cardId } = await params;
  const { card, customer, code } = await getCertificateOrThrow(db, ctx.merchantId, cardId);
  const definition = await getDefinitionOrThrow(db, ctx.merchantId, code.definitionId);
  const ledger = await listCardTransactions(db, ctx.merchantId, card.id, { limit: 100 });
  const status = certificateStatus(card);
  const isMoney = definition.nominal !== null;
  const amount = (minor: number) => (isMoney ? formatMoney(minor, ctx.merchant.currency, locale) : String(minor));
  const blocked = status === "blocked";

  return (
    <>
      <PageHeader
        title={t("certificate.title", { code: code.code, kind: definition.kind })}
        description={definition.name}
        meta={<Badge tone={STATUS_TONE[status]}>{t(`status.${status}`)}</Badge>}
        actions={
          can(ctx.role, "cards.manage") && (
            <ConfirmButton
              action={blocked ? unblockCertificateAction : blockCertificateAction}
              fields={{ id: card.id }}
              label={blocked ? t("certificate.unblock") : t("certificate.block")}
              title={blocked ? t("certificate.unblock") : t("certificate.block")}
              text={code.code}
              confirmLabel={blocked ? t("certificate.unblock") : t("certificate.block")}
              variant={blocked ? "secondary" : "danger"}
            />
          )
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="p-5 lg:col-span-2">
          <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-500">{t("certificate.code")}</dt>
              <dd className="font-mono text-2xl font-semibold tracking-widest" data-testid="certificate-code">
                {code.code}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">{t("certificate.balance")}</dt>
              <dd className="text-2xl font-semibold tabular-nums" data-testid="certificate-balance">
                {amount(card.balance)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">{t("list.holder")}</dt>
              <dd>{customer ? `${customer.name || ""} ${customer.phone ?? ""}`.trim() : "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-500">{t("certificate.expires")}</dt>
              <dd>{card.expiresAt ? format.dateTime(card.expiresAt, { dateStyle: "medium" }) : "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-500">{t("certificate.opened")}</dt>
              <dd>{code.openedAt ? format.dateTime(code.openedAt, { dateStyle: "medium", timeStyle: "short" }) : t("certificate.notOpened")}</dd>
            </div>
            {code.message && (
              <div>
                <dt className="text-slate-500">{t("certificate.message")}</dt>
                <dd>{code.message}</dd>
              </div>
            )}
          </dl>
          <p className="mt-4 text-sm">
            <Link href={`/cards/${card.id}`} className="text-brand-700 hover:underline">
              {t("certificate.open")}
            </Link>
          </p>
        </Card>
        {can(ctx.role, "points.post") && status === "active" && (
          <Card className="p-5">
            <h2 className="mb-3 font-semibold">{t("certificate.redeem")}</h2>
            <StaffRedeemForm action={staffRedeemAction} cardId={card.id} idempotencyKey={randomUUID()} money={isMoney && definition.partialRedemption} />
          </Card>
        )}
      </div>
      <Card className="mt-6">
        <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{t("certificate.ledger")}</h2>
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="certificate-ledger">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-4 py-3">{t("certificate.when")}</th>
                <th className="px-4 py-3">{t("certificate.type")}</th>
                <th className="px-4 py-3 text-right">{t("certificate.change")}</th>
                <th className="px-4 py-3 text-right">{t("certificate.after")}</th>
                <th className="px-4 py-3">{t("certificate.reason")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {ledger.rows.map((tx) => (
                <tr key={tx.id}>
                  <td className="px-4 py-3 whitespace-nowrap text-slate-600">{format.dateTime(tx.createdAt, { dateStyle: "short", timeStyle: "short" })}</td>
                  <td className="px-4 py-3">{types(tx.type)}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{(tx.points > 0 ? "+" : tx.points < 0 ? "−" : "") + amount(Math.abs(tx.points))}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{amount(tx.balanceAfter)}</td>
                  <td className="px-4 py-3 text-slate-600">{tx.reason ?? tx.receipt ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
