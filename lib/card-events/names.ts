/**
 * The one vocabulary of "something happened", dotted `area.what`: the same names in the events table,
 * a card's history, the webhooks and the events feed. Add a name here before recording it.
 */
export const EVENT_NAMES = [
  "card.issued",
  "card.updated",
  "card.holder_changed",
  "card.blocked",
  "card.unblocked",
  "card.deactivated",
  "card.activated",
  "card.moved",
  "card.expiry_changed",
  "card.expired",
  "card.installed",
  "card.removed",
  "card.sent",
  "card.deleted",
  "wallet.push_sent",
  "wallet.push_failed",
  "template.updated",
  "customer.created",
  "customer.updated",
  "points.accrued",
  "points.redeemed",
  "points.adjusted",
  "points.reversed",
  "points.expired",
  /** A till completed a spending without the customer's code, with a reason (lib/till). */
  "points.confirmation_skipped",
  "level.changed",
  "message.delivered",
  "message.failed",
  // Gift certificates (lib/gift-certificates): a certificate is a card of a gift template, but its
  // issue, first opening, redemptions and expiry are these, not card.issued / points.*.
  "certificate.issued",
  "certificate.opened",
  "certificate.redeemed",
  "certificate.expired",
  // Push events (lib/push-events): a campaign's start and end, and each card it reached.
  "campaign.started",
  "campaign.finished",
  "push.delivered",
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export const isEventName = (value: string): value is EventName => (EVENT_NAMES as readonly string[]).includes(value);
