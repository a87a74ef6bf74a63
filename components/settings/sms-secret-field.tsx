"use client";

import { useTranslations } from "next-intl";
import { Field } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";

/**
 * A provider secret: never filled in from the server. Once one is saved the field says so (with its
 * last four characters when it is long enough) and an empty field keeps it.
 */
export function SecretField({
  label,
  name,
  ending,
  saved,
  hint,
  state,
}: {
  label: string;
  name: string;
  ending: string | null;
  saved?: boolean;
  hint?: string;
  state: ActionResult | null;
}) {
  const t = useTranslations("messaging");
  const isSaved = saved ?? ending !== null;
  const status = isSaved ? (ending ? t("savedEnding", { ending }) : t("savedHidden")) : null;
  return (
    <Field
      label={label}
      name={name}
      type="password"
      autoComplete="new-password"
      spellCheck={false}
      placeholder={isSaved ? t("keepPlaceholder") : undefined}
      hint={[status, hint].filter(Boolean).join(" ")}
      state={state}
    />
  );
}
