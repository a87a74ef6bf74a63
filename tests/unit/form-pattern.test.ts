import { describe, expect, it } from "vitest";
import { emptyDefinition, patternRefusal, readAnswers } from "@/lib/forms/definition";

// A merchant's pattern runs against anonymous input on the shared server: a pattern that backtracks
// for seconds on 500 characters would let one merchant's form stall every merchant's requests.
describe("registration form patterns", () => {
  it.each([
    ["(a|a)*", "a quantified group with an alternation (exponential)"],
    ["(?:a|aa)+", "the same in a non-capturing group"],
    ["((a|a)c)*", "an alternation inside a group inside a quantified group"],
    ["(a+)+$", "a nested quantifier"],
    ["((a+)b)+", "a nested quantifier two groups down"],
    ["a*a*a*a*b", "four unbounded quantifiers in a row (polynomial)"],
    ["a{0,50}a{0,50}a{0,50}b", "three wide ranges"],
    ["a?a?a?a?a?aaaaa", "five optional atoms"],
    ["([)]|a)*", "a class holding a bracket does not hide the alternation"],
  ])("refuses %s (%s)", (pattern) => {
    expect(patternRefusal(pattern)).toBe("forms.errors.patternUnsafe");
  });

  it.each([
    "[A-Z]{2}\\d{4}",
    "\\+?\\d{10,11}",
    "\\d{3}-?\\d{3}-?\\d{4}",
    "[A-Za-z]+ [A-Za-z]+",
    "(?:\\+7|8)\\d{10}",
    "[*+?(|)]{1,3}x",
    "(?<code>[A-Z]{3})-\\d+",
  ])("takes the usual %s", (pattern) => expect(patternRefusal(pattern)).toBeNull());

  it("every pattern it takes answers within a blink on the longest input", () => {
    for (const pattern of ["[A-Za-z]+ [A-Za-z]+", "a*a*b", "(?:ab|cd)x*y*"]) {
      expect(patternRefusal(pattern)).toBeNull();
      const started = Date.now();
      new RegExp(`^(?:${pattern})$`, "u").test(`${"a".repeat(500)}!`);
      expect(Date.now() - started).toBeLessThan(200);
    }
  });

  it("a stored pattern of the unsafe shape (saved before this check) is not run: the answer is refused at once", () => {
    const definition = {
      ...emptyDefinition(),
      fields: [{ key: "code", type: "text" as const, label: { en: "Code", ru: "Код" }, required: true, pattern: "(a|a)*" }],
    };
    const started = Date.now();
    expect(readAnswers(definition, { f_code: `${"a".repeat(60)}!` })).toEqual({ ok: false, errors: { f_code: "forms.errors.noMatch" } });
    expect(Date.now() - started).toBeLessThan(200);
  });
});
