"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { addStaffAction } from "@/app/(cabinet)/settings/staff/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";
import { ROLES } from "@/lib/auth/roles";

export function AddStaffForm() {
  const t = useTranslations("staff");
  const roles = useTranslations("roles");
  const [state, action] = useActionState(addStaffAction, null);
  const added = state?.ok ? (state.data as { email: string }).email : null;
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("addTitle")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("addHelp")}</p>
      <form action={action} className="mt-4 grid gap-4 sm:grid-cols-2" noValidate>
        <div className="sm:col-span-2">
          <FormAlert state={state} success={added ? t("added", { email: added }) : undefined} />
        </div>
        <Field label={t("name")} name="name" required state={state} />
        <Field label={t("email")} name="email" type="email" autoComplete="off" required state={state} />
        <SelectField label={t("role")} name="role" defaultValue="cashier" options={ROLES.map((r) => ({ value: r, label: roles(r) }))} state={state} />
        <Field label={t("password")} name="password" type="password" autoComplete="new-password" required hint={t("passwordHint")} state={state} />
        <div className="flex justify-end sm:col-span-2">
          <SubmitButton>{t("add")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
