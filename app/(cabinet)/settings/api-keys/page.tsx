import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { ApiKeyCreateForm } from "@/components/settings/api-key-create-form";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { getDb } from "@/db";
import { listApiKeys } from "@/lib/api-keys";
import { requireStaff } from "@/lib/auth/session";
import { SCOPE_MESSAGE_KEYS } from "@/lib/validations/api-keys";
import { revokeApiKeyAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("apiKeys") };
}

export default async function ApiKeysPage() {
  const ctx = await requireStaff("apiKeys.manage");
  const t = await getTranslations("apiKeys");
  const format = await getFormatter();
  const keys = await listApiKeys(getDb(), ctx.merchantId);
  const scopeLabel = (scope: string) => (scope in SCOPE_MESSAGE_KEYS ? t(`scopes.${SCOPE_MESSAGE_KEYS[scope as keyof typeof SCOPE_MESSAGE_KEYS]}`) : scope);

  return (
    <div>
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        actions={
          <a href="/settings/api" className="text-sm font-medium text-brand-700 hover:underline">
            {t("docs")}
          </a>
        }
      />
      <div className="flex flex-col gap-6">
        <ApiKeyCreateForm />
        <Card>
          <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{t("listTitle")}</h2>
          {keys.length === 0 ? (
            <EmptyState icon="keys" title={t("emptyTitle")} text={t("emptyText")} />
          ) : (
            <ul className="divide-y divide-slate-100">
              {keys.map((key) => (
                <li key={key.id} className="flex flex-col gap-3 px-4 py-4 lg:flex-row lg:items-center lg:justify-between" data-testid="api-key-row">
                  <div className="min-w-0">
                    <p className="flex flex-wrap items-center gap-2 font-medium">
                      <span className="min-w-0 wrap-anywhere">{key.name}</span>
                      {key.revokedAt ? <Badge>{t("revoked")}</Badge> : <Badge tone="green">{t("active")}</Badge>}
                    </p>
                    <p className="mt-0.5 text-sm text-slate-600">
                      {t("prefix")} <code className="font-mono">{key.prefix}…</code>
                    </p>
                    <p className="mt-1 flex flex-wrap gap-1.5">
                      {key.scopes.map((scope) => (
                        <Badge key={scope} tone="blue">
                          {scopeLabel(scope)}
                        </Badge>
                      ))}
                    </p>
                    <p className="mt-1 text-xs text-slate-500">
                      {t("createdOn", { when: format.dateTime(key.createdAt, { dateStyle: "medium" }) })} ·{" "}
                      {key.lastUsedAt ? t("lastUsed", { when: format.relativeTime(key.lastUsedAt) }) : t("neverUsed")}
                      {key.revokedAt && <> · {t("revokedOn", { when: format.dateTime(key.revokedAt, { dateStyle: "medium" }) })}</>}
                    </p>
                  </div>
                  {!key.revokedAt && (
                    <div className="shrink-0">
                      <ConfirmButton
                        action={revokeApiKeyAction}
                        fields={{ id: key.id }}
                        label={
                          <>
                            {t("revoke")}
                            <span className="sr-only"> {key.name}</span>
                          </>
                        }
                        title={t("revokeTitle")}
                        text={t("revokeText", { name: key.name })}
                        confirmLabel={t("revoke")}
                      />
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
