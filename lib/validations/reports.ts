import { z } from "zod";
import { CARD_SOURCES, isCardSource } from "@/lib/reports/dimensions";

export const REPORT_NAMES = [
  "card-statuses",
  "device-types",
  "card-history",
  "device-history",
  "conversion",
  "activations",
  "loyalty",
  "pushes",
  "certificates",
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

const isoDate = z.iso.date({ error: "reports.errors.date" });
const MAX_DAYS = 3 * 366;

/** A report's filters, the same for the page, the CSV export and the API; dates are inclusive, in the merchant's zone. */
export const reportFiltersSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    templateId: z.uuid({ error: "reports.errors.template" }).optional(),
    locationId: z.uuid({ error: "reports.errors.location" }).optional(),
    // One of the channels, or a registration group's or company's link (`group:<id>`, `company:<id>`).
    source: z
      .string({ error: "reports.errors.source" })
      .refine(isCardSource, { error: "reports.errors.source" })
      .meta({ description: `One of ${CARD_SOURCES.join(", ")}, or group:<id> / company:<id>` })
      .optional(),
    granularity: z.enum(["day", "week", "month"], { error: "reports.errors.granularity" }).default("day"),
  })
  .check((ctx) => {
    const { from, to } = ctx.value;
    const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (span < 0) ctx.issues.push({ code: "custom", message: "reports.errors.range", path: ["to"], input: to });
    else if (span > MAX_DAYS) ctx.issues.push({ code: "custom", message: "reports.errors.rangeTooLong", path: ["to"], input: to });
  });

export type ReportFilters = z.infer<typeof reportFiltersSchema>;
