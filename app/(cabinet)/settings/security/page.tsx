import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PasswordForm } from "@/components/settings/password-form";
import { PhonePanel } from "@/components/staff-security/phone-panel";
import { RequireTwoFactorForm } from "@/components/staff-security/require-two-factor-form";
import { TwoFactorPanel, type TwoFactorView } from "@/components/staff-security/two-factor-panel";
import { PageHeader } from "@/components/ui/card";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { remainingRecoveryCodes } from "@/lib/staff-security/recovery-codes";
import { getTwoFactorState } from "@/lib/staff-security/two-factor";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("security") };
}

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ required?: string; recovery?: string }> }) {
  const ctx = await requireStaff();
  const t = await getTranslations("security");
  const password = await getTranslations("password");
  const { required, recovery } = await searchParams;
  const state = await getTwoFactorState(getDb(), ctx);
  const view: TwoFactorView = state.status === "on" ? { ...state, enabledAt: state.enabledAt.toISOString() } : state;
  // Counted here, not taken from the address: the link after a recovery sign-in only says "look".
  const [me] = await getDb()
    .select({ phone: users.phone, verifiedAt: users.phoneVerifiedAt })
    .from(users)
    .where(and(eq(users.id, ctx.userId), eq(users.merchantId, ctx.merchantId)));
  const remaining = recovery === "used" ? await remainingRecoveryCodes(getDb(), { id: ctx.userId, merchantId: ctx.merchantId }) : null;
  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <PageHeader title={t("title")} description={t("subtitle")} />
      {ctx.merchant.requireTwoFactor && !ctx.twoFactor && (
        <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="two-factor-required">
          {required ? t("requiredNotice") : t("requiredNoticeShort")}
        </p>
      )}
      {remaining !== null && (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="recovery-used">
          {t("recoveryUsed", { count: remaining })}
        </p>
      )}
      <TwoFactorPanel view={view} required={ctx.merchant.requireTwoFactor} />
      <PhonePanel phone={me?.verifiedAt ? me.phone : null} />
      {can(ctx.role, "staff.manage") && <RequireTwoFactorForm required={ctx.merchant.requireTwoFactor} />}
      <section className="flex flex-col gap-3">
        <h2 className="text-lg font-semibold">{password("title")}</h2>
        <PasswordForm />
      </section>
    </div>
  );
}
