import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { AddStaffForm } from "@/components/settings/add-staff-form";
import { StaffRowActions } from "@/components/settings/staff-row-actions";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { SkipConfirmationSwitch } from "@/components/till/skip-confirmation-switch";
import { can, maySkipConfirmation } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { STAFF_PAGE_SIZE, listStaff } from "@/lib/staff";
import { page as pageParam } from "@/lib/validations/common";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("staff") };
}

export default async function StaffPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireStaff("staff.view");
  const t = await getTranslations("staff");
  const roles = await getTranslations("roles");
  const format = await getFormatter();
  const page = pageParam().parse((await searchParams).page);
  const { rows, total } = await listStaff(getDb(), ctx.merchantId, { page, pageSize: STAFF_PAGE_SIZE });
  const manage = can(ctx.role, "staff.manage");
  return (
    <div>
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="flex flex-col gap-6">
        {manage && <AddStaffForm />}
        <Card>
          <ul className="divide-y divide-slate-100">
            {rows.map((m) => (
              <li key={m.id} className="flex flex-col gap-3 px-4 py-4 lg:flex-row lg:items-center lg:justify-between" data-testid="staff-row">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 font-medium">
                    {m.name}
                    <Badge tone="blue">{roles(m.role)}</Badge>
                    {m.active ? <Badge tone="green">{t("active")}</Badge> : <Badge>{t("inactive")}</Badge>}
                    {m.id === ctx.userId && <Badge tone="amber">{t("you")}</Badge>}
                  </p>
                  <p className="truncate text-sm text-slate-600">{m.email}</p>
                  <p className="text-xs text-slate-500">
                    {m.lastSignInAt ? t("lastSignIn", { when: format.relativeTime(m.lastSignInAt) }) : t("neverSignedIn")}
                  </p>
                </div>
                {manage && m.id !== ctx.userId && (
                  <div className="flex flex-col gap-2">
                    <StaffRowActions id={m.id} name={m.name} role={m.role} active={m.active} />
                    <SkipConfirmationSwitch key={String(maySkipConfirmation(m))} id={m.id} allowed={maySkipConfirmation(m)} />
                  </div>
                )}
              </li>
            ))}
          </ul>
          <Pagination page={page} pageSize={STAFF_PAGE_SIZE} total={total} basePath="/settings/staff" />
        </Card>
      </div>
    </div>
  );
}
