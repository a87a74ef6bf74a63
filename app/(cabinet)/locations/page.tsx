import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { LOCATIONS_PAGE_SIZE, listLocations } from "@/lib/locations";
import { page as pageParam } from "@/lib/validations/common";
import { listLocationsQuerySchema } from "@/lib/validations/locations";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("locations") };
}

export default async function LocationsPage({ searchParams }: { searchParams: Promise<{ page?: string; q?: string }> }) {
  const ctx = await requireStaff("locations.view");
  const t = await getTranslations("locations");
  const params = await searchParams;
  const page = pageParam().parse(params.page);
  const { q: search } = listLocationsQuerySchema.parse(params);
  const { rows, total } = await listLocations(getDb(), ctx.merchantId, { page, pageSize: LOCATIONS_PAGE_SIZE, search });
  const manage = can(ctx.role, "locations.manage");
  const coords = (lat: number, lng: number) => `${lat.toFixed(5)}, ${lng.toFixed(5)}`;

  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} actions={manage && <ButtonLink href="/locations/new">{t("new")}</ButtonLink>} />
      <Card>
        <form className="flex gap-2 border-b border-slate-100 p-3" role="search">
          <label htmlFor="q" className="sr-only">
            {t("search")}
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={search}
            placeholder={t("search")}
            className="min-h-10 flex-1 rounded-lg border border-slate-300 px-3 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none"
          />
          <button type="submit" className="rounded-lg border border-slate-300 bg-white px-4 text-sm font-medium hover:bg-slate-50">
            {t("find")}
          </button>
        </form>
        {rows.length === 0 ? (
          search ? (
            <EmptyState icon="search" title={t("noMatchTitle")} text={t("noMatchText", { q: search })} />
          ) : (
            <EmptyState
              icon="locations"
              title={t("emptyTitle")}
              text={t("emptyText")}
              action={manage && <ButtonLink href="/locations/new">{t("new")}</ButtonLink>}
            />
          )
        ) : (
          <>
            <table className="hidden w-full text-sm md:table">
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
                <tr>
                  <th className="px-4 py-3">{t("name")}</th>
                  <th className="px-4 py-3">{t("address")}</th>
                  <th className="px-4 py-3">{t("coordinates")}</th>
                  <th className="px-4 py-3">{t("nearbyText")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((l) => (
                  <tr key={l.id} className="hover:bg-slate-50">
                    <td className="px-4 py-3 font-medium">
                      {manage ? (
                        <Link href={`/locations/${l.id}`} className="text-brand-700 hover:underline">
                          {l.name}
                        </Link>
                      ) : (
                        l.name
                      )}
                    </td>
                    <td className="px-4 py-3 text-slate-600">{l.address || "—"}</td>
                    <td className="px-4 py-3 font-mono text-xs text-slate-600">{coords(l.latitude, l.longitude)}</td>
                    <td className="px-4 py-3 text-slate-600">{l.nearbyText || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <ul className="divide-y divide-slate-100 md:hidden">
              {rows.map((l) => (
                <li key={l.id} className="px-4 py-3">
                  {manage ? (
                    <Link href={`/locations/${l.id}`} className="font-medium text-brand-700">
                      {l.name}
                    </Link>
                  ) : (
                    <span className="font-medium">{l.name}</span>
                  )}
                  <p className="text-sm text-slate-600">{l.address || "—"}</p>
                  <p className="font-mono text-xs text-slate-500">{coords(l.latitude, l.longitude)}</p>
                </li>
              ))}
            </ul>
          </>
        )}
        <Pagination page={page} pageSize={LOCATIONS_PAGE_SIZE} total={total} basePath="/locations" query={{ q: search }} />
      </Card>
    </>
  );
}
