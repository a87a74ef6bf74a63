import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { AppleCertificateForm } from "@/components/settings/apple-certificate-form";
import { GoogleAccountForm } from "@/components/settings/google-account-form";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { getAppleCertificateStatus } from "@/lib/certificates";
import { getGoogleIssuerStatus } from "@/lib/wallet/google/account";
import { removeAppleCertificateAction, removeGoogleAccountAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("certificates") };
}

export default async function CertificatesPage() {
  const ctx = await requireStaff("organisation.manage");
  const t = await getTranslations("certificates");
  const format = await getFormatter();
  const [status, google] = await Promise.all([getAppleCertificateStatus(getDb(), ctx.merchantId), getGoogleIssuerStatus(getDb(), ctx.merchantId)]);
  const g = await getTranslations("certificates.google");
  const own = status && !status.development;
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="flex flex-col gap-6">
        <Card className="p-5 sm:p-6">
          <div className="flex flex-wrap items-start justify-between gap-3" data-testid="apple-certificate-status">
            <div>
              <h2 className="flex items-center gap-2 font-semibold">
                Apple Wallet {own ? <Badge tone="green">{t("own")}</Badge> : <Badge tone="amber">{t("development")}</Badge>}
              </h2>
              {own ? (
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                  <dt className="text-slate-500">{t("passTypeId")}</dt>
                  <dd className="font-mono">{status.passTypeId}</dd>
                  <dt className="text-slate-500">{t("teamId")}</dt>
                  <dd className="font-mono">{status.teamId}</dd>
                  <dt className="text-slate-500">{t("expires")}</dt>
                  <dd>{status.expiresAt ? format.dateTime(status.expiresAt, { dateStyle: "long" }) : "—"}</dd>
                </dl>
              ) : (
                <p className="mt-2 text-sm text-slate-600">{t("developmentText")}</p>
              )}
            </div>
            {own && (
              <ConfirmButton
                action={removeAppleCertificateAction}
                fields={{}}
                label={t("remove")}
                title={t("removeTitle")}
                text={t("removeText")}
                confirmLabel={t("remove")}
              />
            )}
          </div>
          {status?.expiringSoon && status.expiresAt && (
            <p role="alert" className="mt-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {t("expiringSoon", { date: format.dateTime(status.expiresAt, { dateStyle: "long" }) })}
            </p>
          )}
        </Card>
        <AppleCertificateForm />
        <Card className="p-5 sm:p-6">
          <div className="flex flex-wrap items-start justify-between gap-3" data-testid="google-account-status">
            <div>
              <h2 className="flex items-center gap-2 font-semibold">
                Google Wallet {google ? <Badge tone="green">{t("own")}</Badge> : <Badge tone="amber">{t("development")}</Badge>}
              </h2>
              {google ? (
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                  <dt className="text-slate-500">{g("email")}</dt>
                  <dd className="font-mono break-all">{google.email}</dd>
                  <dt className="text-slate-500">{g("issuerId")}</dt>
                  <dd className="font-mono">{google.issuerId}</dd>
                </dl>
              ) : (
                <p className="mt-2 text-sm text-slate-600">{g("developmentText")}</p>
              )}
            </div>
            {google && (
              <ConfirmButton
                action={removeGoogleAccountAction}
                fields={{}}
                label={g("remove")}
                title={g("removeTitle")}
                text={g("removeText")}
                confirmLabel={g("remove")}
              />
            )}
          </div>
          <GoogleAccountForm />
        </Card>
      </div>
    </div>
  );
}
