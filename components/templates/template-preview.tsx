"use client";
/* eslint-disable @next/next/no-img-element -- uploaded images are served by our file route, not through next/image */

import clsx from "clsx";
import { useLocale, useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { StampRow } from "@/components/cards/stamp-row";
import { shownFormat, shownText } from "@/lib/templates/till-code";
import { KIND_MAPPING, pick, stampGoal, type Kind, type TemplateDefinition, type TemplateField } from "@/lib/templates/definition";
import { SAMPLE, barcodeKey, sampleTillCode, sampleValue, type BarcodeSlots, type CardValues } from "./sample";

type Props = {
  definition: TemplateDefinition;
  kind: Kind;
  merchantName: string;
  compact?: boolean;
  /** A real card's values instead of samples (the card page); its passes are then shown side by side. */
  card?: CardValues;
  /** The barcodes, drawn on the server in the template's real format (components/cards/barcode-slots). */
  barcodes: BarcodeSlots;
};

const fileUrl = (id: string | null) => (id ? `/api/files/${id}` : null);

/** How a field's value is drawn: text, or for a stamp card's balance a row of stamps up to the goal. */
type ValueOf = (field: TemplateField, text: (value: string) => ReactNode) => ReactNode;

function FieldBlock({
  field,
  locale,
  labelColor,
  big,
  align = "left",
  valueOf,
}: {
  field: TemplateField;
  locale: string;
  labelColor: string;
  big?: boolean;
  align?: "left" | "right";
  valueOf: ValueOf;
}) {
  return (
    <div className={clsx("min-w-0", align === "right" && "text-right")}>
      <p className="truncate text-[10px] font-semibold tracking-wide uppercase" style={{ color: labelColor }}>
        {pick(field.label, locale)}
      </p>
      {valueOf(field, (value) => (
        <p className={clsx("truncate", big ? "text-3xl font-light leading-tight" : "text-[15px] leading-snug")}>{value || "—"}</p>
      ))}
    </div>
  );
}

/** The white barcode panel both wallets draw, with the value under it when the template asks. */
function BarcodeBox({
  barcode,
  code,
  drawn,
  rotating,
  className,
}: {
  barcode: TemplateDefinition["barcode"];
  code: string;
  drawn: ReactNode;
  /** A rotating anti-copy QR: said under it, so nobody takes it for a code to copy. */
  rotating: string | null;
  className: string;
}) {
  return (
    <div
      className={clsx("flex flex-col items-center bg-white px-4 py-3 text-black", className)}
      data-testid="preview-barcode"
      data-rotating={rotating ? "true" : undefined}
    >
      {drawn}
      {barcode.altText === "value" && <p className="mt-1 font-mono text-[11px]">{code}</p>}
      {rotating && <p className="mt-1 text-[10px] text-slate-600">{rotating}</p>}
    </div>
  );
}

/** Apple Wallet-like front and back plus a Google Wallet-like card, drawn from the definition as it is typed. */
export function TemplatePreview({ definition, kind, merchantName, compact, card, barcodes }: Props) {
  const t = useTranslations("templates.preview");
  // The preview starts in the interface's language; the designer can switch to see the other one.
  const [locale, setLocale] = useState<"en" | "ru">(useLocale() === "ru" ? "ru" : "en");
  const [side, setSide] = useState<"front" | "back">("front");
  const { design, fields, barcode } = definition;
  const style = KIND_MAPPING[kind].apple;
  const logo = fileUrl(design.logoFileId);
  const strip = fileUrl(design.stripFileId);
  const code = card ? shownText(card, definition) : sampleTillCode(shownFormat(definition), barcode.source);
  // A rotating-QR template's pass carries the day's QR (lib/till/qr scanCode), whatever its static format.
  const drawn = barcodes[barcodeKey(shownFormat(definition), barcode.source)];
  const rotating = !!definition.rotatingQr;
  const valueOf: ValueOf = (field, text) =>
    kind === "stamp" && (field.source === "balance" || field.source === "stamps") ? (
      <div className="py-1">
        <StampRow
          count={card ? card.stamps : Math.min(SAMPLE.stamps, stampGoal(definition) - 1)}
          goal={stampGoal(definition)}
          color={design.foregroundColor}
          rewards={card ? card.rewards : SAMPLE.rewards}
          size="sm"
        />
      </div>
    ) : (
      text(sampleValue(field, locale, card, barcode.format))
    );

  const apple = (
    <div
      className="flex w-[320px] max-w-full flex-col gap-3 overflow-hidden rounded-2xl p-4 shadow-lg ring-1 ring-black/5"
      style={{ background: design.backgroundColor, color: design.foregroundColor }}
      data-testid="preview-apple-front"
    >
      <div className="flex items-start justify-between gap-3">
        <div className="flex min-w-0 items-center gap-2">
          {logo && <img src={logo} alt="" className="max-h-8 max-w-[120px] object-contain" data-testid="preview-logo" />}
          <span className="truncate text-[15px] font-semibold" data-testid="preview-logo-text">
            {pick(design.logoText, locale)}
          </span>
        </div>
        <div className="flex shrink-0 gap-3">
          {fields.header.map((f) => (
            <FieldBlock key={f.key} field={f} locale={locale} valueOf={valueOf} labelColor={design.labelColor} align="right" />
          ))}
        </div>
      </div>
      {style !== "generic" && strip ? (
        <div className="relative -mx-4 h-28 overflow-hidden">
          <img src={strip} alt="" className="absolute inset-0 size-full object-cover" />
          <div className="absolute bottom-2 left-4 flex gap-4">
            {fields.primary.map((f) => (
              <FieldBlock key={f.key} field={f} locale={locale} valueOf={valueOf} labelColor={design.labelColor} big />
            ))}
          </div>
        </div>
      ) : (
        <div className="flex gap-4 py-2" data-testid="preview-primary">
          {fields.primary.map((f) => (
            <FieldBlock key={f.key} field={f} locale={locale} valueOf={valueOf} labelColor={design.labelColor} big />
          ))}
        </div>
      )}
      {[fields.secondary, fields.auxiliary].map((row, i) =>
        row.length ? (
          <div key={i} className="grid gap-3" style={{ gridTemplateColumns: `repeat(${row.length}, minmax(0, 1fr))` }}>
            {row.map((f, j) => (
              <FieldBlock
                key={f.key}
                field={f}
                locale={locale}
                valueOf={valueOf}
                labelColor={design.labelColor}
                align={j === row.length - 1 && row.length > 1 ? "right" : "left"}
              />
            ))}
          </div>
        ) : null,
      )}
      <BarcodeBox barcode={barcode} code={code} drawn={drawn} rotating={rotating ? t("rotatingQr") : null} className="mx-auto mt-2 rounded-lg" />
      {card?.voided && (
        <p className="-mt-1 text-center text-xs font-semibold tracking-wide uppercase" data-testid="preview-voided">
          {t("voided")}
        </p>
      )}
    </div>
  );

  const back = (
    <div
      className="w-[320px] max-w-full overflow-hidden rounded-2xl bg-white text-sm text-slate-800 shadow-lg ring-1 ring-black/5"
      data-testid="preview-apple-back"
    >
      <p className="border-b border-slate-100 px-4 py-3 text-center font-semibold">{pick(definition.description, locale)}</p>
      <dl className="divide-y divide-slate-100">
        {fields.back.map((f) => (
          <div key={f.key} className="px-4 py-2">
            <dt className="text-xs text-slate-500">{pick(f.label, locale)}</dt>
            <dd className="whitespace-pre-line">{valueOf(f, (v) => v)}</dd>
          </div>
        ))}
        {(["terms", "contacts"] as const).map((k) =>
          pick(definition.back[k], locale) ? (
            <div key={k} className="px-4 py-2">
              <dt className="text-xs text-slate-500">{t(k)}</dt>
              <dd className="whitespace-pre-line">{pick(definition.back[k], locale)}</dd>
            </div>
          ) : null,
        )}
        {definition.back.links.map((l, i) => (
          <div key={i} className="px-4 py-2">
            <dt className="text-xs text-slate-500">{pick(l.label, locale)}</dt>
            <dd className="truncate text-blue-600">{l.url}</dd>
          </div>
        ))}
      </dl>
      {!fields.back.length && !definition.back.links.length && !pick(definition.back.terms, locale) && !pick(definition.back.contacts, locale) && (
        <p className="px-4 py-6 text-center text-slate-400">{t("emptyBack")}</p>
      )}
    </div>
  );

  const rows = [...fields.secondary, ...fields.auxiliary, ...fields.header];
  const google = (
    <div
      className="w-[320px] max-w-full overflow-hidden rounded-3xl shadow-lg ring-1 ring-black/5"
      style={{ background: design.backgroundColor, color: design.foregroundColor }}
      data-testid="preview-google"
    >
      <div className="flex items-center gap-3 px-4 pt-4">
        <span className="grid size-9 shrink-0 place-items-center overflow-hidden rounded-full bg-white/90">
          {logo ? (
            <img src={logo} alt="" className="size-full object-contain" />
          ) : (
            <span className="text-sm font-bold text-slate-700">{merchantName.slice(0, 1)}</span>
          )}
        </span>
        <span className="truncate text-sm">{pick(design.logoText, locale) || merchantName}</span>
      </div>
      <p className="px-4 pt-3 text-xl font-medium">{pick(definition.description, locale)}</p>
      <div className="grid grid-cols-2 gap-3 px-4 py-3">
        {fields.primary.map((f) => (
          <div key={f.key} className="col-span-2">
            <p className="text-xs opacity-80">{pick(f.label, locale)}</p>
            {valueOf(f, (v) => (
              <p className="text-2xl">{v}</p>
            ))}
          </div>
        ))}
        {rows.map((f) => (
          <div key={f.key} className="min-w-0">
            <p className="truncate text-xs opacity-80">{pick(f.label, locale)}</p>
            {valueOf(f, (v) => (
              <p className="truncate text-sm">{v}</p>
            ))}
          </div>
        ))}
      </div>
      <BarcodeBox barcode={barcode} code={code} drawn={drawn} rotating={rotating ? t("rotatingQr") : null} className="mx-4 mb-4 rounded-2xl" />
      {strip && <img src={strip} alt="" className="h-24 w-full object-cover" />}
    </div>
  );

  if (compact)
    return (
      <div className="pointer-events-none mx-auto w-[192px]">
        {/* zoom, not a transform: the layout shrinks with the drawing, so no blank space is left under it. */}
        <div className="w-[320px]" style={{ zoom: 0.6 }}>
          {apple}
        </div>
      </div>
    );

  const toggle = "rounded-md px-2.5 py-1 text-xs font-medium";
  return (
    <div className="flex flex-col items-center gap-4">
      <div className="flex flex-wrap items-center justify-center gap-2">
        <div className="flex rounded-lg bg-slate-100 p-0.5" role="group" aria-label={t("side")}>
          {(["front", "back"] as const).map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={side === s}
              onClick={() => setSide(s)}
              className={clsx(toggle, side === s ? "bg-white shadow-sm" : "text-slate-600")}
            >
              {t(s)}
            </button>
          ))}
        </div>
        <div className="flex rounded-lg bg-slate-100 p-0.5" role="group" aria-label={t("language")}>
          {(["en", "ru"] as const).map((l) => (
            <button
              key={l}
              type="button"
              aria-pressed={locale === l}
              onClick={() => setLocale(l)}
              className={clsx(toggle, "uppercase", locale === l ? "bg-white shadow-sm" : "text-slate-600")}
            >
              {l}
            </button>
          ))}
        </div>
      </div>
      <div className={clsx("flex flex-col items-center gap-4", card && "md:flex-row md:flex-wrap md:items-start md:justify-center")}>
        <div className="flex flex-col items-center gap-2">
          <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Apple Wallet</p>
          {side === "front" ? apple : back}
        </div>
        <div className="flex flex-col items-center gap-2">
          <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Google Wallet</p>
          {google}
        </div>
      </div>
    </div>
  );
}
