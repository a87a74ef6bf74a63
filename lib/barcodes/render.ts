import "server-only";
import bwipjs from "bwip-js/node";
import { type BarcodeFormat, barcodeRefusal } from "@/lib/templates/definition";

/** The bwip-js encoder drawing each of a template's formats. */
const ENCODER: Record<BarcodeFormat, string> = {
  qr: "qrcode",
  pdf417: "pdf417",
  aztec: "azteccode",
  code128: "code128",
  code39: "code39",
  codabar: "rationalizedCodabar",
  ean13: "ean13",
  itf: "interleaved2of5",
};

const TWO_D: BarcodeFormat[] = ["qr", "pdf417", "aztec"];
export const isTwoD = (format: BarcodeFormat) => TWO_D.includes(format);

export type RenderedBarcode = {
  /** SVG markup: paths only, drawn here from our own text, so it is safe to inline (no scripts, no links). */
  svg: string;
  /** The format actually drawn: a value the chosen format cannot carry is drawn as Code 128, as the iPhone's fallback does. */
  format: BarcodeFormat;
  /** The text the bars carry (an EAN-13's with its check digit). */
  text: string;
};

/**
 * Quiet zones (in modules) around each symbol, part of the drawing so any container keeps them:
 * 10 for linear codes (Code 128 and ITF ask for 10, EAN-13's 11/7 come from its own text and guard),
 * 4 for QR, 2 for PDF417 and Aztec.
 */
function options(format: BarcodeFormat, text: string): Record<string, unknown> {
  const base = { bcid: ENCODER[format], text, scale: 1, backgroundcolor: "FFFFFF" };
  switch (format) {
    case "qr":
      return { ...base, eclevel: "M", padding: 4 };
    case "aztec":
    case "pdf417":
      return { ...base, padding: 2 };
    case "ean13":
      // The digits under the bars and the ">" guard keep the left (11) and right (7) quiet zones.
      return { ...base, height: 22, includetext: true, guardwhitespace: true, paddingheight: 2 };
    case "codabar":
      // Codabar needs start and stop characters; scanners leave them out of what they type.
      return { ...base, text: `A${text}A`, height: 18, paddingwidth: 10, paddingheight: 2 };
    case "code39":
      // A serial number's lower-case letters need Full ASCII Code 39.
      return { ...base, bcid: /^[0-9A-Z\-. $/+%]*$/.test(text) ? "code39" : "code39ext", height: 18, paddingwidth: 10, paddingheight: 2 };
    default:
      return { ...base, height: 18, paddingwidth: 10, paddingheight: 2 };
  }
}

function draw(format: BarcodeFormat, text: string): string {
  return bwipjs.toSVG(options(format, text) as unknown as Parameters<typeof bwipjs.toSVG>[0]);
}

/**
 * A scannable barcode of the template's format as SVG. A value the format cannot carry (a serial
 * number in an EAN-13 template, an EAN-13 with a wrong check digit) is drawn as Code 128 instead.
 */
export function renderBarcode(format: BarcodeFormat, value: string): RenderedBarcode {
  // Code 39 takes lower case through Full ASCII, so only the other linear formats refuse up front.
  if (format === "code39" || !barcodeRefusal(format, value)) {
    try {
      return { svg: draw(format, value), format, text: value };
    } catch {
      // A value bwip-js refuses (an EAN-13's wrong check digit): fall through to Code 128.
    }
  }
  return { svg: draw("code128", value), format: "code128", text: value };
}
