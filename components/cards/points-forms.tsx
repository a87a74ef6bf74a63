"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useId, useRef } from "react";
import { adjustPointsAction, postPointsAction, reversePointsAction } from "@/app/(cabinet)/cards/points-actions";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";

// `formKey` is made on the server for each render of the section: both submissions of a double click
// carry the same one (the ledger posts once); the page drawn after a success brings a new one.

/** Accrue or redeem (cashier and up): one form, the button says which. */
export function PostPointsForm({ id, formKey, locations }: { id: string; formKey: string; locations: { id: string; name: string }[] }) {
  const t = useTranslations("points");
  const [state, action] = useActionState(postPointsAction, null);
  const done = state?.ok ? (state.data as { points: number; balanceAfter: number }) : null;
  // A refusal belongs to the render it was made in: once the page is drawn anew (this or another form
  // moved the points), the balance it told of is stale, so it goes.
  const shown = state && !state.ok && state.values?.key !== formKey ? null : state;
  return (
    <form action={action} className="flex flex-col gap-3" noValidate data-testid="points-post-form">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="key" value={formKey} />
      <FormAlert state={shown} success={done ? t("posted", { points: done.points, balance: done.balanceAfter }) : undefined} />
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label={t("points")} name="points" inputMode="numeric" autoComplete="off" required state={shown} />
        <Field label={t("receipt")} name="receipt" maxLength={64} autoComplete="off" state={shown} />
        {locations.length > 0 && (
          <SelectField
            label={t("location")}
            name="locationId"
            state={shown}
            options={[{ value: "", label: t("noLocation") }, ...locations.map((l) => ({ value: l.id, label: l.name }))]}
          />
        )}
      </div>
      <div className="flex flex-wrap justify-end gap-2">
        <SubmitButton variant="primary" name="op" value="accrue" className="flex-1 sm:flex-none">
          {t("accrue")}
        </SubmitButton>
        <SubmitButton variant="secondary" name="op" value="redeem" className="flex-1 sm:flex-none">
          {t("redeem")}
        </SubmitButton>
      </div>
    </form>
  );
}

/** A manager's correction up or down, with the reason the history keeps. */
export function AdjustPointsForm({ id, formKey, expectedTag }: { id: string; formKey: string; expectedTag: number }) {
  const t = useTranslations("points");
  const [state, action] = useActionState(adjustPointsAction, null);
  return (
    <form action={action} className="flex flex-col gap-3" noValidate data-testid="points-adjust-form">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="key" value={formKey} />
      <input type="hidden" name="expectedTag" value={expectedTag} />
      <FormAlert state={state} success={state?.ok ? t("adjusted") : undefined} />
      <div className="grid gap-3 sm:grid-cols-[10rem_minmax(0,1fr)]">
        <Field label={t("adjustPoints")} name="points" inputMode="text" autoComplete="off" hint={t("adjustHint")} state={state} />
        <Field label={t("reason")} name="reason" maxLength={200} autoComplete="off" required state={state} />
      </div>
      <div className="flex justify-end">
        <SubmitButton variant="secondary" className="flex-1 sm:flex-none">
          {t("adjust")}
        </SubmitButton>
      </div>
    </form>
  );
}

/**
 * Reverse, asked first in a dialog (Esc closes it): in full by default, or in part — points, or for a
 * purchase the money refunded, in the currency's major unit.
 */
export function ReverseButton({
  id,
  formKey,
  by,
  left,
  leftText,
  title,
}: {
  id: string;
  formKey: string;
  by: "points" | "amount";
  left: number;
  /** What is left to reverse, as people read it ("150.00 ₽", "40 points"). */
  leftText: string;
  title: string;
}) {
  const t = useTranslations("points");
  const common = useTranslations("common");
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, action] = useActionState(reversePointsAction, null);
  useEffect(() => {
    if (state?.ok) dialog.current?.close();
  }, [state]);
  return (
    <>
      <Button variant="dangerGhost" className="min-h-9 px-3" onClick={() => dialog.current?.showModal()} aria-label={t("reverseLabel", { what: title })}>
        {t("reverse")}
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-0 shadow-xl">
        <form action={action} className="flex flex-col gap-4 p-6" noValidate>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="key" value={formKey} />
          <h2 id={titleId} className="text-lg font-semibold">
            {t("reverseTitle", { what: title })}
          </h2>
          <p className="text-sm text-slate-600">{t(by === "amount" ? "reverseTextAmount" : "reverseTextPoints", { left: leftText })}</p>
          <FormAlert state={state && !state.ok && !state.fieldErrors ? state : null} />
          <Field
            label={t(by === "amount" ? "reverseAmount" : "reversePoints")}
            name={by}
            inputMode={by === "amount" ? "decimal" : "numeric"}
            autoComplete="off"
            placeholder={by === "points" ? String(left) : undefined}
            hint={t("reverseHint")}
            state={state}
          />
          <Field label={t("reasonOptional")} name="reason" maxLength={200} autoComplete="off" state={state} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              {common("cancel")}
            </Button>
            <SubmitButton variant="danger">{t("reverseConfirm")}</SubmitButton>
          </div>
        </form>
      </dialog>
    </>
  );
}
