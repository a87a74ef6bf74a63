"use client";

import clsx from "clsx";
import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { saveTemplateAction } from "@/app/(cabinet)/templates/actions";
import { Card } from "@/components/ui/card";
import { SubmitButton, useMessage } from "@/components/ui/form";
import type { Kind, TemplateDefinition } from "@/lib/templates/definition";
import type { BarcodeSlots } from "./sample";
import { TextInput } from "./editor-inputs";
import { FieldsEditor } from "./editor-fields";
import { BackSection, BarcodeSection, DesignSection, ExpirySection, LocationsSection, NumberingSection, StampsSection } from "./editor-sections";
import { TemplatePreview } from "./template-preview";

const TABS = ["design", "fields", "barcode", "back", "locations", "expiry"] as const;
type Tab = (typeof TABS)[number];
const TAB_OF: Record<string, Tab> = { description: "design", design: "design", fields: "fields", barcode: "barcode", back: "back", locations: "locations", expiry: "expiry", numbering: "barcode", stamps: "fields" };

type Props = {
  template: { id: string; name: string; kind: Kind; currentVersion: number };
  definition: TemplateDefinition;
  merchantName: string;
  locations: { id: string; name: string }[];
  readOnly: boolean;
  /** Sample barcodes of every format, drawn on the server for the live preview. */
  barcodes: BarcodeSlots;
};

/** The designer: tabs on one side, the live preview on the other; Save posts the whole definition as a new version. */
export function TemplateEditor({ template, definition: initial, merchantName, locations, readOnly, barcodes }: Props) {
  const t = useTranslations("templates.editor");
  const message = useMessage();
  const [definition, setDefinition] = useState(initial);
  const [name, setName] = useState(template.name);
  const [tab, setTab] = useState<Tab>("design");
  const [state, save] = useActionState(saveTemplateAction, null);

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errorAt = (path: string) => errors[`definition.${path}`];
  const errorTabs = new Set(Object.keys(errors).map((k) => TAB_OF[k.split(".")[1] ?? ""]).filter(Boolean));
  const set = <K extends keyof TemplateDefinition>(key: K) => (value: TemplateDefinition[K]) => setDefinition((d) => ({ ...d, [key]: value }));

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_360px]">
      <div className="flex min-w-0 flex-col gap-4">
        <Card className="p-4 sm:p-5">
          <form action={save} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
            <input type="hidden" name="id" value={template.id} />
            <input type="hidden" name="baseVersion" value={template.currentVersion} />
            <input type="hidden" name="definition" value={JSON.stringify(definition)} />
            <div className="flex-1">
              <TextInput label={t("name")} value={name} onChange={setName} error={errors.name} maxLength={80} />
              <input type="hidden" name="name" value={name} />
            </div>
            {!readOnly && <SubmitButton pendingLabel={t("saving")}>{t("save")}</SubmitButton>}
          </form>
          {state && !state.ok && (
            <div role="alert" className="mt-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
              <p>{message(state.error, state.params)}</p>
              {errorTabs.size > 0 && <p className="mt-1">{t("errorsIn", { tabs: [...errorTabs].map((x) => t(`tabs.${x}`)).join(", ") })}</p>}
            </div>
          )}
        </Card>
        <Card>
          <div className="flex gap-1 overflow-x-auto border-b border-slate-100 p-2" role="tablist" aria-label={t("sections")}>
            {TABS.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`tab-${name}`}
                aria-selected={tab === name}
                aria-controls="template-tabpanel"
                onClick={() => setTab(name)}
                className={clsx("relative shrink-0 rounded-md px-3 py-1.5 text-sm font-medium", tab === name ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100")}
              >
                {t(`tabs.${name}`)}
                {errorTabs.has(name) && <span className="absolute top-1 right-0.5 size-1.5 rounded-full bg-red-500" aria-label={t("hasErrors")} />}
              </button>
            ))}
          </div>
          <div id="template-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="p-4 sm:p-5">
            <fieldset disabled={readOnly} className="contents">
              {tab === "design" && (
                <DesignSection
                  value={definition.design}
                  onChange={set("design")}
                  errorAt={errorAt}
                  templateId={template.id}
                  description={definition.description}
                  onDescription={set("description")}
                  onImage={(slot, fileId) => setDefinition((d) => ({ ...d, design: { ...d.design, [`${slot}FileId`]: fileId } }))}
                />
              )}
              {tab === "fields" && (
                <div className="flex flex-col gap-5">
                  {template.kind === "stamp" && <StampsSection value={definition.stamps} onChange={set("stamps")} errorAt={errorAt} />}
                  <FieldsEditor fields={definition.fields} onChange={set("fields")} errorAt={errorAt} />
                </div>
              )}
              {tab === "barcode" && (
                <div className="flex flex-col gap-5">
                  <BarcodeSection value={definition.barcode} onChange={set("barcode")} errorAt={errorAt} />
                  <NumberingSection value={definition.numbering} onChange={set("numbering")} errorAt={errorAt} />
                </div>
              )}
              {tab === "back" && <BackSection value={definition.back} onChange={set("back")} errorAt={errorAt} />}
              {tab === "locations" && <LocationsSection value={definition.locations} onChange={set("locations")} errorAt={errorAt} available={locations} />}
              {tab === "expiry" && <ExpirySection value={definition.expiry} onChange={set("expiry")} errorAt={errorAt} />}
            </fieldset>
          </div>
        </Card>
      </div>
      <aside className="xl:sticky xl:top-20 xl:self-start" aria-label={t("preview")}>
        <TemplatePreview definition={definition} kind={template.kind} merchantName={merchantName} barcodes={barcodes} />
      </aside>
    </div>
  );
}
