import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { IssueCardForm } from "@/components/cards/issue-card-form";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { policyExpiry } from "@/lib/cards/issue";
import { listTemplates } from "@/lib/templates";
import { pick } from "@/lib/templates/definition";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("cards.issue"))("title") };
}

export default async function NewCardPage({ searchParams }: { searchParams: Promise<{ template?: string }> }) {
  const ctx = await requireStaff("cards.issue");
  const t = await getTranslations("cards.issue");
  const format = await getFormatter();
  const locale = await getLocale();
  const { template } = await searchParams;
  const { rows } = await listTemplates(getDb(), ctx.merchantId, { page: 1, pageSize: 200, archived: false });
  const templates = rows.map(({ template: tpl, definition }) => {
    const expiry = policyExpiry(definition.expiry);
    const custom = Object.values(definition.fields)
      .flat()
      .filter((f) => f.source === "custom")
      .map((f) => ({ key: f.customKey, label: pick(f.label, locale) }));
    return {
      id: tpl.id,
      name: tpl.name,
      custom: [...new Map(custom.map((c) => [c.key, c])).values()],
      expiryHint: expiry ? t("expiryDefault", { date: format.dateTime(expiry, { dateStyle: "medium" }) }) : t("expiryNone"),
    };
  });
  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="max-w-3xl">
        {templates.length ? (
          <IssueCardForm templates={templates} defaultTemplateId={templates.some((x) => x.id === template) ? template : undefined} />
        ) : (
          <Card>
            <EmptyState
              icon="templates"
              title={t("noTemplatesTitle")}
              text={t("noTemplatesText")}
              action={<ButtonLink href="/templates/new">{t("createTemplate")}</ButtonLink>}
            />
          </Card>
        )}
      </div>
    </>
  );
}
