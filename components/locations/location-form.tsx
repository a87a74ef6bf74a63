"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import type { Location } from "@/db/schema";
import type { FormAction } from "@/lib/actions/result";

type Props = {
  action: FormAction;
  location?: Location;
};

export function LocationForm({ action, location }: Props) {
  const t = useTranslations("locations");
  const common = useTranslations("common");
  const [state, formAction] = useActionState(action, null);
  return (
    <Card className="p-5 sm:p-6">
      <form action={formAction} className="flex flex-col gap-5" noValidate>
        {location && <input type="hidden" name="id" value={location.id} />}
        <FormAlert state={state} />
        <Field label={t("name")} name="name" required maxLength={120} defaultValue={location?.name} state={state} />
        <Field label={t("address")} name="address" maxLength={300} autoComplete="street-address" defaultValue={location?.address} state={state} />
        <fieldset className="grid gap-5 sm:grid-cols-2">
          <legend className="sr-only">{t("coordinates")}</legend>
          <Field
            label={t("latitude")}
            name="latitude"
            inputMode="decimal"
            required
            placeholder="55.7558"
            hint={t("latitudeHint")}
            defaultValue={location?.latitude}
            state={state}
          />
          <Field
            label={t("longitude")}
            name="longitude"
            inputMode="decimal"
            required
            placeholder="37.6173"
            hint={t("longitudeHint")}
            defaultValue={location?.longitude}
            state={state}
          />
        </fieldset>
        <Field label={t("nearbyText")} name="nearbyText" maxLength={120} hint={t("nearbyHint")} defaultValue={location?.nearbyText} state={state} />
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <ButtonLink href="/locations" variant="secondary">
            {common("cancel")}
          </ButtonLink>
          <SubmitButton pendingLabel={common("saving")}>{location ? common("save") : t("create")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
