import type { PromotionDesign } from "@/db/schema";
import { FIELD_POSITIONS, type TemplateDefinition } from "@/lib/templates/definition";

/**
 * A dynamic promotion laid over a template's definition (whatever version is current): its colours,
 * strip, the labels and values of the fields it names, and the back side's text. Everything else is
 * the template's, so taking the promotion off shows the template exactly as it is.
 */
export function applyPromotion(definition: TemplateDefinition, design: PromotionDesign): TemplateDefinition {
  const both = (v: string) => ({ en: v, ru: v });
  const fields = Object.fromEntries(
    FIELD_POSITIONS.map((position) => [
      position,
      definition.fields[position].map((f) => {
        const o = design.fields?.[f.key];
        if (!o) return f;
        return {
          ...f,
          ...(o.label !== undefined ? { label: both(o.label) } : {}),
          ...(o.value !== undefined ? { source: "static" as const, value: both(o.value) } : {}),
        };
      }),
    ]),
  ) as TemplateDefinition["fields"];
  return {
    ...definition,
    design: {
      ...definition.design,
      ...(design.backgroundColor ? { backgroundColor: design.backgroundColor } : {}),
      ...(design.foregroundColor ? { foregroundColor: design.foregroundColor } : {}),
      ...(design.labelColor ? { labelColor: design.labelColor } : {}),
      ...(design.stripFileId ? { stripFileId: design.stripFileId } : {}),
    },
    fields,
    back: design.backText ? { ...definition.back, terms: both(design.backText) } : definition.back,
  };
}
