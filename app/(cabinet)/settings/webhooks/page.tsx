import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { WebhookCreateForm } from "@/components/webhooks/webhook-create-form";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { WEBHOOK_EVENT_TYPES, webhookExample } from "@/lib/webhooks/catalogue";
import { listEndpoints } from "@/lib/webhooks/endpoints";
import { deleteWebhookAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("webhooks") };
}

export default async function WebhooksPage() {
  const ctx = await requireStaff("webhooks.manage");
  const t = await getTranslations("webhooks");
  const endpoints = await listEndpoints(getDb(), ctx.merchantId);

  return (
    <div>
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="flex flex-col gap-6">
        <WebhookCreateForm />
        <Card>
          <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{t("listTitle")}</h2>
          {endpoints.length === 0 ? (
            <EmptyState title={t("emptyTitle")} text={t("emptyText")} />
          ) : (
            <ul className="divide-y divide-slate-100">
              {endpoints.map((e) => (
                <li key={e.id} className="flex flex-col gap-3 px-4 py-4 lg:flex-row lg:items-center lg:justify-between" data-testid="webhook-row">
                  <div className="min-w-0">
                    <p className="flex flex-wrap items-center gap-2 font-medium">
                      <Link href={`/settings/webhooks/${e.id}`} className="min-w-0 font-mono text-sm wrap-anywhere text-brand-700 hover:underline">
                        {e.url}
                      </Link>
                      {e.enabled ? (
                        <Badge tone="green">{t("enabled")}</Badge>
                      ) : (
                        <Badge tone="red">
                          {e.disabledReason === "gone" ? t("disabledGone") : e.disabledReason === "failing" ? t("disabledFailing") : t("disabled")}
                        </Badge>
                      )}
                      {e.consecutiveFailures > 0 && <Badge tone="amber">{t("failing", { count: e.consecutiveFailures })}</Badge>}
                    </p>
                    {e.description && <p className="mt-0.5 text-sm text-slate-600">{e.description}</p>}
                    <p className="mt-1 flex flex-wrap gap-1.5">
                      {e.events.map((type) => (
                        <Badge key={type} tone="blue">
                          {type === "*" ? t("allEvents") : type}
                        </Badge>
                      ))}
                    </p>
                  </div>
                  <div className="flex shrink-0 gap-2">
                    <Link href={`/settings/webhooks/${e.id}`} className="px-3 py-2 text-sm font-medium text-brand-700 hover:underline">
                      {t("open")}
                    </Link>
                    <ConfirmButton
                      action={deleteWebhookAction}
                      fields={{ id: e.id }}
                      label={
                        <>
                          {t("delete")}
                          <span className="sr-only"> {e.url}</span>
                        </>
                      }
                      title={t("deleteTitle")}
                      text={t("deleteText", { url: e.url })}
                      confirmLabel={t("delete")}
                    />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card className="p-5 sm:p-6">
          <h2 className="font-semibold">{t("catalogueTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("catalogueText")}</p>
          <div className="mt-3 divide-y divide-slate-100">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <details key={type} className="py-2">
                <summary className="cursor-pointer font-mono text-sm">{type}</summary>
                <pre className="mt-2 overflow-x-auto rounded-lg bg-slate-50 p-3 text-xs">{JSON.stringify(webhookExample(type), null, 2)}</pre>
              </details>
            ))}
          </div>
        </Card>
      </div>
    </div>
  );
}
