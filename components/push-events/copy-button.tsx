"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/form";
import type { FormAction } from "@/lib/actions/result";

/** Copies the event into a new scheduled one and opens it. */
export function CopyPushEventButton({ action, id }: { action: FormAction; id: string }) {
  const t = useTranslations("pushEvents");
  const [, formAction] = useActionState(action, null);
  return (
    <form action={formAction}>
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="secondary">{t("copy")}</SubmitButton>
    </form>
  );
}
