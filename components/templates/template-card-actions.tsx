"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { archiveTemplateAction, duplicateTemplateAction } from "@/app/(cabinet)/templates/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { SubmitButton, useMessage } from "@/components/ui/form";

export function TemplateCardActions({ id, name, archived }: { id: string; name: string; archived: boolean }) {
  const t = useTranslations("templates");
  const message = useMessage();
  const [dupState, duplicate] = useActionState(duplicateTemplateAction, null);
  const [restoreState, unarchive] = useActionState(archiveTemplateAction, null);
  const failed = [dupState, restoreState].find((s) => s && !s.ok);
  return (
    <div className="mt-auto flex flex-wrap items-center gap-1 pt-2">
      <form action={duplicate}>
        <input type="hidden" name="id" value={id} />
        <SubmitButton variant="ghost" className="min-h-9 px-3">
          {t("duplicate")}
        </SubmitButton>
      </form>
      {archived ? (
        <form action={unarchive}>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="archived" value="false" />
          <SubmitButton variant="ghost" className="min-h-9 px-3">
            {t("unarchive")}
          </SubmitButton>
        </form>
      ) : (
        <ConfirmButton
          action={archiveTemplateAction}
          fields={{ id, archived: "true" }}
          label={t("archive")}
          title={t("archiveTitle")}
          text={t("archiveText", { name })}
          confirmLabel={t("archive")}
        />
      )}
      {failed && !failed.ok && (
        <p role="alert" className="w-full text-sm text-red-600">
          {message(failed.error)}
        </p>
      )}
    </div>
  );
}
