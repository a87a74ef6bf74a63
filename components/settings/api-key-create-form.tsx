"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { createApiKeyAction } from "@/app/(cabinet)/settings/api-keys/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton, useMessage } from "@/components/ui/form";
import { API_KEY_NAME_MAX, API_SCOPES, SCOPE_MESSAGE_KEYS, scopeFieldName } from "@/lib/validations/api-keys";
import { ApiKeySecret } from "./api-key-secret";

type Created = { id: string; name: string; key: string };

// A new key is most often for a till: it looks cards up and reads templates to issue with.
const DEFAULT_SCOPES = new Set<string>(["templates:read", "cards:read"]);

export function ApiKeyCreateForm() {
  const t = useTranslations("apiKeys");
  const message = useMessage();
  const [state, action] = useActionState(createApiKeyAction, null);
  // The key stays on screen until the person says it is saved; a reload loses it for good, by design.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = state?.ok ? (state.data as Created) : null;
  const kept = state && !state.ok ? state.values : undefined;
  const scopesError = state && !state.ok ? state.fieldErrors?.scopes : undefined;

  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("createTitle")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("createHelp")}</p>
      {created && dismissed !== created.id && <ApiKeySecret name={created.name} secret={created.key} onDone={() => setDismissed(created.id)} />}
      <form action={action} className="mt-4 flex flex-col gap-4" noValidate>
        <FormAlert state={state} />
        <Field
          label={t("name")}
          name="name"
          required
          maxLength={API_KEY_NAME_MAX}
          autoComplete="off"
          hint={t("nameHint")}
          state={state}
          className="sm:max-w-md"
        />
        <fieldset aria-describedby={scopesError ? "api-key-scopes-error" : undefined}>
          <legend className="text-sm font-medium text-slate-700">{t("scopesLegend")}</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-3">
            {API_SCOPES.map((scope) => {
              const name = scopeFieldName(scope);
              const label = SCOPE_MESSAGE_KEYS[scope];
              return (
                <label
                  key={scope}
                  className="flex cursor-pointer gap-3 rounded-lg border border-slate-200 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
                >
                  <input
                    type="checkbox"
                    name={name}
                    defaultChecked={kept ? name in kept : DEFAULT_SCOPES.has(scope)}
                    className="mt-0.5 size-4 shrink-0 accent-brand-600"
                  />
                  <span>
                    <span className="block font-medium text-slate-900">{t(`scopes.${label}`)}</span>
                    <span className="block font-mono text-xs text-slate-500">{scope}</span>
                    <span className="mt-1 block text-xs text-slate-600">{t(`scopeHints.${label}`)}</span>
                  </span>
                </label>
              );
            })}
          </div>
          {scopesError && (
            <p id="api-key-scopes-error" className="mt-1.5 text-sm text-red-600">
              {message(scopesError)}
            </p>
          )}
        </fieldset>
        <div className="flex justify-end">
          <SubmitButton>{t("create")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
