import type { z } from "zod";

/** The key of a rule on the whole input (e.g. "nothing to change"): forms show it above the fields. */
export const FORM_KEY = "_form";

/**
 * Zod issues as field errors: the dotted path of each field (`customer.phone`) to the first message
 * found for it, a translation key; a field it should not have, at that field's path. A rule on the
 * whole input gets `formKey` (`_form` for forms; the API names it with the empty path). The one place
 * this is done, for actions, forms and the API alike.
 */
export function fieldErrorsOf(error: Pick<z.ZodError, "issues">, formKey: string = FORM_KEY): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    // A field the input should not have is named itself, at its own path (`audience.statuses`).
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of paths) out[path.map(String).join(".") || formKey] ??= issue.message;
  }
  return out;
}
