import clsx from "clsx";
import { isTwoD, renderBarcode } from "@/lib/barcodes/render";
import type { BarcodeFormat } from "@/lib/templates/definition";

/** How big a code is drawn: at the till (a scanner reads it off a phone screen) or inside a pass mock-up. */
export type BarcodeSize = "till" | "pass";

const WIDTH: Record<BarcodeSize, Record<"square" | "pdf417" | "linear", string>> = {
  // EAN-13 with its quiet zones is ~125 modules: 300 px gives a scanner well over 2 px per module.
  till: { square: "w-56", pdf417: "w-full max-w-[320px]", linear: "w-full max-w-[320px]" },
  pass: { square: "w-28", pdf417: "w-52", linear: "w-52" },
};

/**
 * The template's real, scannable barcode (EAN-13, Code 128, PDF417, Aztec, QR, …), drawn on the server
 * by bwip-js as inline SVG; the same component serves the card pages and the pass previews.
 */
export function Barcode({
  format,
  value,
  size,
  label,
  className,
}: {
  format: BarcodeFormat;
  value: string;
  size: BarcodeSize;
  label: string;
  className?: string;
}) {
  const drawn = renderBarcode(format, value);
  const shape = drawn.format === "pdf417" ? "pdf417" : isTwoD(drawn.format) ? "square" : "linear";
  return (
    <div
      role="img"
      aria-label={label}
      className={clsx("bg-white [&>svg]:block [&>svg]:h-auto [&>svg]:w-full", WIDTH[size][shape], className)}
      data-testid="barcode"
      data-format={drawn.format}
      data-value={drawn.text}
      // bwip-js's SVG of our own text: paths and a background rect, nothing that runs.
      dangerouslySetInnerHTML={{ __html: drawn.svg }}
    />
  );
}
