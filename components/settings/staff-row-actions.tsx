"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { changeRoleAction, setActiveAction } from "@/app/(cabinet)/settings/staff/actions";
import { EndMemberSessionsButton } from "@/components/staff-security/session-buttons";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { SubmitButton, useMessage } from "@/components/ui/form";
import { ROLES } from "@/lib/auth/roles";

export function StaffRowActions({ id, name, role, active }: { id: string; name: string; role: string; active: boolean }) {
  const t = useTranslations("staff");
  const roles = useTranslations("roles");
  const message = useMessage();
  const [roleState, roleAction] = useActionState(changeRoleAction, null);
  const [activeState, activate] = useActionState(setActiveAction, null);
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-2">
        <form action={roleAction} className="flex items-center gap-2">
          <input type="hidden" name="id" value={id} />
          <label className="sr-only" htmlFor={`role-${id}`}>
            {t("role")}
          </label>
          <select id={`role-${id}`} name="role" defaultValue={role} className="min-h-9 rounded-lg border border-slate-300 bg-white px-2 text-sm">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roles(r)}
              </option>
            ))}
          </select>
          <SubmitButton variant="secondary" className="min-h-9 px-3">
            {t("changeRole")}
          </SubmitButton>
        </form>
        {active ? (
          <ConfirmButton
            action={setActiveAction}
            fields={{ id, active: "false" }}
            label={t("deactivate")}
            title={t("deactivateTitle")}
            text={t("deactivateText", { name })}
            confirmLabel={t("deactivate")}
          />
        ) : (
          <form action={activate}>
            <input type="hidden" name="id" value={id} />
            <input type="hidden" name="active" value="true" />
            <SubmitButton variant="ghost">{t("activate")}</SubmitButton>
          </form>
        )}
        {active && <EndMemberSessionsButton id={id} name={name} />}
      </div>
      {[roleState, activeState].map((s, i) =>
        s && !s.ok ? (
          <p key={i} role="alert" className="text-sm text-red-600">
            {message(s.error)}
          </p>
        ) : null,
      )}
    </div>
  );
}
