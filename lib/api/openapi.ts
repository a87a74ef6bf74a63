import "server-only";
import { z } from "zod";
import { API_SCOPES, type ApiScope } from "@/lib/validations/api-keys";
import type { ApiErrorCode } from "./errors";
import { exampleCard } from "./openapi-examples";
import { OPENAPI_INFO } from "./openapi-info";
import { REPORT_NAMES, reportFiltersSchema } from "@/lib/validations/reports";
import { ledgerInputSchemas, ledgerPaths, ledgerSchemas } from "./openapi-ledger";
import { API_BODY_LIMIT_BYTES } from "@/lib/files/limits";
import { campaignInputSchemas, campaignPaths, campaignSchemas } from "./openapi-campaigns";
import { formPaths, formSchemas } from "./openapi-forms";
import { webhookEvents, webhookInputSchemas, webhookPaths, webhookSchemas } from "./openapi-webhooks";
import { restInputSchemas, restPaths, restSchemas } from "./openapi-rest";
import { certificateInputSchemas, certificatePaths, certificateSchemas } from "./openapi-certificates";
import { DOC_COUNTRY, type Json, ref } from "./openapi-parts";
import { API_RATE_LIMIT_PER_MINUTE } from "./rate-limit";
import {
  apiCardDetailSchema,
  apiCardListSchema,
  apiCardSchema,
  apiErrorSchemaFor,
  apiTemplateListSchema,
  apiTemplateSchema,
  issueCardRequestSchema,
  listCardsQuerySchema,
  listTemplatesQuerySchema,
  patchCardRequestSchema,
} from "./schemas";

/** Cleans what JSON Schema conversion adds for validators but only clutters a reader's view. */
function tidy({ jsonSchema }: { jsonSchema: Json }) {
  if (jsonSchema.format) delete jsonSchema.pattern;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

/** Named schemas of one direction: requests as clients may send them (input), answers as sent (output). */
function components(io: "input" | "output", schemas: Record<string, z.ZodType>): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: tidy,
    uri: (id) => `#/components/schemas/${id}`,
  }) as {
    schemas: Record<string, Json>;
  };
  for (const schema of Object.values(out)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return out;
}

/** A query object schema as OpenAPI parameters, each with its own description. */
function queryParameters(schema: z.ZodType): Json[] {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", override: tidy }) as { properties: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties).map(([name, { description, ...rest }]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    description,
    schema: rest,
  }));
}

const ERROR_RESPONSES = {
  BadRequest: { codes: ["bad_request"], description: "The body is not JSON, or a header is malformed (`bad_request`)." },
  PayloadTooLarge: {
    codes: ["payload_too_large"],
    description: `The body is over ${API_BODY_LIMIT_BYTES / 1024} KiB (\`payload_too_large\`, the limit in \`error.data.limitBytes\`); nothing was read or changed.`,
  },
  Unauthorized: { codes: ["unauthorized"], description: "No API key, a malformed `Authorization` header, or an unknown or revoked key (`unauthorized`)." },
  Forbidden: { codes: ["forbidden"], description: "The key lacks the scope this operation needs (`forbidden`); `error.data.scope` names it." },
  NotFound: {
    codes: ["not_found"],
    description: "No such card, customer or template for this key's merchant (`not_found`). Another merchant's answers the same.",
  },
  Conflict: {
    codes: ["conflict", "card_exists"],
    description:
      "The request clashes with the current state: the card number is taken, or the `Idempotency-Key` was used for another request (`conflict`); or, issuing, the phone already holds a card of this template (`card_exists`, the card in `error.data.card`).",
  },
  Validation: { codes: ["validation"], description: "The input breaks a rule (`validation`); `details` names each field, as a dotted path, with the reason." },
  PreconditionFailed: {
    codes: ["precondition_failed"],
    description:
      "`If-Match` names none of the card's current tags: it changed since it was read (`precondition_failed`). Nothing was changed; the current tag is in `ETag` and `error.data.etag`. Read the card again, reapply the change and retry.",
  },
  RateLimited: {
    codes: ["rate_limited"],
    description: `More than ${API_RATE_LIMIT_PER_MINUTE} requests a minute with this key (\`rate_limited\`); wait \`Retry-After\` (also \`error.data.retryAfter\`) seconds.`,
    headers: {
      "Retry-After": { description: "Seconds until the key's window starts afresh.", schema: { type: "integer", minimum: 1 } },
      "RateLimit-Limit": { description: "Requests a key may make per window.", schema: { type: "integer" } },
      "RateLimit-Remaining": { description: "Requests left in this window: 0 here.", schema: { type: "integer" } },
      "RateLimit-Reset": { description: "Seconds until the window starts afresh.", schema: { type: "integer" } },
      "RateLimit-Policy": { description: "`<limit>;w=<window seconds>`.", schema: { type: "string" } },
    },
  },
  Internal: {
    codes: ["internal"],
    description: "Something failed on the server (`internal`); it is logged. Retrying with the same `Idempotency-Key` is safe.",
  },
  CardNotFound: { codes: ["card_not_found"], description: "No card of this merchant has that code, number or phone (`card_not_found`)." },
  LookupConflict: {
    codes: ["card_blocked", "card_expired", "several_cards"],
    description:
      "The card is blocked (`card_blocked`) or expired (`card_expired`); or the phone holds several loyalty cards (`several_cards`, each in `error.data.choices`: look one up by its number).",
  },
  TransactionConflict: {
    codes: ["conflict", "card_blocked", "card_expired", "insufficient_balance", "limit_exceeded", "location_not_accepted", "coupon_used"],
    description:
      "The `Idempotency-Key` was used for another request (`conflict`); the card is blocked or expired; the balance is too low (`insufficient_balance`, the balance in `error.data.balance`); a guard rail of Settings → Tills stops the redemption (`limit_exceeded`, which one in `error.data.limit`); or a gift certificate is not accepted at this point of sale (`location_not_accepted`: the till's own point of sale, or the request's `locationId`, is not among the definition's; both in `error.data`); or a coupon was used already (`coupon_used`, when in `error.data.usedAt`).",
  },
  CodeInvalid: {
    codes: ["validation", "code_invalid"],
    description: "The code is not digits (`validation`), or wrong (`code_invalid`, the tries left in `error.data.triesLeft`).",
  },
  PinRequired: {
    codes: ["forbidden", "pin_required"],
    description:
      "The key lacks the scope (`forbidden`, named in `error.data.scope`), or the merchant finds cards by phone only with the customer's PIN (`pin_required`): use `POST /pos/authorizations`.",
  },
  CardNumberUnknown: {
    codes: ["validation", "number_unknown", "number_mistyped"],
    description:
      "The input breaks a rule (`validation`), the number is in none of the merchant's card stock (`number_unknown`), or its check digit is wrong (`number_mistyped`): the number was mistyped, ask for it again.",
  },
  CardNumberConflict: {
    codes: ["card_exists", "number_active"],
    description:
      "The phone already holds a card of the till template (`card_exists`, the card in `error.data.card`), or the pre-printed card is active already (`number_active`).",
  },
  QrOutdated: {
    codes: ["qr_expired"],
    description:
      "A rotating QR (`CDQ.` or a Google pass's `CDG.`) from before yesterday's window (`qr_expired`): ask the customer to reopen the card, or, when their phone is offline, send a PIN to the card holder by the card's number (`POST /pos/authorizations` with `number`).",
  },
  LookupValidation: {
    codes: ["validation", "qr_invalid", "qr_required"],
    description:
      "The query breaks a rule (`validation`), a rotating QR's signature is wrong (`qr_invalid`), or the card's template rotates its QR and the till sent the plain number or a static barcode (`qr_required`): scan the QR on the customer's screen, or find the card by phone + PIN, or by its number + a PIN sent to its holder (`POST /pos/authorizations`).",
  },
  PinLimited: {
    codes: ["rate_limited"],
    description:
      "More than 5 PINs an hour for this phone or card number (`rate_limited`, the seconds to wait in the message), or more than the key's requests a minute (`rate_limited`, with `Retry-After`).",
  },
  CodeExpired: {
    codes: ["confirmation_expired"],
    description: "The code expired (5 minutes), its tries ran out, or it was cancelled (`confirmation_expired`): start again.",
  },
  ReverseConflict: {
    codes: ["conflict", "reverse_exceeds_original", "already_reversed"],
    description:
      "The `Idempotency-Key` was used for another request, or the transaction cannot be reversed (a reversal) (`conflict`); more than is left to reverse (`reverse_exceeds_original`, what is left in `error.data.left`); or it is reversed in full already (`already_reversed`).",
  },
  LedgerValidation: {
    codes: ["validation", "redeem_limit_exceeded"],
    description:
      "The input breaks a rule (`validation`, each field in `details`), or asks to redeem more than the programme allows (`redeem_limit_exceeded`, the most allowed in `error.data.maxPoints`).",
  },
  NoFreeCodes: {
    codes: ["conflict", "no_free_codes"],
    description:
      "The definition's pool has no free code left (`no_free_codes`, how many are missing in `error.data.missing`), a code clashes with one of the merchant's card numbers, or the `Idempotency-Key` was used for another request (`conflict`).",
  },
} as const satisfies Record<string, { codes: readonly ApiErrorCode[]; description: string; headers?: Json }>;
type ErrorResponse = keyof typeof ERROR_RESPONSES;
const STATUS_OF: Record<ErrorResponse, string> = {
  BadRequest: "400",
  Unauthorized: "401",
  Forbidden: "403",
  NotFound: "404",
  Conflict: "409",
  PreconditionFailed: "412",
  PayloadTooLarge: "413",
  Validation: "422",
  RateLimited: "429",
  Internal: "500",
  CardNotFound: "404",
  LookupConflict: "409",
  TransactionConflict: "409",
  ReverseConflict: "409",
  LedgerValidation: "422",
  NoFreeCodes: "409",
  CodeInvalid: "422",
  CodeExpired: "410",
  PinRequired: "403",
  CardNumberUnknown: "422",
  CardNumberConflict: "409",
  QrOutdated: "410",
  LookupValidation: "422",
  PinLimited: "429",
};
export type { ErrorResponse };

const json = (schema: Json) => ({ content: { "application/json": { schema } } });
const etagHeader = {
  ETag: {
    description:
      "The card's revision: a strong entity tag (`\"…\"`, never `W/`) that changes whenever anything in the card's JSON does. Send it back in `If-Match` to change the card only as you read it.",
    schema: { type: "string", example: '"k3J0c9YqvQe8m1lUoQx2A7bZr4d"' },
  },
};
const ifMatchParameter = {
  name: "If-Match",
  in: "header",
  required: false,
  description:
    'Change the card only if it is still as read: one or more `ETag`s from `GET` (or a previous `PATCH`), comma-separated, or `*` (any existing card). Compared strongly (RFC 9110): a weak tag `W/"…"` never matches. The check and the change happen in one transaction with the card locked; a card changed since answers 412 `precondition_failed` and nothing changes. Without `If-Match` the change is made whatever the card is now.',
  schema: { type: "string" },
};
const idParameter = { name: "id", in: "path", required: true, description: "The card's id.", schema: { type: "string", format: "uuid" } };

export type Operation = {
  id: string;
  summary: string;
  description?: string;
  scope: ApiScope;
  parameters?: Json[];
  body?: string;
  bodyExamples?: Record<string, Json>;
  ok: [string, Json];
  /** Other success answers (a 202 beside a 201). */
  alsoOk?: [string, Json][];
  errors: ErrorResponse[];
};

function operation(op: Operation): Json {
  // An operation's own answer for a status (a 403 that is also `pin_required`) stands in for the general one.
  const always = (["Unauthorized", "Forbidden", "RateLimited", "Internal", ...(op.body ? (["PayloadTooLarge"] as const) : [])] as ErrorResponse[]).filter(
    (a) => !op.errors.some((e) => STATUS_OF[e] === STATUS_OF[a]),
  );
  const errors = [...new Set([...op.errors, ...always])].sort((a, b) => STATUS_OF[a].localeCompare(STATUS_OF[b]));
  return {
    operationId: op.id,
    summary: op.summary,
    description: [op.description, `Needs the \`${op.scope}\` scope.`].filter(Boolean).join("\n\n"),
    security: [{ apiKey: [op.scope] }],
    "x-required-scope": op.scope,
    ...(op.parameters && { parameters: op.parameters }),
    ...(op.body && {
      requestBody: { required: true, content: { "application/json": { schema: ref(op.body), ...(op.bodyExamples && { examples: op.bodyExamples }) } } },
    }),
    responses: {
      [op.ok[0]]: op.ok[1],
      ...Object.fromEntries(op.alsoOk ?? []),
      ...Object.fromEntries(errors.map((e) => [STATUS_OF[e], { $ref: `#/components/responses/${e}` }])),
    },
  };
}

/** The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the handlers parse with. */
/** The API's base URL on an installation served at `appUrl`: the document's one server. */
export function apiBaseUrl(appUrl: string): string {
  return `${appUrl.replace(/\/$/, "")}/api/v1`;
}

export function buildOpenApiDocument(serverUrl: string) {
  const cardOk = (status: string, description: string, headers?: Json): [string, Json] => [
    status,
    { description, ...(headers && { headers }), ...json(ref("Card")) },
  ];
  const cardDetailOk = (status: string, description: string, headers?: Json): [string, Json] => [
    status,
    { description, ...(headers && { headers }), ...json(ref("CardDetail")) },
  ];
  return {
    openapi: "3.1.0",
    info: OPENAPI_INFO,
    servers: [{ url: apiBaseUrl(serverUrl) }],
    security: [{ apiKey: [] }],
    paths: {
      "/templates": {
        get: operation({
          id: "listTemplates",
          summary: "List templates",
          scope: "templates:read",
          parameters: queryParameters(listTemplatesQuerySchema),
          ok: ["200", { description: "The merchant's templates.", ...json(ref("TemplateList")) }],
          errors: ["Validation"],
        }),
      },
      "/cards": {
        get: operation({
          id: "listCards",
          summary: "Find cards",
          description: "Most recently changed first, a page at a time; every filter is exact.",
          scope: "cards:read",
          parameters: queryParameters(listCardsQuerySchema(DOC_COUNTRY)),
          ok: ["200", { description: "A page of cards.", ...json(ref("CardList")) }],
          errors: ["Validation"],
        }),
        post: operation({
          id: "issueCard",
          summary: "Issue a card",
          description:
            "Send an `Idempotency-Key` header (any unique string) to retry safely: within 24 hours the same key answers with the first result instead of issuing again (marked `Idempotent-Replayed: true`); the same key with a different body is a `conflict`.",
          scope: "cards:write",
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              description: "Up to 255 printable ASCII characters, unique per request.",
              schema: { type: "string", maxLength: 255 },
            },
          ],
          body: "CardCreate",
          ok: cardOk("201", "The issued card."),
          errors: ["BadRequest", "Conflict", "Validation"],
        }),
      },
      "/cards/{id}": {
        get: operation({
          id: "getCard",
          summary: "Get a card",
          scope: "cards:read",
          parameters: [idParameter],
          ok: cardDetailOk("200", "The card with what of its points expires when, and its revision in `ETag`.", etagHeader),
          errors: ["NotFound"],
        }),
        patch: operation({
          id: "updateCard",
          summary: "Change a card",
          description:
            'Values, expiry and status together, all or nothing. A `custom` value of "" removes that key. A new `values.balance` is recorded as an `adjust` transaction for the difference (see the card\'s transactions). Send `If-Match` with the `ETag` you read to refuse the change (412) if someone changed the card meanwhile.',
          scope: "cards:write",
          parameters: [idParameter, ifMatchParameter],
          body: "CardPatch",
          ok: cardDetailOk("200", "The card as it is now (with what of its points expires when), with its new `ETag`.", etagHeader),
          errors: ["BadRequest", "NotFound", "Conflict", "PreconditionFailed", "Validation"],
        }),
        delete: operation({
          id: "deleteCard",
          summary: "Delete a card",
          description:
            "For good: the pass stops updating and the card is gone from lists. Its events stay, ending with `card.deleted`. Accepts `Idempotency-Key`.",
          scope: "cards:write",
          parameters: [
            idParameter,
            { name: "Idempotency-Key", in: "header", required: false, description: "As for the other writes.", schema: { type: "string", maxLength: 255 } },
          ],
          ok: [
            "200",
            {
              description: "The card is deleted.",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { id: { type: "string", format: "uuid" }, deleted: { const: true } }, required: ["id", "deleted"] },
                  example: { id: exampleCard.id, deleted: true },
                },
              },
            },
          ],
          errors: ["BadRequest", "NotFound"],
        }),
      },
      "/cards/{id}/pass": {
        get: operation({
          id: "getCardPass",
          summary: "Download a card's Apple Wallet pass",
          scope: "cards:read",
          parameters: [idParameter],
          ok: [
            "200",
            {
              description: "The signed pass.",
              content: { "application/vnd.apple.pkpass": { schema: { type: "string", contentMediaType: "application/vnd.apple.pkpass" } } },
            },
          ],
          errors: ["NotFound"],
        }),
      },
      ...ledgerPaths({ operation, queryParameters }),
      ...webhookPaths({ operation, queryParameters }),
      ...campaignPaths({ operation, queryParameters }),
      ...formPaths({ operation, queryParameters }),
      ...restPaths({ operation, queryParameters }),
      ...certificatePaths({ operation, queryParameters }),
      "/reports/{report}": {
        get: operation({
          id: "getReport",
          summary: "A report's figures",
          description: [
            "The figures Cabinet → Reports draws, for BI tools and CRMs. `from` and `to` are dates, inclusive, in the merchant's time zone;",
            "`locationId` filters what happened at a point of sale (loyalty) and is ignored by the current-state reports (`card-statuses`, `device-types`).",
            "Figures follow events within seconds. `card-statuses` answers `{ issued, installed, removed, blocked, expired }`; period reports answer a row per",
            "`granularity` period. `loyalty` also answers `total.activeMembers` (exact up to 10,000 purchase events in the period, a HyperLogLog estimate above)",
            "and `levels`: cards per cumulative-discount level now, per template with levels (`templateId` applies; the period does not).",
            "`pushes` answers `periods` (wallet update pushes sent and failed per period), `campaigns` (each campaign's delivered pushes in the period: Apple",
            "`accepted` / `failed`, Google `accepted` (notified) / `quota` (shown without a notification, Google's 3 a day) / `failed` / `inDoubt`; a deleted",
            "campaign keeps its name, with `deleted: true`) and their `total`. `certificates` answers per gift-certificate definition: issued (count, nominal),",
            "opened, redeemed (count, sum), expired (count, unspent sum written off: breakage) in the period, and the outstanding balance at its end.",
          ].join(" "),
          scope: "reports:read",
          parameters: [
            {
              name: "report",
              in: "path",
              required: true,
              description: "Which report.",
              schema: { type: "string", enum: [...REPORT_NAMES] },
            },
            ...queryParameters(reportFiltersSchema),
          ],
          ok: [
            "200",
            {
              description: "The report.",
              content: {
                "application/json": {
                  schema: { type: "object", required: ["data"], properties: { data: { type: "object" } } },
                  examples: {
                    "card-statuses": { value: { data: { issued: 120, installed: 840, removed: 35, blocked: 3, expired: 12 } } },
                    pushes: {
                      summary: "pushes: per period and per campaign",
                      value: {
                        data: {
                          periods: [{ period: "2026-11-01", sent: 310, failed: 2 }],
                          campaigns: [
                            {
                              id: "9e6b3f0d-8a1c-4d5e-9f2b-4c6d8e0f2a4b",
                              name: "Autumn news",
                              type: "push",
                              deleted: false,
                              apple: { accepted: 790, failed: 10 },
                              google: { accepted: 300, quota: 12, failed: 0, inDoubt: 1 },
                            },
                          ],
                          total: { apple: { accepted: 790, failed: 10 }, google: { accepted: 300, quota: 12, failed: 0, inDoubt: 1 } },
                        },
                      },
                    },
                  },
                },
              },
            },
          ],
          errors: ["NotFound", "Validation"],
        }),
      },
    },
    webhooks: webhookEvents(),
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: `An API key. Scopes: ${API_SCOPES.map((s) => `\`${s}\``).join(", ")}; a key made with \`*\` has them all.`,
        },
      },
      schemas: {
        ...components("input", {
          CardCreate: issueCardRequestSchema(DOC_COUNTRY),
          CardPatch: patchCardRequestSchema,
          ...ledgerInputSchemas,
          ...webhookInputSchemas,
          ...campaignInputSchemas,
          ...restInputSchemas,
          ...certificateInputSchemas,
        }),
        ...components("output", {
          Card: apiCardSchema,
          CardDetail: apiCardDetailSchema,
          CardList: apiCardListSchema,
          Template: apiTemplateSchema,
          TemplateList: apiTemplateListSchema,
          ...ledgerSchemas,
          ...webhookSchemas,
          ...campaignSchemas,
          ...formSchemas,
          ...restSchemas,
          ...certificateSchemas,
          ...Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([name, { codes }]) => [`${name}Error`, apiErrorSchemaFor(codes)])),
        }),
      },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([name, value]) => [
          name,
          { description: value.description, ...("headers" in value && { headers: value.headers }), ...json(ref(`${name}Error`)) },
        ]),
      ),
    },
  };
}
