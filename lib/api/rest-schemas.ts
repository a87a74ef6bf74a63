import { z } from "zod";
import { EVENT_NAMES } from "@/lib/card-events/names";
import { normalizePhone } from "@/lib/customers/phone";
import { text } from "@/lib/validations/common";
import { customerFieldsSchema } from "@/lib/validations/customers";
import { apiTemplateSchema, pageParams } from "./schemas";

/** The REST API's shapes for the events feed, customers, card actions and a template's design (OpenAPI is generated from them). */

const timestamp = z.iso.datetime({ offset: true });

/** The events an outside system may read: every event but the wallet's own bookkeeping of pushes. */
export const FEED_EVENT_TYPES = EVENT_NAMES.filter((t) => !t.startsWith("wallet.")) as [string, ...string[]];

const { cursor, limit } = pageParams("Events");
export const listEventsQuerySchema = z.object({
  after: cursor.meta({ description: "`nextCursor` from the previous answer; left out, the feed starts at the oldest event." }),
  types: z
    .string()
    .transform((value, ctx) => {
      const types = [
        ...new Set(
          value
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ];
      const unknown = types.filter((t) => !FEED_EVENT_TYPES.includes(t));
      if (unknown.length) ctx.addIssue({ code: "custom", message: "api.errors.eventTypes" });
      return types;
    })
    .optional()
    .meta({
      description: `Comma-separated event types to keep, e.g. \`card.issued,points.accrued\`; all when left out. Known types: ${FEED_EVENT_TYPES.map((t) => `\`${t}\``).join(", ")}.`,
    }),
  limit,
});

export const apiEventSchema = z.object({
  id: z.string().meta({ description: "`evt_…`: the same id webhooks send as `webhook-id`, so one receiver can deduplicate across both." }),
  type: z.enum(FEED_EVENT_TYPES),
  timestamp: timestamp.meta({ description: "When the change was made." }),
  data: z.record(z.string(), z.unknown()).meta({
    description:
      "The objects the event is about, as the REST API shows them, with the event's own facts beside them: `card.*` — `cardId` and `card` (as it is now; null once deleted); `points.*` — `cardId`, `balance` after it and the `transaction`; `template.*` — `template`; `customer.*` — `customer`.",
  }),
});

export const apiEventListSchema = z.object({
  data: z.array(apiEventSchema),
  nextCursor: z.string().nullable().meta({
    description:
      "Pass as `after` to continue. The feed never ends: an empty page keeps the same cursor, poll again later. Null only while there are no events at all.",
  }),
});

const phoneQuery = (defaultCountry: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      const e164 = normalizePhone(value, defaultCountry);
      if (!e164) ctx.addIssue({ code: "custom", message: "customers.errors.phone" });
      return e164 ?? z.NEVER;
    });

export function listCustomersQuerySchema(defaultCountry: string) {
  return z.object({
    phone: phoneQuery(defaultCountry)
      .optional()
      .meta({ description: "The whole phone in any format (`8 (916) 555-12-34`, `+7 916 555 12 34`); matched exactly after normalising to E.164." }),
    email: text(254).toLowerCase().optional().meta({ description: "The e-mail, exact (case-insensitive)." }),
    name: text(120).optional().meta({ description: "Part of the name, case-insensitive." }),
    ...pageParams("Customers"),
  });
}

const marketingConsentField = z.boolean().meta({
  description:
    "Marketing consent (SMS news). `true` records that the customer agreed, now, to the consent text the merchant's enrolment page shows (kept as the exact text agreed); `false` withdraws it. Left out: unchanged.",
});

export const customerCreateRequestSchema = (defaultCountry: string) =>
  customerFieldsSchema(defaultCountry).extend({ marketingConsent: marketingConsentField.optional() });

/** PATCH: only the fields sent change; `null` (or "") clears an optional one; the phone can be changed, never cleared. */
export function customerPatchRequestSchema(defaultCountry: string) {
  const f = customerFieldsSchema(defaultCountry).shape;
  return z.object({
    phone: f.phone.optional(),
    email: f.email.nullable().meta({ description: "null clears it." }),
    name: f.name.nullable().meta({ description: "null clears it." }),
    birthday: f.birthday.nullable().meta({ description: "`YYYY-MM-DD`; null clears it." }),
    marketingConsent: marketingConsentField.optional(),
  });
}

export const apiCustomerSchema = z.object({
  id: z.uuid(),
  phone: z.string().nullable().meta({ description: "E.164." }),
  email: z.string().nullable(),
  name: z.string(),
  birthday: z.iso.date().nullable(),
  marketingConsent: z
    .object({
      given: z.boolean(),
      text: z.string().nullable().meta({ description: "The exact text the customer agreed to (kept after a withdrawal)." }),
      at: timestamp.nullable().meta({ description: "When it was given, or when it was withdrawn." }),
    })
    .meta({ description: "Consent to news by SMS." }),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type ApiCustomer = z.input<typeof apiCustomerSchema>;

export const apiCustomerListSchema = z.object({
  data: z.array(apiCustomerSchema),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
});

export const customerCardsQuerySchema = z.object(pageParams("Cards"));

export const moveCardRequestSchema = z.object({
  templateId: z.uuid({ error: "cards.errors.template" }).meta({ description: "A template of the merchant, not archived, shown the same way in both wallets." }),
});

export const sendCardRequestSchema = z.object({
  channel: z.enum(["sms", "email"], { error: "api.errors.channel" }).meta({ description: "`sms` sends the card's link; `email` the card e-mail." }),
  locale: z.enum(["en", "ru"], { error: "api.errors.locale" }).default("ru").meta({ description: "The message's language." }),
});

export const apiCardSendSchema = z.object({
  channel: z.enum(["sms", "email"]),
  messageId: z.uuid().meta({ description: "The queued message." }),
});

export const apiTemplateDetailSchema = apiTemplateSchema.extend({
  definition: z.record(z.string(), z.unknown()).meta({
    description: "The current version's design: colours, images, fields by position, barcode, back side, expiry policy (as the template editor saves it).",
  }),
});
