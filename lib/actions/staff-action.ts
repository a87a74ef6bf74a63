import "server-only";
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { can, type Permission } from "@/lib/auth/roles";
import { getStaffContext, type StaffContext } from "@/lib/auth/session";
import { mustSetUpTwoFactor } from "@/lib/auth/two-factor-gate";
import { AppError, type ErrorCode } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { fieldErrorsOf } from "@/lib/validations/issues";
import type { ActionResult } from "./result";

type Options<S extends z.ZodType> = {
  permission: Permission;
  /** A schema, or one built for the caller (e.g. phones read in the merchant's country). */
  schema: S | ((ctx: StaffContext) => S);
  /** Paths to revalidate after success; "layout" refreshes every cabinet page (top bar data). */
  revalidate?: string[] | "layout";
  /** Allowed before the user has set up a second factor the owner requires (the set-up's own actions). */
  twoFactorSetup?: boolean;
};

export function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    out[key] = value;
  }
  return out;
}

/** Typed text to give back to the form after a refusal; passwords and files are never echoed. */
export function keptValues(input: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => typeof v === "string" && !/password|secret|token/i.test(k))) as Record<string, string>;
}

function fail(
  code: ErrorCode | "unexpected",
  error: string,
  extra: {
    fieldErrors?: Record<string, string>;
    params?: Record<string, string | number>;
    data?: Record<string, unknown>;
    values?: Record<string, string>;
  } = {},
): ActionResult<never> {
  return { ok: false, code, error, ...extra };
}

/**
 * The one wrapper for cabinet server actions: session → role → input validation → service → revalidate.
 * Returns a result the forms render; never throws for expected failures and never echoes secrets.
 */
export function staffAction<S extends z.ZodType, T>(options: Options<S>, handler: (ctx: StaffContext, input: z.infer<S>) => Promise<T>) {
  return async (_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
    const ctx = await getStaffContext();
    if (!ctx) return fail("unauthorized", "errors.unauthorized");
    if (mustSetUpTwoFactor(ctx) && !options.twoFactorSetup) return fail("forbidden", "security.errors.setupRequired");
    if (!can(ctx.role, options.permission)) return fail("forbidden", "errors.forbidden");

    const raw = formDataToObject(formData);
    const values = keptValues(raw);
    const schema = typeof options.schema === "function" ? options.schema(ctx) : options.schema;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      return fail("validation", "errors.validation", { fieldErrors: fieldErrorsOf(parsed.error), values });
    }
    try {
      const data = await handler(ctx, parsed.data);
      if (options.revalidate === "layout") revalidatePath("/", "layout");
      else for (const path of options.revalidate ?? []) revalidatePath(path);
      return { ok: true, data };
    } catch (err) {
      unstable_rethrow(err);
      // A refusal tied to fields is told next to them; the banner then only says to look there.
      if (err instanceof AppError)
        return fail(err.code, err.fieldErrors ? "errors.validation" : err.message, {
          fieldErrors: err.fieldErrors,
          params: err.params,
          data: err.data,
          values,
        });
      logger.error("action failed", { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return fail("unexpected", "errors.unexpected", { values });
    }
  };
}
