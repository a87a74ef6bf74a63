import { describe, expect, it } from "vitest";
import { changeOf, lastDays, sparklinePoints } from "@/lib/dashboard/trend-math";

describe("dashboard trend arithmetic", () => {
  it("lists the last n calendar days, oldest first, across a month end", () => {
    expect(lastDays("2026-03-02", 4)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(lastDays("2026-11-29", 60)).toHaveLength(60);
  });

  it("says how the figure changed against the previous period", () => {
    expect(changeOf(150, 100)).toEqual({ kind: "up", percent: 50 });
    expect(changeOf(50, 100)).toEqual({ kind: "down", percent: 50 });
    expect(changeOf(100, 100)).toEqual({ kind: "same", percent: 0 });
    expect(changeOf(5, 0)).toEqual({ kind: "new" });
    expect(changeOf(0, 0)).toEqual({ kind: "none" });
  });

  it("draws a sparkline inside its box, flat in the middle when nothing changes", () => {
    expect(sparklinePoints([0, 10], 100, 20, 0)).toBe("0,20 100,0");
    expect(sparklinePoints([3, 3, 3], 100, 20, 0)).toBe("0,10 50,10 100,10");
    expect(sparklinePoints([], 100, 20)).toBe("");
  });
});
