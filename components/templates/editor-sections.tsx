"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { BARCODE_FORMATS, MAX_LOCATIONS, barcodeFallback, type TemplateDefinition } from "@/lib/templates/definition";
import { ColorInput, ErrorText, LocalizedInput, SelectInput, TextInput, type ErrorAt } from "./editor-inputs";
import { TEMPLATE_IMAGE_SLOTS, type TemplateImageSlot } from "@/lib/templates/images";
import { ImageSlot } from "./image-slot";

type Section<K extends keyof TemplateDefinition> = { value: TemplateDefinition[K]; onChange: (v: TemplateDefinition[K]) => void; errorAt: ErrorAt };

export function DesignSection({
  value,
  onChange,
  errorAt,
  templateId,
  description,
  onDescription,
  onImage,
}: Section<"design"> & {
  templateId: string;
  description: TemplateDefinition["description"];
  onDescription: (v: TemplateDefinition["description"]) => void;
  /** Uploads finish later: the editor applies them to the design as it is then, not as it was. */
  onImage: (slot: TemplateImageSlot, fileId: string | null) => void;
}) {
  const t = useTranslations("templates.editor");
  return (
    <div className="flex flex-col gap-5">
      <LocalizedInput
        label={t("description")}
        value={description}
        onChange={onDescription}
        errorAt={errorAt}
        path="description"
        hint={t("descriptionHint")}
        maxLength={100}
      />
      <LocalizedInput
        label={t("logoText")}
        value={value.logoText}
        onChange={(logoText) => onChange({ ...value, logoText })}
        errorAt={errorAt}
        path="design.logoText"
        maxLength={30}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <ColorInput
          label={t("backgroundColor")}
          value={value.backgroundColor}
          onChange={(backgroundColor) => onChange({ ...value, backgroundColor })}
          error={errorAt("design.backgroundColor")}
        />
        <ColorInput
          label={t("foregroundColor")}
          value={value.foregroundColor}
          onChange={(foregroundColor) => onChange({ ...value, foregroundColor })}
          error={errorAt("design.foregroundColor")}
        />
        <ColorInput
          label={t("labelColor")}
          value={value.labelColor}
          onChange={(labelColor) => onChange({ ...value, labelColor })}
          error={errorAt("design.labelColor")}
        />
      </div>
      <ErrorText error={errorAt("design")} />
      {TEMPLATE_IMAGE_SLOTS.map((slot) => (
        <ImageSlot key={slot} templateId={templateId} slot={slot} fileId={value[`${slot}FileId`]} onChange={(fileId) => onImage(slot, fileId)} />
      ))}
    </div>
  );
}

export function BarcodeSection({ value, onChange }: Section<"barcode">) {
  const t = useTranslations("templates.editor");
  const formats = useTranslations("templates.barcodes");
  const fallback = barcodeFallback(value.format);
  return (
    <div className="flex flex-col gap-5">
      <SelectInput
        label={t("barcodeFormat")}
        value={value.format}
        onChange={(format) => onChange({ ...value, format })}
        options={BARCODE_FORMATS.map((f) => ({ value: f, label: formats(f) }))}
      />
      {fallback && (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="barcode-fallback">
          {t("barcodeFallback", { fallback: formats(fallback) })}
        </p>
      )}
      <SelectInput
        label={t("barcodeSource")}
        value={value.source}
        onChange={(source) => onChange({ ...value, source })}
        options={[
          { value: "cardNumber", label: t("barcodeSources.cardNumber") },
          { value: "serialNumber", label: t("barcodeSources.serialNumber") },
        ]}
      />
      <SelectInput
        label={t("altText")}
        value={value.altText}
        onChange={(altText) => onChange({ ...value, altText })}
        options={[
          { value: "value", label: t("altTexts.value") },
          { value: "none", label: t("altTexts.none") },
        ]}
      />
    </div>
  );
}

export function BackSection({ value, onChange, errorAt }: Section<"back">) {
  const t = useTranslations("templates.editor");
  const news = useTranslations("pushEvents");
  return (
    <div className="flex flex-col gap-5">
      <LocalizedInput
        label={t("terms")}
        value={value.terms}
        onChange={(terms) => onChange({ ...value, terms })}
        errorAt={errorAt}
        path="back.terms"
        multiline
        maxLength={2000}
      />
      <LocalizedInput
        label={t("contacts")}
        value={value.contacts}
        onChange={(contacts) => onChange({ ...value, contacts })}
        errorAt={errorAt}
        path="back.contacts"
        multiline
        maxLength={500}
      />
      <LocalizedInput
        label={news("newsLabel")}
        hint={news("newsLabelHint")}
        value={value.newsLabel ?? { en: "", ru: "" }}
        onChange={(newsLabel) => onChange({ ...value, newsLabel })}
        errorAt={errorAt}
        path="back.newsLabel"
        maxLength={40}
      />
      <fieldset className="flex flex-col gap-3">
        <legend className="text-sm font-medium text-slate-700">{t("links")}</legend>
        {value.links.map((link, i) => (
          <div key={i} className="flex flex-col gap-2 rounded-xl border border-slate-200 p-3">
            <LocalizedInput
              label={t("linkLabel")}
              value={link.label}
              onChange={(label) => onChange({ ...value, links: value.links.map((l, j) => (j === i ? { ...l, label } : l)) })}
              errorAt={errorAt}
              path={`back.links.${i}.label`}
              maxLength={60}
            />
            <TextInput
              label={t("linkUrl")}
              type="url"
              value={link.url}
              placeholder="https://"
              onChange={(url) => onChange({ ...value, links: value.links.map((l, j) => (j === i ? { ...l, url } : l)) })}
              error={errorAt(`back.links.${i}.url`)}
            />
            <div>
              <Button
                variant="ghost"
                className="min-h-9 px-3 text-red-600 hover:bg-red-50"
                onClick={() => onChange({ ...value, links: value.links.filter((_, j) => j !== i) })}
              >
                {t("removeLink")}
              </Button>
            </div>
          </div>
        ))}
        <div>
          <Button
            variant="secondary"
            className="min-h-9 px-3"
            disabled={value.links.length >= 5}
            onClick={() => onChange({ ...value, links: [...value.links, { label: { en: "", ru: "" }, url: "https://" }] })}
          >
            {t("addLink")}
          </Button>
        </div>
        <ErrorText error={errorAt("back.links")} />
      </fieldset>
    </div>
  );
}

export function LocationsSection({ value, onChange, errorAt, available }: Section<"locations"> & { available: { id: string; name: string }[] }) {
  const t = useTranslations("templates.editor");
  const [refused, setRefused] = useState(false);
  const chosen = new Set(value.map((l) => l.locationId));
  const add = (locationId: string) => {
    if (value.length >= MAX_LOCATIONS) return setRefused(true);
    onChange([...value, { locationId, relevantText: { en: "", ru: "" } }]);
  };
  const nameOf = (id: string) => available.find((a) => a.id === id)?.name ?? t("deletedLocation");
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-600">{t("locationsHelp", { max: MAX_LOCATIONS })}</p>
      {available.length === 0 && <p className="text-sm text-slate-500">{t("noLocations")}</p>}
      <ul className="flex flex-col gap-3">
        {value.map((l, i) => (
          <li key={l.locationId} className="flex flex-col gap-2 rounded-xl border border-slate-200 p-3" data-testid="template-location">
            <div className="flex items-center justify-between gap-2">
              <span className="font-medium">{nameOf(l.locationId)}</span>
              <Button
                variant="ghost"
                className="min-h-9 px-3 text-red-600 hover:bg-red-50"
                onClick={() => (setRefused(false), onChange(value.filter((_, j) => j !== i)))}
              >
                {t("removeLocation")}
              </Button>
            </div>
            <LocalizedInput
              label={t("relevantText")}
              value={l.relevantText}
              onChange={(relevantText) => onChange(value.map((x, j) => (j === i ? { ...x, relevantText } : x)))}
              errorAt={errorAt}
              path={`locations.${i}.relevantText`}
              maxLength={120}
            />
          </li>
        ))}
      </ul>
      {available.some((a) => !chosen.has(a.id)) && (
        <div className="flex flex-wrap gap-2">
          {available
            .filter((a) => !chosen.has(a.id))
            .map((a) => (
              <Button key={a.id} variant="secondary" className="min-h-9 px-3" onClick={() => add(a.id)}>
                + {a.name}
              </Button>
            ))}
        </div>
      )}
      {refused && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {t("tooManyLocations", { max: MAX_LOCATIONS })}
        </p>
      )}
      <ErrorText error={errorAt("locations")} />
    </div>
  );
}

export function ExpirySection({ value, onChange, errorAt }: Section<"expiry">) {
  const t = useTranslations("templates.editor");
  return (
    <div className="flex flex-col gap-4">
      <SelectInput
        label={t("expiryMode")}
        value={value.mode}
        onChange={(mode) => onChange(mode === "fixed" ? { mode, date: "" } : mode === "afterIssue" ? { mode, days: 365 } : { mode })}
        options={(["none", "fixed", "afterIssue"] as const).map((m) => ({ value: m, label: t(`expiryModes.${m}`) }))}
      />
      {value.mode === "fixed" && (
        <TextInput
          label={t("expiryDate")}
          type="date"
          value={value.date}
          onChange={(date) => onChange({ mode: "fixed", date })}
          error={errorAt("expiry.date")}
        />
      )}
      {value.mode === "afterIssue" && (
        <TextInput
          label={t("expiryDays")}
          type="number"
          value={String(value.days)}
          onChange={(days) => onChange({ mode: "afterIssue", days: Number(days) || 0 })}
          error={errorAt("expiry.days")}
        />
      )}
    </div>
  );
}

/** Card numbers: prefix + random digits (+ check digit), shown with an example of what a card gets. */
export function NumberingSection({ value, onChange, errorAt }: Section<"numbering">) {
  const t = useTranslations("templates.editor");
  const example = value.prefix + "1234567890123456789".slice(0, Math.max(0, value.digits)) + (value.checkDigit ? "✓" : "");
  return (
    <fieldset className="flex flex-col gap-4 border-t border-slate-100 pt-5">
      <legend className="text-sm font-semibold text-slate-900">{t("numbering")}</legend>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextInput
          label={t("numberPrefix")}
          value={value.prefix}
          onChange={(prefix) => onChange({ ...value, prefix: prefix.toUpperCase() })}
          error={errorAt("numbering.prefix")}
          maxLength={10}
          hint={t("numberPrefixHint")}
        />
        <TextInput
          label={t("numberDigits")}
          type="number"
          value={String(value.digits)}
          onChange={(digits) => onChange({ ...value, digits: Number(digits) || 0 })}
          error={errorAt("numbering.digits")}
        />
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={value.checkDigit}
          onChange={(e) => onChange({ ...value, checkDigit: e.target.checked })}
          className="size-4 rounded border-slate-300"
        />
        {t("numberCheckDigit")}
      </label>
      <p className="text-xs text-slate-500" data-testid="numbering-example">
        {t("numberExample", { example })}
      </p>
    </fieldset>
  );
}
