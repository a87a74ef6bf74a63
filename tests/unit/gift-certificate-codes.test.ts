import { describe, expect, it } from "vitest";
import { CODE_ALPHABET, generateCodes, parseCodeCsv } from "@/lib/gift-certificates/codes";

describe("gift certificate codes", () => {
  it("leaves look-alike characters out of the alphabet", () => {
    for (const c of "0O1IL2Z5S8BUV") expect(CODE_ALPHABET).not.toContain(c);
  });

  it("generates 1,000,000 distinct codes of the alphabet", () => {
    const codes = generateCodes(1_000_000, 10);
    expect(codes).toHaveLength(1_000_000);
    expect(new Set(codes).size).toBe(1_000_000);
    const allowed = new RegExp(`^[${CODE_ALPHABET}]{10}$`);
    for (let i = 0; i < codes.length; i += 997) expect(codes[i]).toMatch(allowed);
  }, 60_000);

  it("draws again when a code repeats or is taken", () => {
    // A generator that yields the same bytes twice, then fresh ones: the repeat must be drawn again.
    let call = 0;
    const draw = (n: number) => {
      call += 1;
      return Buffer.alloc(n, call === 1 ? 3 : call + 3);
    };
    const codes = generateCodes(2, 6, (c) => c === CODE_ALPHABET[3].repeat(6), draw);
    expect(codes).toHaveLength(2);
    expect(new Set(codes).size).toBe(2);
    expect(codes).not.toContain(CODE_ALPHABET[3].repeat(6));
  });

  it("reports bad lines and duplicates within the file with the earlier line", () => {
    const lines = parseCodeCsv("code\nabc123\nABC123\n\nbad code!\nXYZ-9\n");
    expect(lines.map((l) => [l.line, l.code, l.problem, l.params?.line])).toEqual([
      [2, "ABC123", null, undefined],
      [3, "ABC123", "giftCertificates.errors.codeDuplicateInFile", 2],
      [4, "BAD CODE!", "giftCertificates.errors.codeFormat", undefined],
      [5, "XYZ-9", null, undefined],
    ]);
  });
});
