import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** Server-side pagination links that keep the other query parameters. */
export async function Pagination({
  page,
  pageSize,
  total,
  basePath,
  query = {},
  param = "page",
}: {
  page: number;
  pageSize: number;
  total: number;
  basePath: string;
  query?: Record<string, string | undefined>;
  /** The query parameter holding the page number, when a page has more than one list. */
  param?: string;
}) {
  const t = await getTranslations("common");
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(Object.entries({ ...query, [param]: String(p) }).filter((e): e is [string, string] => !!e[1]));
    return `${basePath}?${params}`;
  };
  const link = "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50";
  return (
    <nav aria-label={t("pagination")} className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm text-slate-600">
      <span>{t("pageOf", { page, pages, total })}</span>
      <div className="flex gap-2">
        {page > 1 && (
          <Link className={link} href={href(page - 1)} rel="prev">
            {t("previous")}
          </Link>
        )}
        {page < pages && (
          <Link className={link} href={href(page + 1)} rel="next">
            {t("next")}
          </Link>
        )}
      </div>
    </nav>
  );
}
