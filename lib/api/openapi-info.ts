import apiMessages from "@/messages/en/api.json";
import { API_SCOPES, SCOPE_MESSAGE_KEYS } from "@/lib/validations/api-keys";
import { API_RATE_LIMIT_PER_MINUTE } from "./rate-limit";

/** Every scope with what it allows, in the words Settings → API keys shows: written once, in the messages. */
const SCOPES = API_SCOPES.map((scope) => {
  const hint = apiMessages.apiKeys.scopeHints[SCOPE_MESSAGE_KEYS[scope] as keyof typeof apiMessages.apiKeys.scopeHints];
  return `\`${scope}\` (${hint.replace(/\.$/, "").replace(/^./, (c) => c.toLowerCase())})`;
}).join(", ");

/** The OpenAPI document's `info`: what the API is, how to call it, its limits and its versioning policy. */
export const OPENAPI_INFO = {
  title: "CardDesk API",
  version: "1.0.0",
  description: [
    "Cards, customers, templates and events of one merchant, for tills (POS) and CRM systems.",
    "Authenticate with `Authorization: Bearer <API key>`; keys are made under Settings → API keys, shown once, and carry scopes:",
    `${SCOPES}.`,
    `Each key may send ${API_RATE_LIMIT_PER_MINUTE} requests a minute, counted across all servers; every answer carries \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\` (seconds) and \`RateLimit-Policy\`, and the same as \`X-RateLimit-*\` (reset as a unix time). Past the limit: 429 with \`Retry-After\`.`,
    "Lists are paged by cursor: pass `nextCursor` back as `cursor` (`after` for the events feed). Every write accepts an `Idempotency-Key` header (the till's point operations require one).",
    "Errors are `{ error: { code, message, details?, data? } }`; `message` is English text, branch on `code`. `details` names each refused field; `data` holds the facts a program acts on, per code (e.g. `card_exists` carries the existing card in `data.card`), as each error response below describes.",
    "Text fields and parameters refuse control characters (U+0000–U+001F and U+007F, NUL included) with `validation` naming the field.",
    "## Versioning",
    "Within `/api/v1` changes are additive only: new operations, new optional request fields and parameters, new fields in answers, new event types and new error codes (with a status this document already uses) may appear at any time, so ignore what you do not know and branch on `error.code` with a default. What never changes within `/api/v1`: paths, methods, the meaning and type of existing fields, required request fields, status codes and error codes of existing operations, event names and the `evt_…` ids, and cursors' opacity (never parse them).",
    "Nothing is removed without notice: an operation or field due to go first answers with `Deprecation` (RFC 9745, the date it was deprecated) and `Sunset` (RFC 8594, the date after which it may stop working, at least 6 months later), with a `Link` to what replaces it, and is marked `deprecated` here. Breaking changes come as `/api/v2`, run side by side with `/api/v1` until its sunset.",
    "## Terms of use",
    "The API and this document are proprietary: CardDesk's, under these terms (the licence `LicenseRef-CardDesk-API`). A merchant, and the integrators it gives a key to, may call the API for that merchant's own programme, and may copy this document to build and keep up such integrations. A key is the merchant's secret: never share it or put it into software given to customers. Do not try to reach other merchants' data, to get around the limits, or to load the service beyond them. Customer data read through the API is the merchant's, held under the merchant's own duties for personal data (152-FZ, GDPR): use it for the merchant's programme only.",
  ].join("\n\n"),
  license: { name: "Proprietary: the CardDesk API terms of use (see Terms of use above)", identifier: "LicenseRef-CardDesk-API" },
};
