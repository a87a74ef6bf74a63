import { describe, expect, it } from "vitest";
import { discountOf, floorRefusal, levelOf, programAt } from "@/lib/ledger/levels";
import { buildPassJson, type PassCard } from "@/lib/passes/apple/pass-json";
import {
  DEFAULT_CUMULATIVE_PROGRAM,
  DEFAULT_DISCOUNT_PROGRAM,
  DEFAULT_POINTS_PROGRAM,
  defaultDefinition,
  loyaltyProgramSchema,
  newField,
  templateDefinitionSchema,
  type CumulativeProgram,
} from "@/lib/templates/definition";
import { cardToObject, type GoogleContext } from "@/lib/wallet/google/mapping";
import { LEVELS as levels } from "../support/levels";

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
/** A card's standing with no floor. */
const at = (purchaseTotal: number) => ({ purchaseTotal, levelFloor: null });
const issues = (value: unknown) => (loyaltyProgramSchema.safeParse(value).error?.issues ?? []).map((i) => [i.path.join("."), i.message]);

describe("cumulative-discount levels", () => {
  it("a total reaches the highest level whose threshold it meets, with the money still to spend to the next", () => {
    expect(levelOf(levels, at(0))).toEqual({ index: 0, name: "Base", discountPercent: 3, earnPercent: 1, nextLevelIn: 1_000_000 });
    expect(levelOf(levels, at(999_999))).toMatchObject({ name: "Base", nextLevelIn: 1 });
    expect(levelOf(levels, at(1_000_000))).toEqual({ index: 1, name: "Silver", discountPercent: 5, earnPercent: 3, nextLevelIn: 4_000_000 });
    expect(levelOf(levels, at(9_000_000))).toMatchObject({ name: "Gold", earnPercent: 1, nextLevelIn: null });
    expect(levelOf(DEFAULT_POINTS_PROGRAM, at(9_000_000))).toBeNull();
    expect(programAt(levels, at(2_000_000))?.earnPercent).toBe(3);
  });

  it("the discount is the level's, the fixed programme's, or the card's own", () => {
    expect(discountOf(levels, { discount: 0, purchaseTotal: 5_000_000, levelFloor: null })).toBe(10);
    expect(discountOf({ ...DEFAULT_DISCOUNT_PROGRAM, discountPercent: 7 }, { discount: 0, purchaseTotal: 0, levelFloor: null })).toBe(7);
    expect(discountOf(DEFAULT_POINTS_PROGRAM, { discount: 12, purchaseTotal: 0, levelFloor: null })).toBe(12);
    expect(discountOf(null, { discount: 4, purchaseTotal: 0, levelFloor: null })).toBe(4);
  });

  it("a floor (a company's starting level) holds the card at least at its level; purchases still lift it, and the next level counts real spending", () => {
    const floor = 1_000_000; // Silver's threshold
    expect(levelOf(levels, { purchaseTotal: 0, levelFloor: floor })).toEqual({
      index: 1,
      name: "Silver",
      discountPercent: 5,
      earnPercent: 3,
      nextLevelIn: 5_000_000,
    });
    expect(levelOf(levels, { purchaseTotal: 4_000_000, levelFloor: floor })).toMatchObject({ name: "Silver", nextLevelIn: 1_000_000 });
    expect(levelOf(levels, { purchaseTotal: 5_000_000, levelFloor: floor })).toMatchObject({ name: "Gold", nextLevelIn: null });
    // The higher of the two: a floor below what the total earns changes nothing.
    expect(levelOf(levels, { purchaseTotal: 6_000_000, levelFloor: floor })).toEqual(levelOf(levels, at(6_000_000)));
    expect(levelOf(levels, { purchaseTotal: 0, levelFloor: 0 })).toEqual(levelOf(levels, at(0)));
    expect(programAt(levels, { purchaseTotal: 0, levelFloor: floor })?.earnPercent).toBe(3);
    expect(discountOf(levels, { discount: 0, purchaseTotal: 0, levelFloor: floor })).toBe(5);
    // Without levels a floor means nothing: the fixed programme's discount, or the card's own.
    expect(levelOf(DEFAULT_POINTS_PROGRAM, { purchaseTotal: 0, levelFloor: floor })).toBeNull();
    expect(discountOf(DEFAULT_POINTS_PROGRAM, { discount: 12, purchaseTotal: 0, levelFloor: floor })).toBe(12);
    // The merchant edits the levels later: the floor is money, so it names whatever level that much earns now.
    const edited: CumulativeProgram = {
      ...levels,
      levels: [levels.levels[0], { name: "Bronze", minTotal: 500_000, discountPercent: 4 }, { ...levels.levels[1], minTotal: 2_000_000 }, levels.levels[2]],
    };
    expect(levelOf(edited, { purchaseTotal: 0, levelFloor: floor })).toMatchObject({ name: "Bronze", nextLevelIn: 2_000_000 });
    expect(levelOf({ ...levels, levels: [levels.levels[0]] }, { purchaseTotal: 0, levelFloor: floor })).toMatchObject({ index: 0, nextLevelIn: null });
  });

  it("a starting level must be one of the programme's levels above the first", () => {
    expect(floorRefusal(levels, 1_000_000)).toBeNull();
    expect(floorRefusal(levels, 5_000_000)).toBeNull();
    expect(floorRefusal(levels, 0)).toBe("levelUnknown");
    expect(floorRefusal(levels, 1_500_000)).toBe("levelUnknown");
    expect(floorRefusal(DEFAULT_POINTS_PROGRAM, 1_000_000)).toBe("levelNoLevels");
    expect(floorRefusal(null, 1_000_000)).toBe("levelNoLevels");
  });

  it("validation explains itself: levels start at 0 and rise, discounts never fall, rates are 0–100 %", () => {
    expect(issues(levels)).toEqual([]);
    expect(issues(DEFAULT_CUMULATIVE_PROGRAM)).toEqual([]);
    expect(issues({ ...levels, levels: [] })).toEqual([["levels", "templates.errors.levelsRequired"]]);
    expect(
      issues({
        ...levels,
        levels: [
          { name: "A", minTotal: 100, discountPercent: 3 },
          { name: "B", minTotal: 100, discountPercent: 2 },
          { name: " ", minTotal: 50, discountPercent: 101, earnPercent: -1 },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        ["levels.0.minTotal", "templates.errors.levelsFirstZero"],
        ["levels.1.minTotal", "templates.errors.levelsRise"],
        ["levels.1.discountPercent", "templates.errors.levelDiscountFalls"],
        ["levels.2.name", "templates.errors.levelName"],
        ["levels.2.discountPercent", "templates.errors.discountPercent"],
        ["levels.2.earnPercent", "templates.errors.earnPercent"],
      ]),
    );
    expect(issues({ ...DEFAULT_DISCOUNT_PROGRAM, discountPercent: 150 })).toEqual([["discountPercent", "templates.errors.discountPercent"]]);
    expect(issues({ ...DEFAULT_POINTS_PROGRAM, expiry: { kind: "days", days: 0 } })).toEqual([["expiry.days", "templates.errors.expiryDays"]]);
    expect(issues({ ...DEFAULT_POINTS_PROGRAM, type: "tiers" })[0]?.[1]).toBe("templates.errors.programType");
    // A template carries it as its `program`.
    const definition = { ...defaultDefinition("loyalty", "M"), program: levels };
    expect(templateDefinitionSchema.safeParse(definition).success).toBe(true);
  });
});

describe("the level on the pass", () => {
  const card: PassCard = {
    serialNumber: "SER-1",
    authenticationToken: "t".repeat(20),
    number: "2026004277",
    holderName: "Anna",
    balance: 10,
    discount: 5,
    expiresAt: null,
    custom: {},
    voided: false,
    level: "Silver",
    nextLevelIn: 2_550_000,
    stamps: 4,
  };
  const base = defaultDefinition("loyalty", "M");
  const definition = {
    ...base,
    fields: {
      ...base.fields,
      secondary: [
        newField("lvl", "level", { en: "Level", ru: "Уровень" }),
        newField("next", "nextLevelIn", { en: "To next", ru: "До следующего" }),
        newField("st", "stamps", { en: "Stamps", ru: "Штампы" }),
      ],
    },
  };

  it("Apple shows the level, the money to the next one in the merchant's currency, and the stamps", () => {
    const { passJson } = buildPassJson({
      kind: "loyalty",
      definition,
      card,
      organizationName: "M",
      currency: "RUB",
      passTypeId: "pass.test",
      teamId: "TEAM",
      appUrl: "https://cards.example.com",
      locations: [],
    });
    const fields = (passJson.storeCard as { secondaryFields: Record<string, unknown>[] }).secondaryFields;
    expect(fields).toEqual([
      expect.objectContaining({ key: "lvl", value: "Silver" }),
      expect.objectContaining({ key: "next", value: 25_500, currencyCode: "RUB" }),
      expect.objectContaining({ key: "st", value: 4 }),
    ]);
  });

  it("Google shows them too, in both languages", () => {
    const ctx: GoogleContext = {
      issuerId: "3388000000012345678",
      templateId: "tpl-1",
      merchantName: "M",
      currency: "RUB",
      appUrl: "https://cards.example.com",
      logoFileId: null,
      heroFileId: null,
      locations: [],
    };
    const modules = JSON.stringify(cardToObject("loyalty", definition, card, ctx).body);
    expect(modules).toContain("Silver");
    expect(plain(modules)).toContain("25 500,00 ₽");
    expect(modules).toContain("25,500.00");
  });
});
