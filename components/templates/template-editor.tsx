"use client";

import clsx from "clsx";
import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { saveTemplateAction } from "@/app/(cabinet)/templates/actions";
import { Card } from "@/components/ui/card";
import { SubmitButton, useMessage } from "@/components/ui/form";
import { LeaveGuard } from "@/components/ui/leave-guard";
import { useMediaQuery } from "@/components/ui/use-media-query";
import type { Kind, TemplateDefinition } from "@/lib/templates/definition";
import { useTemplateDraft } from "./editor-draft";
import { TextInput } from "./editor-inputs";
import { FieldsEditor } from "./editor-fields";
import { LoyaltySection } from "./editor-loyalty";
import { RotatingQrToggle } from "@/components/till/rotating-qr-toggle";
import { BackSection, BarcodeSection, DesignSection, ExpirySection, LocationsSection, NumberingSection } from "./editor-sections";
import { StampsProgramSection } from "./editor-stamps";
import { PhonePreview } from "./phone-preview";
import type { BarcodeSlots } from "./sample";
import { TemplatePreview } from "./template-preview";

const TABS = ["design", "fields", "loyalty", "barcode", "back", "locations", "expiry"] as const;
type Tab = (typeof TABS)[number];
const TAB_OF: Record<string, Tab> = {
  description: "design",
  design: "design",
  fields: "fields",
  barcode: "barcode",
  back: "back",
  locations: "locations",
  expiry: "expiry",
  numbering: "barcode",
  stamps: "loyalty",
  program: "loyalty",
};

/** The tabs a kind has: the Loyalty tab belongs to templates that run a programme (points for loyalty cards, stamps for stamp cards). */
const tabsOf = (kind: Kind): readonly Tab[] => TABS.filter((tab) => tab !== "loyalty" || kind === "loyalty" || kind === "stamp");

type Props = {
  template: { id: string; name: string; kind: Kind; currentVersion: number };
  definition: TemplateDefinition;
  merchantName: string;
  locations: { id: string; name: string }[];
  readOnly: boolean;
  /** Sample barcodes of every format, drawn on the server for the live preview. */
  barcodes: BarcodeSlots;
  /** The merchant's currency: the Loyalty tab reads a point's worth in it. */
  currency: string;
};

/**
 * The designer: tabs on one side, the live preview on the other (on narrow screens, behind a button);
 * Save posts the whole definition as a new version. Unsaved changes are kept as a draft in the tab and
 * leaving asks first.
 */
export function TemplateEditor({ template, definition: initial, merchantName, locations, readOnly, barcodes, currency }: Props) {
  const t = useTranslations("templates.editor");
  const message = useMessage();
  const { definition, setDefinition, name, setName, dirty, restored, discard } = useTemplateDraft({
    templateId: template.id,
    baseVersion: template.currentVersion,
    name: template.name,
    definition: initial,
    enabled: !readOnly,
  });
  const [tab, setTab] = useState<Tab>("design");
  // The preview beside the form needs the width of xl; below it, a button opens it over the form.
  const wide = useMediaQuery("(min-width: 1280px)", true);
  const [state, save] = useActionState(saveTemplateAction, null);

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errorAt = (path: string) => errors[`definition.${path}`];
  const errorTabs = new Set(
    Object.keys(errors)
      .map((k) => TAB_OF[k.split(".")[1] ?? ""])
      .filter(Boolean),
  );
  const set =
    <K extends keyof TemplateDefinition>(key: K) =>
    (value: TemplateDefinition[K]) =>
      setDefinition((d) => ({ ...d, [key]: value }));

  const preview = <TemplatePreview definition={definition} kind={template.kind} merchantName={merchantName} barcodes={barcodes} />;

  return (
    <div className="grid gap-6 pb-16 xl:grid-cols-[minmax(0,1fr)_360px] xl:pb-0">
      <LeaveGuard when={dirty} />
      <div className="flex min-w-0 flex-col gap-4">
        {restored && dirty && (
          <div
            role="status"
            className="flex flex-col gap-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 sm:flex-row sm:items-center sm:justify-between"
            data-testid="draft-restored"
          >
            <p>{t("draftRestored")}</p>
            <button type="button" onClick={discard} className="shrink-0 self-start font-medium underline sm:self-auto">
              {t("discardDraft")}
            </button>
          </div>
        )}
        <Card className="p-4 sm:p-5">
          <form action={save} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
            <input type="hidden" name="id" value={template.id} />
            <input type="hidden" name="baseVersion" value={template.currentVersion} />
            <input type="hidden" name="definition" value={JSON.stringify(definition)} />
            <div className="flex-1">
              <TextInput label={t("name")} value={name} onChange={setName} error={errors.name} maxLength={80} />
              <input type="hidden" name="name" value={name} />
            </div>
            {!readOnly && (
              <div className="flex items-center gap-3">
                {dirty && (
                  <span className="text-xs font-medium text-amber-700" data-testid="unsaved-note">
                    {t("unsaved")}
                  </span>
                )}
                <SubmitButton pendingLabel={t("saving")} className="flex-1 sm:flex-none">
                  {t("save")}
                </SubmitButton>
              </div>
            )}
          </form>
          {state && !state.ok && (
            <div role="alert" className="mt-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
              <p>{message(state.error, state.params)}</p>
              {errorTabs.size > 0 && <p className="mt-1">{t("errorsIn", { tabs: [...errorTabs].map((x) => t(`tabs.${x}`)).join(", ") })}</p>}
            </div>
          )}
        </Card>
        <Card>
          <div className="flex flex-wrap gap-1 border-b border-slate-100 p-2" role="tablist" aria-label={t("sections")}>
            {tabsOf(template.kind).map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`tab-${name}`}
                aria-selected={tab === name}
                aria-controls="template-tabpanel"
                onClick={() => setTab(name)}
                className={clsx(
                  "relative shrink-0 rounded-md px-3 py-1.5 text-sm font-medium",
                  tab === name ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100",
                )}
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
              {tab === "fields" && <FieldsEditor fields={definition.fields} onChange={set("fields")} errorAt={errorAt} />}
              {tab === "loyalty" &&
                (template.kind === "stamp" ? (
                  <StampsProgramSection value={definition.stamps} onChange={set("stamps")} errorAt={errorAt} currency={currency} />
                ) : (
                  <LoyaltySection value={definition.program} onChange={set("program")} errorAt={errorAt} currency={currency} />
                ))}
              {tab === "barcode" && (
                <div className="flex flex-col gap-5">
                  <BarcodeSection value={definition.barcode} onChange={set("barcode")} errorAt={errorAt} />
                  <NumberingSection value={definition.numbering} onChange={set("numbering")} errorAt={errorAt} />
                  <RotatingQrToggle value={definition.rotatingQr} onChange={set("rotatingQr")} />
                </div>
              )}
              {tab === "back" && <BackSection value={definition.back} onChange={set("back")} errorAt={errorAt} />}
              {tab === "locations" && <LocationsSection value={definition.locations} onChange={set("locations")} errorAt={errorAt} available={locations} />}
              {tab === "expiry" && <ExpirySection value={definition.expiry} onChange={set("expiry")} errorAt={errorAt} />}
            </fieldset>
          </div>
        </Card>
      </div>
      {wide ? (
        <aside className="xl:sticky xl:top-20 xl:self-start" aria-label={t("preview")}>
          {preview}
        </aside>
      ) : (
        <PhonePreview>{preview}</PhonePreview>
      )}
    </div>
  );
}
