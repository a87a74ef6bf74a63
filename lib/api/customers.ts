import "server-only";
import type { Customer } from "@/db/schema";
import type { ApiCustomer } from "./rest-schemas";

export function presentCustomer(c: Customer): ApiCustomer {
  return {
    id: c.id,
    phone: c.phone,
    email: c.email,
    name: c.name,
    birthday: c.birthday,
    marketingConsent: { given: c.marketingConsent, text: c.marketingConsentText, at: c.marketingConsentAt?.toISOString() ?? null },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
