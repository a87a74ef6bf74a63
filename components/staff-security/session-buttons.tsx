"use client";

import { useTranslations } from "next-intl";
import { endMemberSessionsAction, endOtherSessionsAction, endSessionAction } from "@/app/(cabinet)/settings/sessions/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";

export function EndSessionButton({ id, device }: { id: string; device: string }) {
  const t = useTranslations("sessions");
  return (
    <ConfirmButton action={endSessionAction} fields={{ id }} label={t("end")} title={t("endTitle")} text={t("endText", { device })} confirmLabel={t("end")} />
  );
}

export function EndOtherSessionsButton() {
  const t = useTranslations("sessions");
  return (
    <ConfirmButton
      action={endOtherSessionsAction}
      fields={{}}
      label={t("endOthers")}
      title={t("endOthersTitle")}
      text={t("endOthersText")}
      confirmLabel={t("endOthers")}
    />
  );
}

/** On Settings → Staff: the owner signs a member out of every device. */
export function EndMemberSessionsButton({ id, name }: { id: string; name: string }) {
  const t = useTranslations("sessions");
  return (
    <ConfirmButton
      action={endMemberSessionsAction}
      fields={{ id }}
      label={t("endMember")}
      title={t("endMemberTitle")}
      text={t("endMemberText", { name })}
      confirmLabel={t("endMember")}
    />
  );
}
