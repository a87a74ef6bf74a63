import { API_RATE_LIMIT_PER_MINUTE } from "./rate-limit";

/** The OpenAPI document's `info`: what the API is, how to call it, its limits and its versioning policy. */
export const OPENAPI_INFO = {
  title: "CardDesk API",
  version: "1.0.0",
  description: [
    "Cards, customers, templates and events of one merchant, for tills (POS) and CRM systems.",
    "Authenticate with `Authorization: Bearer <API key>`; keys are made under Settings → API keys, shown once, and carry scopes:",
    "`templates:read` (read templates), `cards:read` (find, read and download cards), `cards:write` (issue, change, block, move, send and delete cards), `customers:read` (find and read customers and their cards), `customers:write` (create and change customers), `pos:write` (what a till needs: look cards up, accrue, redeem, take purchases, reverse them, read back what it wrote), `ledger:read` (read point transactions), `events:read` (the events feed), `webhooks:read` (list webhook endpoints and their deliveries), `webhooks:write` (manage endpoints, rotate secrets, send tests, replay deliveries), `reports:read` (the figures of Cabinet → Reports).",
    `Each key may send ${API_RATE_LIMIT_PER_MINUTE} requests a minute, counted across all servers; every answer carries \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\` (seconds) and \`RateLimit-Policy\`, and the same as \`X-RateLimit-*\` (reset as a unix time). Past the limit: 429 with \`Retry-After\`.`,
    "Lists are paged by cursor: pass `nextCursor` back as `cursor` (`after` for the events feed). Every write accepts an `Idempotency-Key` header (the till's point operations require one).",
    "Errors are `{ error: { code, message, details?, data? } }`; `message` is English text, branch on `code`. `details` names each refused field; `data` holds the facts a program acts on, per code (e.g. `card_exists` carries the existing card in `data.card`), as each error response below describes.",
    "Text fields and parameters refuse control characters (U+0000–U+001F and U+007F, NUL included) with `validation` naming the field.",
    "## Versioning",
    "Within `/api/v1` changes are additive only: new operations, new optional request fields and parameters, new fields in answers, new event types and new error codes (with a status this document already uses) may appear at any time, so ignore what you do not know and branch on `error.code` with a default. What never changes within `/api/v1`: paths, methods, the meaning and type of existing fields, required request fields, status codes and error codes of existing operations, event names and the `evt_…` ids, and cursors' opacity (never parse them).",
    "Nothing is removed without notice: an operation or field due to go first answers with `Deprecation` (RFC 9745, the date it was deprecated) and `Sunset` (RFC 8594, the date after which it may stop working, at least 6 months later), with a `Link` to what replaces it, and is marked `deprecated` here. Breaking changes come as `/api/v2`, run side by side with `/api/v1` until its sunset.",
  ].join("\n\n"),
  license: { name: "Proprietary: the CardDesk API terms of use", identifier: "LicenseRef-CardDesk-API" },
};
