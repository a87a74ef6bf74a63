import { z } from "zod";

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .optional()
  .catch(undefined);

/** Finance filters from the address; bad values are dropped (the list is never an error page). */
export const financeFiltersSchema = z.object({
  type: z.enum(["sms", "email"]).optional().catch(undefined),
  status: z.enum(["queued", "sending", "sent", "delivered", "failed", "in_doubt"]).optional().catch(undefined),
  /** Months `YYYY-MM`, inclusive, in the merchant's time zone. */
  from: month,
  to: month,
});

export type FinanceFilters = z.infer<typeof financeFiltersSchema>;
