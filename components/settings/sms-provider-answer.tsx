"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { formatMoney } from "@/lib/format/money";
import type { BalanceAnswer, TestSendAnswer } from "@/lib/messaging/provider-checks";

const providerName = (name: string | null, console: string) => (!name || name === "console" ? console : name);

/** A provider's answer to "Check balance" or "Send test …": what it said, or its refusal in plain words. */
export function ProviderAnswer({ answer }: { answer: BalanceAnswer | TestSendAnswer }) {
  const t = useTranslations("messaging.answer");
  const errors = useTranslations("providers.errors");
  const locale = useLocale();
  const money = (minor: number, currency: string) => formatMoney(minor, currency, locale);
  const consoleName = t("console");

  if (answer.kind === "refused") {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="provider-answer">
        <p className="font-medium">{errors(answer.code)}</p>
        {answer.detail && <p className="mt-1 text-xs break-words text-red-700">{t("providerSaid", { detail: answer.detail })}</p>}
      </div>
    );
  }
  return (
    <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="provider-answer">
      {answer.kind === "balance" && <p>{t("balance", { provider: answer.provider, amount: money(answer.amountMinor, answer.currency) })}</p>}
      {answer.kind === "unsupported" && <p>{answer.provider === "console" ? t("consoleNoBalance") : t("noBalance", { provider: answer.provider })}</p>}
      {answer.kind === "sent" && (
        <>
          <p>{t("sent", { provider: providerName(answer.provider, consoleName) })}</p>
          <p className="mt-1 font-mono text-xs break-all">{t("messageId", { id: answer.providerMessageId })}</p>
          {answer.costMinor !== null && answer.currency && <p className="mt-1 text-xs">{t("cost", { cost: money(answer.costMinor, answer.currency) })}</p>}
          <Link href="/messages" className="mt-1 inline-block text-xs font-medium text-brand-700 underline">
            {t("viewMessages")}
          </Link>
        </>
      )}
    </div>
  );
}
