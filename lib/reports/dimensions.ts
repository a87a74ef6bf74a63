/** How a card came to its holder: a dimension of every report from the start (the forms issue adds company and group). */
export const CARD_SOURCES = ["import", "till", "enrolment", "api", "sms", "email", "cabinet", "other"] as const;
/**
 * A card issued through a registration group's or a company's link carries that link as its source
 * (`group:<id>`, `company:<id>`), so reports can be filtered by it (lib/forms).
 */
export type LinkSource = `group:${string}` | `company:${string}`;
export type CardSource = (typeof CARD_SOURCES)[number] | LinkSource;

const LINK_SOURCE = /^(group|company):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isLinkSource = (value: unknown): value is LinkSource => typeof value === "string" && LINK_SOURCE.test(value);
export const isCardSource = (value: unknown): value is CardSource =>
  (typeof value === "string" && (CARD_SOURCES as readonly string[]).includes(value)) || isLinkSource(value);

/** The kinds of device the device-type reports count by (a wallet device's platform and model). */
export const DEVICE_KINDS = ["iphone", "watch", "android"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const CARD_STATUSES = ["issued", "installed", "removed", "blocked", "expired"] as const;

export function deviceKind(platform: unknown, model: unknown): DeviceKind {
  if (platform === "google") return "android";
  return typeof model === "string" && /watch/i.test(model) ? "watch" : "iphone";
}

/** A card.issued event's source: what the issuing code said, else what the actor tells. */
export function sourceOf(data: Record<string, unknown>, actorType: string): CardSource {
  const given = data.source;
  if (isCardSource(given)) return given;
  if (actorType === "api") return "api";
  if (actorType === "staff") return "cabinet";
  return "other";
}

/**
 * Buckets of the time from issue to a first install, in seconds (upper bounds): the median is read
 * from this histogram (interpolated within its bucket), since medians do not add up across days.
 */
export const LAG_BOUNDS = [
  60,
  300,
  900,
  3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86400,
  2 * 86400,
  3 * 86400,
  7 * 86400,
  14 * 86400,
  30 * 86400,
  90 * 86400,
  365 * 86400,
];

export function lagBucket(seconds: number): number {
  const i = LAG_BOUNDS.findIndex((b) => seconds < b);
  return i === -1 ? LAG_BOUNDS.length : i;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(timeZone: string, at: Date): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f.format(at);
}
