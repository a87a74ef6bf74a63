import { z } from "zod";
import { MERCHANT_LOGO_MAX_BYTES } from "@/lib/files/limits";
import { requiredText, text } from "./common";

export const CURRENCIES = ["RUB", "USD", "EUR", "KZT", "BYN", "UZS", "AMD", "GEL", "TRY", "AED"] as const;

const timeZone = z
  .string()
  .trim()
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { error: "validation.timeZone" },
  );

export const organisationSchema = z.object({
  name: requiredText(120),
  legalName: text(200),
  taxId: text(20).refine((v) => v === "" || /^\d{10}(\d{2})?$/.test(v), { error: "validation.taxId" }),
  legalAddress: text(300),
  contactEmail: z.union([
    z.literal(""),
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: "validation.email" })),
  ]),
  contactPhone: text(30).refine((v) => v === "" || /^\+?[\d\s()-]{6,}$/.test(v), { error: "validation.phone" }),
  timeZone,
  currency: z.enum(CURRENCIES, { error: "validation.currency" }),
});

export type OrganisationInput = z.infer<typeof organisationSchema>;

export const LOGO_RULES = { maxBytes: MERCHANT_LOGO_MAX_BYTES, minWidth: 64, minHeight: 64, maxWidth: 4096, maxHeight: 4096 };
