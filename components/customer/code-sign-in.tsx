"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useState } from "react";
import { enrolAction, requestCodeAction, verifyCodeAction } from "@/app/(public)/my/actions";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import type { FormAction } from "@/lib/actions/result";

const RESEND_SECONDS = 60;

/** Counts down to when another code may be asked for. */
function useCountdown(start: number | null): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (start === null) return;
    const tick = () => setLeft(Math.max(0, RESEND_SECONDS - Math.floor((Date.now() - start) / 1000)));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [start]);
  return left;
}

/**
 * Phone → one-time SMS code → signed in (or, with `enrol`, the holder's details and a new card).
 * Refusals say what happened and when to try again.
 *
 * `enrolment` is whether the merchant's page lets anyone get a card ("open"), or not ("closed"); none
 * is /my. Where a code goes only to a phone holding a card, the answer is the same for every phone
 * (it must not tell whether a phone is known), so it says "if this number has a card" and what to do
 * without one, rather than claiming a code was sent.
 */
export function CodeSignIn({ merchant, purpose = "sign_in", enrolment }: { merchant?: string; purpose?: "sign_in" | "enrol"; enrolment?: "open" | "closed" }) {
  const t = useTranslations("customerAuth");
  const news = useTranslations("pushEvents");
  // Enrolment codes, and sign-in codes where enrolment is open, go to any phone.
  const surelySent = purpose === "enrol" || enrolment === "open";
  const where = merchant ? "here" : "anywhere";
  const [requested, request] = useActionState(requestCodeAction, null);
  const [resent, resend] = useActionState(requestCodeAction, null);
  const finish: FormAction = purpose === "enrol" ? enrolAction : verifyCodeAction;
  const [verified, verify] = useActionState(finish, null);
  // "Change number" sets aside the request it was on; asking again makes a new one.
  const [setAside, setSetAside] = useState<unknown>(null);
  const sent = (r: typeof requested) => (r?.ok ? (r.data as { phone: string; sentAt: number }) : null);
  const phone = requested !== setAside ? (sent(requested)?.phone ?? null) : null;
  const left = useCountdown(Math.max(sent(requested)?.sentAt ?? 0, sent(resent)?.sentAt ?? 0) || null);

  const hidden = (
    <>
      {merchant && <input type="hidden" name="merchant" value={merchant} />}
      <input type="hidden" name="purpose" value={purpose} />
    </>
  );

  if (!phone) {
    return (
      <form action={request} className="flex flex-col gap-4" noValidate data-testid="phone-step">
        {hidden}
        <FormAlert state={requested && !requested.ok && !requested.fieldErrors ? requested : null} />
        <Field label={t("phone")} name="phone" type="tel" inputMode="tel" autoComplete="tel" required placeholder="+7 916 123-45-67" state={requested} />
        <SubmitButton pendingLabel={t("sending")}>{t("getCode")}</SubmitButton>
      </form>
    );
  }

  return (
    <div className="flex flex-col gap-4" data-testid="code-step">
      <div className="flex flex-col gap-1 text-sm text-slate-700" data-testid="code-sent-note">
        <p>{surelySent ? t("codeSent", { phone }) : t(`codeIfCard.${where}`, { phone })}</p>
        {!surelySent && <p className="text-slate-600">{t(`noCardHint.${where}`)}</p>}
      </div>
      <form action={verify} className="flex flex-col gap-4" noValidate>
        {hidden}
        <input type="hidden" name="phone" value={phone} />
        <FormAlert state={verified && !verified.ok && !verified.fieldErrors?.code ? verified : null} />
        <Field label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} pattern="\d{6}" required state={verified} />
        {purpose === "enrol" && (
          <>
            <Field label={t("name")} name="name" autoComplete="name" required maxLength={120} state={verified} />
            <Field label={t("email")} name="email" type="email" autoComplete="email" state={verified} />
            <Field label={t("birthday")} name="birthday" type="date" state={verified} />
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" name="marketingConsent" className="mt-1" />
              <span>{news("marketingConsent")}</span>
            </label>
          </>
        )}
        <SubmitButton pendingLabel={t("checking")}>{purpose === "enrol" ? t("getCard") : t("signIn")}</SubmitButton>
      </form>
      <form action={resend} className="flex flex-wrap items-center justify-between gap-2">
        {hidden}
        <input type="hidden" name="phone" value={phone} />
        <SubmitButton variant="ghost" disabled={left > 0} className="px-0 text-brand-700">
          {left > 0 ? t("resendIn", { seconds: left }) : t("resend")}
        </SubmitButton>
        <Button variant="ghost" className="px-0" onClick={() => setSetAside(requested)}>
          {t("changePhone")}
        </Button>
      </form>
      <FormAlert state={resent && !resent.ok ? resent : null} />
      {resent?.ok && (
        <p role="status" className="text-sm text-emerald-700">
          {surelySent ? t("codeResent") : t(`codeResentIfCard.${where}`)}
        </p>
      )}
    </div>
  );
}
