// Pure: the page's query string → report filters. The page never refuses: anything unreadable falls back to the last 30 days.
import { reportFiltersSchema, type ReportFilters } from "@/lib/validations/reports";

export const PRESETS = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 } as const;
export type Preset = keyof typeof PRESETS | "custom";

const minusDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
};

export function reportFiltersFromQuery(params: Record<string, string | undefined>, today: string): { filters: ReportFilters; preset: Preset } {
  const preset: Preset = params.period && params.period in PRESETS ? (params.period as Preset) : params.period === "custom" ? "custom" : "30d";
  const range = preset === "custom" ? { from: params.from, to: params.to } : { from: minusDays(today, PRESETS[preset] - 1), to: today };
  const granularity = params.granularity ?? (preset === "365d" ? "month" : preset === "90d" ? "week" : "day");
  const given = {
    ...range,
    granularity,
    templateId: params.template || undefined,
    locationId: params.location || undefined,
    source: params.source || undefined,
  };
  const parsed = reportFiltersSchema.safeParse(given);
  if (parsed.success) return { filters: parsed.data, preset };
  // Keep what is valid of the filters, with the default period.
  const fallback = reportFiltersSchema.safeParse({ ...given, from: minusDays(today, 29), to: today, granularity: "day" });
  return { filters: fallback.success ? fallback.data : reportFiltersSchema.parse({ from: minusDays(today, 29), to: today }), preset: "30d" };
}

/** The filters as a query string (for the CSV links and the API's figures). */
export function filtersQuery(f: ReportFilters): string {
  const q = new URLSearchParams({ from: f.from, to: f.to, granularity: f.granularity });
  if (f.templateId) q.set("templateId", f.templateId);
  if (f.locationId) q.set("locationId", f.locationId);
  if (f.source) q.set("source", f.source);
  return q.toString();
}
