import { z } from "zod";
import { ALL_EVENTS, isWebhookEventType, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/catalogue";
import { text } from "./common";

export const WEBHOOK_URL_MAX = 2048;
export const WEBHOOK_DESCRIPTION_MAX = 500;

const url = text(WEBHOOK_URL_MAX).min(1, { error: "validation.required" }).meta({
  description: "Where events are POSTed: https (http only for loopback in development), never a private, loopback or link-local address.",
  example: "https://crm.example.com/hooks/carddesk",
});

const events = z
  .array(
    z.string().refine((e) => e === ALL_EVENTS || isWebhookEventType(e), { error: "webhooks.errors.eventType" }),
    { error: "webhooks.errors.events" },
  )
  .min(1, { error: "webhooks.errors.events" })
  .max(WEBHOOK_EVENT_TYPES.length + 1, { error: "webhooks.errors.events" })
  .transform((list) => (list.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(list)]))
  .meta({ description: 'Event types to receive, or `["*"]` for all of them.', example: ["card.issued", "points.accrued"] });

const description = text(WEBHOOK_DESCRIPTION_MAX).meta({ description: "A note for staff.", example: "CRM sync" });

export const createWebhookSchema = z.object({ url, events, description: description.optional() });

export const updateWebhookSchema = z
  .object({
    url: url.optional(),
    events: events.optional(),
    description: description.optional(),
    enabled: z.boolean({ error: "webhooks.errors.enabled" }).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: "webhooks.errors.nothingToChange" });

export const webhookIdSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;

export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

/** The cabinet's checkboxes are named `event.<type>` (and `event.*`); FormData keeps repeated names, the action wrapper only the last. */
export const eventFieldName = (type: string) => `event.${type}`;
const formEvents = (form: Record<string, unknown>) => Object.keys(form).flatMap((k) => (k.startsWith("event.") ? [k.slice("event.".length)] : []));

/** The endpoint form (create and edit): url, description, events; on edit also `enabled`. */
export const webhookFormSchema = z.preprocess((raw) => {
  const form = (raw ?? {}) as Record<string, unknown>;
  return { url: form.url, description: form.description ?? "", events: formEvents(form) };
}, createWebhookSchema.extend({ description }));

export const webhookEditFormSchema = z.preprocess(
  (raw) => {
    const form = (raw ?? {}) as Record<string, unknown>;
    return { id: form.id, url: form.url, description: form.description ?? "", events: formEvents(form), enabled: form.enabled === "on" };
  },
  createWebhookSchema.extend({ id: z.uuid({ error: "errors.notFound" }), description, enabled: z.boolean() }),
);

export const replayFailedSinceSchema = z.object({
  id: z.uuid({ error: "errors.notFound" }),
  since: z.coerce.date({ error: "webhooks.errors.since" }),
});

export const deliveryIdSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });
