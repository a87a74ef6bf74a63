import "server-only";
import QRCode from "qrcode";

/** A scannable QR code as SVG markup (generated here from our own text, so it is safe to inline). */
export function qrSvg(text: string, options: { margin?: number } = {}): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: options.margin ?? 1, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
}
