"use client";

import { useLocale, useTranslations } from "next-intl";
import { currencyDigits, formatMoney, formatPoints } from "@/lib/format/money";
import {
  DEFAULT_CUMULATIVE_PROGRAM,
  DEFAULT_DISCOUNT_PROGRAM,
  DEFAULT_POINTS_PROGRAM,
  loyaltyProgramSchema,
  PROGRAM_TYPES,
  type LoyaltyProgram,
  type PointsExpiry,
} from "@/lib/templates/definition";
import { SelectInput, type ErrorAt } from "./editor-inputs";
import { moneyParser, moneyText, NumberInput, Section, wholeNumber } from "./editor-loyalty-inputs";
import { LevelsEditor } from "./editor-loyalty-levels";

type Props = {
  value: LoyaltyProgram | undefined;
  onChange: (value: LoyaltyProgram) => void;
  /** The server's refusals after Save, by the definition's path. */
  errorAt: ErrorAt;
  currency: string;
};

/** Problems of the programme as typed, by path inside it ("earnPercent", "levels.1.minTotal"): told as they are typed, not only after Save. */
function problemsOf(program: LoyaltyProgram): Record<string, string> {
  const parsed = loyaltyProgramSchema.safeParse(program);
  if (parsed.success) return {};
  const out: Record<string, string> = {};
  for (const issue of parsed.error.issues) out[issue.path.join(".")] ??= issue.message;
  return out;
}

/** Switching the programme keeps the points rules typed so far and starts the new type's own parts from its defaults. */
function switchTo(type: LoyaltyProgram["type"], from: LoyaltyProgram): LoyaltyProgram {
  const { earnPercent, pointValue, maxSharePercent, minBalanceToRedeem, welcomeBonus, expiry, confirm } = from;
  const rules = { earnPercent, pointValue, maxSharePercent, minBalanceToRedeem, welcomeBonus, ...(expiry && { expiry }), ...(confirm && { confirm }) };
  if (type === "discount")
    return { ...rules, type, discountPercent: from.type === "discount" ? from.discountPercent : DEFAULT_DISCOUNT_PROGRAM.discountPercent };
  if (type === "cumulative") return { ...rules, type, levels: from.type === "cumulative" ? from.levels : DEFAULT_CUMULATIVE_PROGRAM.levels };
  return { ...rules, type };
}

/**
 * The Loyalty tab of a loyalty template: the programme its cards run at the till (lib/ledger applies
 * it), a section per concern — the programme's type, its discount or levels, earning, paying with
 * points, expiry, the welcome bonus. Each field says what is wrong with it while it is typed, and an
 * example receipt shows what the numbers mean together.
 */
export function LoyaltySection({ value, onChange, errorAt, currency }: Props) {
  const t = useTranslations("loyalty");
  const locale = useLocale();
  const program: LoyaltyProgram = value ?? DEFAULT_POINTS_PROGRAM;
  const digits = currencyDigits(currency);
  const problems = problemsOf(program);
  const errorOf = (path: string) => problems[path] ?? errorAt(`program.${path}`);
  const set = (key: "earnPercent" | "pointValue" | "maxSharePercent" | "minBalanceToRedeem" | "welcomeBonus") => (n: number | undefined) =>
    onChange({ ...program, [key]: n ?? Number.NaN });
  const expiry: PointsExpiry = program.expiry ?? { kind: "never" };
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const sample = 100_000 * 10 ** Math.max(0, digits - 2);
  const valid = Object.keys(problems).length === 0;
  const earned = valid ? Math.floor((sample * program.earnPercent) / (100 * program.pointValue)) : 0;

  return (
    <div className="flex flex-col gap-5" data-testid="loyalty-tab">
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">{t("type.title")}</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {PROGRAM_TYPES.map((type) => (
            <label
              key={type}
              className="flex cursor-pointer items-start gap-2 rounded-lg border border-slate-200 p-3 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
            >
              <input
                type="radio"
                name="programType"
                value={type}
                checked={program.type === type}
                onChange={() => onChange(switchTo(type, program))}
                className="mt-1 accent-brand-600"
              />
              <span>
                <span className="block text-sm font-semibold">{t(`type.${type}.name`)}</span>
                <span className="block text-xs text-slate-600">{t(`type.${type}.text`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {program.type === "discount" && (
        <Section title={t("discount.title")} text={t("discount.text")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <NumberInput
              label={t("discount.discountPercent")}
              initial={String(program.discountPercent)}
              parse={wholeNumber}
              onChange={(n) => onChange({ ...program, discountPercent: n ?? Number.NaN })}
              error={errorOf("discountPercent")}
              suffix="%"
            />
          </div>
        </Section>
      )}
      {program.type === "cumulative" && (
        <Section title={t("levels.title")} text={t("levels.text")} testId="loyalty-levels">
          <LevelsEditor levels={program.levels} onChange={(levels) => onChange({ ...program, levels })} errorOf={errorOf} digits={digits} currency={currency} />
        </Section>
      )}

      <Section title={t("earning.title")} text={t("earning.text")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <NumberInput
            label={t("earning.earnPercent")}
            initial={String(program.earnPercent)}
            parse={wholeNumber}
            onChange={set("earnPercent")}
            error={errorOf("earnPercent")}
            hint={t("earning.earnPercentHint")}
            suffix="%"
          />
        </div>
      </Section>
      <Section title={t("paying.title")} text={t("paying.text")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <NumberInput
            label={t("paying.pointValue")}
            initial={moneyText(program.pointValue, digits)}
            parse={moneyParser(digits)}
            onChange={set("pointValue")}
            error={problems.pointValue ? "loyalty.errors.pointValue" : errorAt("program.pointValue")}
            hint={t("paying.pointValueHint")}
            inputMode="decimal"
          />
          <NumberInput
            label={t("paying.maxSharePercent")}
            initial={String(program.maxSharePercent)}
            parse={wholeNumber}
            onChange={set("maxSharePercent")}
            error={errorOf("maxSharePercent")}
            hint={t("paying.maxSharePercentHint")}
            suffix="%"
          />
          <NumberInput
            label={t("paying.minBalanceToRedeem")}
            initial={String(program.minBalanceToRedeem)}
            parse={wholeNumber}
            onChange={set("minBalanceToRedeem")}
            error={errorOf("minBalanceToRedeem")}
            hint={t("paying.minBalanceToRedeemHint")}
          />
        </div>
      </Section>
      <Section title={t("confirm.title")} text={t("confirm.text")} testId="loyalty-confirm">
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectInput
            label={t("confirm.mode")}
            value={program.confirm?.mode ?? "off"}
            onChange={(mode) => onChange({ ...program, confirm: { mode: mode as "off" | "on" | "above", above: program.confirm?.above ?? 500 } })}
            options={(["off", "on", "above"] as const).map((k) => ({ value: k, label: t(`confirm.modes.${k}`) }))}
            error={errorOf("confirm.mode")}
          />
          {program.confirm?.mode === "above" && (
            <NumberInput
              label={t("confirm.above")}
              initial={String(program.confirm.above)}
              parse={wholeNumber}
              onChange={(above) => onChange({ ...program, confirm: { mode: "above", above: above ?? Number.NaN } })}
              error={errorOf("confirm.above")}
            />
          )}
        </div>
      </Section>
      <Section title={t("expiry.title")} text={t("expiry.text")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectInput
            label={t("expiry.kind")}
            value={expiry.kind}
            onChange={(kind) => onChange({ ...program, expiry: kind === "days" ? { kind, days: 365 } : { kind } })}
            options={(["never", "days", "yearEnd"] as const).map((k) => ({ value: k, label: t(`expiry.kinds.${k}`) }))}
            error={errorOf("expiry")}
          />
          {expiry.kind === "days" && (
            <NumberInput
              label={t("expiry.days")}
              initial={String(expiry.days)}
              parse={wholeNumber}
              onChange={(days) => onChange({ ...program, expiry: { kind: "days", days: days ?? Number.NaN } })}
              error={errorOf("expiry.days")}
            />
          )}
        </div>
      </Section>
      <Section title={t("welcome.title")} text={t("welcome.text")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <NumberInput
            label={t("welcome.welcomeBonus")}
            initial={String(program.welcomeBonus)}
            parse={wholeNumber}
            onChange={set("welcomeBonus")}
            error={errorOf("welcomeBonus")}
          />
        </div>
      </Section>
      <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700" role="status" data-testid="loyalty-example">
        {valid
          ? t("example", {
              receipt: money(sample),
              earned: formatPoints(earned, locale),
              pays: money(earned * program.pointValue),
              share: program.maxSharePercent,
              min: formatPoints(program.minBalanceToRedeem, locale),
            })
          : t("exampleInvalid")}
      </p>
    </div>
  );
}
