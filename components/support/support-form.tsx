"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import { sendSupportRequestAction } from "@/app/(cabinet)/settings/support/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";

export function SupportForm({ page }: { page: string }) {
  const t = useTranslations("support");
  const [state, action] = useActionState(sendSupportRequestAction, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="text-lg font-semibold">{t("formTitle")}</h2>
      <form ref={form} action={action} className="mt-4 flex flex-col gap-4" noValidate>
        <FormAlert state={state} success={t("sent")} />
        <input type="hidden" name="page" value={page} />
        <Field label={t("subject")} name="subject" maxLength={150} required state={state} />
        <Field label={t("message")} name="message" multiline rows={6} maxLength={5000} required state={state} />
        <div className="flex justify-end">
          <SubmitButton>{t("send")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
