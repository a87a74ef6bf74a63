import { z } from "zod";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
  .optional()
  .catch(undefined);

/** The activity log's filters from the address (bad values are dropped, never an error page). */
export const auditFiltersSchema = z.object({
  user: z.uuid().optional().catch(undefined),
  /** An action or its first part: `staff`, `staff.role`. */
  action: z
    .string()
    .regex(/^[a-z0-9_]+(\.[a-z0-9_]+){0,3}$/i)
    .max(60)
    .optional()
    .catch(undefined),
  from: day,
  to: day,
});

export type AuditFilters = z.infer<typeof auditFiltersSchema>;
