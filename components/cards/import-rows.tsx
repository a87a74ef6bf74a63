import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { IMPORT_ROWS_PAGE_SIZE } from "@/lib/cards/import";
import type { StoredRow } from "@/lib/cards/import-preview";

/** The checked rows of an import waiting to be issued, a page at a time, each with what will happen to it. */
export async function ImportRowsTable({
  importId,
  rows,
  count,
  page,
}: {
  importId: string;
  rows: { line: number; data: StoredRow }[];
  count: number;
  page: number;
}) {
  const t = await getTranslations("cards.import");
  const format = await getFormatter();
  const day = (iso: string) => format.dateTime(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso), { dateStyle: "medium", timeZone: "UTC" });
  const values = (d: StoredRow) =>
    [
      d.balance !== undefined && t("valueBalance", { value: format.number(d.balance) }),
      d.discount !== undefined && t("valueDiscount", { value: d.discount }),
      d.expiresAt && t("valueExpires", { date: day(d.expiresAt) }),
      d.number && t("valueNumber", { number: d.number }),
      d.birthday && t("valueBirthday", { date: day(d.birthday) }),
      ...Object.entries(d.custom ?? {}).map(([key, value]) => `${key}: ${value}`),
    ]
      .filter(Boolean)
      .join(" · ");
  return (
    <Card>
      <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{t("rowsTitle", { count })}</h2>
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="import-row-table">
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-4 py-2">{t("line")}</th>
              <th className="px-4 py-2">{t("rowPhone")}</th>
              <th className="px-4 py-2">{t("rowName")}</th>
              <th className="px-4 py-2">{t("rowEmail")}</th>
              <th className="px-4 py-2">{t("rowValues")}</th>
              <th className="px-4 py-2">{t("rowOutcome")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map(({ line, data }) => (
              <tr key={line} data-testid="import-row">
                <td className="px-4 py-2 font-mono">{line}</td>
                <td className="px-4 py-2 font-mono whitespace-nowrap">{data.phone}</td>
                <td className="px-4 py-2">{data.name ?? "—"}</td>
                <td className="px-4 py-2">{data.email ?? "—"}</td>
                <td className="px-4 py-2 text-slate-600">{values(data) || "—"}</td>
                <td className="px-4 py-2 whitespace-nowrap">
                  {data.held ? <Badge tone="gray">{t("alreadyHas")}</Badge> : <Badge tone="green">{t("willIssue")}</Badge>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pageSize={IMPORT_ROWS_PAGE_SIZE} total={count} basePath={`/cards/import/${importId}`} param="rows" />
    </Card>
  );
}
