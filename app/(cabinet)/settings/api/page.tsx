import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LazyApiReference } from "@/components/settings/api-reference-lazy";
import { PageHeader } from "@/components/ui/card";
import { apiBaseUrl } from "@/lib/api/openapi";
import { requireStaff } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("apiReference") };
}

/** Settings → API: the REST API's interactive reference, read from /api/v1/openapi.json (built once per process, cached by the browser). */
export default async function ApiReferencePage() {
  await requireStaff("apiKeys.manage");
  const t = await getTranslations("apiReference");
  const baseUrl = apiBaseUrl(getEnv().APP_URL);
  return (
    <div>
      <PageHeader
        title={t("title")}
        description={t("subtitle", { baseUrl })}
        actions={
          <div className="flex gap-4 text-sm font-medium whitespace-nowrap">
            <a href="/settings/api-keys" className="text-brand-700 hover:underline">
              {t("keys")}
            </a>
            <a href="/api/v1/openapi.json" target="_blank" rel="noreferrer" className="text-brand-700 hover:underline">
              {t("download")}
            </a>
          </div>
        }
      />
      <LazyApiReference baseUrl={baseUrl} />
    </div>
  );
}
