import { describe, expect, it } from "vitest";
import { fromRussianLayout } from "@/lib/till/layout";

describe("a scanner typing in the Russian layout", () => {
  it.each([
    ["ЗЗ000120", "PP000120"],
    ["СВЙю", "CDQ."],
    ["ыщьу-сщву", "some-code"],
    ["ХЭмутвщкЭЖЭсфкввуылЭбЭыускуеЭЖЭфи123Э", '{"vendor":"carddesk","secret":"ab123"'],
  ])("%s → %s", (typed, meant) => {
    expect(fromRussianLayout(typed)).toBe(meant);
  });

  it("leaves text typed in another layout alone", () => {
    expect(fromRussianLayout('{"a":1;}')).toBe('{"a":1;}');
    expect(fromRussianLayout("4600000000017")).toBe("4600000000017");
  });
});
