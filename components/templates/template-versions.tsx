import { getFormatter, getTranslations } from "next-intl/server";
import { restoreTemplateVersionAction } from "@/app/(cabinet)/templates/actions";
import { Badge, Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";

type Version = { version: number; createdAt: Date; restoredFrom: number | null; authorName: string | null; authorEmail: string | null };

/** Every saved version, newest first; an older one comes back as a new version. */
export async function TemplateVersions({
  templateId,
  versions,
  current,
  canRestore,
}: {
  templateId: string;
  versions: Version[];
  current: number;
  canRestore: boolean;
}) {
  const t = await getTranslations("templates.versions");
  const format = await getFormatter();
  return (
    <Card>
      <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{t("title")}</h2>
      <ol className="divide-y divide-slate-100">
        {versions.map((v) => (
          <li key={v.version} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3" data-testid="template-version">
            <div>
              <p className="flex items-center gap-2 text-sm font-medium">
                {t("version", { version: v.version })}
                {v.version === current && <Badge tone="green">{t("current")}</Badge>}
                {v.restoredFrom && <Badge>{t("restoredFrom", { version: v.restoredFrom })}</Badge>}
              </p>
              <p className="text-xs text-slate-500">
                {v.authorName ?? v.authorEmail ?? t("unknownAuthor")} · {format.dateTime(v.createdAt, "moment")}
              </p>
            </div>
            {canRestore && v.version !== current && (
              <ConfirmButton
                action={restoreTemplateVersionAction}
                fields={{ id: templateId, version: String(v.version) }}
                label={t("restore")}
                title={t("restoreTitle", { version: v.version })}
                text={t("restoreText", { version: v.version })}
                confirmLabel={t("restore")}
                variant="secondary"
              />
            )}
          </li>
        ))}
      </ol>
    </Card>
  );
}
