import type { CardFilters } from "@/db/queries/cards";
import { phoneSearchDigits } from "@/lib/customers/phone";
import { listCardsQuerySchema } from "@/lib/validations/cards";

/** The card list's filters from its query string (q, template, status); a phone in `q` is matched in any form. */
export function cardFiltersFromQuery(query: Record<string, unknown>, country: string): CardFilters {
  const { q, template, status } = listCardsQuerySchema.parse(query);
  const search = q || undefined;
  return { search, phoneDigits: search ? phoneSearchDigits(search, country) : undefined, templateId: template, status };
}
