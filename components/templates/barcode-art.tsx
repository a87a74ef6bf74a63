import type { BarcodeFormat } from "@/lib/templates/definition";

/** A small deterministic bit stream, so the same value always draws the same picture. */
function bitStream(value: string) {
  let seed = [...value].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 16) & 1;
  };
}

/** A deterministic picture of a barcode of the chosen kind (not scannable: the real one is drawn by the wallet). */
export function BarcodeArt({ format, value, className }: { format: BarcodeFormat; value: string; className?: string }) {
  const bit = bitStream(value);
  if (format === "qr" || format === "aztec") {
    const n = 21;
    const reserved = (x: number, y: number) =>
      format === "qr" ? (x < 8 && y < 8) || (x > n - 9 && y < 8) || (x < 8 && y > n - 9) : Math.max(Math.abs(x - 10), Math.abs(y - 10)) <= 5;
    const cells: string[] = [];
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (!reserved(x, y) && bit()) cells.push(`M${x} ${y}h1v1h-1z`);
    const square = (x: number, y: number, s: number) => `M${x} ${y}h${s}v${s}h-${s}z`;
    const marks =
      format === "qr"
        ? [[0, 0], [n - 7, 0], [0, n - 7]].map(([x, y]) => (
            <g key={`${x}-${y}`}>
              <path d={square(x, y, 7)} fill="#000" />
              <path d={square(x + 1, y + 1, 5)} fill="#fff" />
              <path d={square(x + 2, y + 2, 3)} fill="#000" />
            </g>
          ))
        : [11, 9, 7, 5, 3, 1].map((s, i) => <path key={s} d={square(10 - (s - 1) / 2, 10 - (s - 1) / 2, s)} fill={i % 2 ? "#fff" : "#000"} />);
    return (
      <svg viewBox={`-1 -1 ${n + 2} ${n + 2}`} className={className} aria-hidden shapeRendering="crispEdges">
        <path d={cells.join("")} fill="#000" />
        {marks}
      </svg>
    );
  }
  const tall = format === "pdf417" ? 40 : 30;
  const bars: string[] = [];
  for (let x = 0; x < 120; ) {
    const w = 1 + bit() + bit();
    if (bit() || x % 7 === 0) bars.push(`M${x} 0h${w}v${tall}h-${w}z`);
    x += w + 1;
  }
  return (
    <svg viewBox={`0 0 120 ${tall}`} preserveAspectRatio="none" className={className} aria-hidden shapeRendering="crispEdges">
      <path d={bars.join("")} fill="#000" />
    </svg>
  );
}
