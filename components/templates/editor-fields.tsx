"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import {
  FIELD_LIMITS,
  FIELD_POSITIONS,
  FIELD_SOURCES,
  newField,
  type FieldPosition,
  type TemplateDefinition,
  type TemplateField,
} from "@/lib/templates/definition";
import { LocalizedInput, SelectInput, TextInput, type ErrorAt } from "./editor-inputs";

type Props = { fields: TemplateDefinition["fields"]; onChange: (fields: TemplateDefinition["fields"]) => void; errorAt: ErrorAt };

function nextKey(fields: TemplateDefinition["fields"]): string {
  const used = new Set(FIELD_POSITIONS.flatMap((p) => fields[p].map((f) => f.key)));
  let i = 1;
  while (used.has(`field${i}`)) i++;
  return `field${i}`;
}

/** Fields by position, each with its key, label, where its value comes from and the lock-screen message. */
export function FieldsEditor({ fields, onChange, errorAt }: Props) {
  const t = useTranslations("templates.editor");
  const sources = useTranslations("templates.sources");

  const setPosition = (position: FieldPosition, list: TemplateField[]) => onChange({ ...fields, [position]: list });

  return (
    <div className="flex flex-col gap-6">
      {FIELD_POSITIONS.map((position) => {
        const list = fields[position];
        const full = list.length >= FIELD_LIMITS[position];
        return (
          <section key={position} className="rounded-xl border border-slate-200" aria-labelledby={`pos-${position}`}>
            <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
              <div>
                <h3 id={`pos-${position}`} className="font-semibold">
                  {t(`positions.${position}`)}
                </h3>
                <p className="text-xs text-slate-500">{t("positionLimit", { count: FIELD_LIMITS[position] })}</p>
              </div>
              <Button
                variant="secondary"
                className="min-h-9 px-3"
                disabled={full}
                title={full ? t("positionFull", { count: FIELD_LIMITS[position] }) : undefined}
                onClick={() =>
                  setPosition(position, [...list, newField(nextKey(fields), "static", { en: "Label", ru: "Подпись" }, { en: "Text", ru: "Текст" })])
                }
              >
                {t("addField")}
              </Button>
            </header>
            <div className="divide-y divide-slate-100">
              {list.length === 0 && <p className="px-4 py-4 text-sm text-slate-500">{t("noFields")}</p>}
              {list.map((field, i) => {
                const path = `fields.${position}.${i}`;
                const update = (patch: Partial<TemplateField>) =>
                  setPosition(
                    position,
                    list.map((f, j) => (j === i ? { ...f, ...patch } : f)),
                  );
                const move = (delta: number) => {
                  const copy = [...list];
                  [copy[i], copy[i + delta]] = [copy[i + delta], copy[i]];
                  setPosition(position, copy);
                };
                return (
                  <div key={i} className="flex flex-col gap-3 px-4 py-4" data-testid={`field-${position}-${i}`}>
                    <div className="grid gap-3 sm:grid-cols-2">
                      <TextInput
                        label={t("fieldKey")}
                        value={field.key}
                        onChange={(key) => update({ key })}
                        error={errorAt(`${path}.key`)}
                        maxLength={30}
                        hint={t("fieldKeyHint")}
                      />
                      <SelectInput
                        label={t("fieldSource")}
                        value={field.source}
                        onChange={(source) => update({ source })}
                        options={FIELD_SOURCES.map((s) => ({ value: s, label: sources(s) }))}
                      />
                    </div>
                    <LocalizedInput
                      label={t("fieldLabel")}
                      value={field.label}
                      onChange={(label) => update({ label })}
                      errorAt={errorAt}
                      path={`${path}.label`}
                      maxLength={40}
                    />
                    {field.source === "static" && (
                      <LocalizedInput
                        label={t("fieldValue")}
                        value={field.value}
                        onChange={(value) => update({ value })}
                        errorAt={errorAt}
                        path={`${path}.value`}
                        multiline={position === "back"}
                        maxLength={300}
                      />
                    )}
                    {field.source === "custom" && (
                      <TextInput
                        label={t("customKey")}
                        value={field.customKey}
                        onChange={(customKey) => update({ customKey })}
                        error={errorAt(`${path}.customKey`)}
                        hint={t("customKeyHint")}
                        maxLength={40}
                      />
                    )}
                    <LocalizedInput
                      label={t("changeMessage")}
                      value={field.changeMessage}
                      onChange={(changeMessage) => update({ changeMessage })}
                      errorAt={errorAt}
                      path={`${path}.changeMessage`}
                      hint={t("changeMessageHint")}
                      maxLength={120}
                    />
                    <div className="flex flex-wrap gap-1">
                      <Button variant="ghost" className="min-h-9 px-3" disabled={i === 0} onClick={() => move(-1)}>
                        {t("moveUp")}
                      </Button>
                      <Button variant="ghost" className="min-h-9 px-3" disabled={i === list.length - 1} onClick={() => move(1)}>
                        {t("moveDown")}
                      </Button>
                      <Button
                        variant="ghost"
                        className="min-h-9 px-3 text-red-600 hover:bg-red-50"
                        onClick={() =>
                          setPosition(
                            position,
                            list.filter((_, j) => j !== i),
                          )
                        }
                      >
                        {t("removeField")}
                      </Button>
                    </div>
                  </div>
                );
              })}
            </div>
          </section>
        );
      })}
    </div>
  );
}
