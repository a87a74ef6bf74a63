import { describe, expect, it } from "vitest";
import { maxRedeemable, purchaseOf, reversalOf, share, type Undone } from "@/lib/ledger/rules";
import { parsePointsCursor } from "@/lib/cards/points";
import { DEFAULT_POINTS_PROGRAM, pointsProgramSchema, programOf } from "@/lib/templates/definition";

const program = { ...DEFAULT_POINTS_PROGRAM, earnPercent: 7, pointValue: 100, maxSharePercent: 30 };
const none: Undone = { returned: 0, takenBack: 0, amount: 0 };

describe("purchase arithmetic", () => {
  it("caps points by the share of the receipt and the balance; earns on the money part, rounded down", () => {
    expect(maxRedeemable(program, 1000, 33_333)).toBe(99); // 30 % of 333.33 = 99.99 → 99 points
    expect(maxRedeemable(program, 10, 33_333)).toBe(10);
    expect(maxRedeemable({ ...program, minBalanceToRedeem: 11 }, 10, 33_333)).toBe(0);
    expect(purchaseOf(program, 1000, 33_333, 99)).toEqual({ redeemed: 99, accrued: 16 }); // 7 % of 234.33 = 16.40 → 16
    expect(() => purchaseOf(program, 1000, 33_333, 100)).toThrow(expect.objectContaining({ code: "redeem_limit_exceeded", data: { maxPoints: 99 } }));
    expect(() => purchaseOf(program, 5, 33_333, 6)).toThrow(expect.objectContaining({ code: "insufficient_balance", data: { balance: 5 } }));
  });
});

describe("reversal arithmetic", () => {
  const purchase = { type: "purchase" as const, accrued: 7, redeemed: 5, amount: 1000 };

  it("is exact for a large receipt, where points × refund passes 2^53: a full refund takes back every accrued point", () => {
    const big = { type: "purchase" as const, accrued: 28_712_769, redeemed: 0, amount: 1_435_638_475 };
    expect(reversalOf(big, none, {}, 28_712_769)).toMatchObject({ take: 28_712_769, shortfall: 0, amount: 1_435_638_475 });
    expect(share(28_712_769, 1_435_638_475, 1_435_638_475, "down")).toBe(28_712_769);
    expect([share(7, 333, 1000, "down"), share(5, 333, 1000, "up"), share(5, 200, 1000, "up")]).toEqual([2, 2, 1]);
  });

  it("rounds each partial refund in the customer's favour and the parts add up to exactly the whole", () => {
    let undone = { ...none };
    const steps = [333, 333, 334].map((amount) => {
      const effect = reversalOf(purchase, undone, { amount }, 1000);
      undone = { returned: undone.returned + effect.returned, takenBack: undone.takenBack + effect.take + effect.shortfall, amount: undone.amount + amount };
      return effect;
    });
    // Taken back rounds down (7 × 333/1000 = 2.33 → 2), returned rounds up (5 × 333/1000 = 1.67 → 2).
    expect(steps.map((s) => [s.take, s.returned])).toEqual([
      [2, 2],
      [2, 2],
      [3, 1],
    ]);
    expect(undone).toEqual({ returned: 5, takenBack: 7, amount: 1000 });
    expect(() => reversalOf(purchase, undone, {}, 1000)).toThrow(expect.objectContaining({ code: "already_reversed" }));
  });

  it("a one-unit refund takes nothing back and returns a point: never against the customer", () => {
    expect(reversalOf(purchase, none, { amount: 1 }, 0)).toEqual({ returned: 1, take: 0, shortfall: 0, amount: 1 });
  });

  it("takes back at most what the balance holds after returning points, the rest as shortfall", () => {
    expect(reversalOf({ type: "purchase", accrued: 50, redeemed: 10, amount: 1000 }, none, {}, 5)).toEqual({
      returned: 10,
      take: 15,
      shortfall: 35,
      amount: 1000,
    });
    expect(reversalOf({ type: "accrue", accrued: 50, redeemed: 0, amount: null }, none, { points: 40 }, 12)).toEqual({
      returned: 0,
      take: 12,
      shortfall: 28,
      amount: null,
    });
  });

  it("never beyond the original", () => {
    expect(() => reversalOf({ type: "redeem", accrued: 0, redeemed: 30, amount: null }, { ...none, returned: 20 }, { points: 11 }, 0)).toThrow(
      expect.objectContaining({ code: "reverse_exceeds_original", data: { left: 10 } }),
    );
    expect(() => reversalOf({ type: "accrue", accrued: 30, redeemed: 0, amount: null }, none, { amount: 5 }, 0)).toThrow(
      expect.objectContaining({ code: "validation" }),
    );
  });
});

describe("the points programme in a template", () => {
  it("defaults for loyalty templates, none for other kinds, and refuses rates outside 0–100 %", () => {
    expect(programOf("loyalty", {})).toEqual(DEFAULT_POINTS_PROGRAM);
    expect(programOf("loyalty", { program: { ...DEFAULT_POINTS_PROGRAM, earnPercent: 10 } })?.earnPercent).toBe(10);
    expect(programOf("gift", { program: DEFAULT_POINTS_PROGRAM })).toBeNull();
    const refused = pointsProgramSchema.safeParse({ ...DEFAULT_POINTS_PROGRAM, earnPercent: 101, maxSharePercent: -1, pointValue: 0 });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["earnPercent", "templates.errors.earnPercent"],
      ["pointValue", "templates.errors.pointValue"],
      ["maxSharePercent", "templates.errors.maxSharePercent"],
    ]);
  });
});

describe("the card page's points cursor", () => {
  it("reads micros and an id, and anything past bigint's range as the first page", () => {
    const id = "0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4";
    expect(parsePointsCursor(`1764547200000000.${id}`)).toEqual({ micros: "1764547200000000", id });
    expect(parsePointsCursor(`99999999999999999999.${id}`)).toBeUndefined();
    expect(parsePointsCursor("x")).toBeUndefined();
  });
});
