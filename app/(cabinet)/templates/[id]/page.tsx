import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { sampleBarcodeSlots } from "@/components/cards/barcode-slots";
import { TemplateEditor } from "@/components/templates/template-editor";
import { TemplateVersions } from "@/components/templates/template-versions";
import { buttonClass } from "@/components/ui/button";
import { Badge, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { listLocations } from "@/lib/locations";
import { hasAppleCertificate } from "@/lib/passes/apple/signer";
import { getTemplateOrThrow, listTemplateVersions } from "@/lib/templates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("templates"))("edit") };
}

export default async function TemplatePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ saved?: string; restored?: string; sampleError?: string }>;
}) {
  const ctx = await requireStaff("templates.view");
  const { id } = await params;
  const flash = await searchParams;
  const t = await getTranslations("templates");
  const errors = await getTranslations();
  const db = getDb();
  const found = await getTemplateOrThrow(db, ctx.merchantId, id).catch((err) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const { template, version } = found;
  const [versions, places, ownCertificate] = await Promise.all([
    listTemplateVersions(db, ctx.merchantId, id),
    listLocations(db, ctx.merchantId, { page: 1, pageSize: 500 }),
    hasAppleCertificate(db, ctx.merchantId),
  ]);
  const manage = can(ctx.role, "templates.manage");
  const savedNow = Number(flash.saved) === template.currentVersion;
  return (
    <>
      <PageHeader
        title={template.name}
        description={t(`kinds.${template.kind}.text`)}
        meta={
          <>
            <Badge tone="blue">{t(`kinds.${template.kind}.name`)}</Badge>
            <Badge>{t("version", { version: template.currentVersion })}</Badge>
            {template.archivedAt && <Badge tone="amber">{t("archivedBadge")}</Badge>}
          </>
        }
        actions={
          <>
            <a href={`/api/templates/${template.id}/sample-pass`} download className={buttonClass("secondary", "min-h-9 px-3")} data-testid="sample-pass">
              <span className="sm:hidden">{t("samplePassShort")}</span>
              <span className="hidden sm:inline">{t("samplePass")}</span>
            </a>
            <a
              href={`/api/templates/${template.id}/google-sample`}
              target="_blank"
              rel="noreferrer"
              className={buttonClass("secondary", "min-h-9 px-3")}
              data-testid="google-sample"
            >
              <span className="sm:hidden">{t("googleSampleShort")}</span>
              <span className="hidden sm:inline">{t("googleSample")}</span>
            </a>
          </>
        }
      />
      {flash.sampleError && (
        <p role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {t("sampleFailed", { reason: errors.has(flash.sampleError) ? errors(flash.sampleError) : errors("unexpected") })}
        </p>
      )}
      {!ownCertificate && (
        <p className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="dev-certificate-note">
          {t("devCertificate")}
        </p>
      )}
      {savedNow && (
        <p role="status" className="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {flash.restored
            ? t("restoredNotice", { from: flash.restored, version: template.currentVersion })
            : t("savedNotice", { version: template.currentVersion })}
        </p>
      )}
      <TemplateEditor
        key={template.currentVersion}
        template={{ id: template.id, name: template.name, kind: template.kind, currentVersion: template.currentVersion }}
        definition={version.definition}
        merchantName={ctx.merchant.name}
        locations={places.rows.map((l) => ({ id: l.id, name: l.name }))}
        currency={ctx.merchant.currency}
        readOnly={!manage}
        barcodes={await sampleBarcodeSlots()}
      />
      <div className="mt-6 max-w-3xl">
        <TemplateVersions templateId={template.id} versions={versions} current={template.currentVersion} canRestore={manage} />
      </div>
    </>
  );
}
