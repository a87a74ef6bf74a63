import { z } from "zod";
import { requiredText } from "./common";

/** What a REST API key may do; `*` (kept for scripted keys such as the seed's) means every scope. */
export const API_SCOPES = [
  "templates:read",
  "cards:read",
  "cards:write",
  "customers:read",
  "customers:write",
  "pos:write",
  "pos:skip_confirmation",
  "ledger:read",
  "events:read",
  "webhooks:read",
  "webhooks:write",
  "reports:read",
  "certificates:read",
  "certificates:write",
  "campaigns:read",
  "campaigns:write",
  "forms:read",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const ALL_SCOPES = "*";

export const API_KEY_NAME_MAX = 80;

/** The form's checkboxes are named `scope.<scope>`: FormData keeps repeated names, the action wrapper keeps only the last. */
export const scopeFieldName = (scope: ApiScope) => `scope.${scope}`;

export const createApiKeySchema = z.preprocess(
  (raw) => {
    const form = (raw ?? {}) as Record<string, unknown>;
    return { name: form.name, scopes: API_SCOPES.filter((s) => form[scopeFieldName(s)] !== undefined) };
  },
  z.object({
    name: requiredText(API_KEY_NAME_MAX),
    scopes: z.array(z.enum(API_SCOPES)).min(1, { error: "apiKeys.errors.scopes" }),
  }),
);

export const apiKeyIdSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });

/** Message keys (under `apiKeys.scopes` / `apiKeys.scopeHints`) naming each scope in the cabinet. */
export const SCOPE_MESSAGE_KEYS = {
  "templates:read": "templatesRead",
  "cards:read": "cardsRead",
  "cards:write": "cardsWrite",
  "customers:read": "customersRead",
  "customers:write": "customersWrite",
  "pos:write": "posWrite",
  "pos:skip_confirmation": "posSkipConfirmation",
  "ledger:read": "ledgerRead",
  "events:read": "eventsRead",
  "webhooks:read": "webhooksRead",
  "webhooks:write": "webhooksWrite",
  "reports:read": "reportsRead",
  "certificates:read": "certificatesRead",
  "certificates:write": "certificatesWrite",
  "campaigns:read": "campaignsRead",
  "campaigns:write": "campaignsWrite",
  "forms:read": "formsRead",
  [ALL_SCOPES]: "all",
} as const;
