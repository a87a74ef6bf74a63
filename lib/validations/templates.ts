import { z } from "zod";
import { TEMPLATE_KINDS, templateDefinitionSchema } from "@/lib/templates/definition";
import { TEMPLATE_IMAGE_SLOTS } from "@/lib/templates/images";
import { requiredText } from "./common";

const id = z.uuid({ error: "errors.notFound" });

export const createTemplateSchema = z.object({ name: requiredText(80), kind: z.enum(TEMPLATE_KINDS, { error: "templates.errors.kind" }) });
export const templateIdSchema = z.object({ id });
export const archiveTemplateSchema = z.object({ id, archived: z.enum(["true", "false"]).transform((v) => v === "true") });
export const restoreVersionSchema = z.object({ id, version: z.coerce.number().int().min(1) });

/** The editor posts the whole definition as JSON; its field paths come back as `definition.…` errors. */
export const saveTemplateSchema = z.object({
  id,
  baseVersion: z.coerce.number().int().min(1),
  name: requiredText(80),
  definition: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "errors.validation" });
        return z.NEVER;
      }
    })
    .pipe(templateDefinitionSchema),
});

export const uploadTemplateImageSchema = z.object({
  id,
  slot: z.enum(TEMPLATE_IMAGE_SLOTS),
  file: z.instanceof(File, { error: "validation.fileRequired" }).refine((f) => f.size > 0, { error: "validation.fileRequired" }),
});
