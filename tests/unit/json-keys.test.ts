import { describe, expect, it } from "vitest";
import { markRepeatedJsonKeys } from "@/lib/api/json-keys";
import { SOURCE_KEYS, type SourceKey } from "@/lib/validations/source-keys";

const marked = (v: unknown) => (v as { [SOURCE_KEYS]?: SourceKey[] })[SOURCE_KEYS]?.map((k) => k.key);
const parse = (text: string) => {
  const value = JSON.parse(text);
  markRepeatedJsonKeys(text, value);
  return value;
};

describe("repeated JSON keys", () => {
  it("marks only the objects whose keys repeat, with their keys in the text's order", () => {
    const v = parse(`{"a":1,"design":{"fields":{"points":{"label":"x"},"level":{},"points":{"value":"y"}}},"list":[{"k":1},{"k":2,"k":3}]}`);
    expect(marked(v)).toBeUndefined();
    expect(marked(v.design)).toBeUndefined();
    expect(marked(v.design.fields)).toEqual(["points", "level", "points"]);
    expect(marked(v.list[0])).toBeUndefined();
    expect(marked(v.list[1])).toEqual(["k", "k"]);
    // The mark is never data: JSON and Object.keys do not see it.
    expect(JSON.stringify(v.design.fields)).toBe(`{"points":{"value":"y"},"level":{}}`);
  });

  it("reads escaped keys, strings full of punctuation, and nesting too deep for recursion", () => {
    const v = parse(`{"a\\"b":"{[,:]}","a\\u0022b":2, "x" : [ "}" , { "y" : null } ] }`);
    expect(marked(v)).toEqual(['a"b', 'a"b', "x"]);
    const deep = "[".repeat(100_000) + `{"q":1,"q":2}` + "]".repeat(100_000);
    expect(() => parse(deep)).not.toThrow();
  });
});
