"use client";

import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { MAX_LEVELS, type Level } from "@/lib/templates/definition";
import { ErrorText } from "./editor-inputs";
import { TextInput } from "./editor-inputs";
import { moneyParser, moneyText, NumberInput, wholeNumber } from "./editor-loyalty-inputs";

type Props = {
  levels: Level[];
  onChange: (levels: Level[]) => void;
  /** The message for a path inside the programme ("levels.1.minTotal"), typed or from the server. */
  errorOf: (path: string) => string | undefined;
  digits: number;
  currency: string;
};

/**
 * A cumulative discount's levels, lowest first: a name, the total of purchases it starts at (in the
 * currency), its discount and, optionally, its own earn rate. Rows keep an id of their own, so
 * removing one in the middle leaves what was typed in the others where it was.
 */
export function LevelsEditor({ levels, onChange, errorOf, digits, currency }: Props) {
  const t = useTranslations("loyalty.levels");
  const next = useRef(levels.length);
  const [ids, setIds] = useState(() => levels.map((_, i) => i));
  const rowIds = ids.length === levels.length ? ids : levels.map((_, i) => i);
  const set = (i: number, patch: Partial<Level>) => onChange(levels.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const parseMoney = moneyParser(digits);
  const add = () => {
    const last = levels.at(-1);
    onChange([...levels, { name: "", minTotal: (last?.minTotal ?? 0) + 10 ** digits * 10_000, discountPercent: last?.discountPercent ?? 0 }]);
    setIds([...rowIds, next.current++]);
  };
  const remove = (i: number) => {
    onChange(levels.filter((_, j) => j !== i));
    setIds(rowIds.filter((_, j) => j !== i));
  };
  return (
    <div className="flex flex-col gap-3">
      <ol className="flex flex-col gap-3">
        {levels.map((level, i) => (
          <li key={rowIds[i]} className="rounded-lg border border-slate-200 p-3" data-testid="loyalty-level">
            <div className="mb-2 flex items-center justify-between gap-2">
              <p className="text-sm font-medium text-slate-700">{t("number", { n: i + 1 })}</p>
              {levels.length > 1 && (
                <Button variant="dangerGhost" className="min-h-9 px-2" onClick={() => remove(i)} aria-label={t("remove", { n: i + 1 })}>
                  {t("removeShort")}
                </Button>
              )}
            </div>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
              <TextInput label={t("name")} value={level.name} onChange={(name) => set(i, { name })} error={errorOf(`levels.${i}.name`)} maxLength={40} />
              <NumberInput
                label={t("minTotal", { currency })}
                initial={moneyText(level.minTotal, digits)}
                parse={parseMoney}
                onChange={(minTotal) => set(i, { minTotal: minTotal ?? Number.NaN })}
                error={Number.isNaN(level.minTotal) ? "loyalty.errors.levelThreshold" : errorOf(`levels.${i}.minTotal`)}
                inputMode="decimal"
                hint={i === 0 ? t("firstHint") : undefined}
              />
              <NumberInput
                label={t("discountPercent")}
                initial={String(level.discountPercent)}
                parse={wholeNumber}
                onChange={(discountPercent) => set(i, { discountPercent: discountPercent ?? Number.NaN })}
                error={errorOf(`levels.${i}.discountPercent`)}
                suffix="%"
              />
              <NumberInput
                label={t("earnPercent")}
                initial={level.earnPercent === undefined ? "" : String(level.earnPercent)}
                parse={(text) => (text.trim() === "" ? undefined : wholeNumber(text))}
                onChange={(earnPercent) => set(i, { earnPercent })}
                error={errorOf(`levels.${i}.earnPercent`)}
                placeholder={t("earnPercentPlaceholder")}
                suffix="%"
              />
            </div>
          </li>
        ))}
      </ol>
      <ErrorText error={errorOf("levels")} />
      {levels.length < MAX_LEVELS && (
        <div>
          <Button variant="secondary" onClick={add}>
            {t("add")}
          </Button>
        </div>
      )}
    </div>
  );
}
