// Pure: the dashboard tiles' arithmetic (days, the change against the previous period, the sparkline's shape).

export type Trend = {
  key: "issued" | "activated" | "members" | "redeemed" | "smsSpend";
  /** The last 30 days' figure. */
  value: number;
  /** The 30 days before them. */
  previous: number;
  /** One figure per day, oldest first (30). */
  series: number[];
  /** For money: the ISO currency the figure is in, or null when nothing was spent. */
  currency?: string | null;
};

/** The n calendar days (YYYY-MM-DD) ending with `today`, oldest first. */
export function lastDays(today: string, n: number): string[] {
  const end = new Date(`${today}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(end.getTime() - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

export type Change = { kind: "up" | "down" | "same"; percent: number } | { kind: "new" } | { kind: "none" };

/** The change against the previous period: a percentage, "new" when there was nothing before, "none" when both are zero. */
export function changeOf(value: number, previous: number): Change {
  if (!previous) return value ? { kind: "new" } : { kind: "none" };
  const percent = Math.round(((value - previous) / previous) * 100);
  return { kind: percent > 0 ? "up" : percent < 0 ? "down" : "same", percent: Math.abs(percent) };
}

/** The sparkline as an SVG polyline's points in a width × height box (a flat line in the middle when all are equal). */
export function sparklinePoints(series: number[], width: number, height: number, pad = 2): string {
  if (!series.length) return "";
  const max = Math.max(...series);
  const min = Math.min(...series);
  const step = series.length > 1 ? (width - pad * 2) / (series.length - 1) : 0;
  return series
    .map((v, i) => {
      const y = max === min ? height / 2 : pad + (height - pad * 2) * (1 - (v - min) / (max - min));
      return `${Math.round((pad + i * step) * 10) / 10},${Math.round(y * 10) / 10}`;
    })
    .join(" ");
}
