"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { createTemplateAction } from "@/app/(cabinet)/templates/actions";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton, useMessage } from "@/components/ui/form";
import { TEMPLATE_KINDS } from "@/lib/templates/definition";

export function NewTemplateForm() {
  const t = useTranslations("templates");
  const common = useTranslations("common");
  const message = useMessage();
  const [state, action] = useActionState(createTemplateAction, null);
  const kindError = state && !state.ok ? state.fieldErrors?.kind : undefined;
  const chosen = (state && !state.ok ? state.values?.kind : undefined) ?? "loyalty";
  return (
    <Card className="p-5 sm:p-6">
      <form action={action} className="flex flex-col gap-5" noValidate>
        <FormAlert state={state} />
        <Field label={t("name")} name="name" required maxLength={80} placeholder={t("namePlaceholder")} state={state} />
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">{t("kind")}</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {TEMPLATE_KINDS.map((kind) => (
              <label
                key={kind}
                className="flex cursor-pointer gap-3 rounded-xl border border-slate-200 p-3 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500"
              >
                <input type="radio" name="kind" value={kind} defaultChecked={kind === chosen} className="mt-1 accent-brand-600" />
                <span>
                  <span className="block text-sm font-semibold">{t(`kinds.${kind}.name`)}</span>
                  <span className="block text-xs text-slate-600">{t(`kinds.${kind}.text`)}</span>
                </span>
              </label>
            ))}
          </div>
          {kindError && <p className="mt-2 text-sm text-red-600">{message(kindError)}</p>}
        </fieldset>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <ButtonLink href="/templates" variant="secondary">
            {common("cancel")}
          </ButtonLink>
          <SubmitButton>{t("create")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
