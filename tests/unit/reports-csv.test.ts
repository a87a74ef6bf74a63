import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hllEstimate } from "@/lib/reports/hll";
import { reportFiltersFromQuery } from "@/lib/reports/filters";
import { toCsv } from "@/lib/reports/tables";
import { sketchRanges } from "@/lib/reports/sketch-ranges";

describe("report CSV", () => {
  it("defuses formulas in text cells (= + - @, tab, CR) and keeps numbers as numbers", () => {
    const csv = toCsv({
      columns: ["name", "n"],
      rows: [
        ["=HYPERLINK(1)", 5],
        ["+7 916", -3],
        ["-x", 0],
        ["@SUM", 1.5],
        ["\ttab", null],
        ["\rcr", 2],
        ['a "b", c', 7],
      ],
    });
    expect(csv.split("\r\n")).toEqual([
      "name,n",
      `"'=HYPERLINK(1)",5`,
      `"'+7 916",-3`,
      `"'-x",0`,
      `"'@SUM",1.5`,
      `"'\ttab",`,
      `"'\rcr",2`,
      `"a ""b"", c",7`,
      "",
    ]);
  });
});

describe("report filters from the query string", () => {
  it("presets count back from today in the merchant's zone; bad input falls back to 30 days", () => {
    expect(reportFiltersFromQuery({ period: "7d" }, "2026-03-10").filters).toMatchObject({ from: "2026-03-04", to: "2026-03-10", granularity: "day" });
    expect(reportFiltersFromQuery({ period: "custom", from: "2026-01-01", to: "2026-01-31", granularity: "week" }, "2026-03-10").filters).toMatchObject({
      from: "2026-01-01",
      to: "2026-01-31",
      granularity: "week",
    });
    expect(reportFiltersFromQuery({ period: "custom", from: "2026-02-01", to: "2026-01-01" }, "2026-03-10")).toMatchObject({
      preset: "30d",
      filters: { from: "2026-02-09", to: "2026-03-10" },
    });
  });
});

describe("a period's sketches", () => {
  it("whole months from the month sketches, the edges from the day sketches", () => {
    expect(sketchRanges("2026-03-01", "2026-03-07")).toEqual({ months: null, days: [["2026-03-01", "2026-03-07"]] });
    expect(sketchRanges("2026-03-01", "2026-03-31")).toEqual({ months: ["2026-03-01", "2026-03-01"], days: [] });
    expect(sketchRanges("2026-02-20", "2026-04-03")).toEqual({
      months: ["2026-03-01", "2026-03-01"],
      days: [
        ["2026-02-20", "2026-02-28"],
        ["2026-04-01", "2026-04-03"],
      ],
    });
    expect(sketchRanges("2025-11-30", "2026-11-29")).toEqual({
      months: ["2025-12-01", "2026-10-01"],
      days: [
        ["2025-11-30", "2025-11-30"],
        ["2026-11-01", "2026-11-29"],
      ],
    });
    expect(sketchRanges("2024-02-10", "2024-02-29")).toEqual({ months: null, days: [["2024-02-10", "2024-02-29"]] });
  });
});

describe("HyperLogLog estimate", () => {
  it("is exact for a handful and within a few per cent for thousands", () => {
    expect(hllEstimate([])).toBe(0);
    expect(
      hllEstimate([
        { idx: 1, rho: 1 },
        { idx: 5, rho: 3 },
        { idx: 900, rho: 2 },
      ]),
    ).toBe(3);
    // The same bits of a random UUID as the SQL in lib/reports/hll.ts takes.
    // Fixed ids (hashes of 0…49,999), so the figure is the same every run: 1,024 registers err by about 3 % (1.04/√1024).
    const regs = Array.from({ length: 50_000 }, (_, i) => {
      const id = createHash("sha256")
        .update(String(i))
        .digest("hex")
        .replace(/^(.{8})(.{4})/, "$1-$2-");
      return { idx: parseInt(id.slice(0, 3), 16) >> 2, rho: Math.clz32(parseInt(id.slice(3, 8) + id.slice(9, 12), 16)) + 1 };
    });
    expect(Math.abs(hllEstimate(regs) - 50_000) / 50_000).toBeLessThan(0.06);
  });
});
