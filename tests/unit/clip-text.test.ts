import { describe, expect, it } from "vitest";
import { clipText } from "@/lib/format/text";

describe("clipText", () => {
  it("leaves a short text as it is and cuts a long one to the limit", () => {
    expect(clipText("Sale on Sunday", 40)).toBe("Sale on Sunday");
    expect(clipText("a".repeat(50), 40)).toBe("a".repeat(40));
  });

  it("never splits an emoji, a flag or a joined sequence", () => {
    const text = `${"x".repeat(39)}🎉 party`;
    expect("x".repeat(39) + "🎉".slice(0, 1)).toHaveLength(40);
    expect(clipText(text, 40)).toBe("x".repeat(39));
    expect(clipText(`${"x".repeat(37)}🇷🇺!`, 40)).toBe("x".repeat(37));
    expect(clipText("👩‍👩‍👧 family", 5)).toBe("");
    expect(clipText("Привет, мир", 6)).toBe("Привет");
  });
});
