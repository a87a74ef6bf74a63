/**
 * The webhook event catalogue: what an endpoint may subscribe to, each with the example payload the
 * OpenAPI document and the Settings → Webhooks page show. Names are the events door's (lib/card-events
 * /names); some here (customer.*, certificate.*, message.*) are recorded as their issues land.
 * Add to the list as issues add events.
 */
const CARD_ID = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
/** The card as GET /api/v1/cards/{id} shows it, as `card.*` events carry it. */
const CARD = {
  id: CARD_ID,
  serialNumber: "3f9a1c7e-2b4d-4f6a-8c0e-1d3f5a7b9c2e",
  number: "100042",
  status: "installed",
  templateId: "0b7e4c1a-9d2f-4a6b-8c3e-5f7a9b1c3d5e",
  customer: { id: "2d9a6e3c-1f4b-4c8d-0e5a-7b9c1d3e5f7a", phone: "+79165551234", email: "anna@example.com", name: "Anna Petrova" },
  values: { balance: 860, discount: 0, custom: {} },
  expiresAt: null,
  createdAt: "2026-11-29T11:58:00.000Z",
  updatedAt: "2026-11-29T12:00:00.000Z",
  links: { pass: "https://carddesk.example/c/3f9a1c7e2b4d/pass" },
};

export const WEBHOOK_EVENTS = {
  "card.issued": { cardId: CARD_ID, number: "100042", templateId: "0b7e4c1a-9d2f-4a6b-8c3e-5f7a9b1c3d5e", card: CARD },
  "card.updated": { cardId: CARD_ID, changes: { name: { from: "Anna", to: "Anna Petrova" } }, card: CARD },
  "card.installed": { cardId: CARD_ID, platform: "apple", model: "iPhone", card: CARD },
  "card.removed": { cardId: CARD_ID, platform: "google", model: "Android", card: CARD },
  "card.blocked": { cardId: CARD_ID, reason: "lost", card: CARD },
  "card.unblocked": { cardId: CARD_ID, card: CARD },
  "card.moved": { cardId: CARD_ID, fromTemplateId: "0b7e4c1a-9d2f-4a6b-8c3e-5f7a9b1c3d5e", toTemplateId: "1c8f5d2b-0e3a-4b7c-9d4f-6a8b0c2d4e6f", card: CARD },
  "card.expired": { cardId: CARD_ID, expiresAt: "2026-12-31T23:59:59.000Z", card: CARD },
  "card.deleted": { cardId: CARD_ID },
  "customer.created": { customerId: "2d9a6e3c-1f4b-4c8d-0e5a-7b9c1d3e5f7a", phone: "+79165551234", name: "Anna Petrova" },
  "customer.updated": { customerId: "2d9a6e3c-1f4b-4c8d-0e5a-7b9c1d3e5f7a", changes: { email: { from: null, to: "anna@example.com" } } },
  "points.accrued": { cardId: CARD_ID, transactionId: "3e0b7f4d-2a5c-4d9e-8f6b-8c0d2e4f6a8b", points: 120, balance: 860 },
  "points.redeemed": { cardId: CARD_ID, transactionId: "4f1c8a5e-3b6d-4e0f-9a7c-9d1e3f5a7b9c", points: 300, balance: 560 },
  "points.reversed": { cardId: CARD_ID, transactionId: "5a2d9b6f-4c7e-4f1a-8b8d-0e2f4a6b8c0d", points: -120, balance: 440 },
  "points.expired": { cardId: CARD_ID, transactionId: "6b3e0c7a-5d8f-4a2b-9c9e-1f3a5b7c9d1e", points: -40, balance: 400 },
  "level.changed": { cardId: CARD_ID, from: "Silver", to: "Gold", discountPercent: 10 },
  "certificate.issued": { certificateId: "7c4f1d8b-6e9a-4b3c-8d0f-2a4b6c8d0e2f", amount: 5000, currency: "RUB" },
  "certificate.opened": { certificateId: "7c4f1d8b-6e9a-4b3c-8d0f-2a4b6c8d0e2f" },
  "certificate.redeemed": { certificateId: "7c4f1d8b-6e9a-4b3c-8d0f-2a4b6c8d0e2f", amount: 1500, remaining: 3500 },
  "certificate.expired": { certificateId: "7c4f1d8b-6e9a-4b3c-8d0f-2a4b6c8d0e2f", remaining: 3500 },
  "message.delivered": { messageId: "8d5a2e9c-7f0b-4c4d-9e1a-3b5c7d9e1f3a", channel: "sms", cardId: CARD_ID },
  "message.failed": { messageId: "8d5a2e9c-7f0b-4c4d-9e1a-3b5c7d9e1f3a", channel: "email", cardId: CARD_ID, reason: "mailbox unavailable" },
  "campaign.started": { campaignId: "9e6b3f0d-8a1c-4d5e-9f2b-4c6d8e0f2a4b", type: "push", total: 1200 },
  "campaign.finished": { campaignId: "9e6b3f0d-8a1c-4d5e-9f2b-4c6d8e0f2a4b", type: "push", processed: 1200, deleted: false },
  "webhook.test": { message: "A test event from CardDesk" },
} as const satisfies Record<string, Record<string, unknown>>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];
export const ALL_EVENTS = "*";

export const isWebhookEventType = (value: string): value is WebhookEventType => Object.hasOwn(WEBHOOK_EVENTS, value);

/** An event's wire body as the receiver gets it (Standard Webhooks' `{ type, timestamp, data }`). */
export const webhookExample = (type: WebhookEventType) => ({ type, timestamp: "2026-11-29T12:00:00.000Z", data: WEBHOOK_EVENTS[type] });
