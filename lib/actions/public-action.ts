import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { fieldErrorsOf } from "@/lib/validations/issues";
import type { ActionResult } from "./result";
import { formDataToObject, keptValues } from "./staff-action";

/**
 * The wrapper for actions on customers' public pages: no staff session, but the same input checks and
 * the same result shape as cabinet actions, so forms render field errors and refusals alike.
 */
export function publicAction<S extends z.ZodType, T>(schema: S, handler: (input: z.infer<S>) => Promise<T>) {
  return async (_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
    const raw = formDataToObject(formData);
    const values = keptValues(raw);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      return { ok: false, code: "validation", error: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error), values };
    }
    try {
      return { ok: true, data: await handler(parsed.data) };
    } catch (err) {
      unstable_rethrow(err);
      if (err instanceof AppError)
        return { ok: false, code: err.code, error: err.message, fieldErrors: err.fieldErrors, params: err.params, data: err.data, values };
      logger.error("public action failed", { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return { ok: false, code: "unexpected", error: "errors.unexpected", values };
    }
  };
}
