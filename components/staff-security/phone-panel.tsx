"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { confirmPhoneAction, removePhoneAction, startPhoneAction } from "@/app/(cabinet)/settings/security/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";

/** Settings → Security: the staff member's phone, proved by an SMS code, for "forgot password" by SMS. */
export function PhonePanel({ phone }: { phone: string | null }) {
  const t = useTranslations("security.phone");
  const [started, start] = useActionState(startPhoneAction, null);
  const [confirmed, confirm] = useActionState(confirmPhoneAction, null);
  const [removed, remove] = useActionState(removePhoneAction, null);
  const pending = started?.ok && started.data && !confirmed?.ok ? started.data.phone : null;
  return (
    <Card className="flex flex-col gap-3 p-5 sm:p-6" data-testid="phone-panel">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <p className="text-sm text-slate-600">{phone ? t("verified", { phone }) : t("none")}</p>
      {pending ? (
        <form action={confirm} className="flex flex-col gap-3">
          <p role="status" className="text-sm text-slate-700">
            {t("sent", { phone: pending })}
          </p>
          <FormAlert state={confirmed} />
          <Field label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code" required state={confirmed} />
          <div className="flex justify-end">
            <SubmitButton>{t("confirm")}</SubmitButton>
          </div>
        </form>
      ) : (
        <form action={start} className="flex flex-col gap-3">
          <FormAlert state={started} />
          <Field label={t("phone")} name="phone" type="tel" autoComplete="tel" required state={started} />
          <div className="flex justify-end">
            <SubmitButton>{t("send")}</SubmitButton>
          </div>
        </form>
      )}
      {phone && (
        <form action={remove} className="flex justify-end">
          <FormAlert state={removed} />
          <SubmitButton variant="secondary">{t("remove")}</SubmitButton>
        </form>
      )}
    </Card>
  );
}
