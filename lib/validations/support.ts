import { z } from "zod";
import { hasControlChars, multilineText, requiredText } from "./common";

export const supportRequestSchema = z.object({
  subject: requiredText(150),
  message: multilineText(5000).min(1, { error: "validation.required" }),
  /** The cabinet path the person came from; anything else is dropped. */
  page: z
    .string()
    .max(300)
    .refine((v) => v.startsWith("/") && !v.startsWith("//") && !hasControlChars(v))
    .optional()
    .catch(undefined),
});

export type SupportRequestInput = z.infer<typeof supportRequestSchema>;
