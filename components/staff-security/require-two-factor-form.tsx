"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { requireTwoFactorAction } from "@/app/(cabinet)/settings/security/actions";
import { Card } from "@/components/ui/card";
import { FormAlert, SubmitButton } from "@/components/ui/form";

/** The owner's switch: two-factor sign-in for every staff member of the organisation. */
export function RequireTwoFactorForm({ required }: { required: boolean }) {
  const t = useTranslations("security");
  const [state, action] = useActionState(requireTwoFactorAction, null);
  return (
    <Card className="flex flex-col gap-3 p-5 sm:p-6">
      <h2 className="text-lg font-semibold">{t("requireTitle")}</h2>
      <p className="text-sm text-slate-600">{required ? t("requireOnText") : t("requireOffText")}</p>
      <form action={action} className="flex flex-col gap-3">
        <FormAlert state={state} />
        <input type="hidden" name="required" value={required ? "false" : "true"} />
        <div className="flex justify-end">
          <SubmitButton variant={required ? "secondary" : "primary"}>{required ? t("requireOff") : t("requireOn")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
