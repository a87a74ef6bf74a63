import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { PushEventStateBadge } from "@/components/push-events/push-event-badge";
import { QuietHoursForm } from "@/components/push-events/quiet-hours-form";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { getQuietHours, listPushEvents, loadPushEventsCounts, PUSH_EVENTS_PAGE_SIZE } from "@/lib/push-events";
import { page as pageParam } from "@/lib/validations/common";
import { listTriggerRules } from "@/lib/push-events/triggers";
import { TriggerRules } from "@/components/push-events/trigger-rules";
import { createTriggerRuleAction, deleteTriggerRuleAction, saveQuietHoursAction, updateTriggerRuleAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("pushEvents") };
}

export default async function PushEventsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireStaff("pushEvents.view");
  const t = await getTranslations("pushEvents");
  const format = await getFormatter();
  const page = pageParam().parse((await searchParams).page);
  const [{ rows, total }, quiet, rules] = await Promise.all([
    listPushEvents(getDb(), ctx.merchantId, { page, pageSize: PUSH_EVENTS_PAGE_SIZE }),
    getQuietHours(getDb(), ctx.merchantId),
    listTriggerRules(getDb(), ctx.merchantId),
  ]);
  const counts = await loadPushEventsCounts(getDb(), ctx.merchantId, rows);
  const manage = can(ctx.role, "pushEvents.manage");
  const money = (minor: number) => format.number(minor / 100, { style: "currency", currency: ctx.merchant.currency });
  // The same figures as the event's page, in short: SMS news's from its messages, a wallet event's from its counters.
  const figures = (e: (typeof rows)[number]) => {
    const c = counts.get(e.id)!;
    if (e.state === "scheduled") return "—";
    return e.type === "sms"
      ? t("listSms", { delivered: c.sms.delivered, failed: c.sms.failed, cost: money(c.sms.cost) })
      : t("listWallet", { apple: c.apple.accepted, google: c.google.notified + c.google.quiet });
  };
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short", timeZone: ctx.merchant.timeZone }) : t("now"));
  const actions = manage && (
    <div className="flex flex-wrap gap-2">
      <ButtonLink href="/push-events/new?type=push">{t("newPush")}</ButtonLink>
      <ButtonLink href="/push-events/new?type=promotion" variant="secondary">
        {t("newPromotion")}
      </ButtonLink>
      <ButtonLink href="/push-events/new?type=sms" variant="secondary">
        {t("newSms")}
      </ButtonLink>
    </div>
  );

  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} actions={actions} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState icon="inbox" title={t("emptyTitle")} text={t("emptyText")} />
        ) : (
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-4 py-3">{t("name")}</th>
                <th className="px-4 py-3">{t("type")}</th>
                <th className="px-4 py-3">{t("state")}</th>
                <th className="hidden px-4 py-3 md:table-cell">{t("startAt")}</th>
                <th className="hidden px-4 py-3 md:table-cell">{t("progress")}</th>
                <th className="hidden px-4 py-3 sm:table-cell">{t("figures")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((e) => (
                <tr key={e.id} className="hover:bg-slate-50" data-testid="push-event-row">
                  <td className="px-4 py-3 font-medium">
                    <Link href={`/push-events/${e.id}`} className="text-brand-700 hover:underline">
                      {e.name || e.message.slice(0, 60) || t(`types.${e.type}`)}
                    </Link>
                  </td>
                  <td className="px-4 py-3 text-slate-600">{t(`types.${e.type}`)}</td>
                  <td className="px-4 py-3">
                    <PushEventStateBadge state={e.state} />
                  </td>
                  <td className="hidden px-4 py-3 text-slate-600 md:table-cell">{when(e.startAt ?? e.startedAt)}</td>
                  <td className="hidden px-4 py-3 text-slate-600 md:table-cell">
                    {e.state === "scheduled" ? "—" : t("processedOf", { processed: e.processed, total: e.total })}
                  </td>
                  <td className="hidden px-4 py-3 text-slate-600 sm:table-cell" data-testid="push-event-figures">
                    {figures(e)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pagination page={page} pageSize={PUSH_EVENTS_PAGE_SIZE} total={total} basePath="/push-events" query={{}} />
      </Card>
      {manage && <QuietHoursForm action={saveQuietHoursAction} quietFrom={quiet.quietFrom} quietTo={quiet.quietTo} />}
      {manage && (
        <TriggerRules rules={rules} createAction={createTriggerRuleAction} updateAction={updateTriggerRuleAction} deleteAction={deleteTriggerRuleAction} />
      )}
    </>
  );
}
