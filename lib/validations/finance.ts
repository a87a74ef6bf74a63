import { z } from "zod";

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .optional()
  .catch(undefined);

export const FINANCE_TYPES = ["sms", "email", "topup", "charge", "certificate"] as const;
/** Message statuses (the outbox's), `completed` (an operator's entry) and `sold` (a certificate). */
export const FINANCE_STATUSES = ["queued", "sending", "sent", "delivered", "failed", "in_doubt", "completed", "sold"] as const;

/** Finance filters from the address; bad values are dropped (the list is never an error page). */
export const financeFiltersSchema = z.object({
  type: z.enum(FINANCE_TYPES).optional().catch(undefined),
  status: z.enum(FINANCE_STATUSES).optional().catch(undefined),
  /** Months `YYYY-MM`, inclusive, in the merchant's time zone. */
  from: month,
  to: month,
});

export type FinanceFilters = z.infer<typeof financeFiltersSchema>;

/** A platform operator's top-up or charge (`npm run finance:entry`): a positive amount in minor units. */
export const financeEntrySchema = z.object({
  merchant: z.string().trim().min(1),
  kind: z.enum(["topup", "charge"]),
  amount: z.coerce.number().int().positive().max(2_000_000_000),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  note: z.string().trim().max(500).optional(),
  document: z.string().trim().max(100).optional(),
  by: z.string().trim().min(1).max(200),
});

export type FinanceEntryInput = z.infer<typeof financeEntrySchema>;
