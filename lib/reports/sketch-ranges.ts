// Pure: how a period splits into the members sketches kept per month and per day (lib/reports/fold.ts writes both).
const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (day: string) => new Date(`${day}T00:00:00Z`);

/** Which month sketches (first days from–to) and which day ranges make up a period: whole months by month, the edges by day. */
export function sketchRanges(from: string, to: string): { months: [string, string] | null; days: [string, string][] } {
  const start = utc(from);
  const firstWhole = start.getUTCDate() === 1 ? start : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const end = utc(to);
  const endIsLast = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() + 1)).getUTCDate() === 1;
  const lastWholeStart = endIsLast
    ? new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1))
    : new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1));
  if (firstWhole > lastWholeStart) return { months: null, days: [[from, to]] };
  const beforeEnd = new Date(firstWhole.getTime() - 86_400_000);
  const afterStart = new Date(Date.UTC(lastWholeStart.getUTCFullYear(), lastWholeStart.getUTCMonth() + 1, 1));
  const days: [string, string][] = [];
  if (start < firstWhole) days.push([from, iso(beforeEnd)]);
  if (afterStart <= end) days.push([iso(afterStart), to]);
  return { months: [iso(firstWhole), iso(lastWholeStart)], days };
}
