import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { Card, PageHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { PushEventStateBadge } from "@/components/push-events/push-event-badge";
import { PushEventForm } from "@/components/push-events/push-event-form";
import { CopyPushEventButton } from "@/components/push-events/copy-button";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { getPushEventOrThrow, loadPushEventCounts } from "@/lib/push-events";
import { pushEventFormOptions, pushEventFormValues } from "@/lib/push-events/form-values";
import { countAudienceAction, estimateSmsAction, copyPushEventAction, deletePushEventAction, updatePushEventAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("pushEvents") };
}

export default async function PushEventPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireStaff("pushEvents.view");
  const t = await getTranslations("pushEvents");
  const format = await getFormatter();
  const event = await getPushEventOrThrow(getDb(), ctx.merchantId, (await params).id);
  const manage = can(ctx.role, "pushEvents.manage");
  const counts = await loadPushEventCounts(getDb(), event);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short", timeZone: ctx.merchant.timeZone }) : "—");
  const title = event.name || t(`types.${event.type}`);
  const actions = manage && (
    <div className="flex flex-wrap gap-2">
      <CopyPushEventButton action={copyPushEventAction} id={event.id} />
      <ConfirmButton
        action={deletePushEventAction}
        fields={{ id: event.id }}
        label={t("delete")}
        title={t("deleteTitle")}
        text={event.state === "running" ? t("deleteRunningText") : t("deleteText")}
        confirmLabel={t("delete")}
      />
    </div>
  );

  return (
    <>
      <AutoRefresh active={event.state === "running" || (event.state === "scheduled" && !event.startAt)} intervalMs={2000} />
      <PageHeader title={title} description={t(`types.${event.type}`)} meta={<PushEventStateBadge state={event.state} />} actions={actions} />
      {event.state === "scheduled" && manage ? (
        <PushEventForm
          action={updatePushEventAction}
          countAction={countAudienceAction}
          estimateAction={estimateSmsAction}
          values={pushEventFormValues(ctx.merchant.timeZone, event)}
          timeZone={ctx.merchant.timeZone}
          {...await pushEventFormOptions(getDb(), ctx.merchantId)}
        />
      ) : (
        <div className="flex flex-col gap-6">
          <Card className="flex flex-col gap-4 p-5">
            {event.message && <p className="text-sm whitespace-pre-line text-slate-800">{event.message}</p>}
            <dl className="grid gap-3 text-sm sm:grid-cols-3">
              <div>
                <dt className="text-slate-500">{t("startedAt")}</dt>
                <dd>{when(event.startedAt ?? event.startAt)}</dd>
              </div>
              {event.type === "promotion" && (
                <div>
                  <dt className="text-slate-500">{t("endAt")}</dt>
                  <dd>{when(event.endAt)}</dd>
                </div>
              )}
              <div>
                <dt className="text-slate-500">{t("finishedAt")}</dt>
                <dd>{when(event.finishedAt)}</dd>
              </div>
            </dl>
            {event.state !== "scheduled" && (
              <ProgressBar
                done={event.processed}
                total={event.total}
                label={t("progress")}
                caption={t("processedOf", { processed: event.processed, total: event.total })}
              />
            )}
          </Card>
          <Card className="p-5">
            <h2 className="mb-3 text-base font-semibold">{t("figures")}</h2>
            <dl className="grid gap-4 text-sm sm:grid-cols-3" data-testid="push-event-counts">
              <div>
                <dt className="font-medium">Apple</dt>
                <dd data-testid="counts-apple">{t("appleCounts", counts.apple)}</dd>
              </div>
              <div>
                <dt className="font-medium">Google</dt>
                <dd data-testid="counts-google">{t("googleCounts", counts.google)}</dd>
              </div>
              <div>
                <dt className="font-medium">SMS</dt>
                <dd data-testid="counts-sms">
                  {t("smsCounts", { ...counts.sms, cost: format.number(counts.sms.cost / 100, { style: "currency", currency: ctx.merchant.currency }) })}
                </dd>
              </div>
            </dl>
            {counts.google.inDoubt + counts.sms.inDoubt > 0 && <p className="mt-3 text-xs text-slate-500">{t("inDoubtHint")}</p>}
          </Card>
        </div>
      )}
    </>
  );
}
