/** Wall-clock parts of an instant in a time zone. */
function partsIn(timeZone: string, at: Date) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The hour (0–23) it is in a time zone at an instant. */
export const hourIn = (timeZone: string, at: Date) => partsIn(timeZone, at).hour;

/** An instant as the `datetime-local` value it reads as in a time zone (YYYY-MM-DDTHH:mm). */
export function toZonedInput(timeZone: string, at: Date): string {
  const p = partsIn(timeZone, at);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** The instant a `datetime-local` value (YYYY-MM-DDTHH:mm) names in a time zone; null when it is not one. */
export function fromZonedInput(timeZone: string, value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // The zone's offset at that moment, found by reading the guess back (twice, across a DST change).
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = partsIn(timeZone, new Date(guess));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += asUtc - shown;
  }
  return Number.isNaN(guess) ? null : new Date(guess);
}

/** Whether an hour falls in quiet hours [from, to) that may wrap midnight (22 → 8). */
export function inQuietHours(hour: number, from: number | null, to: number | null): boolean {
  if (from === null || to === null || from === to) return false;
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}

export type QuietHours = { from: number | null; to: number | null };

/** The quiet hours a triggered rule keeps: its own when it has them, else the merchant's. */
export function ruleQuietHours(rule: QuietHours, merchant: QuietHours): QuietHours {
  return rule.from !== null && rule.to !== null ? rule : merchant;
}
