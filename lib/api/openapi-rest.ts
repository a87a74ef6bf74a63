import "server-only";
import type { z } from "zod";
import { type Json, type Helpers, DOC_COUNTRY, idempotencyKeyParameter, ok } from "./openapi-parts";
import { exampleCard, exampleCustomer, exampleEvents, exampleTemplate } from "./openapi-examples";
import {
  apiCardSendSchema,
  apiCustomerListSchema,
  apiCustomerSchema,
  apiEventListSchema,
  apiEventSchema,
  apiTemplateDetailSchema,
  customerCardsQuerySchema,
  customerCreateRequestSchema,
  customerPatchRequestSchema,
  listCustomersQuerySchema,
  listEventsQuerySchema,
  moveCardRequestSchema,
  sendCardRequestSchema,
} from "./rest-schemas";

/** The events feed, customers, card actions and a template's design in the OpenAPI document (lib/api/openapi.ts puts it together). */

const path = (what: string) => ({ name: "id", in: "path", required: true, description: `The ${what}'s id.`, schema: { type: "string", format: "uuid" } });

export const restInputSchemas: Record<string, z.ZodType> = {
  CustomerCreate: customerCreateRequestSchema(DOC_COUNTRY),
  CustomerPatch: customerPatchRequestSchema(DOC_COUNTRY),
  CardMove: moveCardRequestSchema,
  CardSend: sendCardRequestSchema,
};
export const restSchemas: Record<string, z.ZodType> = {
  Event: apiEventSchema,
  EventList: apiEventListSchema,
  Customer: apiCustomerSchema,
  CustomerList: apiCustomerListSchema,
  CardSendResult: apiCardSendSchema,
  TemplateDetail: apiTemplateDetailSchema,
};

export function restPaths({ operation, queryParameters }: Helpers): Record<string, Json> {
  const cardAction = (id: string, summary: string, description: string, body?: { schema: string; example: Json }) =>
    operation({
      id,
      summary,
      description,
      scope: "cards:write",
      parameters: [path("card"), idempotencyKeyParameter],
      ...(body && { body: body.schema, bodyExamples: { example: { value: body.example } } }),
      ok: ok("200", "The card as it is now.", "Card", exampleCard),
      errors: body ? ["BadRequest", "NotFound", "Conflict", "Validation"] : ["BadRequest", "NotFound", "Conflict"],
    });
  return {
    "/events": {
      get: operation({
        id: "listEvents",
        summary: "Read the events feed",
        description:
          "Every event of the merchant, oldest first, the same events (and `evt_…` ids) webhooks deliver, so a system that was offline catches up without them. Keep `nextCursor` and poll with it as `after`. The order is by commit: an event is served only once every transaction that began before it has ended, so a cursor never skips an event that commits late (the feed may lag a running transaction by its duration).",
        scope: "events:read",
        parameters: queryParameters(listEventsQuerySchema),
        ok: ok("200", "A page of events.", "EventList", exampleEvents),
        errors: ["Validation"],
      }),
    },
    "/customers": {
      get: operation({
        id: "listCustomers",
        summary: "Find customers",
        description: "Newest first, a page at a time; filters combine.",
        scope: "customers:read",
        parameters: queryParameters(listCustomersQuerySchema(DOC_COUNTRY)),
        ok: ok("200", "A page of customers.", "CustomerList", { data: [exampleCustomer], nextCursor: null }),
        errors: ["Validation"],
      }),
      post: operation({
        id: "createCustomer",
        summary: "Create a customer",
        description:
          "The phone (national or international) is stored in E.164 and is unique per merchant: one already known is a `conflict`. `marketingConsent: true` records consent to news by SMS with the merchant's current consent text and the time.",
        scope: "customers:write",
        parameters: [idempotencyKeyParameter],
        body: "CustomerCreate",
        bodyExamples: {
          example: { value: { phone: "8 (916) 555-12-34", name: "Anna Petrova", email: "anna@example.com", birthday: "1990-04-12" } },
          withConsent: { summary: "With consent to SMS news", value: { phone: "+79165551234", name: "Anna Petrova", marketingConsent: true } },
        },
        ok: ok("201", "The new customer.", "Customer", exampleCustomer),
        errors: ["BadRequest", "Conflict", "Validation"],
      }),
    },
    "/customers/{id}": {
      get: operation({
        id: "getCustomer",
        summary: "Get a customer",
        scope: "customers:read",
        parameters: [path("customer")],
        ok: ok("200", "The customer.", "Customer", exampleCustomer),
        errors: ["NotFound"],
      }),
      patch: operation({
        id: "updateCustomer",
        summary: "Change a customer",
        description:
          "Only the fields sent change; `null` clears `email`, `name` or `birthday` (the phone cannot be cleared). The name and phone show on the customer's passes, so each of their cards is updated in the wallets too. `marketingConsent` gives (with the merchant's current consent text, now) or withdraws consent to news by SMS; a consent already given keeps its text and time. A customer who withdrew through the stop link in an SMS can only agree again themselves (on their card's page or a form): `marketingConsent: true` for them is a `conflict`.",
        scope: "customers:write",
        parameters: [path("customer"), idempotencyKeyParameter],
        body: "CustomerPatch",
        bodyExamples: {
          example: { value: { name: "Anna Sidorova", email: null } },
          withdrawConsent: { summary: "Withdraw consent to SMS news", value: { marketingConsent: false } },
        },
        ok: ok("200", "The customer as it is now.", "Customer", { ...exampleCustomer, name: "Anna Sidorova", email: null }),
        errors: ["BadRequest", "NotFound", "Conflict", "Validation"],
      }),
    },
    "/customers/{id}/cards": {
      get: operation({
        id: "listCustomerCards",
        summary: "A customer's cards",
        description: "Most recently changed first, a page at a time. `cards:read` will do as well.",
        scope: "customers:read",
        parameters: [path("customer"), ...queryParameters(customerCardsQuerySchema)],
        ok: ok("200", "A page of the customer's cards.", "CardList", { data: [exampleCard], nextCursor: null }),
        errors: ["NotFound", "Validation"],
      }),
    },
    "/cards/{id}/block": {
      post: cardAction("blockCard", "Block a card", "Blocks a lost card: its pass is voided in the wallets. A card already blocked is a `conflict`."),
    },
    "/cards/{id}/unblock": {
      post: cardAction("unblockCard", "Unblock a card", "Unblocks a card blocked as lost. A card that is not blocked is a `conflict`."),
    },
    "/cards/{id}/move": {
      post: cardAction(
        "moveCard",
        "Move a card to another template",
        "Number, values and history stay. Only to a template of the merchant that is not archived, shown the same way in both wallets, whose barcode can carry the number (`validation` on `templateId` otherwise).",
        { schema: "CardMove", example: { templateId: exampleTemplate.id } },
      ),
    },
    "/cards/{id}/send": {
      post: operation({
        id: "sendCard",
        summary: "Send a card to its holder",
        description:
          "By SMS (the card's link) or e-mail (the card e-mail), through the merchant's messaging settings; recorded as `card.sent`. A blocked card, or a holder without the phone or e-mail, is refused (`validation`).",
        scope: "cards:write",
        parameters: [path("card"), idempotencyKeyParameter],
        body: "CardSend",
        bodyExamples: { example: { value: { channel: "sms", locale: "ru" } } },
        ok: ok("202", "The message is queued.", "CardSendResult", { channel: "sms", messageId: "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918" }),
        errors: ["BadRequest", "NotFound", "Conflict", "Validation"],
      }),
    },
    "/templates/{id}": {
      get: operation({
        id: "getTemplate",
        summary: "Get a template with its design",
        scope: "templates:read",
        parameters: [path("template")],
        ok: ok("200", "The template and its current version's design.", "TemplateDetail", {
          ...exampleTemplate,
          definition: { barcode: { format: "qr", source: "cardNumber" } },
        }),
        errors: ["NotFound"],
      }),
    },
  };
}
