import clsx from "clsx";
import { getLocale } from "next-intl/server";
import { StampRow } from "@/components/cards/stamp-row";
import { sampleValue, type CardValues } from "@/components/templates/sample";
import { pick, stampGoal, type Kind, type TemplateDefinition, type TemplateField } from "@/lib/templates/definition";

/**
 * The card's values as its pass shows them, in the page's language: the template's colours, logo,
 * fields (a stamp card's stamps as a row up to the goal). No barcode: the page shows one, below.
 */
export async function CardFace({
  definition,
  kind,
  merchantName,
  values,
}: {
  definition: TemplateDefinition;
  kind: Kind;
  merchantName: string;
  values: CardValues;
}) {
  const locale = await getLocale();
  const { design, fields } = definition;
  const label = (f: TemplateField) => (
    <dt className="truncate text-[11px] font-semibold tracking-wide uppercase" style={{ color: design.labelColor }}>
      {pick(f.label, locale)}
    </dt>
  );
  const value = (f: TemplateField, big = false) =>
    kind === "stamp" && (f.source === "balance" || f.source === "stamps") ? (
      <dd className="py-1">
        <StampRow count={values.stamps} goal={stampGoal(definition)} color={design.foregroundColor} rewards={values.rewards} />
      </dd>
    ) : (
      <dd className={clsx("truncate", big ? "text-3xl leading-tight font-light" : "text-base")}>{sampleValue(f, locale, values) || "—"}</dd>
    );
  const rows = [...fields.secondary, ...fields.auxiliary];
  return (
    <section
      className="flex flex-col gap-4 rounded-2xl p-4 shadow-sm ring-1 ring-black/5"
      style={{ background: design.backgroundColor, color: design.foregroundColor }}
      data-testid="card-face"
      lang={locale}
    >
      <div className="flex items-start justify-between gap-3">
        <div className="flex min-w-0 items-center gap-2">
          {/* eslint-disable-next-line @next/next/no-img-element -- the template's logo, served by our file route */}
          {design.logoFileId && <img src={`/api/files/${design.logoFileId}`} alt="" className="max-h-8 max-w-[120px] object-contain" />}
          <span className="truncate font-semibold">{pick(design.logoText, locale) || merchantName}</span>
        </div>
        <dl className="flex shrink-0 gap-3 text-right">
          {fields.header.map((f) => (
            <div key={f.key} className="min-w-0">
              {label(f)}
              {value(f)}
            </div>
          ))}
        </dl>
      </div>
      {fields.primary.length > 0 && (
        <dl className="flex flex-wrap gap-4">
          {fields.primary.map((f) => (
            <div key={f.key} className="min-w-0">
              {label(f)}
              {value(f, true)}
            </div>
          ))}
        </dl>
      )}
      {rows.length > 0 && (
        <dl className="grid grid-cols-2 gap-3">
          {rows.map((f) => (
            <div key={f.key} className="min-w-0">
              {label(f)}
              {value(f)}
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
