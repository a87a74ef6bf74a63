import "server-only";
import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";
import { DELIVERY_STATUSES } from "@/lib/validations/webhooks";
import { isWebhookEventType } from "@/lib/webhooks/catalogue";
import { pageParams } from "./schemas";

/** A path id that is not a uuid names nothing: 404, as an unknown one does. */
export function pathId(id: string): string {
  if (!isUuid(id)) throw new NotFoundError();
  return id;
}

export const listDeliveriesQuerySchema = z.object({
  ...pageParams("Deliveries"),
  status: z.enum(DELIVERY_STATUSES, { error: "webhooks.errors.status" }).optional().meta({ description: "Only deliveries in this state." }),
  eventType: z
    .string()
    .refine(isWebhookEventType, { error: "webhooks.errors.eventType" })
    .optional()
    .meta({ description: "Only deliveries of this event type.", example: "card.issued" }),
});

/** What the API answers, for the OpenAPI document (the presenters in lib/webhooks build these shapes). */
export const apiWebhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()).meta({ description: 'Subscribed event types, or `["*"]`.' }),
  enabled: z.boolean(),
  disabledReason: z
    .enum(["gone", "failing"])
    .nullable()
    .meta({ description: "Why CardDesk turned it off: `gone` (it answered 410), `failing` (no success for 5 days); null otherwise." }),
  consecutiveFailures: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const apiWebhookWithSecretSchema = apiWebhookSchema.extend({
  secret: z.string().meta({ description: "The signing secret (`whsec_…`), shown only in this answer: keep it to verify signatures." }),
});

export const apiWebhookListSchema = z.object({ data: z.array(apiWebhookSchema) });

export const apiWebhookDeliverySchema = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  eventId: z.string().meta({ description: "The `webhook-id` header sent: the event's id, as the events feed shows it." }),
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.int(),
  statusCode: z.int().nullable().meta({ description: "The last attempt's HTTP status; null when no answer came." }),
  durationMs: z.int().nullable(),
  error: z.string().nullable(),
  requestBody: z.string().meta({ description: "The body sent (the first 4 KB)." }),
  responseBody: z.string().nullable().meta({ description: "The last answer's body (the first 4 KB)." }),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

export const apiWebhookDeliveryListSchema = z.object({
  data: z.array(apiWebhookDeliverySchema),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
});
