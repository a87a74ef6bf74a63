"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { clearCardExpiryAction, moveCardAction, setCardExpiryAction, updateCardCustomerAction, updateCardValuesAction } from "@/app/(cabinet)/cards/actions";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";

type Tagged = { id: string; expectedTag: number };

function Hidden({ id, expectedTag }: Partial<Tagged>) {
  return (
    <>
      {id && <input type="hidden" name="id" value={id} />}
      {expectedTag !== undefined && <input type="hidden" name="expectedTag" value={expectedTag} />}
    </>
  );
}

/**
 * Discount and the template's custom fields; the balance is shown, not typed: it moves only through
 * the ledger (Points → Accrue, Redeem, or Adjust with a reason and a form key), never by overwriting
 * it here. Saving a card someone changed meanwhile is refused.
 */
export function CardValuesForm({
  id,
  expectedTag,
  balanceText,
  balanceHint,
  discount,
  custom,
  fields,
}: Tagged & {
  /** The balance as the card's kind reads it ("1,250", "RUB 500.00"). */
  balanceText: string;
  /** Where the balance is changed instead. */
  balanceHint: string;
  discount: number;
  custom: Record<string, string>;
  fields: { key: string; label: string }[];
}) {
  const t = useTranslations("cards.page");
  const [state, action] = useActionState(updateCardValuesAction, null);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate data-testid="card-values-form">
      <Hidden id={id} expectedTag={expectedTag} />
      <FormAlert state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-1.5">
          <span className="text-sm font-medium text-slate-700">{t("balance")}</span>
          <p className="min-h-10 py-2 text-sm font-semibold" data-testid="card-balance">
            {balanceText}
          </p>
          <p className="text-xs text-slate-500">{balanceHint}</p>
        </div>
        <Field label={t("discount")} name="discount" inputMode="numeric" defaultValue={discount} state={state} />
        {fields.map((f) => (
          <Field key={f.key} label={f.label || f.key} name={`custom.${f.key}`} defaultValue={custom[f.key] ?? ""} maxLength={200} state={state} />
        ))}
      </div>
      <div className="flex justify-end">
        <SubmitButton variant="primary">{t("saveValues")}</SubmitButton>
      </div>
    </form>
  );
}

export function CardExpiryForm({ id, expectedTag, expiresAt }: Tagged & { expiresAt: string | null }) {
  const t = useTranslations("cards.page");
  const [state, action] = useActionState(setCardExpiryAction, null);
  const [clearState, clear] = useActionState(clearCardExpiryAction, null);
  return (
    <div className="flex flex-col gap-3">
      <form action={action} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
        <Hidden id={id} expectedTag={expectedTag} />
        <Field label={t("expiresAt")} name="expiresAt" type="date" defaultValue={expiresAt ?? ""} className="flex-1" state={state} />
        <SubmitButton variant="secondary">{t("setExpiry")}</SubmitButton>
      </form>
      {expiresAt && (
        <form action={clear}>
          <Hidden id={id} expectedTag={expectedTag} />
          <SubmitButton variant="ghost" className="px-0 text-brand-700">
            {t("clearExpiry")}
          </SubmitButton>
        </form>
      )}
      <FormAlert state={state && !state.ok && !state.fieldErrors ? state : clearState} />
    </div>
  );
}

export function CardHolderForm({ id, customer }: { id: string; customer: { phone: string; name: string; email: string; birthday: string } }) {
  const t = useTranslations("cards.issue");
  const page = useTranslations("cards.page");
  const [state, action] = useActionState(updateCardCustomerAction, null);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <Hidden id={id} />
      <FormAlert state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t("phone")} name="customer.phone" type="tel" inputMode="tel" defaultValue={customer.phone} state={state} />
        <Field label={t("name")} name="customer.name" defaultValue={customer.name} maxLength={120} state={state} />
        <Field label={t("email")} name="customer.email" type="email" defaultValue={customer.email} state={state} />
        <Field label={t("birthday")} name="customer.birthday" type="date" defaultValue={customer.birthday} state={state} />
      </div>
      <p className="text-xs text-slate-500">{page("holderHint")}</p>
      <div className="flex justify-end">
        <SubmitButton variant="secondary">{page("saveHolder")}</SubmitButton>
      </div>
    </form>
  );
}

/** Moving keeps the number, values and history; only templates shown the same way in both wallets are offered. */
export function MoveCardForm({ id, templates }: { id: string; templates: { id: string; name: string }[] }) {
  const t = useTranslations("cards.page");
  const [state, action] = useActionState(moveCardAction, null);
  if (!templates.length) return <p className="text-sm text-slate-500">{t("noMoveTargets")}</p>;
  return (
    <form action={action} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
      <Hidden id={id} />
      <div className="flex-1">
        <SelectField label={t("moveTo")} name="templateId" state={state} options={templates.map((x) => ({ value: x.id, label: x.name }))} />
      </div>
      <SubmitButton variant="secondary">{t("move")}</SubmitButton>
      <FormAlert state={state && !state.ok && !state.fieldErrors ? state : null} />
    </form>
  );
}
