"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";
import type { ActionResult, FormAction } from "@/lib/actions/result";

type Rule = {
  id: string;
  kind: string;
  channel: string;
  message: string;
  days: number;
  hour: number;
  limitPerCard: number;
  quietFrom: number | null;
  quietTo: number | null;
  enabled: boolean;
  sent: number;
};
const KINDS = ["birthday", "inactive", "points_expiring", "welcome", "level_reached"] as const;

/** The fields of a rule, blank for a new one or filled with the rule's values to edit it. */
function RuleFields({ rule, state }: { rule?: Rule; state: ActionResult | null }) {
  const t = useTranslations("pushEvents");
  return (
    <>
      <SelectField
        label={t("triggerKind")}
        name="kind"
        defaultValue={rule?.kind}
        options={KINDS.map((k) => ({ value: k, label: t(`triggerKinds.${k}`) }))}
        state={state}
      />
      <SelectField
        label={t("channel")}
        name="channel"
        defaultValue={rule?.channel}
        options={[
          { value: "push", label: t("types.push") },
          { value: "sms", label: t("types.sms") },
        ]}
        state={state}
      />
      <Field label={t("message")} name="message" maxLength={500} defaultValue={rule?.message} state={state} />
      <Field
        label={t("triggerDays")}
        name="days"
        inputMode="numeric"
        defaultValue={rule ? String(rule.days) : undefined}
        hint={t("triggerDaysHint")}
        state={state}
      />
      <Field label={t("triggerHour")} name="hour" inputMode="numeric" defaultValue={String(rule?.hour ?? 10)} state={state} />
      <Field
        label={t("triggerLimit")}
        name="limitPerCard"
        inputMode="numeric"
        defaultValue={String(rule?.limitPerCard ?? 1)}
        hint={t("triggerLimitHint")}
        state={state}
      />
      <Field
        label={t("triggerQuietFrom")}
        name="quietFrom"
        inputMode="numeric"
        placeholder="21"
        defaultValue={rule?.quietFrom ?? ""}
        hint={t("triggerQuietHint")}
        state={state}
      />
      <Field label={t("triggerQuietTo")} name="quietTo" inputMode="numeric" placeholder="10" defaultValue={rule?.quietTo ?? ""} state={state} />
    </>
  );
}

function EditRule({ rule, updateAction, onDone }: { rule: Rule; updateAction: FormAction; onDone: () => void }) {
  const t = useTranslations("pushEvents");
  const [state, formAction] = useActionState(async (prev: ActionResult | null, data: FormData) => {
    const result = await updateAction(prev, data);
    if (result?.ok) onDone();
    return result;
  }, null);
  return (
    <form action={formAction} className="grid w-full gap-4 py-2 sm:grid-cols-3" noValidate data-testid={`trigger-edit-${rule.id}`}>
      <input type="hidden" name="id" value={rule.id} />
      <div className="sm:col-span-3">
        <FormAlert state={state} />
      </div>
      <RuleFields rule={rule} state={state} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={rule.enabled} />
        {t("triggerEnabled")}
      </label>
      <div className="flex justify-end gap-2 sm:col-span-2">
        <Button type="button" variant="secondary" onClick={onDone}>
          {t("cancelEdit")}
        </Button>
        <SubmitButton>{t("saveTrigger")}</SubmitButton>
      </div>
    </form>
  );
}

/** Triggered messages: one card gets a push or an SMS when something happens to it. */
export function TriggerRules({
  rules,
  createAction,
  updateAction,
  deleteAction,
}: {
  rules: Rule[];
  createAction: FormAction;
  updateAction: FormAction;
  deleteAction: FormAction;
}) {
  const t = useTranslations("pushEvents");
  const [state, formAction] = useActionState(createAction, null);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Card className="mt-6 p-5">
      <h2 className="text-base font-semibold">{t("triggersTitle")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("triggersText")}</p>
      {rules.length > 0 && (
        <ul className="mt-4 divide-y divide-slate-100" data-testid="trigger-rules">
          {rules.map((r) =>
            editing === r.id ? (
              <li key={r.id}>
                <EditRule rule={r} updateAction={updateAction} onDone={() => setEditing(null)} />
              </li>
            ) : (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span className={r.enabled ? undefined : "text-slate-400"}>
                  <strong>{t(`triggerKinds.${r.kind}`)}</strong> · {t(`types.${r.channel === "sms" ? "sms" : "push"}`)} · {r.message}
                  {r.quietFrom !== null && r.quietTo !== null && (
                    <span className="ml-2 text-slate-500">{t("triggerQuiet", { from: r.quietFrom, to: r.quietTo })}</span>
                  )}
                  {!r.enabled && <span className="ml-2">({t("triggerDisabled")})</span>}
                  <span className="ml-2 text-slate-500">{t("triggerSent", { sent: r.sent })}</span>
                </span>
                <span className="flex gap-2">
                  <Button type="button" variant="secondary" onClick={() => setEditing(r.id)} data-testid={`trigger-edit-open-${r.id}`}>
                    {t("editTrigger")}
                  </Button>
                  <ConfirmButton
                    action={deleteAction}
                    fields={{ id: r.id }}
                    label={t("delete")}
                    title={t("deleteTriggerTitle")}
                    text={t("deleteTriggerText")}
                    confirmLabel={t("delete")}
                  />
                </span>
              </li>
            ),
          )}
        </ul>
      )}
      <form action={formAction} className="mt-4 grid gap-4 sm:grid-cols-3" noValidate>
        <div className="sm:col-span-3">
          <FormAlert state={state} />
        </div>
        <RuleFields state={state} />
        <div className="flex justify-end sm:col-span-3">
          <SubmitButton>{t("addTrigger")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
