import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_STAMP_GOAL,
  KIND_MAPPING,
  MAX_LOCATIONS,
  TEMPLATE_KINDS,
  appleBarcodeFormats,
  defaultDefinition,
  newField,
  stampGoal,
  templateDefinitionSchema,
} from "@/lib/templates/definition";

const issues = (value: unknown) => {
  const r = templateDefinitionSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
};

describe("template definition", () => {
  it.each(TEMPLATE_KINDS)("the default design for %s is valid and maps to Apple and Google types", (kind) => {
    expect(issues(defaultDefinition(kind, "Кофейня"))).toEqual([]);
    expect(["storeCard", "coupon", "generic"]).toContain(KIND_MAPPING[kind].apple);
    expect(["loyalty", "giftCard", "offer", "generic"]).toContain(KIND_MAPPING[kind].google);
  });

  it("requires %@ in a change message, in each language that has one", () => {
    const d = defaultDefinition("loyalty", "M");
    d.fields.primary[0].changeMessage = { en: "Points changed", ru: "Баллы: %@" };
    expect(issues(d)).toEqual([{ path: "fields.primary.0.changeMessage.en", message: "templates.errors.changeMessage" }]);
  });

  it("gives a stamp card a goal of 10 stamps, takes 1 to 20, and reads a design saved before goals existed as 10", () => {
    const d = defaultDefinition("stamp", "M");
    expect(d.stamps).toEqual({ goal: DEFAULT_STAMP_GOAL });
    expect(stampGoal(d)).toBe(10);
    for (const goal of [1, 20]) expect(issues({ ...d, stamps: { goal } })).toEqual([]);
    for (const goal of [0, 21, 2.5]) expect(issues({ ...d, stamps: { goal } })).toEqual([{ path: "stamps.goal", message: "templates.errors.stampGoal" }]);
    const { stamps: _, ...older } = d;
    expect(issues(older)).toEqual([]);
    expect(stampGoal({ ...older, stamps: undefined })).toBe(DEFAULT_STAMP_GOAL);
    expect(defaultDefinition("loyalty", "M").stamps).toBeUndefined();
  });

  it("refuses an 11th point of sale with the limit's message", () => {
    const d = defaultDefinition("loyalty", "M");
    d.locations = Array.from({ length: MAX_LOCATIONS + 1 }, () => ({ locationId: randomUUID(), relevantText: { en: "", ru: "" } }));
    expect(issues(d)).toContainEqual({ path: "locations", message: "templates.errors.tooManyLocations" });
    d.locations.pop();
    expect(issues(d)).toEqual([]);
  });

  it("refuses bad colours and too many primary fields", () => {
    const d = defaultDefinition("loyalty", "M");
    d.fields.primary.push(newField("second", "balance", { en: "x", ru: "" }));
    d.design.backgroundColor = "red";
    const found = issues(d);
    expect(found).toContainEqual({ path: "fields.primary", message: "templates.errors.tooManyFields" });
    expect(found).toContainEqual({ path: "design.backgroundColor", message: "templates.errors.color" });
  });

  it("refuses a field key used twice, pointing at the second one", () => {
    const d = defaultDefinition("loyalty", "M");
    d.fields.secondary.push(newField("points", "static", { en: "x", ru: "" }, { en: "y", ru: "" }));
    expect(issues(d)).toEqual([{ path: "fields.secondary.1.key", message: "templates.errors.duplicateKey" }]);
  });

  it("keeps the cd_ prefix for CardDesk's own keys", () => {
    const d = defaultDefinition("loyalty", "M");
    d.fields.back = [newField("cd_terms", "static", { en: "x", ru: "" }, { en: "y", ru: "" })];
    expect(issues(d)).toEqual([{ path: "fields.back.0.key", message: "templates.errors.fieldKeyReserved" }]);
  });

  it("needs a custom field name for custom values and a text for static ones", () => {
    const d = defaultDefinition("generic", "M");
    d.fields.back = [newField("level", "custom", { en: "Level", ru: "" }), newField("note", "static", { en: "Note", ru: "" })];
    expect(issues(d)).toEqual([
      { path: "fields.back.0.customKey", message: "templates.errors.customKey" },
      { path: "fields.back.1.value.en", message: "validation.required" },
    ]);
  });

  it.each([
    ["qr", ["PKBarcodeFormatQR"]],
    ["code128", ["PKBarcodeFormatCode128"]],
    ["ean13", ["PKBarcodeFormatEAN13", "PKBarcodeFormatCode128"]],
    ["codabar", ["PKBarcodeFormatCodabar", "PKBarcodeFormatCode128"]],
    ["itf", ["PKBarcodeFormatI2of5", "PKBarcodeFormatCode128"]],
  ] as const)("barcode %s gives Apple %j (newer formats carry a fallback after them)", (format, expected) => {
    expect(appleBarcodeFormats(format)).toEqual(expected);
  });
});
