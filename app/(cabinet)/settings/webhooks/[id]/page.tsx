import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ReplayButton } from "@/components/webhooks/replay-button";
import { ReplayFailedForm, WebhookEditForm, WebhookTools } from "@/components/webhooks/webhook-edit-form";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { getDb } from "@/db";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/api/cursor";
import { requireStaff } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";
import { DELIVERY_STATUSES } from "@/lib/validations/webhooks";
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/catalogue";
import { deliveryCounts, listDeliveries, presentDelivery } from "@/lib/webhooks/deliveries";
import { getEndpointOrThrow } from "@/lib/webhooks/endpoints";

type Search = { status?: string; event?: string; cursor?: string };
const PAGE = 25;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("webhooks") };
}

/** The log refreshes itself while something on it is about to be sent (a test, a replay), not for retries hours away. */
function anyDueSoon(rows: { status: string; nextAttemptAt: Date | null }[]): boolean {
  const soon = Date.now() + 30_000;
  return rows.some((d) => d.status === "pending" && (d.nextAttemptAt?.getTime() ?? 0) < soon);
}

const tone = { pending: "amber", succeeded: "green", failed: "red" } as const;

export default async function WebhookPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const ctx = await requireStaff("webhooks.manage");
  const t = await getTranslations("webhooks");
  const format = await getFormatter();
  const { id } = await params;
  const search = await searchParams;
  if (!isUuid(id)) notFound();
  const db = getDb();
  const endpoint = await getEndpointOrThrow(db, ctx.merchantId, id).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  });
  const status = DELIVERY_STATUSES.find((s) => s === search.status);
  const eventType = search.event && isWebhookEventType(search.event) ? search.event : undefined;
  let after;
  try {
    after = search.cursor ? decodeTimeCursor(search.cursor) : undefined;
  } catch {
    after = undefined;
  }
  const [page, counts] = await Promise.all([
    listDeliveries(db, ctx.merchantId, id, { status, eventType, after, limit: PAGE }),
    deliveryCounts(db, ctx.merchantId, id),
  ]);
  const deliveries = page.rows.map(presentDelivery);
  const total = counts.pending + counts.succeeded + counts.failed;
  const dueSoon = anyDueSoon(page.rows);
  const nextHref = page.next
    ? `?${new URLSearchParams({ ...(status && { status }), ...(eventType && { event: eventType }), cursor: encodeTimeCursor(page.next) })}`
    : null;

  return (
    <div>
      <PageHeader
        title={t("title")}
        description={endpoint.url}
        actions={
          <Link href="/settings/webhooks" className="text-sm font-medium text-brand-700 hover:underline">
            {t("back")}
          </Link>
        }
      />
      <AutoRefresh active={dueSoon} intervalMs={2000} />
      <div className="flex flex-col gap-6">
        {!endpoint.enabled && (
          <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
            {endpoint.disabledReason === "gone" ? t("disabledGone") : endpoint.disabledReason === "failing" ? t("disabledFailing") : t("disabled")}.{" "}
            {t("reenableHint")}
          </p>
        )}
        <WebhookEditForm
          endpoint={{ id: endpoint.id, url: endpoint.url, description: endpoint.description, events: endpoint.events, enabled: endpoint.enabled }}
        />
        <WebhookTools id={endpoint.id} enabled={endpoint.enabled} />
        <ReplayFailedForm id={endpoint.id} enabled={endpoint.enabled} />
        <Card>
          <div className="flex flex-col gap-3 border-b border-slate-100 px-4 py-3">
            <h2 className="font-semibold">{t("logTitle")}</h2>
            {counts.pending > 0 && (
              <ProgressBar
                done={counts.succeeded + counts.failed}
                total={total}
                label={t("progress")}
                caption={t("progressCaption", { pending: counts.pending, succeeded: counts.succeeded, failed: counts.failed })}
              />
            )}
            <form className="flex flex-wrap items-end gap-3" method="get">
              <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
                {t("filterStatus")}
                <select name="status" defaultValue={status ?? ""} className="min-h-10 rounded-lg border border-slate-300 px-3 py-2 text-sm">
                  <option value="">{t("any")}</option>
                  {DELIVERY_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t(`status.${s}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
                {t("filterEvent")}
                <select name="event" defaultValue={eventType ?? ""} className="min-h-10 rounded-lg border border-slate-300 px-3 py-2 text-sm">
                  <option value="">{t("any")}</option>
                  {WEBHOOK_EVENT_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {type}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="min-h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm font-medium hover:bg-slate-50">
                {t("filter")}
              </button>
            </form>
          </div>
          {deliveries.length === 0 ? (
            <p className="px-4 py-6 text-sm text-slate-600">{t("noDeliveries")}</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {deliveries.map((d) => (
                <li key={d.id} className="px-4 py-3" data-testid="webhook-delivery" data-delivery-id={d.id}>
                  <details>
                    <summary className="flex cursor-pointer flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                      <code className="font-mono">{d.eventType}</code>
                      <Badge tone={tone[d.status]}>{t(`status.${d.status}`)}</Badge>
                      <span>
                        {t("columns.code")}: {d.statusCode ?? t("noAnswer")}
                      </span>
                      <span>
                        {t("columns.attempts")}: {d.attempts}
                      </span>
                      {d.durationMs !== null && <span>{t("durationMs", { ms: d.durationMs })}</span>}
                      <span className="text-slate-500">{format.dateTime(new Date(d.createdAt), { dateStyle: "short", timeStyle: "medium" })}</span>
                      {d.nextAttemptAt && (
                        <span className="text-slate-500">
                          {t("columns.next")}: {format.dateTime(new Date(d.nextAttemptAt), { dateStyle: "short", timeStyle: "medium" })}
                        </span>
                      )}
                    </summary>
                    <div className="mt-3 flex flex-col gap-2 text-sm">
                      <p className="font-mono text-xs text-slate-500">{d.eventId}</p>
                      {d.error && (
                        <p>
                          {t("error")}: <span className="font-mono text-xs">{d.error}</span>
                        </p>
                      )}
                      <p className="font-medium">{t("request")}</p>
                      <pre className="overflow-x-auto rounded-lg bg-slate-50 p-3 text-xs" data-testid="webhook-request-body">
                        {d.requestBody}
                      </pre>
                      {d.responseBody !== null && (
                        <>
                          <p className="font-medium">{t("response")}</p>
                          <pre className="overflow-x-auto rounded-lg bg-slate-50 p-3 text-xs">{d.responseBody || "—"}</pre>
                        </>
                      )}
                      {endpoint.enabled && <ReplayButton id={d.id} endpointId={endpoint.id} />}
                    </div>
                  </details>
                </li>
              ))}
            </ul>
          )}
          {nextHref && (
            <div className="border-t border-slate-100 px-4 py-3 text-right">
              <Link href={nextHref} className="text-sm font-medium text-brand-700 hover:underline">
                {t("more")}
              </Link>
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}
