import type { Metadata } from "next";
import { headers } from "next/headers";
import { getFormatter, getTranslations } from "next-intl/server";
import { SupportForm } from "@/components/support/support-form";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { SUPPORT_PAGE_SIZE, listSupportRequests, supportContacts } from "@/lib/support";
import { page as pageParam } from "@/lib/validations/common";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("support") };
}

/** The cabinet page the person came from (same site only), sent with the request. */
async function cameFrom(): Promise<string> {
  const h = await headers();
  try {
    const ref = new URL(h.get("referer") ?? "");
    if (ref.host !== h.get("host") || ref.pathname.startsWith("/settings/support")) return "";
    return (ref.pathname + ref.search).slice(0, 300);
  } catch {
    return "";
  }
}

export default async function SupportPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireStaff();
  const t = await getTranslations("support");
  const format = await getFormatter();
  const page = pageParam().parse((await searchParams).page);
  const contacts = supportContacts();
  const { rows, total } = await listSupportRequests(getDb(), ctx.merchantId, { page, pageSize: SUPPORT_PAGE_SIZE });
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <PageHeader title={t("title")} description={t("subtitle")} />
      <Card className="p-5 sm:p-6" data-testid="support-contacts">
        <h2 className="text-lg font-semibold">{t("contactsTitle")}</h2>
        <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">{t("email")}</dt>
          <dd>
            <a href={`mailto:${contacts.email}`} className="font-medium text-brand-600 hover:text-brand-700">
              {contacts.email}
            </a>
          </dd>
          {contacts.phone && (
            <>
              <dt className="text-slate-500">{t("phone")}</dt>
              <dd>
                <a href={`tel:${contacts.phone.replace(/[^+\d]/g, "")}`} className="font-medium">
                  {contacts.phone}
                </a>
              </dd>
            </>
          )}
          {contacts.hours && (
            <>
              <dt className="text-slate-500">{t("hours")}</dt>
              <dd>{contacts.hours}</dd>
            </>
          )}
          <dt className="text-slate-500">{t("merchantId")}</dt>
          <dd className="font-mono text-xs">{ctx.merchantId}</dd>
        </dl>
      </Card>
      <SupportForm page={await cameFrom()} />
      <section className="flex flex-col gap-3">
        <h2 className="text-lg font-semibold">{t("previousTitle")}</h2>
        <Card>
          {rows.length === 0 ? (
            <p className="px-4 py-8 text-center text-sm text-slate-500">{t("none")}</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {rows.map(({ request, userName, status }) => (
                <li key={request.id} className="px-4 py-3" data-testid="support-request">
                  <p className="flex flex-wrap items-center gap-2 font-medium">
                    {request.subject}
                    <Badge tone={status === "failed" ? "red" : status === "sent" || status === "delivered" ? "green" : "gray"}>
                      {t.has(`status.${status ?? "queued"}`) ? t(`status.${status ?? "queued"}`) : status}
                    </Badge>
                  </p>
                  <p className="mt-1 line-clamp-3 whitespace-pre-line text-sm text-slate-700">{request.body}</p>
                  <p className="mt-1 text-xs text-slate-500">
                    {t("sentBy", { name: userName ?? "—", when: format.dateTime(request.createdAt, { dateStyle: "medium", timeStyle: "short" }) })}
                    {request.page ? ` · ${request.page}` : ""}
                  </p>
                </li>
              ))}
            </ul>
          )}
          <Pagination page={page} pageSize={SUPPORT_PAGE_SIZE} total={total} basePath="/settings/support" />
        </Card>
      </section>
    </div>
  );
}
