import { z } from "zod";
import { formDefinitionSchema } from "@/lib/forms/definition";
import { LEVEL_TOTAL_MAX } from "@/lib/templates/definition";
import { requiredText, text } from "./common";

/** The editor sends the form's definition as one JSON field; its problems come back under `definition.<path>`. */
const definitionJson = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "errors.validation" });
      return z.NEVER;
    }
  })
  .pipe(formDefinitionSchema);

const cover = z
  .instanceof(File)
  .optional()
  .transform((f) => (f && f.size > 0 ? f : undefined));

export const formEditorSchema = z.object({
  id: z.uuid().optional(),
  name: requiredText(120),
  templateId: z.string().min(1, { error: "forms.errors.template" }),
  active: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  definition: definitionJson,
  cover,
  removeCover: z.preprocess((v) => v === "on" || v === "true", z.boolean()).optional(),
});
export type FormEditorInput = z.infer<typeof formEditorSchema>;

/** A customer's form: the phone and the code; the answers (`f_<key>`, `c_<key>`) are read against the form itself (lib/forms/definition). */
export const formCodeSchema = z.object({ token: z.string().max(64), phone: z.string().max(40) });
export const formSubmitSchema = formCodeSchema.extend({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { error: "customerAuth.errors.codeFormat" }),
  ref: z.string().max(80).optional(),
});

const whole = (max: number) =>
  z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? null : Number(v)),
    z.number({ error: "validation.number" }).int({ error: "validation.number" }).min(0).max(max).nullable(),
  );

/**
 * A registration group's or company's editor. Dates are `datetime-local` values in the merchant's time
 * zone (`zoned` reads them); blank means no start, no end, no cap, no discount, no starting level.
 */
export function sourceEditorSchema(zoned: (value: string) => Date | null) {
  const when = z.preprocess(
    (v) => (typeof v === "string" && v ? v : null),
    z
      .string()
      .nullable()
      .transform((v, ctx) => {
        if (v === null) return null;
        const at = zoned(v);
        if (!at) ctx.addIssue({ code: "custom", message: "forms.errors.date" });
        return at;
      }),
  );
  return z.object({
    id: z.uuid().optional(),
    kind: z.enum(["group", "company"]),
    formId: z.string().min(1, { error: "regGroups.errors.form" }),
    name: requiredText(120),
    tag: text(60).default(""),
    startsAt: when,
    endsAt: when,
    maxRegistrations: whole(10_000_000),
    welcomeBonus: whole(1_000_000).transform((v) => v ?? 0),
    discount: z.preprocess((v) => (v === "" || v === undefined ? null : Number(v)), z.number({ error: "validation.number" }).int().min(0).max(100).nullable()),
    // A company's starting level, as the threshold of the level chosen (lib/forms/sources checks it is one of the template's).
    levelFloor: z.preprocess(
      (v) => (v === "" || v === undefined || v === null ? null : Number(v)),
      z
        .number({ error: "regGroups.errors.levelUnknown" })
        .int({ error: "regGroups.errors.levelUnknown" })
        .min(1, { error: "regGroups.errors.levelUnknown" })
        .max(LEVEL_TOTAL_MAX, { error: "regGroups.errors.levelUnknown" })
        .nullable(),
    ),
    active: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  });
}
