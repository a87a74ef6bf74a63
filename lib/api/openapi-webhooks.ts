import "server-only";
import type { z } from "zod";
import { createWebhookSchema, updateWebhookSchema } from "@/lib/validations/webhooks";
import { WEBHOOK_EVENT_TYPES, webhookExample } from "@/lib/webhooks/catalogue";
import { type Json, type Helpers, ok } from "./openapi-parts";
import {
  apiWebhookDeliveryListSchema,
  apiWebhookDeliverySchema,
  apiWebhookListSchema,
  apiWebhookSchema,
  apiWebhookWithSecretSchema,
  listDeliveriesQuerySchema,
} from "./webhooks";

/** The webhooks' part of the OpenAPI document: the endpoints API, and each event under `webhooks` with its example. */

const webhookId = { name: "id", in: "path", required: true, description: "The endpoint's id.", schema: { type: "string", format: "uuid" } };
const deliveryId = { name: "id", in: "path", required: true, description: "The delivery's id.", schema: { type: "string", format: "uuid" } };

const exampleEndpoint = {
  id: "9e6b3f0d-8a1c-4d5e-9f2a-4b6c8d0e2f4a",
  url: "https://crm.example.com/hooks/carddesk",
  description: "CRM sync",
  events: ["card.issued", "points.accrued"],
  enabled: true,
  disabledReason: null,
  consecutiveFailures: 0,
  createdAt: "2026-11-29T12:00:00.000Z",
  updatedAt: "2026-11-29T12:00:00.000Z",
};
const exampleSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const exampleDelivery = {
  id: "1f7c4a0e-9b2d-4e6f-8a3b-5c7d9e1f3a5b",
  endpointId: exampleEndpoint.id,
  eventId: "evt_6f1c2a8e3b4d4e5f8a9b0c1d2e3f4a5b",
  eventType: "card.issued",
  status: "succeeded",
  attempts: 1,
  statusCode: 200,
  durationMs: 84,
  error: null,
  requestBody: JSON.stringify(webhookExample("card.issued")),
  responseBody: "ok",
  nextAttemptAt: null,
  lastAttemptAt: "2026-11-29T12:00:01.000Z",
  deliveredAt: "2026-11-29T12:00:01.000Z",
  createdAt: "2026-11-29T12:00:00.000Z",
};

export const webhookInputSchemas: Record<string, z.ZodType> = { WebhookCreate: createWebhookSchema, WebhookPatch: updateWebhookSchema };
export const webhookSchemas: Record<string, z.ZodType> = {
  Webhook: apiWebhookSchema,
  WebhookWithSecret: apiWebhookWithSecretSchema,
  WebhookList: apiWebhookListSchema,
  WebhookDelivery: apiWebhookDeliverySchema,
  WebhookDeliveryList: apiWebhookDeliveryListSchema,
};

export function webhookPaths({ operation, queryParameters }: Helpers): Record<string, Json> {
  return {
    "/webhooks": {
      get: operation({
        id: "listWebhooks",
        summary: "List webhook endpoints",
        description: "Never their secrets. `webhooks:write` also allows this.",
        scope: "webhooks:read",
        ok: ok("200", "The merchant's endpoints.", "WebhookList", { data: [exampleEndpoint] }),
        errors: [],
      }),
      post: operation({
        id: "createWebhook",
        summary: "Add a webhook endpoint",
        description:
          "The URL is checked now and at every send: https only, never a loopback, private, shared, benchmark, link-local, unique-local, multicast or reserved address (nor an IPv6 form carrying one), whatever its name resolves to. A refused address answers `validation` with the reason in `error.data.reason`. The answer carries the signing secret, this once.",
        scope: "webhooks:write",
        body: "WebhookCreate",
        bodyExamples: {
          some: { summary: "Some events", value: { url: exampleEndpoint.url, events: ["card.issued", "points.accrued"], description: "CRM sync" } },
          all: { summary: "Every event", value: { url: exampleEndpoint.url, events: ["*"] } },
        },
        ok: ok("201", "The endpoint, with its secret.", "WebhookWithSecret", { ...exampleEndpoint, secret: exampleSecret }),
        errors: ["BadRequest", "Validation"],
      }),
    },
    "/webhooks/{id}": {
      get: operation({
        id: "getWebhook",
        summary: "Get a webhook endpoint",
        description: "`webhooks:write` also allows this.",
        scope: "webhooks:read",
        parameters: [webhookId],
        ok: ok("200", "The endpoint.", "Webhook", exampleEndpoint),
        errors: ["NotFound"],
      }),
      patch: operation({
        id: "updateWebhook",
        summary: "Change a webhook endpoint",
        description:
          "Any of `url`, `events`, `description`, `enabled`. Turning an endpoint back on resets its failure count; replay what failed meanwhile from its deliveries.",
        scope: "webhooks:write",
        parameters: [webhookId],
        body: "WebhookPatch",
        bodyExamples: { disable: { summary: "Turn it off", value: { enabled: false } } },
        ok: ok("200", "The endpoint as it is now.", "Webhook", exampleEndpoint),
        errors: ["BadRequest", "NotFound", "Validation"],
      }),
      delete: operation({
        id: "deleteWebhook",
        summary: "Delete a webhook endpoint",
        description: "With its delivery log; what was still waiting is not sent.",
        scope: "webhooks:write",
        parameters: [webhookId],
        ok: ["204", { description: "Deleted." }],
        errors: ["NotFound"],
      }),
    },
    "/webhooks/{id}/rotate-secret": {
      post: operation({
        id: "rotateWebhookSecret",
        summary: "Rotate an endpoint's signing secret",
        description:
          "The new secret is in the answer, this once. For 24 hours messages are signed with both (two `v1,` signatures in `webhook-signature`), so a receiver can switch without losing one.",
        scope: "webhooks:write",
        parameters: [webhookId],
        ok: ok("200", "The endpoint, with its new secret.", "WebhookWithSecret", { ...exampleEndpoint, secret: exampleSecret }),
        errors: ["NotFound"],
      }),
    },
    "/webhooks/{id}/test": {
      post: operation({
        id: "testWebhook",
        summary: "Send a test event",
        description: "Queues a `webhook.test` event to this endpoint, whatever it subscribes to; follow it in the deliveries.",
        scope: "webhooks:write",
        parameters: [webhookId],
        ok: ok("202", "The queued delivery.", "WebhookDelivery", {
          ...exampleDelivery,
          eventType: "webhook.test",
          status: "pending",
          attempts: 0,
          statusCode: null,
          durationMs: null,
          responseBody: null,
          requestBody: JSON.stringify(webhookExample("webhook.test")),
          lastAttemptAt: null,
          deliveredAt: null,
          nextAttemptAt: "2026-11-29T12:00:00.000Z",
        }),
        errors: ["NotFound", "Conflict"],
      }),
    },
    "/webhooks/{id}/deliveries": {
      get: operation({
        id: "listWebhookDeliveries",
        summary: "An endpoint's delivery log",
        description: "Newest first, a page at a time. `webhooks:write` also allows this.",
        scope: "webhooks:read",
        parameters: [webhookId, ...queryParameters(listDeliveriesQuerySchema)],
        ok: ok("200", "A page of deliveries.", "WebhookDeliveryList", { data: [exampleDelivery], nextCursor: null }),
        errors: ["NotFound", "Validation"],
      }),
    },
    "/webhooks/deliveries/{id}/replay": {
      post: operation({
        id: "replayWebhookDelivery",
        summary: "Replay a delivery",
        description: "Sends it again with the same body and `webhook-id` (receivers deduplicate by it), with a fresh round of attempts.",
        scope: "webhooks:write",
        parameters: [deliveryId],
        ok: ok("202", "The delivery, queued again.", "WebhookDelivery", { ...exampleDelivery, status: "pending", attempts: 0 }),
        errors: ["NotFound", "Conflict"],
      }),
    },
  };
}

const WIRE_DESCRIPTION =
  "POSTed as JSON `{ type, timestamp, data }` with the Standard Webhooks headers `webhook-id` (the event's `evt_…` id, the same on every retry and in the events feed), `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>` under the endpoint's secret; two, space-separated, for 24 hours after a rotation). Verify with the `standardwebhooks` libraries. Answer 2xx within 15 seconds; anything else (3xx included: redirects are not followed) is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h (with jitter; `Retry-After` is honoured on 429, 502, 503, 504); 410 turns the endpoint off.";

/** OpenAPI 3.1's `webhooks`: each event type the API sends, with its example body. */
export function webhookEvents(): Record<string, Json> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `event-${type.replace(/\./g, "-")}`,
          summary: `\`${type}\``,
          description: WIRE_DESCRIPTION,
          parameters: [
            { name: "webhook-id", in: "header", required: true, schema: { type: "string" }, example: "evt_6f1c2a8e3b4d4e5f8a9b0c1d2e3f4a5b" },
            { name: "webhook-timestamp", in: "header", required: true, schema: { type: "string" }, example: "1795953600" },
            { name: "webhook-signature", in: "header", required: true, schema: { type: "string" }, example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=" },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["type", "timestamp", "data"],
                  properties: { type: { const: type }, timestamp: { type: "string", format: "date-time" }, data: { type: "object" } },
                },
                example: webhookExample(type),
              },
            },
          },
          responses: { "200": { description: "Received (any 2xx)." }, "410": { description: "Gone: CardDesk turns the endpoint off." } },
        },
      },
    ]),
  );
}
