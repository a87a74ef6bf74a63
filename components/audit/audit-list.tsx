import { getFormatter, getTranslations } from "next-intl/server";
import type { AuditEntry } from "@/db/schema";

type Row = { entry: AuditEntry; userName: string | null; userEmail: string | null };

/** What was changed, by whom and when; the summary names the thing changed where it has a name. */
export async function AuditList({ rows }: { rows: Row[] }) {
  const t = await getTranslations("activity");
  const format = await getFormatter();
  const subject = (e: AuditEntry) => {
    const value = (e.after ?? e.before) as Record<string, unknown> | null;
    for (const key of ["name", "email", "number", "fileName"]) if (typeof value?.[key] === "string") return value[key] as string;
    return "";
  };
  return (
    <ul className="divide-y divide-slate-100">
      {rows.map(({ entry, userName, userEmail }) => (
        <li key={entry.id} className="flex flex-col gap-0.5 px-4 py-3 sm:flex-row sm:items-center sm:gap-4">
          <div className="min-w-0 flex-1">
            <p className="text-sm text-slate-800">
              <span className="font-medium">{userName ?? userEmail ?? t("system")}</span>{" "}
              {t.has(`actions.${entry.action}`) ? t(`actions.${entry.action}`) : entry.action}
              {subject(entry) && <span className="font-medium"> {t("subject", { name: subject(entry) })}</span>}
            </p>
          </div>
          <time dateTime={entry.createdAt.toISOString()} className="shrink-0 text-xs text-slate-500">
            {format.dateTime(entry.createdAt, "moment")}
          </time>
        </li>
      ))}
    </ul>
  );
}
