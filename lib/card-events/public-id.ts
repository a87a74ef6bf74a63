/**
 * The id an event goes by outside: `evt_` and its uuid without dashes. The webhooks' `webhook-id` and
 * the events feed both show this one, so a receiver can deduplicate across the two.
 */
export function publicEventId(id: string): string {
  return `evt_${id.replaceAll("-", "").toLowerCase()}`;
}

/** The uuid behind a public event id, or null when it is not one. */
export function eventIdFromPublic(publicId: string): string | null {
  const m = /^evt_([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i.exec(publicId);
  return m ? `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase() : null;
}
