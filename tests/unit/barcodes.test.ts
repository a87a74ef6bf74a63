import { describe, expect, it } from "vitest";
import { renderBarcode } from "@/lib/barcodes/render";
import { BARCODE_FORMATS, type BarcodeFormat } from "@/lib/templates/definition";

/** A value each format carries, as our card numbers would be. */
const VALUES: Record<BarcodeFormat, string> = {
  qr: "CF2026004277",
  pdf417: "CF2026004277",
  aztec: "CF2026004277",
  code128: "CF2026004277",
  code39: "CF2026004277",
  codabar: "2026004277",
  ean13: "4006381333931",
  itf: "20260042770012",
};

/** The vertical bars of a bwip-js linear SVG as [left, right] edges, in modules (scale 1). */
function bars(svg: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of svg.matchAll(/<path stroke="#000000" stroke-width="([\d.]+)" d="([^"]+)"/g)) {
    const width = Number(m[1]);
    for (const seg of m[2].matchAll(/M([\d.]+) [\d.]+L[\d.]+ [\d.]+/g)) out.push([Number(seg[1]) - width / 2, Number(seg[1]) + width / 2]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

const L = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"];
const R = L.map((p) => [...p].map((b) => (b === "1" ? "0" : "1")).join(""));
const G = R.map((p) => [...p].reverse().join(""));
const FIRST = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"];

/** Reads an EAN-13 off the drawn bars, as a scanner would: guards, parities, digits. */
function readEan13(svg: string) {
  const drawn = bars(svg);
  const left = drawn[0][0];
  const right = drawn[drawn.length - 1][1];
  const modules = Array.from({ length: Math.round(right - left) }, (_, i) =>
    drawn.some(([a, b]) => a <= left + i + 0.5 && left + i + 0.5 <= b) ? "1" : "0",
  ).join("");
  expect(modules).toHaveLength(95);
  expect(modules.slice(0, 3)).toBe("101");
  expect(modules.slice(45, 50)).toBe("01010");
  expect(modules.slice(92)).toBe("101");
  let parity = "";
  let digits = "";
  for (let i = 0; i < 6; i++) {
    const p = modules.slice(3 + i * 7, 10 + i * 7);
    const set = L.includes(p) ? "L" : "G";
    parity += set;
    digits += (set === "L" ? L : G).indexOf(p);
  }
  for (let i = 0; i < 6; i++) digits += R.indexOf(modules.slice(50 + i * 7, 57 + i * 7));
  const width = Number(svg.match(/viewBox="0 0 ([\d.]+) /)![1]);
  return { text: FIRST.indexOf(parity) + digits, quietLeft: left, quietRight: width - right };
}

describe("renderBarcode", () => {
  it.each(BARCODE_FORMATS)("draws %s in its own format as inline-safe SVG", (format) => {
    const drawn = renderBarcode(format, VALUES[format]);
    expect(drawn.format).toBe(format);
    expect(drawn.text).toBe(VALUES[format]);
    expect(drawn.svg).toMatch(/^<svg viewBox="0 0 [\d.]+ [\d.]+" xmlns="http:\/\/www\.w3\.org\/2000\/svg">/);
    expect(drawn.svg).toContain("<path");
    expect(drawn.svg).not.toMatch(/<script|\son\w+=|href|<foreignObject/i);
  });

  it("draws an EAN-13 a scanner reads back digit for digit, check digit included, with its quiet zones", () => {
    const drawn = renderBarcode("ean13", "4006381333931");
    const read = readEan13(drawn.svg);
    expect(read.text).toBe("4006381333931");
    // EAN-13 asks for 11 modules on the left and 7 on the right.
    expect(read.quietLeft).toBeGreaterThanOrEqual(11);
    expect(read.quietRight).toBeGreaterThanOrEqual(7);
    // The human-readable digits are drawn under the bars (as glyph paths).
    expect(drawn.svg).toMatch(/<path d="[^"]+" fill="#000000"/);
  });

  it("never draws an EAN-13 with a wrong check digit, nor a value the format cannot carry: those become Code 128", () => {
    expect(renderBarcode("ean13", "4006381333932")).toMatchObject({ format: "code128", text: "4006381333932" });
    expect(renderBarcode("ean13", "Xy_serial-1")).toMatchObject({ format: "code128" });
    expect(renderBarcode("itf", "123")).toMatchObject({ format: "code128" });
    expect(renderBarcode("codabar", "AB12")).toMatchObject({ format: "code128" });
  });

  it("draws a serial number with lower-case letters as Full ASCII Code 39", () => {
    expect(renderBarcode("code39", "5f1c9a2e-Q_x")).toMatchObject({ format: "code39", text: "5f1c9a2e-Q_x" });
  });
});
