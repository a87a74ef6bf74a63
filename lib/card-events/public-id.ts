/**
 * The id an outside system sees for an event: `evt_` and the events table's id without dashes. The
 * events feed and the webhooks (`webhook-id`) both show it, so a receiver deduplicates across them.
 */
export function publicEventId(id: string): string {
  return `evt_${id.replaceAll("-", "").toLowerCase()}`;
}

const PUBLIC = /^evt_([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/;

/** The events table's id behind a public id, or null when it is not one this app makes. */
export function eventIdOf(publicId: string): string | null {
  const m = PUBLIC.exec(publicId);
  return m ? m.slice(1).join("-") : null;
}
