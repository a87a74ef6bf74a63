"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { requestFormCodeAction, submitFormAction } from "@/app/(public)/f/[token]/actions";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, SelectField, SubmitButton, useMessage } from "@/components/ui/form";
import type { FieldType } from "@/lib/forms/definition";

/** A field as the visitor sees it: its label and options already in their language. */
export type ShownField = { key: string; type: FieldType; label: string; required: boolean; maxLength?: number; options?: { value: string; label: string }[] };
export type ShownConsent = { key: string; text: string; required: boolean };

/**
 * Phone → code → the form's fields and consent boxes → the card. The phone is proven by the code before
 * anything is kept; a phone that already holds a card gets that card back.
 */
export function PublicForm({ token, fields, consents, referral }: { token: string; fields: ShownField[]; consents: ShownConsent[]; referral?: string }) {
  const t = useTranslations("forms");
  const auth = useTranslations("customerAuth");
  const message = useMessage();
  const [requested, request] = useActionState(requestFormCodeAction, null);
  const [submitted, submit] = useActionState(submitFormAction, null);
  const [setAside, setSetAside] = useState<unknown>(null);
  const phone = requested?.ok && requested !== setAside ? (requested.data as { phone: string }).phone : null;

  if (!phone) {
    return (
      <form action={request} className="flex flex-col gap-4" noValidate data-testid="phone-step">
        <input type="hidden" name="token" value={token} />
        <FormAlert state={requested && !requested.ok && !requested.fieldErrors ? requested : null} />
        <Field label={auth("phone")} name="phone" type="tel" inputMode="tel" autoComplete="tel" required placeholder="+7 916 123-45-67" state={requested} />
        <SubmitButton pendingLabel={auth("sending")}>{auth("getCode")}</SubmitButton>
      </form>
    );
  }
  const errors = submitted && !submitted.ok ? (submitted.fieldErrors ?? {}) : {};
  const labelOf = (f: ShownField) => (f.required ? f.label : t("optional", { label: f.label }));
  return (
    <div className="flex flex-col gap-4" data-testid="code-step">
      <p className="text-sm text-slate-700">{auth("codeSent", { phone })}</p>
      <form action={submit} className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="phone" value={phone} />
        {referral && <input type="hidden" name="ref" value={referral} />}
        <FormAlert state={submitted && !submitted.ok && !submitted.fieldErrors?.code ? submitted : null} />
        <Field label={auth("code")} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} pattern="\d{6}" required state={submitted} />
        {fields.map((f) => {
          const name = `f_${f.key}`;
          if (f.type === "checkbox")
            return (
              <div key={f.key} className="flex flex-col gap-1">
                <label className="flex items-start gap-2 text-sm text-slate-700">
                  <input type="checkbox" name={name} className="mt-1" />
                  <span>{labelOf(f)}</span>
                </label>
                {errors[name] && <p className="text-sm text-red-600">{message(errors[name])}</p>}
              </div>
            );
          if (f.type === "choice" || f.type === "gender") {
            const options =
              f.type === "gender" ? (["female", "male", "other"] as const).map((g) => ({ value: g, label: t(`genders.${g}`) })) : (f.options ?? []);
            return <SelectField key={f.key} label={labelOf(f)} name={name} options={[{ value: "", label: "—" }, ...options]} state={submitted} />;
          }
          const type = f.type === "email" ? "email" : f.type === "number" ? "number" : f.type === "date" || f.type === "birthday" ? "date" : "text";
          const autoComplete = f.type === "name" ? "name" : f.type === "email" ? "email" : f.type === "birthday" ? "bday" : undefined;
          return <Field key={f.key} label={labelOf(f)} name={name} type={type} autoComplete={autoComplete} maxLength={f.maxLength ?? 200} state={submitted} />;
        })}
        {consents.map((c) => (
          <div key={c.key} className="flex flex-col gap-1">
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" name={`c_${c.key}`} className="mt-1" data-testid={`consent-${c.key}`} />
              <span className="whitespace-pre-line">{c.text}</span>
            </label>
            {errors[`c_${c.key}`] && <p className="text-sm text-red-600">{message(errors[`c_${c.key}`])}</p>}
          </div>
        ))}
        <SubmitButton pendingLabel={auth("checking")}>{auth("getCard")}</SubmitButton>
      </form>
      <Button variant="ghost" className="self-start px-0" onClick={() => setSetAside(requested)}>
        {auth("changePhone")}
      </Button>
    </div>
  );
}
