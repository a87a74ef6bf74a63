// Pure: each report as one table (column keys and rows), for the page's tables and the CSV export alike.
import type { ReportData } from "./queries";

export type Cell = string | number | null;
export type ReportTable = { columns: string[]; rows: Cell[][] };

const periods = <T extends { period: string }>(list: T[], keys: (keyof T & string)[]): ReportTable => ({
  columns: ["period", ...keys],
  rows: list.map((p) => [p.period, ...keys.map((k) => p[k] as Cell)]),
});

/** `labels.total` names a total row on the page (the CSV keeps the key `total`). */
export function reportTable<K extends keyof ReportData>(name: K, data: ReportData[K], labels: { total?: string } = {}): ReportTable {
  switch (name) {
    case "card-statuses":
    case "device-types":
      return { columns: ["key", "count"], rows: Object.entries(data as Record<string, number>).map(([k, v]) => [k, v]) };
    case "card-history":
      return periods(data as ReportData["card-history"], ["issued", "installed", "removed"]);
    case "device-history":
      return periods(data as ReportData["device-history"], ["iphone", "watch", "android"]);
    case "pushes": {
      // Per campaign, then the total: the figures behind the stacked bars; with no campaign, the wallet update pushes per period the chart draws then.
      const p = data as ReportData["pushes"];
      if (!p.campaigns.length) return periods(p.periods, ["sent", "failed"]);
      const row = (name: string, c: (typeof p)["total"]): Cell[] => [
        name,
        c.apple.accepted,
        c.apple.failed,
        c.google.accepted,
        c.google.quota,
        c.google.failed,
        c.google.inDoubt,
      ];
      return {
        columns: ["campaign", "appleAccepted", "appleFailed", "googleAccepted", "googleQuota", "googleFailed", "googleInDoubt"],
        rows: [...p.campaigns.map((c) => row(c.name, c)), row(labels.total ?? "total", p.total)],
      };
    }
    case "conversion": {
      const c = data as ReportData["conversion"];
      return {
        columns: ["period", "issued", "reached", "share", "medianSeconds"],
        rows: c.periods.map((p) => [p.period, p.issued, p.reached, Math.round(p.share * 10000) / 10000, p.medianSeconds]),
      };
    }
    case "activations": {
      const a = data as ReportData["activations"];
      return { columns: ["period", "cards", "devices"], rows: a.periods.map((p) => [p.period, p.cards, p.devices]) };
    }
    case "certificates": {
      const c = data as ReportData["certificates"];
      const keys = ["issued", "issuedSum", "opened", "redeemed", "redeemedSum", "expired", "expiredSum", "outstanding"] as const;
      return { columns: ["definition", ...keys], rows: c.definitions.map((d) => [d.name, ...keys.map((k) => d[k])]) };
    }
    case "loyalty": {
      const l = data as ReportData["loyalty"];
      return periods(l.periods, ["accrued", "redeemed", "expired", "purchases", "revenue", "averageReceipt"]);
    }
  }
  return { columns: [], rows: [] };
}

/** The level distribution (part of the loyalty report) as a table: one row per template and level. */
export function levelsTable(levels: ReportData["loyalty"]["levels"]): ReportTable {
  return {
    columns: ["template", "level", "discountPercent", "cards"],
    rows: levels.flatMap((t) => t.levels.map((l) => [t.templateName, l.name, l.discountPercent, l.cards] as Cell[])),
  };
}

/**
 * CSV safe to open in a spreadsheet: a text cell starting with = + - @, a tab or a carriage return
 * gets a leading ' (quoting alone does not stop a formula); numbers stay numbers.
 */
export function toCsv(table: ReportTable): string {
  const cell = (v: Cell): string => {
    if (v === null) return "";
    if (typeof v === "number") return String(v);
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\n\r;]/.test(safe) || safe !== v ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [table.columns, ...table.rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
