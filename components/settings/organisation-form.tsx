"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { updateOrganisationAction } from "@/app/(cabinet)/settings/organisation/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";
import type { Merchant } from "@/db/schema";

type OrganisationFields = Pick<Merchant, "name" | "legalName" | "taxId" | "legalAddress" | "contactEmail" | "contactPhone" | "timeZone" | "currency">;

/** Only the fields this form edits reach the browser; the merchant row will also hold encrypted provider settings. */
export function OrganisationForm({ merchant, currencies, timeZones }: { merchant: OrganisationFields; currencies: readonly string[]; timeZones: string[] }) {
  const t = useTranslations("organisation");
  const common = useTranslations("common");
  const [state, action] = useActionState(updateOrganisationAction, null);
  return (
    <Card className="p-5 sm:p-6">
      <form action={action} className="flex flex-col gap-5" noValidate>
        <FormAlert state={state} success={common("saved")} />
        <Field label={t("name")} name="name" required defaultValue={merchant.name} state={state} />
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label={t("legalName")} name="legalName" defaultValue={merchant.legalName ?? ""} state={state} />
          <Field label={t("taxId")} name="taxId" inputMode="numeric" hint={t("taxIdHint")} defaultValue={merchant.taxId ?? ""} state={state} />
        </div>
        <Field label={t("legalAddress")} name="legalAddress" defaultValue={merchant.legalAddress ?? ""} state={state} />
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label={t("contactEmail")} name="contactEmail" type="email" defaultValue={merchant.contactEmail ?? ""} state={state} />
          <Field label={t("contactPhone")} name="contactPhone" type="tel" defaultValue={merchant.contactPhone ?? ""} state={state} />
        </div>
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField
            label={t("timeZone")}
            name="timeZone"
            defaultValue={merchant.timeZone}
            options={timeZones.map((z) => ({ value: z, label: z.replaceAll("_", " ") }))}
            state={state}
          />
          <SelectField
            label={t("currency")}
            name="currency"
            defaultValue={merchant.currency}
            options={currencies.map((c) => ({ value: c, label: c }))}
            state={state}
          />
        </div>
        <div className="flex justify-end">
          <SubmitButton pendingLabel={common("saving")}>{common("save")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
