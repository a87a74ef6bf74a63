import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ImportDecision, ImportProgress } from "@/components/cards/import-forms";
import { ButtonLink } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { ImportRowsTable } from "@/components/cards/import-rows";
import { getCardImportOrThrow, listCardImportRows } from "@/lib/cards/import";
import { NotFoundError } from "@/lib/errors";
import { isStalled } from "@/lib/jobs/batch";
import { getTemplateOrThrow } from "@/lib/templates";
import { page as pageParam } from "@/lib/validations/common";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("cards.import"))("title") };
}

const SHOWN_ERRORS = 200;

export default async function ImportDetailPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ rows?: string }> }) {
  const ctx = await requireStaff("cards.issue");
  const { id } = await params;
  const rowsPage = pageParam().parse((await searchParams).rows);
  const t = await getTranslations("cards.import");
  const all = await getTranslations();
  const db = getDb();
  const job = await getCardImportOrThrow(db, ctx.merchantId, id).catch((err) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const { template } = await getTemplateOrThrow(db, ctx.merchantId, job.templateId);
  const text = (key: string, params?: Record<string, string | number>) => (all.has(key) ? all(key, params) : key);
  const warnings = job.warnings.map((w) => JSON.parse(w) as { message: string; params?: Record<string, string | number> });
  const running = job.status === "queued" || job.status === "running";
  const preview = job.status === "preview";
  // In preview, `skipped` holds the rows whose phone already has a card of the template: known now, shown now.
  const toIssue = Math.max(0, job.valid - job.skipped);
  const rows = preview && job.valid > 0 ? await listCardImportRows(db, ctx.merchantId, job.id, rowsPage) : [];
  const stat = (label: string, value: number, testId: string) => (
    <div className="rounded-lg bg-slate-50 p-3">
      <p className="text-xs text-slate-500">{label}</p>
      <p className="text-xl font-semibold" data-testid={testId}>
        {value}
      </p>
    </div>
  );
  return (
    <>
      <PageHeader
        title={job.fileName}
        description={t("forTemplate", { template: template.name })}
        actions={<Badge tone={job.status === "done" ? "green" : job.status === "failed" ? "red" : "blue"}>{t(`statuses.${job.status}`)}</Badge>}
      />
      <div className="flex max-w-4xl flex-col gap-6">
        <Card className="flex flex-col gap-4 p-5">
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {stat(t("rows"), job.total, "import-total")}
            {stat(t("valid"), job.valid, "import-valid")}
            {stat(t("withErrors"), job.errorCount, "import-errors")}
            {stat(preview ? t("toIssue") : t("issued"), preview ? toIssue : job.issued, "import-issued")}
          </div>
          {!preview && job.skipped > 0 && (
            <p className="text-sm text-slate-600" data-testid="import-skipped">
              {t("skippedNote", { count: job.skipped })}
            </p>
          )}
          {preview && job.consenting > 0 && (
            <p className="text-sm text-slate-600" data-testid="import-consenting">
              {all("pushEvents.consentImport.previewNote", { count: job.consenting })}
            </p>
          )}
          {preview && (
            <p className="text-sm text-slate-600" data-testid="import-preview-note">
              {!job.valid
                ? t("nothingValid")
                : toIssue
                  ? t("previewNote", { valid: job.valid, held: job.skipped, errors: job.errorCount })
                  : t("nothingToIssue")}
            </p>
          )}
          {preview ? (
            <ImportDecision id={job.id} toIssue={toIssue} skipped={job.skipped} />
          ) : (
            <ImportProgress id={job.id} processed={job.processed} valid={job.valid} running={running} />
          )}
          {isStalled(job) && (
            <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="import-stalled">
              {t("stalled")}
            </p>
          )}
          {job.status === "done" && (
            <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="import-done">
              {t("doneNote", { issued: job.issued, skipped: job.skipped })}
            </p>
          )}
          {job.status === "failed" && (
            <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
              {t("failedNote")}
            </p>
          )}
          {job.status === "done" && (
            <div className="flex justify-end">
              <ButtonLink href={`/cards?template=${job.templateId}`} variant="secondary">
                {t("viewCards")}
              </ButtonLink>
            </div>
          )}
        </Card>
        {warnings.length > 0 && (
          <Card className="p-5">
            <h2 className="mb-2 font-semibold">{t("warnings")}</h2>
            <ul className="list-disc pl-5 text-sm text-amber-900">
              {warnings.map((w, i) => (
                <li key={i}>{text(w.message, w.params)}</li>
              ))}
            </ul>
          </Card>
        )}
        {rows.length > 0 && <ImportRowsTable importId={job.id} rows={rows} count={job.valid} page={rowsPage} />}
        {job.errors.length > 0 && (
          <Card>
            <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{t("errorsTitle", { count: job.errorCount })}</h2>
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid="import-error-table">
                <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
                  <tr>
                    <th className="px-4 py-2">{t("line")}</th>
                    <th className="px-4 py-2">{t("column")}</th>
                    <th className="px-4 py-2">{t("problem")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {job.errors.slice(0, SHOWN_ERRORS).map((e, i) => (
                    <tr key={i}>
                      <td className="px-4 py-2 font-mono">{e.line}</td>
                      <td className="px-4 py-2">{e.column ?? "—"}</td>
                      <td className="px-4 py-2">{text(e.message, e.params)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {job.errorCount > SHOWN_ERRORS && <p className="px-4 py-3 text-xs text-slate-500">{t("moreErrors", { count: job.errorCount - SHOWN_ERRORS })}</p>}
          </Card>
        )}
      </div>
    </>
  );
}
