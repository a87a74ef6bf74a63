"use client";

import { useLocale, useTranslations } from "next-intl";
import { currencyDigits, formatMoney } from "@/lib/format/money";
import { DEFAULT_STAMP_GOAL, stampsSchema, type StampsSettings } from "@/lib/templates/definition";
import type { ErrorAt } from "./editor-inputs";
import { moneyParser, moneyText, NumberInput, Section, wholeNumber } from "./editor-loyalty-inputs";

type Props = {
  value: StampsSettings | undefined;
  onChange: (value: StampsSettings) => void;
  /** The server's refusals after Save, by the definition's path. */
  errorAt: ErrorAt;
  currency: string;
};

/** Problems of the stamp programme as typed, by path inside it ("goal", "minAmount"). */
function problemsOf(stamps: StampsSettings): Record<string, string> {
  const parsed = stampsSchema.safeParse(stamps);
  if (parsed.success) return {};
  const out: Record<string, string> = {};
  for (const issue of parsed.error.issues) out[issue.path.join(".")] ??= issue.message;
  return out;
}

/**
 * The Loyalty tab of a stamp template: how many stamps make a reward, and what earns a stamp — every
 * visit, or a purchase from an amount (lib/ledger/stamps applies it at the till). Each field says what
 * is wrong with it while it is typed; a sentence under it tells what the settings mean together.
 */
export function StampsProgramSection({ value, onChange, errorAt, currency }: Props) {
  const t = useTranslations("loyalty.stamps");
  const te = useTranslations("templates.editor");
  const locale = useLocale();
  const stamps: StampsSettings = value ?? { goal: DEFAULT_STAMP_GOAL };
  const per = stamps.per ?? "visit";
  const digits = currencyDigits(currency);
  const problems = problemsOf(stamps);
  const errorOf = (path: string) => problems[path] ?? errorAt(`stamps.${path}`);
  const valid = Object.keys(problems).length === 0;
  const defaultMin = 50_000 * 10 ** Math.max(0, digits - 2);

  return (
    <div className="flex flex-col gap-5" data-testid="stamps-tab">
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <Section title={t("reward.title")} text={t("reward.text")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <NumberInput
            label={te("stampGoal")}
            initial={String(stamps.goal)}
            parse={wholeNumber}
            onChange={(goal) => onChange({ ...stamps, goal: goal ?? Number.NaN })}
            error={errorOf("goal")}
            hint={t("reward.goalHint")}
          />
        </div>
      </Section>
      <fieldset className="flex flex-col gap-3 border-t border-slate-100 pt-5">
        <legend className="text-sm font-semibold text-slate-900">{t("earning.title")}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {(["visit", "purchase"] as const).map((kind) => (
            <label
              key={kind}
              className="flex cursor-pointer items-start gap-2 rounded-lg border border-slate-200 p-3 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
            >
              <input
                type="radio"
                name="stampsPer"
                value={kind}
                checked={per === kind}
                onChange={() =>
                  onChange(kind === "visit" ? { goal: stamps.goal, per: kind } : { goal: stamps.goal, per: kind, minAmount: stamps.minAmount ?? defaultMin })
                }
                className="mt-1 accent-brand-600"
              />
              <span>
                <span className="block text-sm font-semibold">{t(`earning.${kind}.name`)}</span>
                <span className="block text-xs text-slate-600">{t(`earning.${kind}.text`)}</span>
              </span>
            </label>
          ))}
        </div>
        {per === "purchase" && (
          <div className="grid gap-4 sm:grid-cols-2">
            <NumberInput
              key="minAmount"
              label={t("earning.minAmount")}
              initial={moneyText(stamps.minAmount ?? defaultMin, digits)}
              parse={moneyParser(digits)}
              onChange={(minAmount) => onChange({ ...stamps, minAmount: minAmount ?? Number.NaN })}
              error={errorOf("minAmount")}
              hint={t("earning.minAmountHint")}
              inputMode="decimal"
            />
          </div>
        )}
      </fieldset>
      <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700" role="status" data-testid="stamps-example">
        {!valid
          ? t("exampleInvalid")
          : per === "visit"
            ? t("exampleVisit", { goal: stamps.goal })
            : t("examplePurchase", { goal: stamps.goal, amount: formatMoney(stamps.minAmount ?? 0, currency, locale) })}
      </p>
      <p className="text-xs text-slate-500">{t("goalChange")}</p>
    </div>
  );
}
