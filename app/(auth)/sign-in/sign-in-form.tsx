"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import { signInAction } from "../actions";

export function SignInForm({ next }: { next?: string }) {
  const t = useTranslations("auth");
  const s = useTranslations("security.signIn");
  const r = useTranslations("passwordReset");
  const [state, action] = useActionState(signInAction, null);
  // The password was right and the account has two-factor sign-in: the same form asks for the code.
  const challenge = typeof state?.data === "object" && state.data && "challenge" in state.data ? String(state.data.challenge ?? "") : "";
  if (challenge) {
    return (
      <Card className="p-6 sm:p-8">
        <h1 className="text-2xl font-semibold tracking-tight">{s("codeTitle")}</h1>
        <p className="mt-1 text-sm text-slate-600">{s("codeText")}</p>
        <form action={action} className="mt-6 flex flex-col gap-4" noValidate>
          <input type="hidden" name="next" value={next ?? ""} />
          <input type="hidden" name="challenge" value={challenge} />
          {state && !state.ok && !state.fieldErrors?.code && <FormAlert state={state} />}
          <Field
            key={challenge}
            label={s("code")}
            name="code"
            autoComplete="one-time-code"
            spellCheck={false}
            required
            autoFocus
            maxLength={32}
            state={state}
          />
          <SubmitButton className="mt-2 w-full" pendingLabel={s("verifying")}>
            {s("verify")}
          </SubmitButton>
        </form>
        <p className="mt-6 text-center text-sm">
          <a href={next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in"} className="font-medium text-brand-600 hover:text-brand-700">
            {s("back")}
          </a>
        </p>
      </Card>
    );
  }
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-2xl font-semibold tracking-tight">{t("signInTitle")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("signInSubtitle")}</p>
      <form action={action} className="mt-6 flex flex-col gap-4" noValidate>
        <input type="hidden" name="next" value={next ?? ""} />
        <FormAlert state={state} />
        <Field label={t("email")} name="email" type="email" autoComplete="username" required autoFocus state={state} />
        <Field label={t("password")} name="password" type="password" autoComplete="current-password" required state={state} />
        <SubmitButton className="mt-2 w-full" pendingLabel={t("signingIn")}>
          {t("signIn")}
        </SubmitButton>
      </form>
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-600 hover:text-brand-700">
          {r("forgot")}
        </Link>
      </p>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t("noAccount")}{" "}
        <Link href="/sign-up" className="font-medium text-brand-600 hover:text-brand-700">
          {t("createAccount")}
        </Link>
      </p>
    </Card>
  );
}
