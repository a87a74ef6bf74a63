import { z } from "zod";
import { formDefinitionSchema } from "@/lib/forms/definition";
import { requiredText } from "./common";

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
