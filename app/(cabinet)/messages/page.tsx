import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MessagesList } from "@/components/messages/messages-list";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { phoneSearchDigits } from "@/lib/customers/phone";
import { MESSAGES_PAGE_SIZE, listMerchantMessages } from "@/lib/messaging/messages";
import { page as pageParam } from "@/lib/validations/common";
import { OUTBOX_CHANNELS, OUTBOX_KINDS, OUTBOX_STATUSES, listMessagesQuerySchema } from "@/lib/validations/messaging";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("messages") };
}

type Search = { page?: string; q?: string; channel?: string; status?: string; kind?: string };

/** Cabinet → Messages: every SMS and e-mail of the merchant's outbox, newest first, filtered on the server. */
export default async function MessagesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requireStaff("messages.view");
  const t = await getTranslations("messagesPage");
  const params = await searchParams;
  const page = pageParam().parse(params.page);
  const filters = listMessagesQuerySchema.parse(params);
  const phoneDigits = filters.q ? phoneSearchDigits(filters.q, ctx.merchant.country) : "";
  const { rows, total } = await listMerchantMessages(getDb(), ctx.merchantId, { ...filters, phoneDigits: phoneDigits.length >= 3 ? phoneDigits : undefined }, { page });
  const filtered = !!(filters.q || filters.channel || filters.status || filters.kind);
  const control = "min-h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none";
  const select = (name: "channel" | "status" | "kind", all: string, values: readonly string[], label: (v: string) => string) => (
    <>
      <label htmlFor={`messages-${name}`} className="sr-only">
        {t(`columns.${name}`)}
      </label>
      <select id={`messages-${name}`} name={name} defaultValue={filters[name] ?? ""} className={control}>
        <option value="">{all}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {label(v)}
          </option>
        ))}
      </select>
    </>
  );

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        actions={
          can(ctx.role, "messaging.manage") && (
            <>
              <ButtonLink href="/settings/sms" variant="secondary">
                {t("smsSettings")}
              </ButtonLink>
              <ButtonLink href="/settings/email" variant="secondary">
                {t("emailSettings")}
              </ButtonLink>
            </>
          )
        }
      />
      <Card>
        {/* Keyed by the filters: after a client navigation (e.g. "Clear filters") the fields show the new ones, not the last typed. */}
        <form key={JSON.stringify(filters)} className="grid gap-2 border-b border-slate-100 p-3 sm:grid-cols-2 lg:grid-cols-[1fr_auto_auto_auto_auto]" role="search">
          <label htmlFor="messages-q" className="sr-only">
            {t("search")}
          </label>
          <input id="messages-q" name="q" type="search" defaultValue={filters.q} placeholder={t("search")} className={control} />
          {select("channel", t("allChannels"), OUTBOX_CHANNELS, (v) => t(`channel.${v as "sms"}`))}
          {select("status", t("allStatuses"), OUTBOX_STATUSES, (v) => t(`status.${v as "sent"}`))}
          {select("kind", t("allKinds"), OUTBOX_KINDS, (v) => t(`kind.${v as "code"}`))}
          <button type="submit" className="min-h-10 rounded-lg border border-slate-300 bg-white px-4 text-sm font-medium hover:bg-slate-50">
            {t("find")}
          </button>
        </form>
        {rows.length === 0 ? (
          filtered ? (
            <EmptyState icon="search" title={t("noMatchTitle")} text={t("noMatchText")} action={<ButtonLink href="/messages" variant="secondary">{t("clearFilters")}</ButtonLink>} />
          ) : (
            <EmptyState icon="messages" title={t("emptyTitle")} text={t("emptyText")} />
          )
        ) : (
          <>
            <MessagesList rows={rows} />
            <Pagination page={page} pageSize={MESSAGES_PAGE_SIZE} total={total} basePath="/messages" query={{ q: filters.q, channel: filters.channel, status: filters.status, kind: filters.kind }} />
          </>
        )}
      </Card>
    </>
  );
}
